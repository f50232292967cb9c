using System.Security.Cryptography;

namespace Larder.Vault;

/// <summary>A read-only pass-through that computes the CRC-32 and SHA-256 of every byte read; disposes the inner stream.</summary>
internal sealed class HashingReadStream(Stream inner) : Larder.Storage.Zip.ReadOnlyStreamBase
{
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private uint _crc;

    public long Count { get; private set; }

    /// <summary>The checksums of everything read; call once, after the end was reached.</summary>
    public VaultHashes Result() => new(_crc, Convert.ToHexStringLower(_sha.GetHashAndReset()));

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        Observe(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Observe(ReadOnlySpan<byte> data)
    {
        _crc = Larder.Checksums.Crc32.Compute(_crc, data);
        _sha.AppendData(data);
        Count += data.Length;
    }
}
