using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace Larder.Storage.Zip;

/// <summary>
/// WinZip AES encryption (AE-1/AE-2): keys from PBKDF2-HMAC-SHA1 (1000 iterations) over the password and a salt, AES in
/// counter mode with a little-endian counter starting at 1, and the first 10 bytes of HMAC-SHA1 over the ciphertext.
/// </summary>
internal static class WinZipAes
{
    public const int VerifierSize = 2;
    public const int MacSize = 10;
    public const int Iterations = 1000;

    /// <summary>Salt length for strength 1/2/3 (AES-128/192/256).</summary>
    public static int SaltSize(int strength) => strength switch
    {
        1 => 8,
        2 => 12,
        3 => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(strength)),
    };

    public static int KeySize(int strength) => 8 + (8 * strength);

    /// <summary>Bytes an encrypted entry holds beyond its (compressed) data: salt, verifier, authentication code.</summary>
    public static int Overhead(int strength) => SaltSize(strength) + VerifierSize + MacSize;

    /// <summary>Derives the encryption key, the authentication key and the 2-byte password verifier.</summary>
    public static (byte[] EncryptionKey, byte[] AuthenticationKey, byte[] Verifier) DeriveKeys(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int strength)
    {
        int keySize = KeySize(strength);
#pragma warning disable CA5379 // The WinZip AES format fixes PBKDF2 to HMAC-SHA1.
        byte[] material = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA1, (2 * keySize) + VerifierSize);
#pragma warning restore CA5379
        return (material[..keySize], material[keySize..(2 * keySize)], material[(2 * keySize)..]);
    }

    /// <summary>Keyed HMAC-SHA1 as WinZip AES uses it for the authentication code.</summary>
    public static IncrementalHash CreateMac(byte[] authenticationKey)
        => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, authenticationKey);
}

/// <summary>AES in WinZip's counter mode: XORs data with AES-ECB of a 128-bit little-endian counter that starts at 1.</summary>
internal sealed class AesCtrTransform : IDisposable
{
    private const int BlockSize = 16;
    private const int Batch = 256;

    private readonly Aes _aes;
    private readonly byte[] _counters = new byte[BlockSize * Batch];
    private readonly byte[] _keystream = new byte[BlockSize * Batch];
    private ulong _counterLow = 1;
    private ulong _counterHigh;
    private int _keystreamPosition = BlockSize * Batch;

    public AesCtrTransform(byte[] key)
    {
        _aes = Aes.Create();
        _aes.Key = key;
    }

    public void Transform(Span<byte> data)
    {
        int i = 0;
        while (i < data.Length)
        {
            if (_keystreamPosition == _keystream.Length)
            {
                Refill();
            }

            int n = Math.Min(data.Length - i, _keystream.Length - _keystreamPosition);
            Xor(data.Slice(i, n), _keystream.AsSpan(_keystreamPosition, n));
            i += n;
            _keystreamPosition += n;
        }
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> key)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<byte>.Count <= data.Length; i += Vector<byte>.Count)
            {
                (new Vector<byte>(data[i..]) ^ new Vector<byte>(key[i..])).CopyTo(data[i..]);
            }
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= key[i];
        }
    }

    private void Refill()
    {
        for (int b = 0; b < Batch; b++)
        {
            Span<byte> block = _counters.AsSpan(b * BlockSize, BlockSize);
            BinaryPrimitives.WriteUInt64LittleEndian(block, _counterLow);
            BinaryPrimitives.WriteUInt64LittleEndian(block[8..], _counterHigh);
            if (++_counterLow == 0)
            {
                _counterHigh++;
            }
        }

        _aes.EncryptEcb(_counters, _keystream, PaddingMode.None);
        _keystreamPosition = 0;
    }

    public void Dispose() => _aes.Dispose();
}

/// <summary>Decrypts WinZip AES ciphertext as it is read (the authentication code is checked before, by the reader).</summary>
internal sealed class AesCtrReadStream(Stream inner, AesCtrTransform transform) : ReadOnlyStreamBase
{
    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        transform.Transform(buffer[..n]);
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            transform.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>Encrypts what is written to it and passes the ciphertext on, feeding it to the authentication code.</summary>
internal sealed class AesCtrWriteStream(Stream output, AesCtrTransform transform, IncrementalHash mac) : Stream
{
    private readonly byte[] _buffer = new byte[1 << 16];

    public long BytesWritten { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int n = Math.Min(buffer.Length, _buffer.Length);
            Span<byte> chunk = _buffer.AsSpan(0, n);
            buffer[..n].CopyTo(chunk);
            transform.Transform(chunk);
            mac.AppendData(chunk);
            output.Write(chunk);
            BytesWritten += n;
            buffer = buffer[n..];
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
