using Larder.Columnar;
using Larder.Parquet.Dremel;
using Larder.Parquet.Metadata;

namespace Larder.Parquet.SchemaMapping;

using Schema = Larder.Columnar.Schema;

/// <summary>
/// One Parquet leaf column (one column chunk per row group) as the schema mapping sees it: where it sits in the Arrow
/// schema (its Dremel <see cref="Path"/>), how it is stored (physical type, length, annotations) and which Arrow types
/// it has. Immutable.
/// </summary>
/// <remarks>
/// <see cref="StorageType"/> is the Arrow type derived from the Parquet column alone (what a decoder of this column
/// produces); <see cref="ArrowType"/> is the leaf's type in the mapped schema, which differs only when an
/// <c>ARROW:schema</c> restored (on read) or the Arrow schema asked for (on write) a type Parquet cannot express. The file
/// layer converts between the two; the pairs that occur are:
/// <list type="bullet">
/// <item>dictionary&lt;i, V&gt; ↔ V (dictionary-encode on read; write the values);</item>
/// <item>large_utf8 ↔ utf8, large_binary ↔ binary (offset width only);</item>
/// <item>timestamp[s] ↔ timestamp[ms] and time32[s] ↔ time32[ms] (values × 1000 on write, ÷ 1000 on read);</item>
/// <item>timestamp with any time zone ↔ timestamp "UTC" (same values; the zone is only a label);</item>
/// <item>date64 ↔ date32 (milliseconds ÷ 86 400 000 on write, days × 86 400 000 on read);</item>
/// <item>duration[u] ↔ int64 (same values);</item>
/// <item>decimal256(p ≤ 38) ↔ decimal128 and decimal128 ↔ decimal256 (width only); decimals stored as INT32 / INT64
/// (precision ≤ 9 / ≤ 18) are unscaled integers, in FIXED_LEN_BYTE_ARRAY / BYTE_ARRAY big-endian two's complement;</item>
/// <item>interval[year_month] / interval[day_time] ↔ fixed_size_binary[12] (Parquet INTERVAL: little-endian uint32 months,
/// days, milliseconds); interval[month_day_nano] ↔ fixed_size_binary[16] (the 16 Arrow bytes as they are).</item>
/// </list>
/// Lists, large lists and fixed-size lists share one Parquet shape; the list kind comes from <see cref="Path"/>'s nodes.
/// </remarks>
public sealed class ParquetColumnSchema
{
    internal ParquetColumnSchema(int columnIndex, int fieldIndex, LeafPath path, SchemaElement element, ArrowType storageType, LogicalType? logicalType)
    {
        ColumnIndex = columnIndex;
        FieldIndex = fieldIndex;
        Path = path;
        Element = element;
        StorageType = storageType;
        LogicalType = logicalType;
    }

    /// <summary>Position among the file's leaf columns (the column chunk index in every row group).</summary>
    public int ColumnIndex { get; }

    /// <summary>Index of the top-level Arrow field this column belongs to.</summary>
    public int FieldIndex { get; }

    /// <summary>The Dremel path: the Arrow nodes from the top-level field down to this leaf, and the maximum levels.</summary>
    internal LeafPath Path { get; }

    /// <summary>The Parquet leaf element (physical type, type length, annotations, field id) as stored or to be written.</summary>
    public SchemaElement Element { get; }

    /// <summary>The Parquet column path (<c>a</c>, <c>a.list.element</c>, <c>m.key_value.key</c>), as <c>path_in_schema</c> holds it.</summary>
    public IReadOnlyList<string> ColumnPath => Path.ColumnPath;

    public PhysicalType PhysicalType => Element.Type!.Value;

    /// <summary>Byte width of FIXED_LEN_BYTE_ARRAY values; 12 for INT96; 0 for every other physical type.</summary>
    public int TypeLength => PhysicalType switch
    {
        PhysicalType.FixedLenByteArray => Element.TypeLength ?? 0,
        PhysicalType.Int96 => 12,
        _ => 0,
    };

    /// <summary>
    /// The annotation that decides the decoding: the element's logical type when it is one this version knows, else the
    /// one its legacy converted type stands for; null when the column is un-annotated (or carries only the converted
    /// type INTERVAL, see <see cref="Element"/>).
    /// </summary>
    public LogicalType? LogicalType { get; }

    /// <summary>The Arrow type the Parquet column alone implies (what its decoder yields).</summary>
    public ArrowType StorageType { get; }

    /// <summary>The leaf's Arrow type in the mapped schema (equal to <see cref="StorageType"/> unless converted, see the remarks).</summary>
    public ArrowType ArrowType => Path.Leaf.Type;

    public int MaxDefinitionLevel => Path.MaxDefinitionLevel;

    public int MaxRepetitionLevel => Path.MaxRepetitionLevel;

    public override string ToString() => $"{Path.Name}: {PhysicalType} → {ArrowType} (def {MaxDefinitionLevel}, rep {MaxRepetitionLevel})";
}

/// <summary>The result of mapping a Parquet schema to Arrow (<see cref="ParquetSchemaMapper.ToArrow"/>). Immutable.</summary>
public sealed class ParquetReadSchema
{
    internal ParquetReadSchema(Schema schema, IReadOnlyList<ParquetColumnSchema> columns, bool arrowSchemaApplied)
    {
        Schema = schema;
        Columns = columns;
        ArrowSchemaApplied = arrowSchemaApplied;
    }

    /// <summary>The Arrow schema; its metadata holds the file's key/value metadata except <c>ARROW:schema</c>.</summary>
    public Schema Schema { get; }

    /// <summary>One entry per Parquet leaf column, in column chunk order.</summary>
    public IReadOnlyList<ParquetColumnSchema> Columns { get; }

    /// <summary>True when a valid <c>ARROW:schema</c> matching the Parquet schema's top-level fields was found and used.</summary>
    public bool ArrowSchemaApplied { get; }
}

/// <summary>The result of mapping an Arrow schema to Parquet (<see cref="ParquetSchemaMapper.ToParquet"/>). Immutable.</summary>
public sealed class ParquetWriteSchema
{
    internal ParquetWriteSchema(IReadOnlyList<SchemaElement> elements, IReadOnlyList<ParquetColumnSchema> columns, IReadOnlyList<KeyValue> keyValueMetadata)
    {
        Elements = elements;
        Columns = columns;
        KeyValueMetadata = keyValueMetadata;
    }

    /// <summary>The schema elements for <see cref="FileMetaData.Schema"/>: the root group <c>schema</c>, then depth-first.</summary>
    public IReadOnlyList<SchemaElement> Elements { get; }

    /// <summary>One entry per leaf column, in column chunk order.</summary>
    public IReadOnlyList<ParquetColumnSchema> Columns { get; }

    /// <summary>
    /// The key/value metadata to store: the Arrow schema's metadata entries, then <c>ARROW:schema</c> (base64 of
    /// <see cref="Larder.Ipc.ArrowSchemaSerializer.Serialize"/>).
    /// </summary>
    public IReadOnlyList<KeyValue> KeyValueMetadata { get; }
}
