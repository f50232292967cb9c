namespace Larder.Parquet.Metadata;

/// <summary>
/// <c>SchemaElement</c> of parquet.thrift: one node of the schema tree, which <see cref="FileMetaData.Schema"/> lists in
/// depth-first order. A group has <see cref="NumChildren"/> and no <see cref="Type"/>; a leaf has a <see cref="Type"/>.
/// Immutable; absent optional fields are null.
/// </summary>
public sealed record SchemaElement
{
    /// <summary>The physical type; null for a group.</summary>
    public PhysicalType? Type { get; init; }

    /// <summary>Byte length of FIXED_LEN_BYTE_ARRAY values (otherwise an optional bit-width hint).</summary>
    public int? TypeLength { get; init; }

    /// <summary>Null only for the root.</summary>
    public FieldRepetitionType? RepetitionType { get; init; }

    public required string Name { get; init; }

    /// <summary>Number of children of a group; null (or absent) for a leaf.</summary>
    public int? NumChildren { get; init; }

    public ConvertedType? ConvertedType { get; init; }

    public int? Scale { get; init; }

    public int? Precision { get; init; }

    public int? FieldId { get; init; }

    public LogicalType? LogicalType { get; init; }
}

/// <summary><c>KeyValue</c> of parquet.thrift: one key/value metadata entry (value may be absent).</summary>
public sealed record KeyValue(string Key, string? Value);

/// <summary><c>SortingColumn</c> of parquet.thrift: a sort key of a row group (<see cref="ColumnIndex"/> is a leaf ordinal).</summary>
public sealed record SortingColumn(int ColumnIndex, bool Descending, bool NullsFirst);

/// <summary><c>PageEncodingStats</c> of parquet.thrift: how many pages of a type use an encoding.</summary>
public sealed record PageEncodingStats(PageType PageType, Encoding Encoding, int Count);

/// <summary><c>ColumnOrder</c> of parquet.thrift: the order min/max statistics of one leaf column follow.</summary>
public sealed record ColumnOrder(ColumnOrderKind Kind)
{
    public static ColumnOrder TypeDefined { get; } = new(ColumnOrderKind.TypeDefinedOrder);
}

/// <summary>
/// <c>Statistics</c> of parquet.thrift, for a page or a column chunk. All fields are optional (null when absent). Values
/// are PLAIN encoded without a length prefix. <see cref="Max"/>/<see cref="Min"/> are the deprecated signed-order
/// bounds; <see cref="MaxValue"/>/<see cref="MinValue"/> follow the column order. Arrays are owned by this instance;
/// do not mutate them.
/// </summary>
public sealed record Statistics
{
    public byte[]? Max { get; init; }

    public byte[]? Min { get; init; }

    /// <summary>Null when the writer did not record it: that does not mean zero.</summary>
    public long? NullCount { get; init; }

    public long? DistinctCount { get; init; }

    public byte[]? MaxValue { get; init; }

    public byte[]? MinValue { get; init; }

    public bool? IsMaxValueExact { get; init; }

    public bool? IsMinValueExact { get; init; }

    /// <summary>NaN count of floating-point columns; null when absent (NaNs may then be present).</summary>
    public long? NanCount { get; init; }
}
