using Larder.Storage.Zip;
using static Larder.Vault.Tests.Zip.ZipTestSupport;

namespace Larder.Vault.Tests.Zip;

public sealed class ZipRoundTripTests : IDisposable
{
    private const string Password = "correct horse";
    private readonly TempDirectory _dir = new();

    public static TheoryData<ZipCompression, bool, int> Cases()
    {
        var data = new TheoryData<ZipCompression, bool, int>();
        foreach (ZipCompression compression in new[] { ZipCompression.Stored, ZipCompression.Deflate })
        {
            foreach (bool encrypted in new[] { false, true })
            {
                foreach (int length in new[] { 0, 1, 15, 16, 17, 4095, 200_000 })
                {
                    data.Add(compression, encrypted, length);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReadAllBytes_WrittenEntry_ReturnsSameBytes(ZipCompression compression, bool encrypted, int length)
    {
        byte[] random = RandomBytes(length, seed: length);
        byte[] text = TextBytes(length, seed: length + 1);
        var options = new ZipEntryOptions { Compression = compression, Password = encrypted ? Password : null };
        byte[] archive = Build(u =>
        {
            u.Put("module/random", random, options);
            u.Put("module/text", new MemoryStream(text), options);
        });

        using ZipArchiveReader reader = Open(archive);
        Assert.Equal(["module/random", "module/text"], reader.Entries.Select(e => e.Name));
        ZipEntry entry = reader.Get("module/random");
        Assert.Equal(encrypted ? ZipEncryption.Aes256 : ZipEncryption.None, entry.Encryption);
        Assert.Equal((int)compression, entry.CompressionMethod);
        Assert.Equal(length, entry.Length);
        Assert.Equal(random, reader.ReadAllBytes(entry, encrypted ? Password : null));
        Assert.Equal(text, reader.ReadAllBytes(reader.Get("module/text"), encrypted ? Password : null));
        if (!encrypted)
        {
            Assert.Equal(Larder.Checksums.Crc32.Compute(random), entry.Crc32);
        }
    }

    [Fact]
    public void Find_NonAsciiName_RoundTripsAsUtf8()
    {
        byte[] archive = Build(u => u.Put("données/größe_σ", "x"u8.ToArray()));
        using ZipArchiveReader reader = Open(archive);
        ZipEntry entry = Assert.Single(reader.Entries);
        Assert.Equal("données/größe_σ", entry.Name);
        Assert.Equal("x"u8.ToArray(), reader.ReadAllBytes(entry));
    }

    [Fact]
    public void Entry_LastModified_RoundTripsDosAndUtcTimes()
    {
        var when = new DateTimeOffset(2019, 12, 8, 11, 58, 31, TimeSpan.Zero);
        byte[] archive = Build(u => u.Put("m/x", "1"u8.ToArray(), new ZipEntryOptions { LastModified = when }));
        using ZipArchiveReader reader = Open(archive);
        ZipEntry entry = reader.Get("m/x");
        Assert.Equal(new DateTime(2019, 12, 8, 11, 58, 30), entry.LastModified);
        Assert.Equal(when, entry.LastModifiedUtc);
    }

    [Fact]
    public void WriteTo_UpdateOfExistingArchive_CopiesUnchangedEntriesRaw()
    {
        byte[] first = Build(u =>
        {
            u.Put("m/keep", TextBytes(10_000, 1));
            u.Put("m/secret", TextBytes(5_000, 2), new ZipEntryOptions { Password = Password });
            u.Put("m/replace", "old"u8.ToArray());
            u.Put("m/delete", "gone"u8.ToArray());
        });
        using ZipArchiveReader original = Open(first);
        byte[] second = Build(
            u =>
            {
                u.Put("m/replace", "new"u8.ToArray());
                Assert.True(u.Delete("m/delete"));
                Assert.False(u.Delete("m/absent"));
                u.Put("m/added", "added"u8.ToArray());
            },
            original);

        using ZipArchiveReader updated = Open(second);
        Assert.Equal(["m/keep", "m/secret", "m/replace", "m/added"], updated.Entries.Select(e => e.Name));
        Assert.Equal(RawBytes(original, "m/keep"), RawBytes(updated, "m/keep"));
        Assert.Equal(RawBytes(original, "m/secret"), RawBytes(updated, "m/secret"));
        Assert.Equal(TextBytes(5_000, 2), updated.ReadAllBytes(updated.Get("m/secret"), Password));
        Assert.Equal("new"u8.ToArray(), updated.ReadAllBytes(updated.Get("m/replace")));
        Assert.Equal("added"u8.ToArray(), updated.ReadAllBytes(updated.Get("m/added")));
        Assert.Null(updated.Find("m/delete"));
    }

    [Fact]
    public void Commit_ExistingFile_ReplacesItAtomicallyAndLeavesNoTempFile()
    {
        string path = _dir.File("storage.zip");
        var update = new ZipArchiveUpdate();
        update.Put("m/a", "1"u8.ToArray());
        update.Commit(path);
        using (ZipArchiveReader reader = ZipArchiveReader.Open(path))
        {
            var next = new ZipArchiveUpdate(reader);
            next.Put("m/b", "2"u8.ToArray());
            next.Comment = "vault"u8.ToArray();
            next.Commit(path);

            // The reader still sees the archive it opened.
            Assert.Equal("1"u8.ToArray(), reader.ReadAllBytes(reader.Get("m/a")));
        }

        using ZipArchiveReader after = ZipArchiveReader.Open(path);
        Assert.Equal(["m/a", "m/b"], after.Entries.Select(e => e.Name));
        Assert.Equal("vault"u8.ToArray(), after.Comment);
        Assert.Equal(["storage.zip"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Commit_WriterFails_LeavesPreviousArchiveIntact()
    {
        string path = _dir.File("storage.zip");
        var update = new ZipArchiveUpdate();
        update.Put("m/a", "1"u8.ToArray());
        update.Commit(path);
        byte[] before = File.ReadAllBytes(path);

        var failing = new ZipArchiveUpdate();
        failing.Put("m/b", new FailingStream());
        Assert.Throws<IOException>(() => failing.Commit(path));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["storage.zip"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void WriteTo_EmptyUpdate_WritesEmptyArchive()
    {
        byte[] archive = Build(_ => { });
        Assert.Equal(22, archive.Length);
        using ZipArchiveReader reader = Open(archive);
        Assert.Empty(reader.Entries);
    }

    [Fact]
    public void WriteTo_MoreThan65535Entries_WritesZip64EndRecord()
    {
        const int count = 70_000;
        byte[] archive = Build(u =>
        {
            for (int i = 0; i < count; i++)
            {
                u.Put($"m/{i}", BitConverter.GetBytes(i), new ZipEntryOptions { Compression = ZipCompression.Stored });
            }
        });

        using ZipArchiveReader reader = Open(archive);
        Assert.Equal(count, reader.Entries.Count);
        Assert.Equal(BitConverter.GetBytes(69_999), reader.ReadAllBytes(reader.Get("m/69999")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    [InlineData("")]
    public void ReadAllBytes_AesEntryWithoutRightPassword_ThrowsAuth(string? password)
    {
        byte[] archive = Build(u => u.Put("m/secret", TextBytes(1000, 3), new ZipEntryOptions { Password = Password }));
        using ZipArchiveReader reader = Open(archive);
        var error = Assert.Throws<LarderAuthException>(() => reader.ReadAllBytes(reader.Get("m/secret"), password));
        Assert.Equal(5, error.ExitCode);
        Assert.Contains("m/secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAllBytes_AesCiphertextFlipped_ThrowsAuthBeforeReturningData()
    {
        byte[] archive = Build(u => u.Put("m/secret", TextBytes(1000, 4), new ZipEntryOptions { Password = Password }));
        using (ZipArchiveReader reader = Open(archive))
        {
            long flip = reader.Get("m/secret").DataOffset + 16 + 2 + 5;
            archive[flip] ^= 0x40;
        }

        using ZipArchiveReader damaged = Open(archive);
        // The MAC is keyed by the password, so damage reads as "wrong password or corrupt" (exit 5).
        var error = Assert.Throws<LarderAuthException>(() => damaged.OpenEntry(damaged.Get("m/secret"), Password));
        Assert.Contains("password is wrong, or the entry was corrupted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAllBytes_StoredDataFlipped_ThrowsChecksum()
    {
        byte[] archive = Build(u => u.Put("m/x", TextBytes(100, 5), new ZipEntryOptions { Compression = ZipCompression.Stored }));
        archive[30 + 3 + 9 + 50] ^= 1;
        using ZipArchiveReader reader = Open(archive);
        Assert.Throws<LarderChecksumException>(() => reader.ReadAllBytes(reader.Get("m/x")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/abs")]
    [InlineData("a/../b")]
    [InlineData("nul\0name")]
    public void Put_InvalidName_ThrowsUsage(string name)
        => Assert.Throws<LarderUsageException>(() => new ZipArchiveUpdate().Put(name, "x"u8.ToArray()));

    [Fact]
    public void Get_MissingEntry_ThrowsNotFound()
    {
        using ZipArchiveReader reader = Open(Build(_ => { }));
        Assert.Throws<LarderNotFoundException>(() => reader.Get("m/none"));
    }

    public void Dispose() => _dir.Dispose();

    private static byte[] RawBytes(ZipArchiveReader reader, string name)
    {
        using var raw = new MemoryStream();
        reader.CopyRawTo(reader.Get(name), raw);
        return raw.ToArray();
    }

    private sealed class FailingStream : MemoryStream
    {
        public FailingStream()
            : base(new byte[100_000])
        {
        }

        public override int Read(byte[] buffer, int offset, int count)
            => Position > 50_000 ? throw new IOException("disk gone") : base.Read(buffer, offset, count);
    }
}
