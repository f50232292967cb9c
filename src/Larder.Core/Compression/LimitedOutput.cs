using System.Buffers;

namespace Larder.Compression;

/// <summary>
/// The output side of a decoder writing to an <see cref="IBufferWriter{T}"/> under a limit: <see cref="Next"/> hands out
/// chunks of the writer until the limit is reached and then a one-byte probe, and <see cref="Commit"/> records what the
/// decoder produced, throwing when it produced anything into the probe (the output would exceed the limit).
/// </summary>
internal ref struct LimitedOutput
{
    private readonly IBufferWriter<byte> _destination;
    private readonly long _limit;
    private readonly int _chunkSize;
    private readonly string _codec;
    private readonly Span<byte> _probe;

    /// <param name="destination">Where the output goes.</param>
    /// <param name="limit">The most bytes to write (not negative).</param>
    /// <param name="chunkSize">The most bytes to ask the writer for at once.</param>
    /// <param name="codec">The codec name for the error message.</param>
    /// <param name="probe">One byte of scratch memory for the probe.</param>
    public LimitedOutput(IBufferWriter<byte> destination, long limit, int chunkSize, string codec, Span<byte> probe)
    {
        _destination = destination;
        _limit = limit;
        _chunkSize = chunkSize;
        _codec = codec;
        _probe = probe;
        Total = 0;
    }

    /// <summary>The bytes written so far.</summary>
    public long Total { get; private set; }

    /// <summary>Whether the limit is reached, so that <see cref="Next"/> hands out the probe.</summary>
    public readonly bool AtLimit => Total == _limit;

    /// <summary>Room for the decoder's next output: a chunk of the writer, at most the bytes left to the limit, or the probe.</summary>
    public readonly Span<byte> Next()
    {
        long remaining = _limit - Total;
        if (remaining == 0)
        {
            return _probe;
        }

        Span<byte> span = _destination.GetSpan((int)Math.Min(remaining, _chunkSize));
        return span.Length > remaining ? span[..(int)remaining] : span;
    }

    /// <summary>Advances the writer past <paramref name="produced"/> bytes written into the last <see cref="Next"/> span.</summary>
    /// <exception cref="LarderFormatException">The span was the probe and the decoder produced output into it.</exception>
    public void Commit(int produced)
    {
        if (AtLimit)
        {
            if (produced > 0)
            {
                throw LarderErrors.CodecOutputLimitExceeded(_codec, _limit);
            }
        }
        else if (produced > 0)
        {
            _destination.Advance(produced);
            Total += produced;
        }
    }
}
