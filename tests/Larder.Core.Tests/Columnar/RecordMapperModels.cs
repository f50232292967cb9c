using System.Collections;
using System.Reflection;
using Larder.Columnar;

namespace Larder.Core.Tests.Columnar;

public enum Color
{
    Red,
    Green,
    Blue,
}

[Flags]
public enum Permissions
{
    None = 0,
    Read = 1,
    Write = 2,
    Execute = 4,
}

public sealed class Scalars
{
    public bool Flag { get; set; }

    public sbyte I8 { get; set; }

    public short I16 { get; set; }

    public int I32 { get; set; }

    public long I64 { get; set; }

    public byte U8 { get; set; }

    public ushort U16 { get; set; }

    public uint U32 { get; set; }

    public ulong U64 { get; set; }

    public Half F16 { get; set; }

    public float F32 { get; set; }

    public double F64 { get; set; }

    public decimal Money { get; set; }

    public string Name { get; set; } = string.Empty;

    public string? Note { get; set; }

    public byte[] Bytes { get; set; } = [];

    public ReadOnlyMemory<byte> Memory { get; set; }

    public Guid Id { get; set; }

    public DateTime When { get; set; }

    public DateTimeOffset At { get; set; }

    public DateOnly Day { get; set; }

    public TimeOnly Time { get; set; }

    public TimeSpan Span { get; set; }

    public Color Color { get; set; }

    public Permissions Permissions { get; set; }
}

public sealed class Nullables
{
    public bool? Flag { get; set; }

    public int? I32 { get; set; }

    public ulong? U64 { get; set; }

    public Half? F16 { get; set; }

    public double? F64 { get; set; }

    public decimal? Money { get; set; }

    public string? Text { get; set; }

    public byte[]? Bytes { get; set; }

    public ReadOnlyMemory<byte>? Memory { get; set; }

    public Guid? Id { get; set; }

    public DateTime? When { get; set; }

    public DateTimeOffset? At { get; set; }

    public DateOnly? Day { get; set; }

    public TimeOnly? Time { get; set; }

    public TimeSpan? Span { get; set; }

    public Color? Color { get; set; }
}

public sealed class Address
{
    public string Street { get; set; } = string.Empty;

    public string? City { get; set; }

    public int Zip { get; set; }
}

public sealed class Person
{
    public string Name { get; set; } = string.Empty;

    public Address? Home { get; set; }

    public Address Work { get; set; } = new();

    public List<string> Tags { get; set; } = [];

    public int[] Scores { get; set; } = [];

    public IReadOnlyList<Address> Previous { get; set; } = [];

    public IEnumerable<int?>? Maybe { get; set; }

    public Dictionary<string, int> Counts { get; set; } = [];

    public IReadOnlyDictionary<string, Address?> ByName { get; set; } = new Dictionary<string, Address?>();

    public List<List<decimal>> Matrix { get; set; } = [];

    public IList<Color> Colors { get; set; } = [];
}

public sealed record Point(int X, int Y, string? Label);

public readonly record struct Pair(long A, double B);

public sealed class WithStructs
{
    public Pair P { get; set; }

    public Pair? Q { get; set; }

    public List<Pair> Ps { get; set; } = [];

    public Point? Where { get; init; }
}

public sealed class Attributed
{
    [ArrowField("id")]
    public int Key { get; set; }

    [ArrowIgnore]
    public string Secret { get; set; } = "hidden";

    [ArrowDecimal(10, 2)]
    public decimal Price { get; set; }

    [ArrowDecimal(12, 3)]
    public List<decimal> Prices { get; set; } = [];

    public decimal Plain { get; set; }

    public int Computed => Key * 2;
}

public sealed class InitOnly
{
    public int A { get; init; }

    public string B { get; init; } = string.Empty;
}

public sealed class Node
{
    public string Name { get; set; } = string.Empty;

    public List<Node> Children { get; set; } = [];
}

public sealed class Outer
{
    public Inner? Inner { get; set; }
}

public sealed class Inner
{
    public Outer? Back { get; set; }
}

public sealed class HasChar
{
    public char Letter { get; set; }
}

public sealed class HasObject
{
    public object? Anything { get; set; }
}

public sealed class HasHashSet
{
    public HashSet<int> Set { get; set; } = [];
}

public sealed class NoUsableConstructor
{
    public NoUsableConstructor(string unrelated) => Value = unrelated.Length;

    public int Value { get; set; }
}

public sealed class OneInt
{
    public int Value { get; set; }
}

public sealed class OneLong
{
    public long Value { get; set; }
}

public sealed class Stamped
{
    public DateTime When { get; set; }

    public DateTimeOffset At { get; set; }
}

public sealed class Texts
{
    public string? Name { get; set; }

    public string? Other { get; set; }

    public DateTime When { get; set; }

    public Color Color { get; set; }
}

public readonly struct Measurement
{
    public Measurement(string unit, double value)
    {
        Unit = unit;
        Value = value;
    }

    public string Unit { get; }

    public double Value { get; }
}

public sealed class HasInts
{
    public int[]? Values { get; set; }
}

public sealed class Simple
{
    public int Id { get; set; }

    public long Value { get; set; }

    public double Score { get; set; }

    public string Name { get; set; } = string.Empty;

    public bool Active { get; set; }

    public DateTime At { get; set; }
}

/// <summary>Deep, reflection-based equality of test records (collections, dictionaries, byte buffers, nested objects).</summary>
internal static class RecordAssert
{
    public static void Equal(object? expected, object? actual, string path = "record")
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {expected ?? "null"}, got {actual ?? "null"}");
            return;
        }

        switch (expected)
        {
            case string or DateTime or DateTimeOffset or decimal or Guid or Enum or DateOnly or TimeOnly or TimeSpan or Half:
                Assert.True(Equals(expected, actual), $"{path}: expected {expected}, got {actual}");
                return;
            case ReadOnlyMemory<byte> memory:
                Assert.Equal(memory.ToArray(), ((ReadOnlyMemory<byte>)actual).ToArray());
                return;
            case IDictionary dictionary:
                {
                    var other = Assert.IsAssignableFrom<IDictionary>(actual);
                    Assert.Equal(dictionary.Count, other.Count);
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        Assert.True(other.Contains(entry.Key), $"{path}: missing key {entry.Key}");
                        Equal(entry.Value, other[entry.Key], $"{path}[{entry.Key}]");
                    }

                    return;
                }

            case IEnumerable items:
                {
                    var a = items.Cast<object?>().ToList();
                    var b = Assert.IsAssignableFrom<IEnumerable>(actual).Cast<object?>().ToList();
                    Assert.True(a.Count == b.Count, $"{path}: expected {a.Count} items, got {b.Count}");
                    for (int i = 0; i < a.Count; i++)
                    {
                        Equal(a[i], b[i], $"{path}[{i}]");
                    }

                    return;
                }
        }

        var type = expected.GetType();
        if (type.IsPrimitive)
        {
            Assert.True(Equals(expected, actual), $"{path}: expected {expected}, got {actual}");
            return;
        }

        Assert.IsType(type, actual);
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length == 0 && !p.IsDefined(typeof(ArrowIgnoreAttribute)) && p.Name != "EqualityContract")
            {
                Equal(p.GetValue(expected), p.GetValue(actual), $"{path}.{p.Name}");
            }
        }
    }
}
