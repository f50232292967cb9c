using System.Buffers.Text;
using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Larder.Columnar;

namespace Larder.Text;

/// <summary>The writer-wide text settings the cell formatters share. Immutable; thread safe.</summary>
internal sealed class CsvFormatConfig
{
    public CsvFormatConfig(CsvWriteOptions options)
    {
        Delimiter = (byte)options.Delimiter;
        Quote = (byte)options.Quote;
        NullText = System.Text.Encoding.UTF8.GetBytes(options.NullText);
        TrueText = System.Text.Encoding.UTF8.GetBytes(options.TrueText);
        FalseText = System.Text.Encoding.UTF8.GetBytes(options.FalseText);
        TimestampSeparator = (byte)options.TimestampSeparator;
        Specials = SearchValues.Create([Delimiter, Quote, (byte)'\r', (byte)'\n']);
        NullTokens = new Utf8TokenSet(CsvReadOptions.DefaultNullValues.Append(options.NullText));
    }

    public byte Delimiter { get; }

    public byte Quote { get; }

    public byte[] NullText { get; }

    public byte[] TrueText { get; }

    public byte[] FalseText { get; }

    public byte TimestampSeparator { get; }

    /// <summary>Bytes that force quoting wherever they appear.</summary>
    public SearchValues<byte> Specials { get; }

    /// <summary>Texts a reader would take for null: strings equal to one are quoted.</summary>
    public Utf8TokenSet NullTokens { get; }

    /// <summary>Whether a string value must be quoted to read back as itself.</summary>
    public bool NeedsQuotes(ReadOnlySpan<byte> value)
        => value.IsEmpty || value.IndexOfAny(Specials) >= 0 || value[0] is (byte)' ' or (byte)'\t' || value[^1] is (byte)' ' or (byte)'\t' || NullTokens.Contains(value);

    /// <summary>Writes <paramref name="value"/> quoted when needed (for a <paramref name="header"/> name: only when it holds a delimiter, quote, CR or LF), doubling quotes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteText(Utf8Output output, ReadOnlySpan<byte> value, bool header = false)
    {
        bool quote = header ? value.IndexOfAny(Specials) >= 0 : NeedsQuotes(value);
        if (!quote)
        {
            output.Write(value);
            return;
        }

        var dst = output.GetSpan((value.Length * 2) + 2);
        int n = 0;
        dst[n++] = Quote;
        while (true)
        {
            int q = value.IndexOf(Quote);
            if (q < 0)
            {
                value.CopyTo(dst[n..]);
                n += value.Length;
                break;
            }

            value[..(q + 1)].CopyTo(dst[n..]);
            n += q + 1;
            dst[n++] = Quote;
            value = value[(q + 1)..];
        }

        dst[n++] = Quote;
        output.Advance(n);
    }
}

/// <summary>
/// Formats the cells of one column of one batch as CSV text (see <see cref="CsvWriteOptions"/> for the formats).
/// Created per batch; not thread safe.
/// </summary>
internal abstract class CsvCellFormatter
{
    private readonly ArrayData _data;
    private readonly bool _mayHaveNulls;

    private protected CsvCellFormatter(IArrowArray array, CsvFormatConfig config)
    {
        _data = array.Data;
        _mayHaveNulls = array.Type.Id == ArrowTypeId.Null || array.NullCount > 0;
        Config = config;
    }

    private protected CsvFormatConfig Config { get; }

    public void Write(int row, Utf8Output output)
    {
        if (_mayHaveNulls && _data.IsNull(row))
        {
            output.Write(Config.NullText);
        }
        else
        {
            WriteValue(row, output);
        }
    }

    private protected abstract void WriteValue(int row, Utf8Output output);

    /// <summary>A formatter for <paramref name="array"/>'s type.</summary>
    public static CsvCellFormatter Create(IArrowArray array, CsvFormatConfig config) => array.Type.Id switch
    {
        ArrowTypeId.Null => new NullFormatter(array, config),
        ArrowTypeId.Boolean => new BoolFormatter((BooleanArray)array, config),
        ArrowTypeId.Int8 => new IntegerFormatter<sbyte>(array, config),
        ArrowTypeId.Int16 => new IntegerFormatter<short>(array, config),
        ArrowTypeId.Int32 => new IntegerFormatter<int>(array, config),
        ArrowTypeId.Int64 or ArrowTypeId.Duration => new IntegerFormatter<long>(array, config),
        ArrowTypeId.UInt8 => new IntegerFormatter<byte>(array, config),
        ArrowTypeId.UInt16 => new IntegerFormatter<ushort>(array, config),
        ArrowTypeId.UInt32 => new IntegerFormatter<uint>(array, config),
        ArrowTypeId.UInt64 => new IntegerFormatter<ulong>(array, config),
        ArrowTypeId.Double => new DoubleFormatter(array, config),
        ArrowTypeId.Float or ArrowTypeId.HalfFloat => new SmallFloatFormatter(array, config),
        ArrowTypeId.String or ArrowTypeId.LargeString => new StringFormatter((BinaryArray)array, config),
        ArrowTypeId.Binary or ArrowTypeId.LargeBinary or ArrowTypeId.FixedSizeBinary => new Base64Formatter(array, config),
        ArrowTypeId.Decimal128 or ArrowTypeId.Decimal256 => new DecimalFormatter(array, config),
        ArrowTypeId.Timestamp => new TimestampFormatter(array, config),
        ArrowTypeId.Date32 or ArrowTypeId.Date64 or ArrowTypeId.Time32 or ArrowTypeId.Time64 => new TemporalFormatter(array, config),
        ArrowTypeId.Dictionary => new DictionaryFormatter((DictionaryArray)array, config),
        _ => new JsonFormatter(array, config),
    };

    private sealed class NullFormatter(IArrowArray array, CsvFormatConfig config) : CsvCellFormatter(array, config)
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private protected override void WriteValue(int row, Utf8Output output) => output.Write(Config.NullText);
    }

    private sealed class BoolFormatter(BooleanArray array, CsvFormatConfig config) : CsvCellFormatter(array, config)
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private protected override void WriteValue(int row, Utf8Output output) => output.Write(array.GetBit(row) ? Config.TrueText : Config.FalseText);
    }

    private sealed class IntegerFormatter<T>(IArrowArray array, CsvFormatConfig config) : CsvCellFormatter(array, config)
        where T : unmanaged, IBinaryInteger<T>
    {
        private readonly ReadOnlyMemory<byte> _values = array.Data.Buffers[1].Memory;
        private readonly int _offset = array.Data.Offset;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private protected override void WriteValue(int row, Utf8Output output)
        {
            T v = MemoryMarshal.Cast<byte, T>(_values.Span)[_offset + row];
            var dst = output.GetSpan(24);
            v.TryFormat(dst, out int n, default, CultureInfo.InvariantCulture);
            output.Advance(n);
        }
    }

    private sealed class DoubleFormatter(IArrowArray array, CsvFormatConfig config) : CsvCellFormatter(array, config)
    {
        private readonly ReadOnlyMemory<byte> _values = array.Data.Buffers[1].Memory;
        private readonly int _offset = array.Data.Offset;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private protected override void WriteValue(int row, Utf8Output output)
        {
            double v = MemoryMarshal.Cast<byte, double>(_values.Span)[_offset + row];
            var dst = output.GetSpan(TextFormat.MaxFloatLength);
            output.Advance(TextFormat.FormatDouble(v, dst, "NaN"u8, "inf"u8, "-inf"u8));
        }
    }

    private sealed class SmallFloatFormatter(IArrowArray array, CsvFormatConfig config) : CsvCellFormatter(array, config)
    {
        private readonly IArrowArray _array = array;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private protected override void WriteValue(int row, Utf8Output output)
        {
            var dst = output.GetSpan(TextFormat.MaxFloatLength);
            output.Advance(_array is PrimitiveArray<float> f
                ? TextFormat.FormatSingle(f.Values[row], dst, "NaN"u8, "inf"u8, "-inf"u8)
                : TextFormat.FormatHalf(((PrimitiveArray<Half>)_array).Values[row], dst, "NaN"u8, "inf"u8, "-inf"u8));
        }
    }

    private sealed class StringFormatter(BinaryArray array, CsvFormatConfig config) : CsvCellFormatter(array, config)
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private protected override void WriteValue(int row, Utf8Output output) => Config.WriteText(output, array.GetBytes(row));
    }

    private sealed class Base64Formatter(IArrowArray array, CsvFormatConfig config) : CsvCellFormatter(array, config)
    {
        private readonly IArrowArray _array = array;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private protected override void WriteValue(int row, Utf8Output output)
        {
            var bytes = _array is BinaryArray b ? b.GetBytes(row) : ((FixedSizeBinaryArray)_array).GetBytes(row);
            int max = Base64.GetMaxEncodedToUtf8Length(bytes.Length);
            var dst = output.GetSpan(max + 2);
            if (bytes.IsEmpty)
            {
                // Empty binary must not read back as null.
                dst[0] = Config.Quote;
                dst[1] = Config.Quote;
                output.Advance(2);
                return;
            }

            Base64.EncodeToUtf8(bytes, dst, out _, out int written);
            if (dst[..written].IndexOfAny(Config.Specials) >= 0)
            {
                var text = dst[..written].ToArray();
                Config.WriteText(output, text);
                return;
            }

            output.Advance(written);
        }
    }

    private sealed class DecimalFormatter(IArrowArray array, CsvFormatConfig config) : CsvCellFormatter(array, config)
    {
        private readonly IArrowArray _array = array;
        private readonly int _scale = ((DecimalType)array.Type).Scale;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private protected override void WriteValue(int row, Utf8Output output)
        {
            var dst = output.GetSpan(DecimalFormat.Max128Length);
            if (_array is PrimitiveArray<Int128> d128 && DecimalFormat.Format128(d128.Values[row], _scale, dst, out int n))
            {
                output.Advance(n);
                return;
            }

            string text = DecimalFormat.Text(_array, row);
            dst = output.GetSpan(text.Length);
            output.Advance(System.Text.Encoding.ASCII.GetBytes(text, dst));
        }
    }

    private sealed class TimestampFormatter(IArrowArray array, CsvFormatConfig config) : CsvCellFormatter(array, config)
    {
        private readonly ReadOnlyMemory<byte> _values = array.Data.Buffers[1].Memory;
        private readonly int _offset = array.Data.Offset;
        private readonly TimeUnit _unit = ((TimestampType)array.Type).Unit;
        private readonly bool _zoned = ((TimestampType)array.Type).TimeZone is not null;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private protected override void WriteValue(int row, Utf8Output output)
        {
            long v = MemoryMarshal.Cast<byte, long>(_values.Span)[_offset + row];
            var dst = output.GetSpan(TextFormat.MaxTemporalLength);
            output.Advance(TextFormat.FormatTimestamp(v, _unit, Config.TimestampSeparator, _zoned, dst));
        }
    }

    private sealed class TemporalFormatter(IArrowArray array, CsvFormatConfig config) : CsvCellFormatter(array, config)
    {
        private readonly IArrowArray _array = array;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private protected override void WriteValue(int row, Utf8Output output)
        {
            var dst = output.GetSpan(TextFormat.MaxTemporalLength);
            output.Advance(TemporalFormat.Format(_array, row, Config.TimestampSeparator, dst));
        }
    }

    private sealed class DictionaryFormatter(DictionaryArray array, CsvFormatConfig config) : CsvCellFormatter(array, config)
    {
        private readonly CsvCellFormatter _values = Create(array.Dictionary, config);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private protected override void WriteValue(int row, Utf8Output output) => _values.Write((int)array.GetIndex(row), output);
    }

    /// <summary>Nested and other non-scalar values as compact JSON text, quoted as needed.</summary>
    private sealed class JsonFormatter : CsvCellFormatter
    {
        private readonly JsonColumnWriter _json;
        private readonly ArrayBufferWriter<byte> _scratch = new();
        private readonly Utf8JsonWriter _writer;

        public JsonFormatter(IArrowArray array, CsvFormatConfig config)
            : base(array, config)
        {
            _json = JsonColumnWriter.Create(array);
            _writer = new Utf8JsonWriter(_scratch, new JsonWriterOptions { Encoder = JsonColumnWriter.Encoder, SkipValidation = true });
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private protected override void WriteValue(int row, Utf8Output output)
        {
            _scratch.ResetWrittenCount();
            _writer.Reset(_scratch);
            _json.Write(_writer, row);
            _writer.Flush();
            Config.WriteText(output, _scratch.WrittenSpan);
        }
    }
}
