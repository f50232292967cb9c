using System.Runtime.CompilerServices;

namespace Larder.Parquet.Encodings;

/// <summary>A fixed buffer of 8 longs (one decoded group).</summary>
[InlineArray(8)]
internal struct Int64x8
{
    private long _element0;
}

/// <summary>
/// Streaming decoder of DELTA_BINARY_PACKED for INT32 and INT64. The header is parsed and validated on construction;
/// values come out in order from successive <c>Read</c> calls. Arithmetic wraps in two's complement as the specification
/// requires; INT32 results are the low 32 bits of the 64-bit computation (identical to 32-bit wrapping arithmetic).
/// </summary>
/// <remarks>
/// Hostile input: block size must be a positive multiple of 128, the miniblock count must divide it into multiples of 32,
/// the total count must fit an int and be reachable with the bytes present (each block costs at least 1 + miniblocks
/// bytes), every used miniblock bit width must be 0..64 and its whole body present. Nothing is allocated.
/// </remarks>
[SkipLocalsInit]
internal ref struct DeltaBinaryPackedDecoder
{
    private const string Name = "DELTA_BINARY_PACKED";
    private const int ScratchValues = 256;

    private readonly ReadOnlySpan<byte> _data;
    private readonly long _baseOffset;
    private readonly int _miniblocksPerBlock;
    private readonly int _valuesPerMiniblock;
    private readonly int _totalCount;
    private int _remaining;
    private bool _firstPending;
    private ulong _last;
    private int _position;
    private ulong _minDelta;
    private int _widthsAt;
    private int _miniblockIndex;
    private int _miniblockRemaining;
    private int _bitWidth;
    private int _groupAt;
    private Int64x8 _pending;
    private int _pendingIndex;
    private int _pendingCount;

    /// <summary>Parses the header at the start of <paramref name="data"/>; the encoded values may be followed by other data.</summary>
    /// <exception cref="LarderFormatException">The header is malformed or announces more values than the data can hold.</exception>
    public DeltaBinaryPackedDecoder(ReadOnlySpan<byte> data, long baseOffset = 0)
    {
        _data = data;
        _baseOffset = baseOffset;
        int p = 0;
        ulong blockSize = Varint.ReadUInt64(data, ref p, Name, baseOffset);
        if (blockSize == 0 || blockSize % 128 != 0 || blockSize > int.MaxValue)
        {
            throw EncodingErrors.Invalid(Name, $"block size {blockSize} is not a positive multiple of 128", baseOffset);
        }

        int miniAt = p;
        ulong miniblocks = Varint.ReadUInt64(data, ref p, Name, baseOffset);
        if (miniblocks == 0 || miniblocks > blockSize || blockSize % miniblocks != 0 || (blockSize / miniblocks) % 32 != 0)
        {
            throw EncodingErrors.Invalid(Name, $"{miniblocks} miniblocks do not divide block size {blockSize} into multiples of 32 values", baseOffset + miniAt);
        }

        int countAt = p;
        ulong total = Varint.ReadUInt64(data, ref p, Name, baseOffset);
        if (total > int.MaxValue)
        {
            throw EncodingErrors.Invalid(Name, $"value count {total} is over {int.MaxValue}", baseOffset + countAt);
        }

        long first = Varint.ReadZigZag64(data, ref p, Name, baseOffset);
        _miniblocksPerBlock = (int)miniblocks;
        _valuesPerMiniblock = (int)(blockSize / miniblocks);
        _totalCount = (int)total;
        _remaining = _totalCount;
        _firstPending = total > 0;
        _last = (ulong)first;
        _position = p;

        // Fail fast on counts the bytes cannot hold: every block needs a min delta byte plus its bit-width bytes.
        long deltas = Math.Max(0, _totalCount - 1L);
        long blocks = (deltas + (long)blockSize - 1) / (long)blockSize;
        if (blocks * (1 + _miniblocksPerBlock) > data.Length - p)
        {
            throw EncodingErrors.Truncated(Name, $"{total} values in blocks of {blockSize}", baseOffset + p);
        }
    }

    /// <summary>The number of values the header announces.</summary>
    public readonly int TotalCount => _totalCount;

    /// <summary>Values not yet read.</summary>
    public readonly int Remaining => _remaining;

    /// <summary>
    /// Bytes of the encoding consumed so far; once every value has been read, the size of the whole encoding (where data
    /// that follows it, as in DELTA_LENGTH_BYTE_ARRAY, starts).
    /// </summary>
    public readonly int BytesConsumed => _position;

    /// <summary>Decodes up to <c>destination.Length</c> INT64 values; returns how many (fewer only at the end).</summary>
    /// <exception cref="LarderFormatException">A block is malformed or truncated.</exception>
    public int Read(scoped Span<long> destination) => ReadCore(destination);

    /// <summary>Decodes up to <c>destination.Length</c> INT32 values (wrapping 32-bit arithmetic); returns how many.</summary>
    public int Read(scoped Span<int> destination) => ReadCore(destination);

    /// <summary>Decodes exactly <c>destination.Length</c> values.</summary>
    public void ReadExactly(scoped Span<long> destination) => CheckExact(Read(destination), destination.Length);

    /// <summary>Decodes exactly <c>destination.Length</c> values.</summary>
    public void ReadExactly(scoped Span<int> destination) => CheckExact(Read(destination), destination.Length);

    /// <summary>Reads and discards every remaining value, leaving <see cref="BytesConsumed"/> at the end of the encoding.</summary>
    public void SkipToEnd()
    {
        Span<long> scratch = stackalloc long[ScratchValues];
        while (_remaining > 0)
        {
            Read(scratch);
        }
    }

    private readonly void CheckExact(int got, int wanted)
    {
        if (got < wanted)
        {
            throw EncodingErrors.CountMismatch(Name, _totalCount, _totalCount + (wanted - got), _baseOffset);
        }
    }

    private int ReadCore<T>(scoped Span<T> destination)
        where T : unmanaged
    {
        int n = Math.Min(destination.Length, _remaining);
        if (n == 0)
        {
            return 0;
        }

        int written = 0;
        if (_firstPending)
        {
            Store(destination, 0, _last);
            _firstPending = false;
            written = 1;
        }

        Span<ulong> scratch = stackalloc ulong[ScratchValues];
        while (written < n)
        {
            if (_pendingIndex < _pendingCount)
            {
                int take = Math.Min(_pendingCount - _pendingIndex, n - written);
                for (int k = 0; k < take; k++)
                {
                    Store(destination, written + k, (ulong)_pending[_pendingIndex + k]);
                }

                _pendingIndex += take;
                written += take;
                continue;
            }

            if (_miniblockRemaining == 0)
            {
                StartMiniblock();
            }

            int want = n - written;
            int groups = Math.Min(Math.Min(want >> 3, _miniblockRemaining >> 3), ScratchValues / 8);
            if (groups > 0)
            {
                int count = groups * 8;
                BitPacking.Unpack64(_data[_groupAt..], scratch, _bitWidth, groups);
                ulong last = _last;
                ulong minDelta = _minDelta;
                for (int k = 0; k < count; k++)
                {
                    last += minDelta + scratch[k];
                    Store(destination, written + k, last);
                }

                _last = last;
                _groupAt += groups * _bitWidth;
                _miniblockRemaining -= count;
                written += count;
            }
            else
            {
                // Fewer than 8 wanted: decode one group into the pending buffer.
                BitPacking.Unpack64(_data[_groupAt..], scratch, _bitWidth, 1);
                ulong last = _last;
                for (int k = 0; k < 8; k++)
                {
                    last += _minDelta + scratch[k];
                    _pending[k] = (long)last;
                }

                _last = last;
                _groupAt += _bitWidth;
                _miniblockRemaining -= 8;
                _pendingIndex = 0;
                _pendingCount = 8;
            }
        }

        _remaining -= n;
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Span<T> destination, int index, ulong value)
        where T : unmanaged
    {
        if (typeof(T) == typeof(long))
        {
            Unsafe.As<T, long>(ref destination[index]) = (long)value;
        }
        else
        {
            Unsafe.As<T, int>(ref destination[index]) = (int)value;
        }
    }

    private void StartMiniblock()
    {
        if (_widthsAt == 0 || _miniblockIndex == _miniblocksPerBlock)
        {
            StartBlock();
        }

        int width = _data[_widthsAt + _miniblockIndex];
        if (width > 64)
        {
            throw EncodingErrors.BitWidth(Name, width, 64, _baseOffset + _widthsAt + _miniblockIndex);
        }

        long bytes = (long)_valuesPerMiniblock * width / 8;
        if (bytes > _data.Length - _position)
        {
            throw EncodingErrors.Truncated(Name, $"a miniblock of {_valuesPerMiniblock} values of {width} bits", _baseOffset + _position);
        }

        _bitWidth = width;
        _groupAt = _position;
        _position += (int)bytes;
        _miniblockRemaining = _valuesPerMiniblock;
        _miniblockIndex++;
    }

    private void StartBlock()
    {
        int at = _position;
        _minDelta = (ulong)Varint.ReadZigZag64(_data, ref _position, Name, _baseOffset);
        if (_data.Length - _position < _miniblocksPerBlock)
        {
            throw EncodingErrors.Truncated(Name, "the miniblock bit widths of a block", _baseOffset + at);
        }

        _widthsAt = _position;
        _position += _miniblocksPerBlock;
        _miniblockIndex = 0;
    }
}
