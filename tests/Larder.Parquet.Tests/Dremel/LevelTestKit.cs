using Larder.Columnar;
using Larder.Parquet.Dremel;

namespace Larder.Parquet.Tests.Dremel;

/// <summary>Helpers for the level tests: building arrays from boxed rows, shredding into owned copies, round trips.</summary>
internal static class LevelTestKit
{
    /// <summary>An array of <paramref name="type"/> from boxed rows (struct rows as dictionaries, lists as arrays, maps as pairs).</summary>
    public static ArrayData Rows(ArrowType type, params object?[] rows)
    {
        var builder = ArrayBuilderFactory.Create(type);
        foreach (var row in rows)
        {
            builder.AppendValue(row);
        }

        return builder.Build().Data;
    }

    public static Dictionary<string, object?> Row(params (string Name, object? Value)[] fields)
        => fields.ToDictionary(f => f.Name, f => f.Value);

    /// <summary>Shreds <paramref name="column"/> and copies every leaf's output (so it outlives the shredder's buffers).</summary>
    public static List<LeafLevels> Shred(Field field, ArrayData column)
    {
        var shredder = new LevelShredder(field);
        shredder.Shred(column);
        return [.. shredder.Results.Select(r => new LeafLevels(r.DefinitionLevels.ToArray(), r.RepetitionLevels.ToArray(), r.Values))];
    }

    public static ArrayData RoundTrip(Field field, ArrayData column)
    {
        var leaves = Shred(field, column);
        return new LevelAssembler(field).Assemble(leaves);
    }

    /// <summary>The same type with every field (at any depth) non-nullable.</summary>
    public static ArrowType Required(ArrowType type) => type switch
    {
        ListType l => new ListType(Required(l.ValueField), l.IsLarge),
        FixedSizeListType f => new FixedSizeListType(Required(f.ValueField), f.ListSize),
        StructType s => new StructType(s.Fields.Select(Required)),
        MapType m => new MapType(Required(m.EntriesField), m.KeysSorted),
        _ => type,
    };

    private static Field Required(Field f) => new(f.Name, Required(f.Type), nullable: false);
}
