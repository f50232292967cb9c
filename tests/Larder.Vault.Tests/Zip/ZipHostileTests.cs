using System.Buffers.Binary;
using Larder.Storage.Zip;
using static Larder.Vault.Tests.Zip.ZipTestSupport;

namespace Larder.Vault.Tests.Zip;

/// <summary>Damaged and hostile archives fail with Larder errors, never with another exception.</summary>
public sealed class ZipHostileTests
{
    private const string Password = "pw";

    private static readonly byte[] Archive = Build(u =>
    {
        u.Put("m/text", TextBytes(3000, 41));
        u.Put("m/stored", RandomBytes(500, 42), new ZipEntryOptions { Compression = ZipCompression.Stored });
        u.Put("m/secret", TextBytes(2000, 43), new ZipEntryOptions { Password = Password });
        u.Put("m/empty", Array.Empty<byte>());
        u.Comment = "comment"u8.ToArray();
    });

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int seed = 0; seed < 300; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ReadAll_MutatedArchive_ReadsOrThrowsLarderError(int seed)
    {
        var random = new Random(seed);
        byte[] bytes = (byte[])Archive.Clone();
        int flips = 1 + random.Next(4);
        for (int i = 0; i < flips; i++)
        {
            int at = random.Next(bytes.Length);
            bytes[at] = random.Next(3) == 0 ? (byte)0xFF : (byte)(bytes[at] ^ (1 << random.Next(8)));
        }

        if (random.Next(4) == 0)
        {
            bytes = bytes[..random.Next(bytes.Length)];
        }

        ReadEverything(bytes);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ReadAll_TruncatedArchive_ThrowsFormatOrReads(int seed)
    {
        int length = new Random(seed).Next(Archive.Length);
        ReadEverything(Archive[..length]);
    }

    [Fact]
    public void Open_EntriesOverlapping_ThrowsFormat()
    {
        byte[] bytes = (byte[])Archive.Clone();
        int cd = CentralDirectoryOffset(bytes);

        // Point the second central record at the first entry's local header.
        int second = NextCentralRecord(bytes, cd);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(second + 42), 0);
        var error = Assert.ThrowsAny<LarderFormatException>(() => Open(bytes));
        Assert.Contains("overlaps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_EntryCountBeyondDirectory_ThrowsFormat()
    {
        byte[] bytes = (byte[])Archive.Clone();
        int eocd = bytes.Length - 22 - 7;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(eocd + 8), 60_000);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(eocd + 10), 60_000);
        Assert.ThrowsAny<LarderFormatException>(() => Open(bytes));
    }

    [Fact]
    public void OpenEntry_DeflateSizeBeyondPossibleRatio_ThrowsFormat()
    {
        byte[] bytes = (byte[])Archive.Clone();
        int cd = CentralDirectoryOffset(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(cd + 24), 2_000_000_000);
        using ZipArchiveReader reader = Open(bytes);
        Assert.ThrowsAny<LarderFormatException>(() => reader.ReadAllBytes(reader.Get("m/text")));
    }

    [Fact]
    public void Open_NotAZip_ThrowsFormat()
    {
        Assert.ThrowsAny<LarderFormatException>(() => Open([]));
        Assert.ThrowsAny<LarderFormatException>(() => Open(new byte[100]));
        Assert.ThrowsAny<LarderFormatException>(() => Open(TextBytes(1000, 1)));
    }

    private static void ReadEverything(byte[] bytes)
    {
        try
        {
            using ZipArchiveReader reader = Open(bytes);
            foreach (ZipEntry entry in reader.Entries)
            {
                try
                {
                    reader.ReadAllBytes(entry, Password);
                }
                catch (LarderFormatException)
                {
                }
                catch (LarderAuthException) when (entry.IsEncrypted)
                {
                    // A damaged salt or password verifier reads as a wrong password.
                }
            }
        }
        catch (LarderFormatException)
        {
        }
    }

    private static int CentralDirectoryOffset(byte[] bytes)
        => (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 22 - 7 + 16));

    private static int NextCentralRecord(byte[] bytes, int at)
        => at + 46 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 28)) + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 30)) + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 32));
}
