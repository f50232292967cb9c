using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using Larder.Parquet.Metadata;
using ParquetEncoding = Larder.Parquet.Metadata.Encoding;

namespace Larder.Cli;

/// <summary>A statistics value decoded for display: a number, bool or text; <see cref="Decoded"/> false for raw hex.</summary>
/// <param name="Value">long, ulong, float, double, bool or string.</param>
/// <param name="Quoted">A string value that is text (shown in quotes), not a rendering such as a date or a decimal.</param>
/// <param name="Decoded">False when the bytes could not be read as the column's type and <see cref="Value"/> is hex.</param>
internal readonly record struct ParquetValue(object Value, bool Quoted, bool Decoded)
{
    /// <summary>The value as one line of text (strings quoted and escaped, floats round-trippable, hex as 0x…).</summary>
    public string ToDisplay() => Value switch
    {
        string s when Quoted => ParquetText.Quote(s),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var v => v.ToString() ?? "",
    };
}

/// <summary>
/// Parquet's own names for its enums (as parquet.thrift spells them, which is also what DuckDB's
/// <c>parquet_metadata()</c> and parquet-cli print), the parquet-mr text form of schema elements, and statistics values
/// decoded by physical and logical type. Values this version does not name print as <c>UNKNOWN(n)</c>. Stateless.
/// </summary>
internal static class ParquetText
{
    public static string Name(PhysicalType type) => type switch
    {
        PhysicalType.Boolean => "BOOLEAN",
        PhysicalType.Int32 => "INT32",
        PhysicalType.Int64 => "INT64",
        PhysicalType.Int96 => "INT96",
        PhysicalType.Float => "FLOAT",
        PhysicalType.Double => "DOUBLE",
        PhysicalType.ByteArray => "BYTE_ARRAY",
        PhysicalType.FixedLenByteArray => "FIXED_LEN_BYTE_ARRAY",
        _ => Unknown((int)type),
    };

    public static string Name(CompressionCodec codec) => codec switch
    {
        CompressionCodec.Uncompressed => "UNCOMPRESSED",
        CompressionCodec.Snappy => "SNAPPY",
        CompressionCodec.Gzip => "GZIP",
        CompressionCodec.Lzo => "LZO",
        CompressionCodec.Brotli => "BROTLI",
        CompressionCodec.Lz4 => "LZ4",
        CompressionCodec.Zstd => "ZSTD",
        CompressionCodec.Lz4Raw => "LZ4_RAW",
        _ => Unknown((int)codec),
    };

    public static string Name(ParquetEncoding encoding) => encoding switch
    {
        ParquetEncoding.Plain => "PLAIN",
        ParquetEncoding.PlainDictionary => "PLAIN_DICTIONARY",
        ParquetEncoding.Rle => "RLE",
        ParquetEncoding.BitPacked => "BIT_PACKED",
        ParquetEncoding.DeltaBinaryPacked => "DELTA_BINARY_PACKED",
        ParquetEncoding.DeltaLengthByteArray => "DELTA_LENGTH_BYTE_ARRAY",
        ParquetEncoding.DeltaByteArray => "DELTA_BYTE_ARRAY",
        ParquetEncoding.RleDictionary => "RLE_DICTIONARY",
        ParquetEncoding.ByteStreamSplit => "BYTE_STREAM_SPLIT",
        _ => Unknown((int)encoding),
    };

    public static string Name(PageType type) => type switch
    {
        PageType.DataPage => "DATA_PAGE",
        PageType.IndexPage => "INDEX_PAGE",
        PageType.DictionaryPage => "DICTIONARY_PAGE",
        PageType.DataPageV2 => "DATA_PAGE_V2",
        _ => Unknown((int)type),
    };

    public static string Name(FieldRepetitionType repetition) => repetition switch
    {
        FieldRepetitionType.Required => "required",
        FieldRepetitionType.Optional => "optional",
        FieldRepetitionType.Repeated => "repeated",
        _ => Unknown((int)repetition),
    };

    public static string Name(ColumnOrderKind kind) => kind switch
    {
        ColumnOrderKind.TypeDefinedOrder => "TYPE_DEFINED_ORDER",
        ColumnOrderKind.Ieee754TotalOrder => "IEEE_754_TOTAL_ORDER",
        ColumnOrderKind.Int96TimestampOrder => "INT96_TIMESTAMP_ORDER",
        ColumnOrderKind.Undefined => "UNDEFINED",
        _ => Unknown((int)kind),
    };

    public static string Name(ConvertedType type) => type switch
    {
        ConvertedType.Utf8 => "UTF8",
        ConvertedType.Map => "MAP",
        ConvertedType.MapKeyValue => "MAP_KEY_VALUE",
        ConvertedType.List => "LIST",
        ConvertedType.Enum => "ENUM",
        ConvertedType.Decimal => "DECIMAL",
        ConvertedType.Date => "DATE",
        ConvertedType.TimeMillis => "TIME_MILLIS",
        ConvertedType.TimeMicros => "TIME_MICROS",
        ConvertedType.TimestampMillis => "TIMESTAMP_MILLIS",
        ConvertedType.TimestampMicros => "TIMESTAMP_MICROS",
        ConvertedType.UInt8 => "UINT_8",
        ConvertedType.UInt16 => "UINT_16",
        ConvertedType.UInt32 => "UINT_32",
        ConvertedType.UInt64 => "UINT_64",
        ConvertedType.Int8 => "INT_8",
        ConvertedType.Int16 => "INT_16",
        ConvertedType.Int32 => "INT_32",
        ConvertedType.Int64 => "INT_64",
        ConvertedType.Json => "JSON",
        ConvertedType.Bson => "BSON",
        ConvertedType.Interval => "INTERVAL",
        _ => Unknown((int)type),
    };

    /// <summary>The logical type as parquet-mr prints it, e.g. <c>DECIMAL(9,2)</c>, <c>TIMESTAMP(MICROS,true)</c>.</summary>
    public static string Name(LogicalType type) => type.Kind switch
    {
        LogicalTypeKind.String => "STRING",
        LogicalTypeKind.Map => "MAP",
        LogicalTypeKind.List => "LIST",
        LogicalTypeKind.Enum => "ENUM",
        LogicalTypeKind.Decimal => $"DECIMAL({type.Precision},{type.Scale})",
        LogicalTypeKind.Date => "DATE",
        LogicalTypeKind.Time => $"TIME({Unit(type.Unit)},{Bool(type.IsAdjustedToUtc)})",
        LogicalTypeKind.Timestamp => $"TIMESTAMP({Unit(type.Unit)},{Bool(type.IsAdjustedToUtc)})",
        LogicalTypeKind.Integer => $"INTEGER({type.BitWidth},{Bool(type.IsSigned)})",
        LogicalTypeKind.Null => "NULL",
        LogicalTypeKind.Json => "JSON",
        LogicalTypeKind.Bson => "BSON",
        LogicalTypeKind.Uuid => "UUID",
        LogicalTypeKind.Float16 => "FLOAT16",
        _ => $"UNKNOWN_LOGICAL_TYPE({type.UnknownMemberId})",
    };

    /// <summary>The element's annotation: its logical type, else its converted type (with precision and scale for DECIMAL); null when neither.</summary>
    public static string? Annotation(SchemaElement element)
    {
        if (element.LogicalType is { } logical)
        {
            return Name(logical);
        }

        return element.ConvertedType switch
        {
            null => null,
            ConvertedType.Decimal => $"DECIMAL({element.Precision},{element.Scale})",
            ConvertedType c => Name(c),
        };
    }

    /// <summary>The element as a line of a parquet-mr message, e.g. <c>optional fixed_len_byte_array(16) id (UUID) = 3;</c>.</summary>
    public static string Declaration(SchemaElement element, bool group)
    {
        var line = new StringBuilder();
        line.Append(element.RepetitionType is { } r ? Name(r) : "required").Append(' ');
        if (group)
        {
            line.Append("group");
        }
        else
        {
            line.Append(element.Type switch
            {
                null => "?",
                PhysicalType.ByteArray => "binary",
                PhysicalType t => Name(t).ToLowerInvariant(),
            });
            if (element.Type == PhysicalType.FixedLenByteArray)
            {
                line.Append('(').Append(element.TypeLength?.ToString(CultureInfo.InvariantCulture) ?? "?").Append(')');
            }
        }

        line.Append(' ').Append(element.Name);
        if (Annotation(element) is { } annotation)
        {
            line.Append(" (").Append(annotation).Append(')');
        }

        if (element.FieldId is int id)
        {
            line.Append(" = ").Append(id.ToString(CultureInfo.InvariantCulture));
        }

        return line.Append(group ? " {" : ";").ToString();
    }

    /// <summary>
    /// Decodes a PLAIN-encoded statistics value (no length prefix) of a leaf column: integers (signed or unsigned as
    /// annotated), floats, booleans, dates, times and timestamps as ISO-8601, decimals as decimal text, strings as text,
    /// float16, UUIDs; raw hex when the bytes do not fit the type or the type has no readable form (plain binary).
    /// </summary>
    public static ParquetValue Decode(ReadOnlySpan<byte> bytes, SchemaElement leaf)
    {
        var logical = leaf.LogicalType;
        var converted = leaf.ConvertedType;
        switch (leaf.Type)
        {
            case PhysicalType.Boolean when bytes.Length == 1 && bytes[0] <= 1:
                return new(bytes[0] == 1, false, true);
            case PhysicalType.Int32 when bytes.Length == 4:
                {
                    int v = BinaryPrimitives.ReadInt32LittleEndian(bytes);
                    if (IsDecimal(leaf, out int scale))
                    {
                        return Text(DecimalText(v, scale));
                    }

                    if (logical?.Kind == LogicalTypeKind.Date || (logical is null && converted == ConvertedType.Date))
                    {
                        return Text(DateText(v));
                    }

                    if (logical is { Kind: LogicalTypeKind.Time, Unit: TimeUnit.Millis } || (logical is null && converted == ConvertedType.TimeMillis))
                    {
                        return TimeOfDay(v, 1_000);
                    }

                    bool unsigned = logical is { Kind: LogicalTypeKind.Integer, IsSigned: false }
                        || (logical is null && converted is ConvertedType.UInt8 or ConvertedType.UInt16 or ConvertedType.UInt32);
                    return unsigned ? new((ulong)(uint)v, false, true) : new((long)v, false, true);
                }

            case PhysicalType.Int64 when bytes.Length == 8:
                {
                    long v = BinaryPrimitives.ReadInt64LittleEndian(bytes);
                    if (IsDecimal(leaf, out int scale))
                    {
                        return Text(DecimalText(v, scale));
                    }

                    if (logical is { Kind: LogicalTypeKind.Timestamp } t)
                    {
                        return Timestamp(v, PerSecond(t.Unit), t.IsAdjustedToUtc);
                    }

                    if (logical is null && converted is ConvertedType.TimestampMillis or ConvertedType.TimestampMicros)
                    {
                        return Timestamp(v, converted == ConvertedType.TimestampMillis ? 1_000 : 1_000_000, utc: true);
                    }

                    if (logical is { Kind: LogicalTypeKind.Time } time)
                    {
                        return TimeOfDay(v, PerSecond(time.Unit));
                    }

                    if (logical is null && converted == ConvertedType.TimeMicros)
                    {
                        return TimeOfDay(v, 1_000_000);
                    }

                    bool unsigned = logical is { Kind: LogicalTypeKind.Integer, IsSigned: false } || (logical is null && converted == ConvertedType.UInt64);
                    return unsigned ? new((ulong)v, false, true) : new(v, false, true);
                }

            case PhysicalType.Int96 when bytes.Length == 12:
                {
                    ulong nanosOfDay = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
                    long days = (long)BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]) - 2_440_588;
                    if (nanosOfDay < 86_400_000_000_000UL)
                    {
                        return Text(DateText(days) + "T" + ClockText((long)nanosOfDay, 1_000_000_000));
                    }

                    break;
                }

            case PhysicalType.Float when bytes.Length == 4:
                return new(BinaryPrimitives.ReadSingleLittleEndian(bytes), false, true);
            case PhysicalType.Double when bytes.Length == 8:
                return new(BinaryPrimitives.ReadDoubleLittleEndian(bytes), false, true);
            case PhysicalType.ByteArray or PhysicalType.FixedLenByteArray:
                {
                    if (IsDecimal(leaf, out int scale) && bytes.Length > 0)
                    {
                        return Text(DecimalText(new BigInteger(bytes, isUnsigned: false, isBigEndian: true), scale));
                    }

                    bool text = logical?.Kind is LogicalTypeKind.String or LogicalTypeKind.Enum or LogicalTypeKind.Json
                        || (logical is null && converted is ConvertedType.Utf8 or ConvertedType.Enum or ConvertedType.Json);
                    if (text && TryUtf8(bytes, out string? s))
                    {
                        return new(s, true, true);
                    }

                    if (logical?.Kind == LogicalTypeKind.Float16 && bytes.Length == 2)
                    {
                        return new((float)BinaryPrimitives.ReadHalfLittleEndian(bytes), false, true);
                    }

                    if (logical?.Kind == LogicalTypeKind.Uuid && bytes.Length == 16)
                    {
                        string h = Convert.ToHexStringLower(bytes);
                        return Text($"{h[..8]}-{h[8..12]}-{h[12..16]}-{h[16..20]}-{h[20..]}");
                    }

                    if (logical is null && converted == ConvertedType.Interval && bytes.Length == 12)
                    {
                        return Text($"{BinaryPrimitives.ReadUInt32LittleEndian(bytes)} months {BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..])} days {BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..])} ms");
                    }

                    // Plain binary has no readable form but its bytes; that is what it is, not a failure.
                    return new(Hex(bytes), false, !text);
                }
        }

        return new(Hex(bytes), false, false);
    }

    /// <summary><c>0x</c> and upper-case hex (<c>0x</c> alone for no bytes).</summary>
    public static string Hex(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexString(bytes);

    /// <summary>The text in double quotes, with quotes, backslashes and control characters escaped.</summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"':
                    quoted.Append("\\\"");
                    break;
                case '\\':
                    quoted.Append("\\\\");
                    break;
                case '\n':
                    quoted.Append("\\n");
                    break;
                case '\r':
                    quoted.Append("\\r");
                    break;
                case '\t':
                    quoted.Append("\\t");
                    break;
                default:
                    if (char.IsControl(c))
                    {
                        quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        quoted.Append(c);
                    }

                    break;
            }
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>The text with control characters (line breaks included) escaped, so a name cannot break the layout.</summary>
    public static string Clean(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var clean = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (char.IsControl(c))
            {
                clean.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
    }

    private static ParquetValue Text(string text) => new(text, false, true);

    private static string Unknown(int value) => $"UNKNOWN({value.ToString(CultureInfo.InvariantCulture)})";

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Unit(TimeUnit unit) => unit switch
    {
        TimeUnit.Millis => "MILLIS",
        TimeUnit.Micros => "MICROS",
        TimeUnit.Nanos => "NANOS",
        _ => Unknown((int)unit),
    };

    private static long PerSecond(TimeUnit unit) => unit switch
    {
        TimeUnit.Millis => 1_000,
        TimeUnit.Micros => 1_000_000,
        _ => 1_000_000_000,
    };

    private static bool IsDecimal(SchemaElement leaf, out int scale)
    {
        if (leaf.LogicalType is { Kind: LogicalTypeKind.Decimal } d)
        {
            scale = d.Scale;
            return scale is >= 0 and <= 1_000;
        }

        scale = leaf.Scale ?? 0;
        return leaf.LogicalType is null && leaf.ConvertedType == ConvertedType.Decimal && scale is >= 0 and <= 1_000;
    }

    private static string DecimalText(BigInteger unscaled, int scale)
    {
        if (scale == 0)
        {
            return unscaled.ToString(CultureInfo.InvariantCulture);
        }

        string digits = BigInteger.Abs(unscaled).ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
        return (unscaled.Sign < 0 ? "-" : "") + digits[..^scale] + "." + digits[^scale..];
    }

    private static ParquetValue Timestamp(long value, long perSecond, bool utc)
    {
        long seconds = Math.DivRem(value, perSecond, out long fraction);
        if (fraction < 0)
        {
            seconds--;
            fraction += perSecond;
        }

        long days = Math.DivRem(seconds, 86_400, out long secondOfDay);
        if (secondOfDay < 0)
        {
            days--;
            secondOfDay += 86_400;
        }

        return Text(DateText(days) + "T" + ClockText((secondOfDay * perSecond) + fraction, perSecond) + (utc ? "Z" : ""));
    }

    /// <summary>
    /// The proleptic Gregorian date <paramref name="days"/> after 1970-01-01 as <c>yyyy-MM-dd</c>, for any year (a
    /// year past 9999 gets more digits, one before 1 is astronomical and signed), so out-of-range values still read.
    /// </summary>
    private static string DateText(long days)
    {
        // Civil-from-days over 400-year eras (H. Hinnant's algorithm).
        long z = days + 719_468;
        long era = (z >= 0 ? z : z - 146_096) / 146_097;
        long doe = z - (era * 146_097);
        long yoe = (doe - (doe / 1_460) + (doe / 36_524) - (doe / 146_096)) / 365;
        long doy = doe - ((365 * yoe) + (yoe / 4) - (yoe / 100));
        long mp = ((5 * doy) + 2) / 153;
        long day = doy - (((153 * mp) + 2) / 5) + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + (era * 400) + (month <= 2 ? 1 : 0);
        string y = year < 0 ? "-" + (-year).ToString("0000", CultureInfo.InvariantCulture) : year.ToString("0000", CultureInfo.InvariantCulture);
        return $"{y}-{month:00}-{day:00}";
    }

    private static ParquetValue TimeOfDay(long value, long perSecond)
        => value >= 0 && value < 86_400 * perSecond ? Text(ClockText(value, perSecond)) : new(value, false, true);

    /// <summary><c>HH:mm:ss</c> and as many fraction digits as the unit has.</summary>
    private static string ClockText(long value, long perSecond)
    {
        long seconds = Math.DivRem(value, perSecond, out long fraction);
        int digits = perSecond switch { 1_000 => 3, 1_000_000 => 6, _ => 9 };
        return $"{seconds / 3600:00}:{seconds / 60 % 60:00}:{seconds % 60:00}." + fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    private static bool TryUtf8(ReadOnlySpan<byte> bytes, out string text)
    {
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }
}
