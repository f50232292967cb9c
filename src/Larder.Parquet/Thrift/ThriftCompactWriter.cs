using System.Buffers;
using System.Buffers.Binary;

namespace Larder.Parquet.Thrift;

/// <summary>
/// Writes the Thrift compact protocol into an <see cref="IBufferWriter{T}"/>. Field headers use the short form when the
/// id delta is 1–15 and the long form otherwise; lists use the short size form for 0–14 elements. Usage for a struct:
/// <c>var saved = w.BeginStruct(); w.WriteI32Field(1, v); ... w.EndStruct(saved);</c>; a nested struct field is
/// <c>w.WriteFieldHeader(id, CompactType.Struct)</c> followed by <c>BeginStruct</c>/<c>EndStruct</c>. The writer does not
/// validate field order or required fields: the metadata encoders do. Not thread safe; pass it by <c>ref</c>.
/// </summary>
internal ref struct ThriftCompactWriter
{
    private readonly IBufferWriter<byte> _output;
    private short _lastFieldId;

    /// <summary>Writes to <paramref name="output"/>.</summary>
    public ThriftCompactWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Starts a struct (its fields' ids are deltas from 0); returns the enclosing last field id for <see cref="EndStruct"/>.</summary>
    public short BeginStruct()
    {
        short saved = _lastFieldId;
        _lastFieldId = 0;
        return saved;
    }

    /// <summary>Writes the stop field and restores the enclosing struct's field-id base.</summary>
    public void EndStruct(short saved)
    {
        WriteByte(0);
        _lastFieldId = saved;
    }

    /// <summary>A field header; a bool field is written with <see cref="WriteBoolField"/> instead.</summary>
    public void WriteFieldHeader(short id, CompactType type)
    {
        int delta = id - _lastFieldId;
        if (delta is > 0 and <= 15)
        {
            WriteByte((byte)((delta << 4) | (int)type));
        }
        else
        {
            WriteByte((byte)type);
            WriteVarint(ZigZag(id));
        }

        _lastFieldId = id;
    }

    public void WriteBoolField(short id, bool value) => WriteFieldHeader(id, value ? CompactType.BoolTrue : CompactType.BoolFalse);

    public void WriteI8Field(short id, sbyte value)
    {
        WriteFieldHeader(id, CompactType.Byte);
        WriteI8(value);
    }

    public void WriteI16Field(short id, short value)
    {
        WriteFieldHeader(id, CompactType.I16);
        WriteI16(value);
    }

    public void WriteI32Field(short id, int value)
    {
        WriteFieldHeader(id, CompactType.I32);
        WriteI32(value);
    }

    public void WriteI64Field(short id, long value)
    {
        WriteFieldHeader(id, CompactType.I64);
        WriteI64(value);
    }

    public void WriteDoubleField(short id, double value)
    {
        WriteFieldHeader(id, CompactType.Double);
        WriteDouble(value);
    }

    public void WriteBinaryField(short id, ReadOnlySpan<byte> value)
    {
        WriteFieldHeader(id, CompactType.Binary);
        WriteBinary(value);
    }

    public void WriteStringField(short id, string value)
    {
        WriteFieldHeader(id, CompactType.Binary);
        WriteString(value);
    }

    /// <summary>A list or set header (short form for fewer than 15 elements); the elements follow.</summary>
    public void WriteListHeader(CompactType elementType, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count < 15)
        {
            WriteByte((byte)((count << 4) | (int)elementType));
        }
        else
        {
            WriteByte((byte)(0xF0 | (int)elementType));
            WriteVarint((uint)count);
        }
    }

    /// <summary>A map header (a single 0 byte when empty); the key/value pairs follow.</summary>
    public void WriteMapHeader(CompactType keyType, CompactType valueType, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        WriteVarint((uint)count);
        if (count > 0)
        {
            WriteByte((byte)(((int)keyType << 4) | (int)valueType));
        }
    }

    /// <summary>A bool list element: one byte, 1 or 0.</summary>
    public void WriteBoolElement(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteI8(sbyte value) => WriteByte(unchecked((byte)value));

    public void WriteI16(short value) => WriteVarint(ZigZag(value));

    public void WriteI32(int value) => WriteVarint(ZigZag(value));

    public void WriteI64(long value) => WriteVarint(ZigZag(value));

    public void WriteDouble(double value)
    {
        var span = _output.GetSpan(8);
        BinaryPrimitives.WriteDoubleLittleEndian(span, value);
        Advance(8);
    }

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteVarint((uint)value.Length);
        if (!value.IsEmpty)
        {
            value.CopyTo(_output.GetSpan(value.Length));
            Advance(value.Length);
        }
    }

    /// <summary>A string as UTF-8 binary (unpaired surrogates become U+FFFD).</summary>
    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int length = System.Text.Encoding.UTF8.GetByteCount(value);
        WriteVarint((uint)length);
        if (length > 0)
        {
            int written = System.Text.Encoding.UTF8.GetBytes(value, _output.GetSpan(length));
            Advance(written);
        }
    }

    /// <summary>An unsigned LEB128 varint (1 to 10 bytes).</summary>
    public void WriteVarint(ulong value)
    {
        var span = _output.GetSpan(10);
        int n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        Advance(n);
    }

    /// <summary>Zigzag of a 32-bit value (small magnitudes of either sign become small unsigned values).</summary>
    public static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    /// <summary>Zigzag of a 64-bit value.</summary>
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private void WriteByte(byte value)
    {
        _output.GetSpan(1)[0] = value;
        Advance(1);
    }

    private void Advance(int count)
    {
        _output.Advance(count);
        BytesWritten += count;
    }
}
