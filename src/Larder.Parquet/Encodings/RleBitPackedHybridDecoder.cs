using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Larder.Parquet.Encodings;

/// <summary>A fixed buffer of 8 ints (one bit-packed group).</summary>
[InlineArray(8)]
internal struct Int32x8
{
    private int _element0;
}

/// <summary>
/// Streaming decoder of the RLE / bit-packed hybrid encoding (definition and repetition levels, dictionary indices, RLE
/// booleans) for bit widths 0..32. Holds a span over the encoded runs (without any length prefix); values are produced in
/// order by successive <see cref="Read"/> calls. RLE runs are filled with <see cref="Span{T}.Fill"/>, bit-packed runs are
/// unpacked 8 values at a time straight into the destination.
/// </summary>
/// <remarks>
/// Hostile input: run headers must be ULEB128 values of at most 32 bits with a non-zero run length; an RLE value must fit
/// the bit width; a bit-packed run that claims more bytes than remain is read only as far as the bytes go (some writers
/// truncate the final group). Nothing is allocated; every call finishes in time proportional to the values produced plus
/// the bytes consumed.
/// </remarks>
[SkipLocalsInit]
internal ref struct RleBitPackedHybridDecoder
{
    private const string Name = "RLE/bit-packed hybrid";

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _bitWidth;
    private readonly long _baseOffset;
    private int _position;
    private int _rleRemaining;
    private int _rleValue;
    private long _literalRemaining;
    private Int32x8 _buffer;
    private int _bufferIndex;
    private int _bufferCount;

    /// <summary>
    /// Decodes <paramref name="data"/>, the encoded runs with no length prefix (v2 page levels; dictionary indices after
    /// their bit-width byte). <paramref name="baseOffset"/> is added to offsets in error messages.
    /// </summary>
    /// <exception cref="LarderFormatException"><paramref name="bitWidth"/> is outside 0..32.</exception>
    public RleBitPackedHybridDecoder(ReadOnlySpan<byte> data, int bitWidth, long baseOffset = 0)
    {
        if ((uint)bitWidth > 32)
        {
            throw EncodingErrors.BitWidth(Name, bitWidth, 32, baseOffset);
        }

        _data = data;
        _bitWidth = bitWidth;
        _baseOffset = baseOffset;
    }

    /// <summary>The bit width values are decoded with.</summary>
    public readonly int BitWidth => _bitWidth;

    /// <summary>Bytes of the encoded runs consumed so far (run headers and whole groups read).</summary>
    public readonly int BytesConsumed => _position;

    /// <summary>
    /// Decodes a section that starts with its 4-byte little-endian length (levels in v1 data pages, RLE booleans).
    /// <paramref name="bytesConsumed"/> is 4 plus that length: where the next section of the page starts.
    /// </summary>
    /// <exception cref="LarderFormatException">The prefix is missing or longer than the data, or the bit width is invalid.</exception>
    public static RleBitPackedHybridDecoder CreateWithLengthPrefix(ReadOnlySpan<byte> data, int bitWidth, out int bytesConsumed, long baseOffset = 0)
    {
        if (data.Length < 4)
        {
            throw EncodingErrors.Truncated(Name, "the 4-byte length prefix", baseOffset);
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (length > (uint)(data.Length - 4))
        {
            throw EncodingErrors.Invalid(Name, $"length prefix {length} exceeds the {data.Length - 4} bytes that follow", baseOffset);
        }

        bytesConsumed = 4 + (int)length;
        return new RleBitPackedHybridDecoder(data.Slice(4, (int)length), bitWidth, baseOffset + 4);
    }

    /// <summary>
    /// Decodes RLE_DICTIONARY / PLAIN_DICTIONARY data-page values: one byte holding the index bit width (0..32), then the
    /// runs up to the end of <paramref name="data"/>.
    /// </summary>
    /// <exception cref="LarderFormatException">The data is empty or the bit width byte is over 32.</exception>
    public static RleBitPackedHybridDecoder CreateForDictionaryIndices(ReadOnlySpan<byte> data, long baseOffset = 0)
    {
        if (data.IsEmpty)
        {
            throw EncodingErrors.Truncated("RLE_DICTIONARY", "the index bit-width byte", baseOffset);
        }

        int bitWidth = data[0];
        if (bitWidth > 32)
        {
            throw EncodingErrors.BitWidth("RLE_DICTIONARY", bitWidth, 32, baseOffset);
        }

        return new RleBitPackedHybridDecoder(data[1..], bitWidth, baseOffset + 1);
    }

    /// <summary>
    /// Decodes up to <c>destination.Length</c> values; returns how many were decoded, fewer only when the encoded data is
    /// exhausted. Values of width 32 keep their bit pattern (may be negative).
    /// </summary>
    /// <exception cref="LarderFormatException">A run header or value is malformed.</exception>
    public int Read(scoped Span<int> destination)
    {
        int written = 0;
        while (written < destination.Length)
        {
            if (_bufferIndex < _bufferCount)
            {
                int n = Math.Min(_bufferCount - _bufferIndex, destination.Length - written);
                ((ReadOnlySpan<int>)_buffer).Slice(_bufferIndex, n).CopyTo(destination[written..]);
                _bufferIndex += n;
                written += n;
                continue;
            }

            if (_rleRemaining > 0)
            {
                int n = Math.Min(_rleRemaining, destination.Length - written);
                destination.Slice(written, n).Fill(_rleValue);
                _rleRemaining -= n;
                written += n;
                continue;
            }

            if (_literalRemaining > 0)
            {
                int want = destination.Length - written;
                if (want >= 8 && _literalRemaining >= 8)
                {
                    int groups = (int)Math.Min(want >> 3, _literalRemaining >> 3);
                    BitPacking.Unpack32(_data[_position..], destination.Slice(written, groups * 8), _bitWidth, groups);
                    _position += groups * _bitWidth;
                    _literalRemaining -= groups * 8;
                    written += groups * 8;
                }
                else
                {
                    int take = (int)Math.Min(8, _literalRemaining);
                    int bytes = Math.Min(_bitWidth, _data.Length - _position);
                    BitPacking.UnpackGroup32Padded(_data.Slice(_position, bytes), _buffer, _bitWidth);
                    _position += bytes;
                    _literalRemaining -= take;
                    _bufferIndex = 0;
                    _bufferCount = take;
                }

                continue;
            }

            if (!NextRun())
            {
                break;
            }
        }

        return written;
    }

    /// <summary>Decodes exactly <c>destination.Length</c> values.</summary>
    /// <exception cref="LarderFormatException">The data is malformed or holds fewer values.</exception>
    public void ReadExactly(scoped Span<int> destination)
    {
        int n = Read(destination);
        if (n < destination.Length)
        {
            throw EncodingErrors.Truncated(Name, $"the runs (needed {destination.Length} values, found {n})", _baseOffset + _position);
        }
    }

    /// <summary>Skips up to <paramref name="count"/> values; returns how many were skipped (fewer only at the end of the data).</summary>
    public long Skip(long count)
    {
        long skipped = 0;
        Span<int> scratch = stackalloc int[256];
        while (skipped < count)
        {
            long left = count - skipped;
            if (_bufferIndex == _bufferCount && _rleRemaining > 0)
            {
                int n = (int)Math.Min(_rleRemaining, left);
                _rleRemaining -= n;
                skipped += n;
                continue;
            }

            if (_bufferIndex == _bufferCount && _literalRemaining >= 8 && left >= 8)
            {
                long groups = Math.Min(left >> 3, _literalRemaining >> 3);
                _position += checked((int)(groups * _bitWidth));
                _literalRemaining -= groups * 8;
                skipped += groups * 8;
                continue;
            }

            int got = Read(scratch[..(int)Math.Min(scratch.Length, left)]);
            if (got == 0)
            {
                break;
            }

            skipped += got;
        }

        return skipped;
    }

    private bool NextRun()
    {
        if (_position >= _data.Length)
        {
            return false;
        }

        int headerAt = _position;
        uint header = Varint.ReadUInt32(_data, ref _position, Name, _baseOffset);
        uint count = header >> 1;
        if (count == 0)
        {
            throw EncodingErrors.Invalid(Name, "run of length 0", _baseOffset + headerAt);
        }

        if ((header & 1) == 0)
        {
            int valueBytes = (_bitWidth + 7) >> 3;
            if (_data.Length - _position < valueBytes)
            {
                throw EncodingErrors.Truncated(Name, "an RLE run value", _baseOffset + _position);
            }

            uint value = 0;
            for (int i = 0; i < valueBytes; i++)
            {
                value |= (uint)_data[_position + i] << (8 * i);
            }

            if (_bitWidth < 32 && value >> _bitWidth != 0)
            {
                throw EncodingErrors.Invalid(Name, $"RLE run value {value} does not fit in bit width {_bitWidth}", _baseOffset + _position);
            }

            _position += valueBytes;
            _rleValue = (int)value;
            _rleRemaining = (int)count;
        }
        else
        {
            long values = (long)count * 8;
            if (_bitWidth > 0)
            {
                long available = (long)(_data.Length - _position) * 8 / _bitWidth;
                if (available == 0)
                {
                    throw EncodingErrors.Truncated(Name, "a bit-packed run", _baseOffset + _position);
                }

                values = Math.Min(values, available);
            }

            _literalRemaining = values;
        }

        return true;
    }
}
