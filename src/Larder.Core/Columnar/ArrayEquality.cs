using System.Collections;

namespace Larder.Columnar;

/// <summary>Logical equality of array ranges (nulls equal nulls; slots under nulls ignored). Pure functions.</summary>
public static class ArrayEquality
{
    /// <summary>True when rows [aStart, aStart+count) of <paramref name="a"/> equal rows [bStart, bStart+count) of <paramref name="b"/>.</summary>
    public static bool RangeEquals(ArrayData a, int aStart, ArrayData b, int bStart, int count)
    {
        if (!a.Type.Equals(b.Type))
        {
            return false;
        }

        var x = ArrowArrayFactory.Create(a.Slice(aStart, count));
        var y = ArrowArrayFactory.Create(b.Slice(bStart, count));
        for (int i = 0; i < count; i++)
        {
            bool xn = x.IsNull(i);
            if (xn != y.IsNull(i))
            {
                return false;
            }

            if (xn)
            {
                continue;
            }

            bool equal = (x, y) switch
            {
                (BinaryArray p, BinaryArray q) => p.GetBytes(i).SequenceEqual(q.GetBytes(i)),
                (FixedSizeBinaryArray p, FixedSizeBinaryArray q) => p.GetBytes(i).SequenceEqual(q.GetBytes(i)),
                _ => BoxedEquals(x.GetValue(i), y.GetValue(i)),
            };
            if (!equal)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Structural equality of values as returned by <see cref="IArrowArray.GetValue"/>; NaN equals NaN.</summary>
    public static bool BoxedEquals(object? x, object? y)
    {
        switch (x, y)
        {
            case (null, null):
                return true;
            case (null, _) or (_, null):
                return false;
            case (double p, double q):
                return p.Equals(q);
            case (float p, float q):
                return p.Equals(q);
            case (byte[] p, byte[] q):
                return p.AsSpan().SequenceEqual(q);
            case (IDictionary<string, object?> p, IDictionary<string, object?> q):
                return p.Count == q.Count && p.All(kv => q.TryGetValue(kv.Key, out var v) && BoxedEquals(kv.Value, v));
            case (string, _) or (_, string):
                return x.Equals(y);
            case (IEnumerable p, IEnumerable q):
                {
                    var e1 = p.GetEnumerator();
                    var e2 = q.GetEnumerator();
                    while (true)
                    {
                        bool m1 = e1.MoveNext();
                        if (m1 != e2.MoveNext())
                        {
                            return false;
                        }

                        if (!m1)
                        {
                            return true;
                        }

                        if (!BoxedEquals(e1.Current, e2.Current))
                        {
                            return false;
                        }
                    }
                }

            default:
                return x.Equals(y);
        }
    }
}

/// <summary>
/// Equality and hashing of boxed values (<see cref="IArrowArray.GetValue"/> results) by content: byte arrays, lists
/// and struct dictionaries compare structurally; NaN equals NaN. Thread safe.
/// </summary>
public sealed class BoxedValueComparer : IEqualityComparer<object>
{
    public static BoxedValueComparer Instance { get; } = new();

    public new bool Equals(object? x, object? y) => ArrayEquality.BoxedEquals(x, y);

    public int GetHashCode(object obj) => Hash(obj);

    private static int Hash(object? obj)
    {
        switch (obj)
        {
            case null:
                return 0;
            case string s:
                return s.GetHashCode(StringComparison.Ordinal);
            case byte[] bytes:
                {
                    var h = new HashCode();
                    h.AddBytes(bytes);
                    return h.ToHashCode();
                }

            case IDictionary<string, object?> d:
                {
                    int h = d.Count;
                    foreach (var kv in d)
                    {
                        h ^= HashCode.Combine(kv.Key.GetHashCode(StringComparison.Ordinal), Hash(kv.Value));
                    }

                    return h;
                }

            case System.Collections.IEnumerable e:
                {
                    var h = new HashCode();
                    foreach (var item in e)
                    {
                        h.Add(Hash(item));
                    }

                    return h.ToHashCode();
                }

            default:
                return obj.GetHashCode();
        }
    }
}
