using System.Security.Cryptography;

namespace Larder.Checksums;

/// <summary>
/// SHA-256, one-shot or incremental, with lower-case hexadecimal output (the form data_vault and most manifests store).
/// </summary>
/// <remarks>
/// The static methods are thread-safe. An instance wraps an <see cref="IncrementalHash"/>, is not thread-safe, and must
/// be disposed to release the platform hash context.
/// </remarks>
public sealed class Sha256 : IDisposable
{
    /// <summary>The size of the hash in bytes.</summary>
    public const int HashSizeInBytes = 32;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>The SHA-256 of <paramref name="data"/>.</summary>
    public static byte[] Compute(ReadOnlySpan<byte> data) => SHA256.HashData(data);

    /// <summary>Writes the SHA-256 of <paramref name="data"/> to <paramref name="destination"/> (at least 32 bytes); returns 32.</summary>
    public static int Compute(ReadOnlySpan<byte> data, Span<byte> destination) => SHA256.HashData(data, destination);

    /// <summary>The SHA-256 of <paramref name="data"/> as 64 lower-case hexadecimal digits.</summary>
    public static string ComputeHex(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[HashSizeInBytes];
        SHA256.HashData(data, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// The SHA-256 of the rest of <paramref name="stream"/> (read to its end; not disposed) as lower-case hexadecimal.
    /// </summary>
    public static string ComputeHex(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> hash = stackalloc byte[HashSizeInBytes];
        SHA256.HashData(stream, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Lower-case hexadecimal of any bytes.</summary>
    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Adds <paramref name="data"/> to the running hash.</summary>
    public void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

    /// <summary>The hash of everything appended so far; does not reset.</summary>
    public byte[] GetCurrentHash() => _hash.GetCurrentHash();

    /// <summary>The hash of everything appended so far as lower-case hexadecimal; does not reset.</summary>
    public string GetCurrentHashHex()
    {
        Span<byte> hash = stackalloc byte[HashSizeInBytes];
        _hash.GetCurrentHash(hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The hash of everything appended so far, then resets to the empty state.</summary>
    public byte[] GetHashAndReset() => _hash.GetHashAndReset();

    /// <summary>The hash of everything appended so far as lower-case hexadecimal, then resets to the empty state.</summary>
    public string GetHashHexAndReset()
    {
        Span<byte> hash = stackalloc byte[HashSizeInBytes];
        _hash.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Releases the platform hash context.</summary>
    public void Dispose() => _hash.Dispose();
}
