using Larder.Columnar;

namespace Larder.TestKit;

/// <summary>
/// Deep, logical comparison of Arrow schemas, arrays, record batches and tables, in the style of xunit's <c>Assert</c>.
/// On the first difference it throws <see cref="ArrowAssertException"/> whose message names the place precisely, e.g.
/// <c>batch 2 / column "a" / row 17 / child "x": expected 5, got 6</c>.
/// </summary>
/// <remarks>
/// Arrays are equal when they have the same type, length and null positions and equal values at every valid row:
/// values under nulls, buffer padding, slice offsets and the physical form of offsets are ignored. Floating-point
/// values are equal when bitwise equal or both NaN (so <c>0.0</c> and <c>-0.0</c> differ). Lists compare by their
/// items, structs by their children, maps by their entries, fixed-size lists by their items, dictionary arrays by their
/// decoded values (the dictionary type must be the same; the dictionaries themselves may differ). Key/value metadata
/// compares as a set of pairs (order is ignored).
/// </remarks>
public static class ArrowAssert
{
    /// <summary>Same field names, types, nullability and (when <paramref name="checkMetadata"/>) field and schema metadata, nested fields included.</summary>
    public static void Equal(Schema expected, Schema actual, bool checkMetadata = true)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        CompareSchema(expected, actual, string.Empty, checkMetadata);
    }

    /// <summary>Same name, type, nullability and (when <paramref name="checkMetadata"/>) metadata, nested fields included.</summary>
    public static void Equal(Field expected, Field actual, bool checkMetadata = true)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        CompareField(expected, actual, $"field \"{expected.Name}\"", checkMetadata);
    }

    /// <summary>Same type; nested field names, nullability and (when <paramref name="checkMetadata"/>) metadata included.</summary>
    public static void Equal(ArrowType expected, ArrowType actual, bool checkMetadata = true)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        CompareType(expected, actual, string.Empty, checkMetadata);
    }

    /// <summary>Same type and length, same null positions, equal values at valid rows (see the class remarks).</summary>
    public static void Equal(IArrowArray expected, IArrowArray actual, bool checkMetadata = true)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        CompareArray(expected, actual, string.Empty, checkMetadata);
    }

    /// <summary>Equal schemas (see <see cref="Equal(Schema, Schema, bool)"/>), row counts and columns.</summary>
    public static void Equal(RecordBatch expected, RecordBatch actual, bool checkMetadata = true)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        CompareBatch(expected, actual, string.Empty, checkMetadata);
    }

    /// <summary>
    /// Equal table schemas and contents. With <paramref name="ignoreBatchBoundaries"/> the tables are compared as
    /// continuous row streams (batches may be split differently); otherwise batch by batch.
    /// </summary>
    public static void Equal(Table expected, Table actual, bool ignoreBatchBoundaries = false, bool checkMetadata = true)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        CompareSchema(expected.Schema, actual.Schema, "schema", checkMetadata);
        CompareBatches(expected.Batches, actual.Batches, ignoreBatchBoundaries, checkMetadata);
    }

    /// <summary>
    /// Equal sequences of record batches: batch by batch, or (with <paramref name="ignoreBatchBoundaries"/>) as
    /// continuous row streams whose schemas match.
    /// </summary>
    public static void Equal(IReadOnlyList<RecordBatch> expected, IReadOnlyList<RecordBatch> actual, bool ignoreBatchBoundaries = false, bool checkMetadata = true)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        CompareBatches(expected, actual, ignoreBatchBoundaries, checkMetadata);
    }

    internal static ArrowAssertException Fail(string path, string detail) => new(path, detail);

    private static void CompareBatches(IReadOnlyList<RecordBatch> expected, IReadOnlyList<RecordBatch> actual, bool ignoreBatchBoundaries, bool checkMetadata)
    {
        if (!ignoreBatchBoundaries)
        {
            if (expected.Count != actual.Count)
            {
                throw Fail(string.Empty, $"batch count expected {expected.Count}, got {actual.Count} (rows per batch expected [{RowCounts(expected)}], got [{RowCounts(actual)}])");
            }

            for (int i = 0; i < expected.Count; i++)
            {
                CompareBatch(expected[i], actual[i], $"batch {i}", checkMetadata);
            }

            return;
        }

        // One schema for the streams: every batch's schema must equal the first expected batch's.
        var reference = expected.Count > 0 ? expected[0].Schema : actual.Count > 0 ? actual[0].Schema : null;
        for (int i = 0; i < expected.Count; i++)
        {
            CompareSchema(reference!, expected[i].Schema, $"expected batch {i}", checkMetadata);
        }

        for (int i = 0; i < actual.Count; i++)
        {
            CompareSchema(reference!, actual[i].Schema, $"batch {i}", checkMetadata);
        }

        long expectedRows = expected.Sum(b => (long)b.Length);
        long actualRows = actual.Sum(b => (long)b.Length);
        if (expectedRows != actualRows)
        {
            throw Fail(string.Empty, $"row count expected {expectedRows}, got {actualRows}");
        }

        if (reference is null)
        {
            return;
        }

        for (int c = 0; c < reference.Count; c++)
        {
            string head = FieldLabel("column", reference.Fields, c);
            int ei = 0, eOff = 0, ai = 0, aOff = 0;
            int row = 0;
            while (true)
            {
                while (ei < expected.Count && eOff == expected[ei].Length)
                {
                    ei++;
                    eOff = 0;
                }

                while (ai < actual.Count && aOff == actual[ai].Length)
                {
                    ai++;
                    aOff = 0;
                }

                if (ei == expected.Count || ai == actual.Count)
                {
                    break;
                }

                int n = Math.Min(expected[ei].Length - eOff, actual[ai].Length - aOff);
                ArrayComparer.CompareRange(expected[ei].Column(c), eOff, actual[ai].Column(c), aOff, n, ComparePath.Rows(head).Shift(row));
                eOff += n;
                aOff += n;
                row = checked(row + n);
            }
        }
    }

    private static string RowCounts(IReadOnlyList<RecordBatch> batches)
        => string.Join(", ", batches.Take(20).Select(b => b.Length)) + (batches.Count > 20 ? ", …" : string.Empty);

    private static void CompareBatch(RecordBatch expected, RecordBatch actual, string prefix, bool checkMetadata)
    {
        CompareSchema(expected.Schema, actual.Schema, prefix, checkMetadata);
        if (expected.Length != actual.Length)
        {
            throw Fail(prefix, $"row count expected {expected.Length}, got {actual.Length}");
        }

        for (int c = 0; c < expected.ColumnCount; c++)
        {
            string head = ComparePath.Join(prefix, FieldLabel("column", expected.Schema.Fields, c));
            var e = expected.Column(c);
            var a = actual.Column(c);
            CompareType(e.Type, a.Type, head, checkMetadata);
            if (e.Length != a.Length)
            {
                throw Fail(head, $"length expected {e.Length}, got {a.Length}");
            }

            ArrayComparer.CompareRange(e, 0, a, 0, e.Length, ComparePath.Rows(head));
        }
    }

    private static void CompareArray(IArrowArray expected, IArrowArray actual, string head, bool checkMetadata)
    {
        CompareType(expected.Type, actual.Type, head, checkMetadata);
        if (expected.Length != actual.Length)
        {
            throw Fail(head, $"length expected {expected.Length}, got {actual.Length}");
        }

        ArrayComparer.CompareRange(expected, 0, actual, 0, expected.Length, ComparePath.Rows(head));
    }

    private static void CompareSchema(Schema expected, Schema actual, string prefix, bool checkMetadata)
    {
        if (expected.Count != actual.Count)
        {
            throw Fail(prefix, $"field count expected {expected.Count}, got {actual.Count} (expected fields: {Names(expected.Fields)}; got: {Names(actual.Fields)})");
        }

        for (int i = 0; i < expected.Count; i++)
        {
            CompareField(expected[i], actual[i], ComparePath.Join(prefix, FieldLabel("field", expected.Fields, i)), checkMetadata);
        }

        if (checkMetadata)
        {
            CompareMetadata(expected.Metadata, actual.Metadata, ComparePath.Join(prefix, "schema metadata"));
        }
    }

    private static string Names(IReadOnlyList<Field> fields) => string.Join(", ", fields.Select(f => ValueText.Quote(f.Name)));

    private static void CompareField(Field expected, Field actual, string path, bool checkMetadata)
    {
        if (expected.Name != actual.Name)
        {
            throw Fail(path, $"name expected {ValueText.Quote(expected.Name)}, got {ValueText.Quote(actual.Name)}");
        }

        if (expected.Nullable != actual.Nullable)
        {
            throw Fail(path, $"nullable expected {Bool(expected.Nullable)}, got {Bool(actual.Nullable)}");
        }

        CompareType(expected.Type, actual.Type, path, checkMetadata);
        if (checkMetadata)
        {
            CompareMetadata(expected.Metadata, actual.Metadata, ComparePath.Join(path, "metadata"));
        }
    }

    private static string Bool(bool b) => b ? "true" : "false";

    private static void CompareType(ArrowType expected, ArrowType actual, string path, bool checkMetadata)
    {
        if (expected.Id != actual.Id)
        {
            throw Fail(path, $"type expected {expected}, got {actual}");
        }

        switch (expected)
        {
            case ListType e:
                CompareField(e.ValueField, ((ListType)actual).ValueField, ComparePath.Join(path, $"child \"{e.ValueField.Name}\""), checkMetadata);
                break;

            case FixedSizeListType e:
                {
                    var a = (FixedSizeListType)actual;
                    if (e.ListSize != a.ListSize)
                    {
                        throw Fail(path, $"type expected {expected}, got {actual} (list size {e.ListSize} vs {a.ListSize})");
                    }

                    CompareField(e.ValueField, a.ValueField, ComparePath.Join(path, $"child \"{e.ValueField.Name}\""), checkMetadata);
                    break;
                }

            case StructType e:
                {
                    var a = (StructType)actual;
                    if (e.Fields.Count != a.Fields.Count)
                    {
                        throw Fail(path, $"type expected {expected}, got {actual} ({e.Fields.Count} vs {a.Fields.Count} children)");
                    }

                    for (int i = 0; i < e.Fields.Count; i++)
                    {
                        CompareField(e.Fields[i], a.Fields[i], ComparePath.Join(path, FieldLabel("child", e.Fields, i)), checkMetadata);
                    }

                    break;
                }

            case MapType e:
                {
                    var a = (MapType)actual;
                    if (e.KeysSorted != a.KeysSorted)
                    {
                        throw Fail(path, $"type expected {expected}, got {actual} (keys_sorted {Bool(e.KeysSorted)} vs {Bool(a.KeysSorted)})");
                    }

                    CompareField(e.EntriesField, a.EntriesField, ComparePath.Join(path, $"child \"{e.EntriesField.Name}\""), checkMetadata);
                    break;
                }

            case DictionaryType e:
                {
                    var a = (DictionaryType)actual;
                    if (!e.IndexType.Equals(a.IndexType))
                    {
                        throw Fail(path, $"dictionary index type expected {e.IndexType}, got {a.IndexType}");
                    }

                    if (e.Ordered != a.Ordered)
                    {
                        throw Fail(path, $"dictionary ordered expected {Bool(e.Ordered)}, got {Bool(a.Ordered)}");
                    }

                    CompareType(e.ValueType, a.ValueType, ComparePath.Join(path, "dictionary values"), checkMetadata);
                    break;
                }

            default:
                if (!expected.Equals(actual))
                {
                    throw Fail(path, $"type expected {expected}, got {actual}");
                }

                break;
        }
    }

    private static void CompareMetadata(KeyValueMetadata expected, KeyValueMetadata actual, string path)
    {
        foreach (var (key, value) in expected)
        {
            if (!actual.TryGetValue(key, out var got))
            {
                throw Fail(path, $"key {ValueText.Quote(key)} expected {ValueText.Quote(value)}, got no such key");
            }

            if (got != value)
            {
                throw Fail(path, $"key {ValueText.Quote(key)} expected {ValueText.Quote(value)}, got {ValueText.Quote(got)}");
            }
        }

        foreach (var (key, value) in actual)
        {
            if (!expected.ContainsKey(key))
            {
                throw Fail(path, $"key {ValueText.Quote(key)} not expected, got {ValueText.Quote(value)}");
            }
        }
    }

    /// <summary><c>column "a"</c>, or <c>column 3 "a"</c> when the name is empty or not unique among <paramref name="fields"/>.</summary>
    internal static string FieldLabel(string kind, IReadOnlyList<Field> fields, int index)
    {
        string name = fields[index].Name;
        int same = 0;
        foreach (var f in fields)
        {
            if (f.Name == name)
            {
                same++;
            }
        }

        return same == 1 && name.Length > 0 ? $"{kind} {ValueText.Quote(name)}" : $"{kind} {index} {ValueText.Quote(name)}";
    }
}
