using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Larder.Columnar;
using Larder.Memory;

namespace Larder.TestKit;

/// <summary>
/// Reads the Apache Arrow integration-testing JSON format (the "gold" files next to the IPC files in
/// <c>testdata/arrow-ipc/integration</c>) into Larder's model: <c>schema</c> (fields with <c>name</c>, <c>nullable</c>,
/// <c>type</c>, <c>children</c>, <c>dictionary</c>, <c>metadata</c>), <c>dictionaries</c> and <c>batches</c>.
/// </summary>
/// <remarks>
/// Every value form the Arrow generators write is accepted: 64-bit integers and offsets as strings or numbers, decimals
/// as unscaled integer strings (or scaled decimal text), binary as hex, floats as numbers or strings (<c>NaN</c>,
/// <c>Infinity</c>), day-time and month-day-nano intervals as objects, arrays or flat pairs, dates, times and timestamps
/// as integers, integer strings or ISO-8601 text. Types the model lacks (union, the view types, run-end encoding,
/// decimal32/64) are refused with <see cref="NotSupportedException"/> whose message starts with the JSON type name
/// (e.g. <c>union</c>). Malformed input throws <see cref="InvalidDataException"/> naming the place.
/// </remarks>
public static class IntegrationJson
{
    /// <summary>Reads a <c>.json</c> or gzip-compressed <c>.json.gz</c> file (recognised by its content).</summary>
    public static (Schema Schema, IReadOnlyList<RecordBatch> Batches) Read(string pathOrGz)
    {
        ArgumentNullException.ThrowIfNull(pathOrGz);
        byte[] bytes = File.ReadAllBytes(pathOrGz);
        if (bytes.Length >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B)
        {
            using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gz.CopyTo(plain);
            bytes = plain.ToArray();
        }

        return Parse(bytes, System.IO.Path.GetFileName(pathOrGz));
    }

    /// <summary>Reads integration JSON text.</summary>
    public static (Schema Schema, IReadOnlyList<RecordBatch> Batches) Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json), "json");
    }

    private static (Schema Schema, IReadOnlyList<RecordBatch> Batches) Parse(byte[] utf8, string source)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 1024 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON: {e.Message}", e);
        }

        using (doc)
        {
            return new Decoder(source).Decode(doc.RootElement);
        }
    }

    /// <summary>A schema field as read from JSON, with what is needed to decode its columns.</summary>
    private sealed class JField
    {
        public required Field Field { get; init; }

        /// <summary>The type of the values: the field's type, or for a dictionary-encoded field its dictionary's value type.</summary>
        public required ArrowType ValueType { get; init; }

        public required JField[] Children { get; init; }

        public long? DictionaryId { get; init; }

        public ArrowType? IndexType { get; init; }

        public required string Path { get; init; }
    }

    private sealed class Decoder(string source)
    {
        private readonly Dictionary<long, JField> _dictionaryFields = [];
        private readonly Dictionary<long, JsonElement> _dictionaryData = [];
        private readonly Dictionary<long, ArrayData> _dictionaries = [];
        private readonly HashSet<long> _decoding = [];

        public (Schema Schema, IReadOnlyList<RecordBatch> Batches) Decode(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Bad("the document", "is not a JSON object");
            }

            var schemaJson = Required(root, "schema", "the document");
            var fieldsJson = schemaJson.TryGetProperty("fields", out var fj) ? fj : default;
            var fields = new List<JField>();
            if (fieldsJson.ValueKind == JsonValueKind.Array)
            {
                foreach (var f in fieldsJson.EnumerateArray())
                {
                    fields.Add(ParseField(f, $"field \"{NameOf(f)}\""));
                }
            }

            var schema = new Schema(fields.Select(f => f.Field), ParseMetadata(schemaJson, "schema"));

            if (root.TryGetProperty("dictionaries", out var dictionaries) && dictionaries.ValueKind == JsonValueKind.Array)
            {
                foreach (var d in dictionaries.EnumerateArray())
                {
                    long id = Int64(Required(d, "id", "dictionaries[]"), "dictionary id");
                    _dictionaryData[id] = Required(d, "data", $"dictionary {id}");
                }
            }

            var batches = new List<RecordBatch>();
            if (root.TryGetProperty("batches", out var batchesJson) && batchesJson.ValueKind == JsonValueKind.Array)
            {
                int b = 0;
                foreach (var batch in batchesJson.EnumerateArray())
                {
                    string where = $"batch {b}";
                    int count = Int32(Required(batch, "count", where), $"{where} count");
                    var columns = Array(batch, "columns", where);
                    if (columns.Count != fields.Count)
                    {
                        throw Bad(where, $"has {columns.Count} columns for a schema of {fields.Count} fields");
                    }

                    var arrays = new IArrowArray[fields.Count];
                    for (int c = 0; c < fields.Count; c++)
                    {
                        string cw = $"{where} / column \"{fields[c].Field.Name}\"";
                        var data = ReadColumn(fields[c], columns[c], cw);
                        if (data.Length != count)
                        {
                            throw Bad(cw, $"has {data.Length} rows but the batch count is {count}");
                        }

                        arrays[c] = ArrowArrayFactory.Create(data);
                    }

                    batches.Add(new RecordBatch(schema, arrays, count));
                    b++;
                }
            }

            return (schema, batches);
        }

        private JField ParseField(JsonElement f, string path)
        {
            string name = NameOf(f);
            bool nullable = !f.TryGetProperty("nullable", out var n) || n.ValueKind != JsonValueKind.False;
            var children = new List<JField>();
            if (f.TryGetProperty("children", out var cj) && cj.ValueKind == JsonValueKind.Array)
            {
                foreach (var c in cj.EnumerateArray())
                {
                    children.Add(ParseField(c, $"{path} / child \"{NameOf(c)}\""));
                }
            }

            var valueType = ParseType(Required(f, "type", path), children, path);
            var metadata = ParseMetadata(f, path);
            if (f.TryGetProperty("dictionary", out var dj) && dj.ValueKind == JsonValueKind.Object)
            {
                long id = Int64(Required(dj, "id", path + " dictionary"), path + " dictionary id");
                var indexType = dj.TryGetProperty("indexType", out var it) ? ParseType(it, [], path + " dictionary indexType") : ArrowType.Int32;
                if (!indexType.IsInteger)
                {
                    throw Bad(path, $"dictionary index type {indexType} is not an integer type");
                }

                bool ordered = dj.TryGetProperty("isOrdered", out var o) && o.ValueKind == JsonValueKind.True;
                var field = new JField
                {
                    Field = new Field(name, new DictionaryType(indexType, valueType, ordered), nullable, metadata),
                    ValueType = valueType,
                    Children = [.. children],
                    DictionaryId = id,
                    IndexType = indexType,
                    Path = path,
                };
                if (_dictionaryFields.TryGetValue(id, out var other) && !other.ValueType.Equals(valueType))
                {
                    throw Bad(path, $"dictionary {id} holds {valueType} here but {other.ValueType} at {other.Path}");
                }

                _dictionaryFields.TryAdd(id, field);
                return field;
            }

            return new JField
            {
                Field = new Field(name, valueType, nullable, metadata),
                ValueType = valueType,
                Children = [.. children],
                Path = path,
            };
        }

        private ArrowType ParseType(JsonElement t, List<JField> children, string path)
        {
            string name = String(Required(t, "name", path + " type"), path + " type name");
            switch (name)
            {
                case "null":
                    return ArrowType.Null;
                case "bool":
                    return ArrowType.Boolean;
                case "int":
                    {
                        int bits = Int32(Required(t, "bitWidth", path + " type"), path + " int bitWidth");
                        bool signed = !t.TryGetProperty("isSigned", out var s) || s.ValueKind != JsonValueKind.False;
                        return bits is 8 or 16 or 32 or 64 ? ArrowType.Integer(bits, signed) : throw Bad(path, $"int bitWidth {bits} is not 8, 16, 32 or 64");
                    }

                case "floatingpoint":
                    return String(Required(t, "precision", path + " type"), path + " precision") switch
                    {
                        "HALF" => ArrowType.HalfFloat,
                        "SINGLE" => ArrowType.Float,
                        "DOUBLE" => ArrowType.Double,
                        var p => throw Bad(path, $"unknown floating point precision \"{p}\""),
                    };
                case "utf8":
                    return ArrowType.String;
                case "largeutf8":
                    return ArrowType.LargeString;
                case "binary":
                    return ArrowType.Binary;
                case "largebinary":
                    return ArrowType.LargeBinary;
                case "fixedsizebinary":
                    return new FixedSizeBinaryType(Int32(Required(t, "byteWidth", path + " type"), path + " byteWidth"));
                case "decimal":
                    {
                        int precision = Int32(Required(t, "precision", path + " type"), path + " precision");
                        int scale = t.TryGetProperty("scale", out var sc) ? Int32(sc, path + " scale") : 0;
                        int bits = t.TryGetProperty("bitWidth", out var bw) ? Int32(bw, path + " bitWidth") : 128;
                        if (bits is 32 or 64)
                        {
                            throw Unsupported($"decimal{bits}", path);
                        }

                        return bits is 128 or 256 ? new DecimalType(precision, scale, bits) : throw Bad(path, $"decimal bitWidth {bits} is not 128 or 256");
                    }

                case "date":
                    return String(Required(t, "unit", path + " type"), path + " unit") switch
                    {
                        "DAY" => ArrowType.Date32,
                        "MILLISECOND" => ArrowType.Date64,
                        var u => throw Bad(path, $"unknown date unit \"{u}\""),
                    };
                case "time":
                    {
                        var unit = Unit(t, path);
                        var type = new TimeType(unit);
                        if (t.TryGetProperty("bitWidth", out var bw) && Int32(bw, path + " bitWidth") != type.BitWidth)
                        {
                            throw Bad(path, $"time bitWidth {bw} does not match unit {unit}");
                        }

                        return type;
                    }

                case "timestamp":
                    {
                        string? tz = t.TryGetProperty("timezone", out var z) && z.ValueKind == JsonValueKind.String ? z.GetString() : null;
                        return new TimestampType(Unit(t, path), tz);
                    }

                case "duration":
                    return new DurationType(Unit(t, path));
                case "interval":
                    return String(Required(t, "unit", path + " type"), path + " unit") switch
                    {
                        "YEAR_MONTH" => new IntervalType(IntervalUnit.YearMonth),
                        "DAY_TIME" => new IntervalType(IntervalUnit.DayTime),
                        "MONTH_DAY_NANO" => new IntervalType(IntervalUnit.MonthDayNano),
                        var u => throw Bad(path, $"unknown interval unit \"{u}\""),
                    };
                case "list":
                case "largelist":
                    return new ListType(OneChild(children, name, path).Field, large: name == "largelist");
                case "fixedsizelist":
                    return new FixedSizeListType(OneChild(children, name, path).Field, Int32(Required(t, "listSize", path + " type"), path + " listSize"));
                case "struct":
                    return new StructType(children.Select(c => c.Field));
                case "map":
                    {
                        var entries = OneChild(children, name, path);
                        if (entries.Field.Type is not StructType { Fields.Count: 2 })
                        {
                            throw Bad(path, $"map entries must be a struct of two fields, not {entries.Field.Type}");
                        }

                        bool sorted = t.TryGetProperty("keysSorted", out var ks) && ks.ValueKind == JsonValueKind.True;
                        return new MapType(entries.Field, sorted);
                    }

                case "union" or "utf8view" or "binaryview" or "listview" or "largelistview" or "runendencoded" or "decimal32" or "decimal64":
                    throw Unsupported(name, path);
                default:
                    throw Bad(path, $"unknown type name \"{name}\"");
            }
        }

        private TimeUnit Unit(JsonElement t, string path) => String(Required(t, "unit", path + " type"), path + " unit") switch
        {
            "SECOND" => TimeUnit.Second,
            "MILLISECOND" => TimeUnit.Millisecond,
            "MICROSECOND" => TimeUnit.Microsecond,
            "NANOSECOND" => TimeUnit.Nanosecond,
            var u => throw Bad(path, $"unknown time unit \"{u}\""),
        };

        private JField OneChild(List<JField> children, string type, string path)
            => children.Count == 1 ? children[0] : throw Bad(path, $"a {type} field needs exactly one child, not {children.Count}");

        private KeyValueMetadata ParseMetadata(JsonElement owner, string path)
        {
            if (!owner.TryGetProperty("metadata", out var m))
            {
                return KeyValueMetadata.Empty;
            }

            var pairs = new List<KeyValuePair<string, string>>();
            switch (m.ValueKind)
            {
                case JsonValueKind.Array:
                    foreach (var kv in m.EnumerateArray())
                    {
                        pairs.Add(new(String(Required(kv, "key", path + " metadata"), path + " metadata key"), String(Required(kv, "value", path + " metadata"), path + " metadata value")));
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var p in m.EnumerateObject())
                    {
                        pairs.Add(new(p.Name, String(p.Value, path + " metadata value")));
                    }

                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    throw Bad(path, "metadata is neither a list of {key, value} nor an object");
            }

            return pairs.Count == 0 ? KeyValueMetadata.Empty : new KeyValueMetadata(pairs);
        }

        private ArrayData ReadColumn(JField field, JsonElement column, string path)
        {
            if (field.DictionaryId is not long id)
            {
                return ReadValues(field.ValueType, field.Children, column, path);
            }

            var indices = ReadValues(field.IndexType!, [], column, path);
            var dictionary = Dictionary(id, path);
            return new ArrayData(field.Field.Type, indices.Length, indices.NullCount, 0, [indices.Buffers[0], indices.Buffers[1]], null, dictionary);
        }

        private ArrayData Dictionary(long id, string usedAt)
        {
            if (_dictionaries.TryGetValue(id, out var done))
            {
                return done;
            }

            if (!_decoding.Add(id))
            {
                throw Bad(usedAt, $"dictionary {id} refers to itself");
            }

            if (!_dictionaryFields.TryGetValue(id, out var field))
            {
                throw Bad(usedAt, $"dictionary {id} is used by no schema field");
            }

            if (!_dictionaryData.TryGetValue(id, out var data))
            {
                throw Bad(usedAt, $"dictionary {id} is not among the document's dictionaries");
            }

            string path = $"dictionary {id}";
            var columns = Array(data, "columns", path);
            if (columns.Count != 1)
            {
                throw Bad(path, $"has {columns.Count} columns, not 1");
            }

            var values = ReadValues(field.ValueType, field.Children, columns[0], path);
            if (data.TryGetProperty("count", out var c) && Int32(c, path + " count") != values.Length)
            {
                throw Bad(path, $"count is {Int32(c, path)} but its column has {values.Length} values");
            }

            _dictionaries[id] = values;
            _decoding.Remove(id);
            return values;
        }

        private ArrayData ReadValues(ArrowType type, JField[] children, JsonElement column, string path)
        {
            int count = Int32(Required(column, "count", path), path + " count");
            if (count < 0)
            {
                throw Bad(path, $"count {count} is negative");
            }

            if (type.Id == ArrowTypeId.Null)
            {
                return new ArrayData(type, count, count, 0, []);
            }

            var validity = Validity(column, count, path, out int nulls);
            switch (type.Id)
            {
                case ArrowTypeId.Boolean:
                    {
                        var data = DataValues(column, count, path);
                        var bits = new byte[BitUtil.BytesForBits(count)];
                        for (int i = 0; i < count; i++)
                        {
                            if (Bool(data[i], path))
                            {
                                BitUtil.SetBit(bits, i);
                            }
                        }

                        return new ArrayData(type, count, nulls, 0, [validity, ArrowBuffer.CopyOf<byte>(bits)]);
                    }

                case ArrowTypeId.Int8:
                    return Fixed(type, count, nulls, validity, column, path, e => checked((sbyte)Int64(e, path)));
                case ArrowTypeId.Int16:
                    return Fixed(type, count, nulls, validity, column, path, e => checked((short)Int64(e, path)));
                case ArrowTypeId.Int32:
                    return Fixed(type, count, nulls, validity, column, path, e => checked((int)Int64(e, path)));
                case ArrowTypeId.Int64:
                    return Fixed(type, count, nulls, validity, column, path, e => Int64(e, path));
                case ArrowTypeId.UInt8:
                    return Fixed(type, count, nulls, validity, column, path, e => checked((byte)UInt64(e, path)));
                case ArrowTypeId.UInt16:
                    return Fixed(type, count, nulls, validity, column, path, e => checked((ushort)UInt64(e, path)));
                case ArrowTypeId.UInt32:
                    return Fixed(type, count, nulls, validity, column, path, e => checked((uint)UInt64(e, path)));
                case ArrowTypeId.UInt64:
                    return Fixed(type, count, nulls, validity, column, path, e => UInt64(e, path));
                case ArrowTypeId.HalfFloat:
                    return Fixed(type, count, nulls, validity, column, path, e => (Half)Double(e, path));
                case ArrowTypeId.Float:
                    return Fixed(type, count, nulls, validity, column, path, e => (float)Double(e, path));
                case ArrowTypeId.Double:
                    return Fixed(type, count, nulls, validity, column, path, e => Double(e, path));
                case ArrowTypeId.Date32 or ArrowTypeId.Time32:
                    return Fixed(type, count, nulls, validity, column, path, e => checked((int)Temporal(e, type, path)));
                case ArrowTypeId.Date64 or ArrowTypeId.Time64 or ArrowTypeId.Timestamp or ArrowTypeId.Duration:
                    return Fixed(type, count, nulls, validity, column, path, e => Temporal(e, type, path));
                case ArrowTypeId.Decimal128:
                    return Fixed(type, count, nulls, validity, column, path, e => (Int128)Decimal(e, (DecimalType)type, path));
                case ArrowTypeId.Interval:
                    return ReadInterval((IntervalType)type, count, nulls, validity, column, path);
                case ArrowTypeId.Decimal256:
                    {
                        var data = DataValues(column, count, path);
                        var values = new byte[checked(count * 32)];
                        for (int i = 0; i < count; i++)
                        {
                            var v = Decimal(data[i], (DecimalType)type, path);
                            var slot = values.AsSpan(i * 32, 32);
                            slot.Fill(v.Sign < 0 ? (byte)0xFF : (byte)0);
                            if (!v.TryWriteBytes(slot, out _, isUnsigned: false, isBigEndian: false))
                            {
                                throw Bad(path, $"decimal value {v} does not fit 256 bits");
                            }
                        }

                        return new ArrayData(type, count, nulls, 0, [validity, ArrowBuffer.CopyOf<byte>(values)]);
                    }

                case ArrowTypeId.FixedSizeBinary:
                    {
                        int width = ((FixedSizeBinaryType)type).ByteWidth;
                        var data = DataValues(column, count, path);
                        var values = new byte[checked(count * width)];
                        for (int i = 0; i < count; i++)
                        {
                            byte[] v = data[i].ValueKind == JsonValueKind.Null ? [] : Hex(data[i], path);
                            if (v.Length == width)
                            {
                                v.CopyTo(values, i * width);
                            }
                            else if (IsValid(validity, i))
                            {
                                throw Bad(path, $"row {i} has {v.Length} bytes, not {width}");
                            }
                        }

                        return new ArrayData(type, count, nulls, 0, [validity, ArrowBuffer.CopyOf<byte>(values)]);
                    }

                case ArrowTypeId.String or ArrowTypeId.LargeString or ArrowTypeId.Binary or ArrowTypeId.LargeBinary:
                    return ReadBinary(type, count, nulls, validity, column, path);
                case ArrowTypeId.List or ArrowTypeId.LargeList or ArrowTypeId.Map:
                    {
                        bool large = type.Id == ArrowTypeId.LargeList;
                        var offsets = Offsets(column, count, large, path);
                        var child = ReadColumn(children[0], Child(column, 0, 1, path), ChildPath(path, children[0]));
                        long last = large ? offsets.As<long>()[count] : offsets.As<int>()[count];
                        if (last > child.Length)
                        {
                            throw Bad(path, $"the last offset {last} is past the {child.Length} child values");
                        }

                        return new ArrayData(type, count, nulls, 0, [validity, offsets], [child]);
                    }

                case ArrowTypeId.FixedSizeList:
                    {
                        int size = ((FixedSizeListType)type).ListSize;
                        var child = ReadColumn(children[0], Child(column, 0, 1, path), ChildPath(path, children[0]));
                        if (child.Length != (long)count * size)
                        {
                            throw Bad(path, $"has {child.Length} child values for {count} lists of {size}");
                        }

                        return new ArrayData(type, count, nulls, 0, [validity], [child]);
                    }

                case ArrowTypeId.Struct:
                    {
                        var kids = new ArrayData[children.Length];
                        for (int c = 0; c < kids.Length; c++)
                        {
                            kids[c] = ReadColumn(children[c], Child(column, c, children.Length, path), ChildPath(path, children[c]));
                            if (kids[c].Length != count)
                            {
                                throw Bad(ChildPath(path, children[c]), $"has {kids[c].Length} values for a struct of {count}");
                            }
                        }

                        return new ArrayData(type, count, nulls, 0, [validity], kids);
                    }

                default:
                    throw Unsupported(type.ToString(), path);
            }
        }

        private static string ChildPath(string path, JField child) => $"{path} / child \"{child.Field.Name}\"";

        private JsonElement Child(JsonElement column, int index, int expected, string path)
        {
            var children = Array(column, "children", path);
            if (children.Count != expected)
            {
                throw Bad(path, $"has {children.Count} child columns, not {expected}");
            }

            return children[index];
        }

        private ArrayData Fixed<T>(ArrowType type, int count, int nulls, ArrowBuffer validity, JsonElement column, string path, Func<JsonElement, T> convert)
            where T : unmanaged
        {
            var data = DataValues(column, count, path);
            var values = new T[count];
            for (int i = 0; i < count; i++)
            {
                if (data[i].ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                try
                {
                    values[i] = convert(data[i]);
                }
                catch (OverflowException e)
                {
                    throw new InvalidDataException($"{source}: {path} / row {i}: {data[i]} does not fit {type}", e);
                }
            }

            return new ArrayData(type, count, nulls, 0, [validity, ArrowBuffer.CopyOf<T>(values)]);
        }

        private ArrayData ReadInterval(IntervalType type, int count, int nulls, ArrowBuffer validity, JsonElement column, string path)
        {
            if (type.Unit == IntervalUnit.YearMonth)
            {
                return Fixed(type, count, nulls, validity, column, path, e => checked((int)Int64(e, path)));
            }

            var data = Array(column, "DATA", path, count == 0);
            bool flat = data.Count == count * (type.Unit == IntervalUnit.DayTime ? 2 : 3) && count > 0
                && data[0].ValueKind is JsonValueKind.Number or JsonValueKind.String;
            if (!flat && data.Count != count)
            {
                throw Bad(path, $"DATA has {data.Count} values for a count of {count}");
            }

            if (type.Unit == IntervalUnit.DayTime)
            {
                var values = new IntervalDayTime[count];
                for (int i = 0; i < count; i++)
                {
                    values[i] = flat
                        ? new(checked((int)Int64(data[2 * i], path)), checked((int)Int64(data[(2 * i) + 1], path)))
                        : DayTime(data[i], path);
                }

                return new ArrayData(type, count, nulls, 0, [validity, ArrowBuffer.CopyOf<IntervalDayTime>(values)]);
            }
            else
            {
                var values = new IntervalMonthDayNano[count];
                for (int i = 0; i < count; i++)
                {
                    values[i] = flat
                        ? new(checked((int)Int64(data[3 * i], path)), checked((int)Int64(data[(3 * i) + 1], path)), Int64(data[(3 * i) + 2], path))
                        : MonthDayNano(data[i], path);
                }

                return new ArrayData(type, count, nulls, 0, [validity, ArrowBuffer.CopyOf<IntervalMonthDayNano>(values)]);
            }
        }

        private IntervalDayTime DayTime(JsonElement e, string path) => e.ValueKind switch
        {
            JsonValueKind.Object => new(checked((int)Int64(Required(e, "days", path), path)), checked((int)Int64(Required(e, "milliseconds", path), path))),
            JsonValueKind.Array when e.GetArrayLength() == 2 => new(checked((int)Int64(e[0], path)), checked((int)Int64(e[1], path))),
            JsonValueKind.Null => default,
            _ => throw Bad(path, $"day-time interval {e} is not {{\"days\", \"milliseconds\"}}"),
        };

        private IntervalMonthDayNano MonthDayNano(JsonElement e, string path) => e.ValueKind switch
        {
            JsonValueKind.Object => new(
                checked((int)Int64(Required(e, "months", path), path)),
                checked((int)Int64(Required(e, "days", path), path)),
                Int64(Required(e, "nanoseconds", path), path)),
            JsonValueKind.Array when e.GetArrayLength() == 3 => new(checked((int)Int64(e[0], path)), checked((int)Int64(e[1], path)), Int64(e[2], path)),
            JsonValueKind.Null => default,
            _ => throw Bad(path, $"month-day-nano interval {e} is not {{\"months\", \"days\", \"nanoseconds\"}}"),
        };

        private ArrayData ReadBinary(ArrowType type, int count, int nulls, ArrowBuffer validity, JsonElement column, string path)
        {
            bool large = type.Id is ArrowTypeId.LargeString or ArrowTypeId.LargeBinary;
            var data = DataValues(column, count, path);
            List<JsonElement>? given = column.TryGetProperty("OFFSET", out var o) && o.ValueKind == JsonValueKind.Array ? [.. o.EnumerateArray()] : null;
            if (given is not null && given.Count != count + 1 && !(count == 0 && given.Count == 0))
            {
                throw Bad(path, $"OFFSET has {given.Count} values for a count of {count}");
            }

            var bytes = new BufferBuilder();
            var offsets = new BufferBuilder((count + 1) * (large ? 8 : 4));
            AppendOffset(offsets, 0, large);
            for (int i = 0; i < count; i++)
            {
                if (IsValid(validity, i))
                {
                    byte[] v = data[i].ValueKind == JsonValueKind.Null ? []
                        : type.IsString ? Encoding.UTF8.GetBytes(String(data[i], path))
                        : Hex(data[i], path);
                    if (given is not null && Int64(given[i + 1], path) - Int64(given[i], path) != v.Length)
                    {
                        throw Bad(path, $"row {i}: OFFSET gives {Int64(given[i + 1], path) - Int64(given[i], path)} bytes but DATA has {v.Length}");
                    }

                    v.CopyTo(bytes.Extend(v.Length));
                }

                AppendOffset(offsets, bytes.Length, large);
            }

            return new ArrayData(type, count, nulls, 0, [validity, offsets.Build(), bytes.Build()]);
        }

        private static void AppendOffset(BufferBuilder offsets, long value, bool large)
        {
            if (large)
            {
                offsets.Append<long>(value);
            }
            else
            {
                offsets.Append<int>(checked((int)value));
            }
        }

        private ArrowBuffer Offsets(JsonElement column, int count, bool large, string path)
        {
            var given = Array(column, "OFFSET", path, count == 0);
            if (given.Count == 0 && count == 0)
            {
                return large ? ArrowBuffer.CopyOf<long>([0L]) : ArrowBuffer.CopyOf<int>([0]);
            }

            if (given.Count != count + 1)
            {
                throw Bad(path, $"OFFSET has {given.Count} values for a count of {count}");
            }

            var builder = new BufferBuilder((count + 1) * (large ? 8 : 4));
            long previous = long.MinValue;
            for (int i = 0; i <= count; i++)
            {
                long v = Int64(given[i], path);
                if (v < 0 || v < previous)
                {
                    throw Bad(path, $"OFFSET[{i}] = {v} is negative or decreasing");
                }

                previous = v;
                AppendOffset(builder, v, large);
            }

            return builder.Build();
        }

        private ArrowBuffer Validity(JsonElement column, int count, string path, out int nulls)
        {
            nulls = 0;
            if (!column.TryGetProperty("VALIDITY", out var v) || v.ValueKind == JsonValueKind.Null)
            {
                return ArrowBuffer.Empty;
            }

            if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != count)
            {
                throw Bad(path, $"VALIDITY has {(v.ValueKind == JsonValueKind.Array ? v.GetArrayLength() : 0)} values for a count of {count}");
            }

            var bits = new byte[BitUtil.BytesForBits(count)];
            int i = 0;
            foreach (var e in v.EnumerateArray())
            {
                if (Bool(e, path))
                {
                    BitUtil.SetBit(bits, i);
                }
                else
                {
                    nulls++;
                }

                i++;
            }

            return nulls == 0 ? ArrowBuffer.Empty : ArrowBuffer.CopyOf<byte>(bits);
        }

        private static bool IsValid(ArrowBuffer validity, int i) => validity.IsEmpty || BitUtil.GetBit(validity.Span, i);

        private List<JsonElement> DataValues(JsonElement column, int count, string path)
        {
            var data = Array(column, "DATA", path, count == 0);
            if (data.Count != count)
            {
                throw Bad(path, $"DATA has {data.Count} values for a count of {count}");
            }

            return data;
        }

        private List<JsonElement> Array(JsonElement owner, string name, string path, bool optional = false)
        {
            if (owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var a))
            {
                if (a.ValueKind == JsonValueKind.Array)
                {
                    return [.. a.EnumerateArray()];
                }

                if (a.ValueKind == JsonValueKind.Null && optional)
                {
                    return [];
                }

                throw Bad(path, $"\"{name}\" is not an array");
            }

            return optional ? [] : throw Bad(path, $"\"{name}\" is missing");
        }

        private JsonElement Required(JsonElement owner, string name, string path)
            => owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var v) ? v : throw Bad(path, $"\"{name}\" is missing");

        private static string NameOf(JsonElement f)
            => f.ValueKind == JsonValueKind.Object && f.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : string.Empty;

        private string String(JsonElement e, string path)
            => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Bad(path, $"{e} is not a string");

        private bool Bool(JsonElement e, string path) => e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => Int64(e, path) != 0,
            JsonValueKind.String when e.GetString() is "true" or "1" => true,
            JsonValueKind.String when e.GetString() is "false" or "0" => false,
            _ => throw Bad(path, $"{e} is not a boolean"),
        };

        private int Int32(JsonElement e, string path) => checked((int)Int64(e, path));

        private long Int64(JsonElement e, string path)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Number:
                    if (e.TryGetInt64(out long l))
                    {
                        return l;
                    }

                    double d = e.GetDouble();
                    if (d == Math.Floor(d) && d >= long.MinValue && d < 9.2233720368547758E18)
                    {
                        return (long)d;
                    }

                    break;
                case JsonValueKind.String:
                    if (long.TryParse(e.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long s))
                    {
                        return s;
                    }

                    break;
                case JsonValueKind.True:
                    return 1;
                case JsonValueKind.False:
                    return 0;
            }

            throw Bad(path, $"{e} is not a 64-bit integer");
        }

        private ulong UInt64(JsonElement e, string path)
        {
            if (e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out ulong n))
            {
                return n;
            }

            if (e.ValueKind == JsonValueKind.String && ulong.TryParse(e.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong s))
            {
                return s;
            }

            return checked((ulong)Int64(e, path));
        }

        private double Double(JsonElement e, string path)
        {
            if (e.ValueKind == JsonValueKind.Number)
            {
                return e.GetDouble();
            }

            if (e.ValueKind == JsonValueKind.String)
            {
                string s = e.GetString()!.Trim();
                switch (s.ToUpperInvariant())
                {
                    case "NAN" or "+NAN" or "-NAN":
                        return double.NaN;
                    case "INF" or "+INF" or "INFINITY" or "+INFINITY":
                        return double.PositiveInfinity;
                    case "-INF" or "-INFINITY":
                        return double.NegativeInfinity;
                }

                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
                {
                    return d;
                }
            }

            throw Bad(path, $"{e} is not a number");
        }

        private BigInteger Decimal(JsonElement e, DecimalType type, string path)
        {
            string text = e.ValueKind switch
            {
                JsonValueKind.String => e.GetString()!.Trim(),
                JsonValueKind.Number => e.GetRawText(),
                JsonValueKind.Null => "0",
                _ => throw Bad(path, $"{e} is not a decimal"),
            };

            // The integration format stores the unscaled integer; accept scaled decimal text too.
            if (BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var unscaled))
            {
                return unscaled;
            }

            return DecimalMath.TryParse(text, type.Scale, out unscaled) ? unscaled : throw Bad(path, $"\"{text}\" is not a decimal");
        }

        /// <summary>Dates, times, timestamps and durations: integers (numbers or strings), or ISO-8601 text.</summary>
        private long Temporal(JsonElement e, ArrowType type, string path)
        {
            if (e.ValueKind != JsonValueKind.String
                || long.TryParse(e.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                return Int64(e, path);
            }

            string s = e.GetString()!.Trim();
            const DateTimeStyles Styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
            switch (type)
            {
                case TimeType t when TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var ts):
                    return FromTicks(ts.Ticks, t.Unit, path);
                case TimestampType t when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, Styles, out var dto):
                    return FromTicks(dto.UtcTicks - DateTime.UnixEpoch.Ticks, t.Unit, path);
                case DurationType t when TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var ts):
                    return FromTicks(ts.Ticks, t.Unit, path);
                case { Id: ArrowTypeId.Date32 } when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, Styles, out var dto):
                    return FromTicks(dto.UtcTicks - DateTime.UnixEpoch.Ticks, TimeUnit.Second, path) / 86400;
                case { Id: ArrowTypeId.Date64 } when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, Styles, out var dto):
                    return FromTicks(dto.UtcTicks - DateTime.UnixEpoch.Ticks, TimeUnit.Millisecond, path);
                default:
                    throw Bad(path, $"\"{s}\" is neither an integer nor a {type} in ISO-8601 form");
            }
        }

        private long FromTicks(long ticks, TimeUnit unit, string path)
        {
            try
            {
                return unit switch
                {
                    TimeUnit.Second => ticks / TimeSpan.TicksPerSecond,
                    TimeUnit.Millisecond => ticks / TimeSpan.TicksPerMillisecond,
                    TimeUnit.Microsecond => ticks / 10,
                    _ => checked(ticks * 100),
                };
            }
            catch (OverflowException e)
            {
                throw new InvalidDataException($"{source}: {path}: time out of range for {unit}", e);
            }
        }

        private byte[] Hex(JsonElement e, string path)
        {
            string s = String(e, path);
            try
            {
                return Convert.FromHexString(s);
            }
            catch (FormatException ex)
            {
                throw new InvalidDataException($"{source}: {path}: \"{(s.Length > 40 ? s[..40] + "…" : s)}\" is not hexadecimal", ex);
            }
        }

        private InvalidDataException Bad(string path, string what) => new($"{source}: {path}: {what}");

        private static NotSupportedException Unsupported(string typeName, string path)
            => new($"{typeName} ({path}) is not supported: Larder's columnar model has no {typeName} arrays");
    }
}
