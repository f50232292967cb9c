using System.Buffers;
using System.Globalization;
using System.Text;
using Larder.Columnar;

namespace Larder.Vault.Tables;

/// <summary>A growable UTF-8 byte buffer over pooled arrays. Not thread safe; <see cref="Dispose"/> returns the array.</summary>
internal sealed class Utf8Sink : IDisposable
{
    private byte[] _buffer;

    public Utf8Sink(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, Length);

    public Span<byte> GetSpan(int size)
    {
        if (_buffer.Length - Length < size)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + size));
            _buffer.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _buffer.AsSpan(Length);
    }

    public void Advance(int count) => Length += count;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Length += bytes.Length;
    }

    public void Write(byte value)
    {
        GetSpan(1)[0] = value;
        Length++;
    }

    public void Clear() => Length = 0;

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        Length = 0;
    }
}

/// <summary>
/// Writes one column's cells as UTF-8 exactly as <see cref="TsvValueText.AppendValue"/> renders them (with csv quoting),
/// specialised per type so the common columns (integers, floats, strings, dictionaries of strings, zone-less timestamps)
/// never go through a string. Nulls and NaN write nothing. One instance per column and batch.
/// </summary>
internal abstract class TsvCellEncoder
{
    public static TsvCellEncoder Create(IArrowArray array, int timestampLevel) => array switch
    {
        PrimitiveArray<long> when array is TimestampArray ts => ts.Type.TimeZone is null ? new TimestampCells(ts, timestampLevel) : new FallbackCells(array, timestampLevel),
        PrimitiveArray<long> a when array.Type.Id == ArrowTypeId.Int64 => new FormattableCells<long>(a),
        PrimitiveArray<int> a when array.Type.Id == ArrowTypeId.Int32 => new FormattableCells<int>(a),
        PrimitiveArray<short> a when array.Type.Id == ArrowTypeId.Int16 => new FormattableCells<short>(a),
        PrimitiveArray<sbyte> a when array.Type.Id == ArrowTypeId.Int8 => new FormattableCells<sbyte>(a),
        PrimitiveArray<ulong> a when array.Type.Id == ArrowTypeId.UInt64 => new FormattableCells<ulong>(a),
        PrimitiveArray<uint> a when array.Type.Id == ArrowTypeId.UInt32 => new FormattableCells<uint>(a),
        PrimitiveArray<ushort> a when array.Type.Id == ArrowTypeId.UInt16 => new FormattableCells<ushort>(a),
        PrimitiveArray<byte> a when array.Type.Id == ArrowTypeId.UInt8 => new FormattableCells<byte>(a),
        PrimitiveArray<double> a when array.Type.Id == ArrowTypeId.Double => new DoubleCells(a),
        StringArray s => new StringCells(s),
        DictionaryArray { Dictionary: StringArray } d => new DictionaryCells(d),
        _ => new FallbackCells(array, timestampLevel),
    };

    /// <summary>Appends the cell of <paramref name="row"/> (nothing when it is null).</summary>
    public abstract void Append(Utf8Sink sink, int row);

    /// <summary>Appends <paramref name="value"/> with csv.QUOTE_MINIMAL quoting (tab, quote, CR, LF force quotes).</summary>
    public static void AppendQuoted(Utf8Sink sink, ReadOnlySpan<byte> value)
    {
        if (value.IndexOfAny("\t\"\r\n"u8) < 0)
        {
            sink.Write(value);
            return;
        }

        sink.Write((byte)'"');
        foreach (byte b in value)
        {
            if (b == (byte)'"')
            {
                sink.Write((byte)'"');
            }

            sink.Write(b);
        }

        sink.Write((byte)'"');
    }

    private sealed class FormattableCells<T>(PrimitiveArray<T> array) : TsvCellEncoder
        where T : unmanaged, IUtf8SpanFormattable
    {
        public override void Append(Utf8Sink sink, int row)
        {
            if (array.IsNull(row))
            {
                return;
            }

            int written;
            while (!array.Values[row].TryFormat(sink.GetSpan(24), out written, default, CultureInfo.InvariantCulture))
            {
                sink.GetSpan(64);
            }

            sink.Advance(written);
        }
    }

    private sealed class DoubleCells(PrimitiveArray<double> array) : TsvCellEncoder
    {
        private readonly StringBuilder _slow = new();

        public override void Append(Utf8Sink sink, int row)
        {
            if (array.IsNull(row))
            {
                return;
            }

            double value = array.Values[row];
            double magnitude = Math.Abs(value);

            // Python's repr switches to an exponent below 1e-4 and from 1e16; .NET's round-trip text at other points.
            if (!double.IsFinite(value) || magnitude >= 1e16 || (magnitude < 1e-4 && magnitude != 0))
            {
                TsvValueText.AppendDouble(_slow.Clear(), value);
                WriteText(sink, _slow);
                return;
            }

            Span<byte> span = sink.GetSpan(32);
            value.TryFormat(span, out int written, "R", CultureInfo.InvariantCulture);
            ReadOnlySpan<byte> text = span[..written];
            if (text.IndexOf((byte)'E') >= 0)
            {
                TsvValueText.AppendDouble(_slow.Clear(), value);
                WriteText(sink, _slow);
                return;
            }

            sink.Advance(written);
            if (text.IndexOf((byte)'.') < 0)
            {
                sink.Write(".0"u8);
            }
        }
    }

    private sealed class StringCells(StringArray array) : TsvCellEncoder
    {
        public override void Append(Utf8Sink sink, int row)
        {
            if (!array.IsNull(row))
            {
                AppendQuoted(sink, array.GetBytes(row));
            }
        }
    }

    private sealed class DictionaryCells : TsvCellEncoder
    {
        private readonly DictionaryArray _array;
        private readonly byte[][] _texts;

        public DictionaryCells(DictionaryArray array)
        {
            _array = array;
            var values = (StringArray)array.Dictionary;
            _texts = new byte[values.Length][];
            using var sink = new Utf8Sink(256);
            for (int i = 0; i < values.Length; i++)
            {
                sink.Clear();
                if (!values.IsNull(i))
                {
                    AppendQuoted(sink, values.GetBytes(i));
                }

                _texts[i] = sink.Written.ToArray();
            }
        }

        public override void Append(Utf8Sink sink, int row)
        {
            if (!_array.IsNull(row))
            {
                sink.Write(_texts[checked((int)_array.GetIndex(row))]);
            }
        }
    }

    private sealed class TimestampCells(TimestampArray array, int level) : TsvCellEncoder
    {
        private readonly StringBuilder _slow = new();
        private readonly long _perSecond = array.Type.Unit switch
        {
            TimeUnit.Second => 1,
            TimeUnit.Millisecond => 1_000,
            TimeUnit.Microsecond => 1_000_000,
            _ => 1_000_000_000,
        };

        public override void Append(Utf8Sink sink, int row)
        {
            if (array.IsNull(row))
            {
                return;
            }

            long value = array.Values[row];
            long seconds = Math.DivRem(value, _perSecond, out long fraction);
            if (fraction < 0)
            {
                seconds--;
                fraction += _perSecond;
            }

            long nanos = fraction * (1_000_000_000 / _perSecond);
            long days = Math.DivRem(seconds, 86_400, out long secondOfDay);
            if (secondOfDay < 0)
            {
                days--;
                secondOfDay += 86_400;
            }

            var (year, month, day) = TsvValueText.CivilFromDays(days);
            if (year is < 1 or > 9999)
            {
                TsvValueText.AppendTimestamp(_slow.Clear(), value, array.Type.Unit, level);
                WriteText(sink, _slow);
                return;
            }

            Span<byte> s = sink.GetSpan(32);
            Digits(s, year, 4);
            s[4] = (byte)'-';
            Digits(s[5..], month, 2);
            s[7] = (byte)'-';
            Digits(s[8..], day, 2);
            int n = 10;
            if (level != TsvValueText.DateOnly)
            {
                s[10] = (byte)' ';
                Digits(s[11..], secondOfDay / 3600, 2);
                s[13] = (byte)':';
                Digits(s[14..], secondOfDay / 60 % 60, 2);
                s[16] = (byte)':';
                Digits(s[17..], secondOfDay % 60, 2);
                n = 19;
                switch (level)
                {
                    case TsvValueText.Millis:
                        s[19] = (byte)'.';
                        Digits(s[20..], nanos / 1_000_000, 3);
                        n = 23;
                        break;
                    case TsvValueText.Micros:
                        s[19] = (byte)'.';
                        Digits(s[20..], nanos / 1_000, 6);
                        n = 26;
                        break;
                    case TsvValueText.Nanos:
                        s[19] = (byte)'.';
                        Digits(s[20..], nanos, 9);
                        n = 29;
                        break;
                }
            }

            sink.Advance(n);
        }

        private static void Digits(Span<byte> target, long value, int count)
        {
            for (int i = count - 1; i >= 0; i--)
            {
                target[i] = (byte)('0' + (value % 10));
                value /= 10;
            }
        }
    }

    private sealed class FallbackCells(IArrowArray array, int level) : TsvCellEncoder
    {
        private readonly StringBuilder _text = new();

        public override void Append(Utf8Sink sink, int row)
        {
            TsvValueText.AppendValue(_text.Clear(), array, row, level, quote: true);
            WriteText(sink, _text);
        }
    }

    private static void WriteText(Utf8Sink sink, StringBuilder text)
    {
        foreach (ReadOnlyMemory<char> chunk in text.GetChunks())
        {
            int max = Encoding.UTF8.GetMaxByteCount(chunk.Length);
            int n = Encoding.UTF8.GetBytes(chunk.Span, sink.GetSpan(max));
            sink.Advance(n);
        }
    }
}
