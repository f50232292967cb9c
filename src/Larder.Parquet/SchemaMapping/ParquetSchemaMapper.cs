using Larder.Columnar;
using Larder.Ipc;
using Larder.Parquet.Dremel;
using Larder.Parquet.Metadata;

namespace Larder.Parquet.SchemaMapping;

using Schema = Larder.Columnar.Schema;

/// <summary>
/// Maps between Parquet schemas (the depth-first <see cref="SchemaElement"/> list of <see cref="FileMetaData.Schema"/>)
/// and Arrow <see cref="Schema"/>s, in both directions, including the <c>ARROW:schema</c> key/value entry Arrow C++
/// writes. Stateless and thread safe.
/// </summary>
/// <remarks>
/// <para><b>Leaves (read).</b> BOOLEAN → bool; INT32 → int32, INT(8|16|32, signed) → int8..uint32, DATE → date32,
/// TIME(MILLIS) → time32[ms], DECIMAL → decimal128; INT64 → int64, INT(64, signed) → int64/uint64, TIME(MICROS|NANOS)
/// → time64, TIMESTAMP(unit, adjusted) → timestamp[unit] with zone "UTC" when adjusted to UTC and none otherwise (the
/// legacy converted types TIMESTAMP_MILLIS/MICROS and TIME_MILLIS/MICROS mean adjusted to UTC), DECIMAL → decimal128;
/// INT96 → timestamp[us] without zone (as Spark means it); FLOAT → float32; DOUBLE → float64; BYTE_ARRAY → binary, STRING/UTF8, ENUM, JSON
/// → utf8, BSON → binary, DECIMAL → decimal128, or decimal256 when the precision exceeds 38; FIXED_LEN_BYTE_ARRAY(n) →
/// fixed_size_binary[n], DECIMAL → decimal128/256, UUID → fixed_size_binary[16], FLOAT16 → float16, and the converted
/// type INTERVAL → fixed_size_binary[12] (Arrow's month_day_nano cannot hold its milliseconds without conversion, and
/// the bytes are kept as stored); UNKNOWN (always null) → null. A logical type this version does not know falls back to
/// the converted type, then to the physical type. An annotation that cannot apply to its physical type, or invalid
/// decimal parameters, is a <see cref="LarderFormatException"/> (as in Arrow C++).</para>
/// <para><b>Groups (read).</b> REQUIRED → not null, OPTIONAL → nullable. A LIST group follows the backward-compatibility
/// rules of the Parquet LogicalTypes.md: the repeated child is itself the (required) element when it is primitive, a
/// group of several fields, a group whose one field is repeated, or named <c>array</c> / <c>&lt;list&gt;_tuple</c>;
/// otherwise its single child is the element (three-level list). The element field keeps its Parquet name. A MAP (or
/// MAP_KEY_VALUE not inside a MAP) group <c>{ repeated group kv { required key; value } }</c> → map (entries field
/// named as the repeated group); with a key only → a list of keys (as Arrow C++); with a nullable key or more than two
/// fields → a list of key/value structs. A MAP_KEY_VALUE group that is itself the repeated group is an ordinary group.
/// Other groups → struct. A repeated field outside these shapes → a required list of required elements (its element
/// field has the field's name). Field ids → field metadata <c>PARQUET:field_id</c>.</para>
/// <para><b>Invalid schemas.</b> No elements, a root that is not a group, <c>num_children</c> past the end (or elements
/// left over), a leaf with children, a non-root group without children, a primitive without a physical type, an unknown
/// physical type or repetition, a missing non-root repetition, a negative type length, a FIXED_LEN_BYTE_ARRAY without a
/// positive length, nesting deeper than <see cref="LeafPaths.MaxDepth"/>, a LIST group that is not one repeated child,
/// and a MAP group that is not one repeated group → <see cref="LarderFormatException"/> naming the element. A root with
/// no children is a valid empty schema.</para>
/// <para><b>ARROW:schema (read).</b> When the key/value metadata holds <c>ARROW:schema</c> (base64 of an IPC schema
/// message, see <see cref="ArrowSchemaSerializer"/>) whose top-level field count and names equal the Parquet schema's,
/// each field takes the stored type where it is compatible with the Parquet column (see <see cref="ArrowSchemaRestorer"/>),
/// the stored field metadata, and the stored schema metadata. Undecodable base64 or IPC bytes, or a stored schema that
/// does not match, are ignored (the read goes on with the Parquet-derived types): the entry is a hint, and a foreign
/// writer's mistake there must not make the data unreadable.</para>
/// </remarks>
public static class ParquetSchemaMapper
{
    /// <summary>The key/value metadata key under which Arrow writers store the serialized Arrow schema.</summary>
    public const string ArrowSchemaKey = "ARROW:schema";

    /// <summary>The Arrow field metadata key that carries a Parquet field id.</summary>
    public const string FieldIdKey = "PARQUET:field_id";

    /// <summary>Maps a Parquet schema to Arrow (see the class remarks for the rules).</summary>
    /// <param name="elements">The schema elements of the footer, root first, depth-first.</param>
    /// <param name="keyValueMetadata">The file's key/value metadata (may be null); <c>ARROW:schema</c> is used from it.</param>
    /// <param name="source">File name for error messages; may be null.</param>
    /// <exception cref="LarderFormatException">The schema is invalid (the message names the element).</exception>
    /// <exception cref="LarderNotSupportedException">A valid schema Larder refuses (decimal precision over 76).</exception>
    public static ParquetReadSchema ToArrow(IReadOnlyList<SchemaElement> elements, IReadOnlyList<KeyValue>? keyValueMetadata, string? source)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var nodes = ParquetSchemaReader.Read(elements, source);
        var fields = nodes.Select(ParquetSchemaReader.ToField).ToArray();

        var fileMetadata = new List<KeyValuePair<string, string>>();
        string? arrowSchemaText = null;
        foreach (var kv in keyValueMetadata ?? [])
        {
            if (kv is null)
            {
                continue;
            }

            if (kv.Key == ArrowSchemaKey)
            {
                arrowSchemaText = kv.Value;
            }
            else
            {
                fileMetadata.Add(new(kv.Key, kv.Value ?? string.Empty));
            }
        }

        var stored = TryDecodeArrowSchema(arrowSchemaText, source);
        bool applied = false;
        var schemaMetadata = new KeyValueMetadata(fileMetadata);
        if (stored is not null && stored.Count == fields.Length && stored.Fields.Select(f => f.Name).SequenceEqual(fields.Select(f => f.Name)))
        {
            applied = true;
            for (int i = 0; i < fields.Length; i++)
            {
                fields[i] = ArrowSchemaRestorer.Restore(fields[i], stored[i]);
            }

            var merged = stored.Metadata;
            foreach (var kv in fileMetadata)
            {
                if (!merged.ContainsKey(kv.Key))
                {
                    merged = merged.With(kv.Key, kv.Value);
                }
            }

            schemaMetadata = merged;
        }

        var columns = new List<ParquetColumnSchema>();
        var leaves = new List<(LeafPath Path, ParquetSchemaReader.MappedNode Leaf)>();
        for (int i = 0; i < fields.Length; i++)
        {
            leaves.Clear();
            ParquetSchemaReader.Paths(nodes[i], fields[i], leaves);
            foreach (var (path, leaf) in leaves)
            {
                columns.Add(new ParquetColumnSchema(columns.Count, i, path, leaf.Element, leaf.StorageType!, leaf.Logical));
            }
        }

        return new ParquetReadSchema(new Schema(fields, schemaMetadata), columns, applied);
    }

    /// <summary>
    /// Maps an Arrow schema to Parquet: the schema elements (root group <c>schema</c>, then depth-first), the leaf
    /// columns with their Dremel paths, and the key/value metadata with <c>ARROW:schema</c>. See
    /// <see cref="ParquetSchemaWriter"/> for the type rules and <see cref="ParquetColumnSchema"/> for the value
    /// conversions the writer must apply.
    /// </summary>
    /// <exception cref="LarderNotSupportedException">A field Parquet cannot store (a struct without fields, a decimal with a negative scale, nesting deeper than 64).</exception>
    public static ParquetWriteSchema ToParquet(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var (elements, columns) = ParquetSchemaWriter.Write(schema);
        var metadata = new List<KeyValue>();
        foreach (var kv in schema.Metadata)
        {
            if (kv.Key != ArrowSchemaKey)
            {
                metadata.Add(new KeyValue(kv.Key, kv.Value));
            }
        }

        metadata.Add(new KeyValue(ArrowSchemaKey, Convert.ToBase64String(ArrowSchemaSerializer.Serialize(schema))));
        return new ParquetWriteSchema(elements, columns, metadata);
    }

    private static Schema? TryDecodeArrowSchema(string? text, string? source)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var bytes = new byte[((text.Length * 3) / 4) + 3];
        if (!Convert.TryFromBase64String(text, bytes, out int written))
        {
            return null;
        }

        try
        {
            return ArrowSchemaSerializer.Deserialize(bytes.AsSpan(0, written), source is null ? ArrowSchemaKey : $"{source} ({ArrowSchemaKey})");
        }
        catch (LarderException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
