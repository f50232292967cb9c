using System.Buffers.Binary;

namespace Larder.Storage.Zip;

/// <summary>The traditional PKWARE stream cipher ("ZipCrypto", APPNOTE §6.1): three 32-bit keys driven by CRC-32.</summary>
internal struct ZipCryptoCipher
{
    public const int HeaderSize = 12;

    private static readonly uint[] CrcTable = BuildTable();

    private uint _key0;
    private uint _key1;
    private uint _key2;

    public ZipCryptoCipher(ReadOnlySpan<byte> password)
    {
        _key0 = 0x12345678;
        _key1 = 0x23456789;
        _key2 = 0x34567890;
        foreach (byte b in password)
        {
            UpdateKeys(b);
        }
    }

    public void Decrypt(Span<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            byte plain = (byte)(data[i] ^ StreamByte());
            UpdateKeys(plain);
            data[i] = plain;
        }
    }

    public void Encrypt(Span<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            byte plain = data[i];
            data[i] = (byte)(plain ^ StreamByte());
            UpdateKeys(plain);
        }
    }

    private readonly byte StreamByte()
    {
        uint temp = (_key2 | 2) & 0xFFFF;
        return (byte)((temp * (temp ^ 1)) >> 8);
    }

    private void UpdateKeys(byte b)
    {
        _key0 = CrcTable[(_key0 ^ b) & 0xFF] ^ (_key0 >> 8);
        _key1 = ((_key1 + (_key0 & 0xFF)) * 134775813) + 1;
        _key2 = CrcTable[(_key2 ^ (_key1 >> 24)) & 0xFF] ^ (_key2 >> 8);
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}

/// <summary>Decrypts a ZipCrypto-encrypted stream (after its 12-byte header) as it is read.</summary>
internal sealed class ZipCryptoReadStream(Stream inner, ZipCryptoCipher cipher) : ReadOnlyStreamBase
{
    private ZipCryptoCipher _cipher = cipher;

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        _cipher.Decrypt(buffer[..n]);
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
