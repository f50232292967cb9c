using System.Security.Cryptography;

namespace Larder.Storage.Zip;

/// <summary>
/// A write-only pass-through that counts the bytes and computes their CRC-32 (and SHA-256 when asked) on the way to the
/// inner stream, which it never disposes.
/// </summary>
internal sealed class ChecksumWriteStream : WriteOnlyStreamBase
{
    private readonly Stream _inner;
    private readonly IncrementalHash? _sha;
    private uint _crc;

    public ChecksumWriteStream(Stream inner, bool sha256)
    {
        _inner = inner;
        _sha = sha256 ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    }

    public uint Crc32 => _crc;

    /// <summary>The number of bytes written so far.</summary>
    public long Count { get; private set; }

    public byte[] GetSha256() => _sha?.GetHashAndReset() ?? [];

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Observe(buffer);
        _inner.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_sha is null || buffer.Length < 2 * PipelineSlice)
        {
            Observe(buffer.Span);
            await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            return;
        }

        // A large write (a whole array): SHA-256, the slowest step, hashes one slice on another thread while this one
        // checksums and writes the slice before; the caller's buffer is not touched after this method returns.
        Task hashing = Task.CompletedTask;
        try
        {
            for (int offset = 0; offset < buffer.Length; offset += PipelineSlice)
            {
                ReadOnlyMemory<byte> slice = buffer.Slice(offset, Math.Min(PipelineSlice, buffer.Length - offset));
                await hashing.ConfigureAwait(false);
                IncrementalHash sha = _sha;
                hashing = Task.Run(() => sha.AppendData(slice.Span), cancellationToken);
                _crc = Larder.Checksums.Crc32.Compute(_crc, slice.Span);
                Count += slice.Length;
                await _inner.WriteAsync(slice, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // Never leave a hash running over the caller's memory.
            await hashing.ConfigureAwait(false);
        }
    }

    private const int PipelineSlice = 4 << 20;

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha?.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Observe(ReadOnlySpan<byte> buffer)
    {
        _crc = Larder.Checksums.Crc32.Compute(_crc, buffer);
        _sha?.AppendData(buffer);
        Count += buffer.Length;
    }
}
