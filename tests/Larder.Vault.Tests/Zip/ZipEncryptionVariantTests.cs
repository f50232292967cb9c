using System.Buffers.Binary;
using Larder.Storage.Zip;
using static Larder.Vault.Tests.Zip.ZipTestSupport;

namespace Larder.Vault.Tests.Zip;

/// <summary>Encryption variants 7-Zip does not produce on demand: AE-1 (CRC recorded) and ZipCrypto with a data descriptor.</summary>
public sealed class ZipEncryptionVariantTests
{
    private const string Password = "secret";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReadAllBytes_Ae1Entry_ChecksRecordedCrc(bool rightCrc)
    {
        byte[] content = TextBytes(5000, 51);
        byte[] bytes = Build(u => u.Put("m/x", content, new ZipEntryOptions { Password = Password }));
        uint crc = Larder.Checksums.Crc32.Compute(content) ^ (rightCrc ? 0u : 1u);
        byte[] ae2 = [0x01, 0x99, 0x07, 0x00, 0x02, 0x00, (byte)'A', (byte)'E'];
        int patched = 0;
        for (int i = 0; i + ae2.Length <= bytes.Length; i++)
        {
            if (bytes.AsSpan(i, ae2.Length).SequenceEqual(ae2))
            {
                bytes[i + 4] = 1;
                patched++;
            }
        }

        Assert.Equal(2, patched);
        int cd = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 6));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(14), crc);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(cd + 16), crc);

        using ZipArchiveReader reader = Open(bytes);
        ZipEntry entry = reader.Get("m/x");
        Assert.Equal(1, entry.AesVersion);
        if (rightCrc)
        {
            Assert.Equal(content, reader.ReadAllBytes(entry, Password));
        }
        else
        {
            Assert.Throws<LarderChecksumException>(() => reader.ReadAllBytes(entry, Password));
        }
    }

    [Theory]
    [InlineData(Password, true)]
    [InlineData("wrong!", false)]
    public void ReadAllBytes_ZipCryptoWithDataDescriptor_ChecksTimeByte(string password, bool opens)
    {
        byte[] content = TextBytes(777, 52);
        byte[] bytes = ZipCryptoArchive(content, dosTime: 0x5A3C);
        using ZipArchiveReader reader = Open(bytes);
        ZipEntry entry = reader.Get("z");
        Assert.Equal(ZipEncryption.ZipCrypto, entry.Encryption);
        if (opens)
        {
            Assert.Equal(content, reader.ReadAllBytes(entry, password));
        }
        else
        {
            Assert.Throws<LarderAuthException>(() => reader.ReadAllBytes(entry, password));
        }
    }

    [Fact]
    public void WriteTo_CopyOfZipCryptoDescriptorEntry_StillDecrypts()
    {
        byte[] content = TextBytes(777, 53);
        using ZipArchiveReader source = Open(ZipCryptoArchive(content, dosTime: 0x1234));
        byte[] copy = Build(u => u.Put("other", "1"u8.ToArray()), source);
        using ZipArchiveReader reader = Open(copy);
        Assert.Equal(content, reader.ReadAllBytes(reader.Get("z"), Password));
    }

    /// <summary>One stored ZipCrypto entry with flag bit 3, so the header's check byte is the high byte of the time.</summary>
    private static byte[] ZipCryptoArchive(byte[] content, ushort dosTime)
    {
        const ushort flags = 1 | 8;
        const ushort date = (39 << 9) | (12 << 5) | 8;
        uint crc = Larder.Checksums.Crc32.Compute(content);
        byte[] data = new byte[12 + content.Length];
        RandomBytes(11, 54).CopyTo(data, 0);
        data[11] = (byte)(dosTime >> 8);
        content.CopyTo(data, 12);
        var cipher = new ZipCryptoCipher(System.Text.Encoding.UTF8.GetBytes(Password));
        cipher.Encrypt(data);

        using var output = new MemoryStream();
        var w = new BinaryWriter(output);
        w.Write(0x04034b50u);
        w.Write((ushort)20);
        w.Write(flags);
        w.Write((ushort)0);
        w.Write(dosTime);
        w.Write(date);
        w.Write(0u);
        w.Write(0u);
        w.Write(0u);
        w.Write((ushort)1);
        w.Write((ushort)0);
        w.Write((byte)'z');
        w.Write(data);
        w.Write(0x08074b50u);
        w.Write(crc);
        w.Write((uint)data.Length);
        w.Write((uint)content.Length);
        long cd = output.Position;
        w.Write(0x02014b50u);
        w.Write((ushort)20);
        w.Write((ushort)20);
        w.Write(flags);
        w.Write((ushort)0);
        w.Write(dosTime);
        w.Write(date);
        w.Write(crc);
        w.Write((uint)data.Length);
        w.Write((uint)content.Length);
        w.Write((ushort)1);
        w.Write((ushort)0);
        w.Write((ushort)0);
        w.Write((ushort)0);
        w.Write((ushort)0);
        w.Write(0u);
        w.Write(0u);
        w.Write((byte)'z');
        long cdSize = output.Position - cd;
        w.Write(0x06054b50u);
        w.Write((ushort)0);
        w.Write((ushort)0);
        w.Write((ushort)1);
        w.Write((ushort)1);
        w.Write((uint)cdSize);
        w.Write((uint)cd);
        w.Write((ushort)0);
        w.Flush();
        return output.ToArray();
    }
}
