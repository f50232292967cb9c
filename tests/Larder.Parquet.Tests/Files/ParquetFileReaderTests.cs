using System.Globalization;
using Larder.Columnar;
using Larder.Parquet.Files;
using Xunit.Abstractions;

namespace Larder.Parquet.Tests.Files;

public class ParquetFileReaderTests
{
    private readonly ITestOutputHelper _output;

    public ParquetFileReaderTests(ITestOutputHelper output) => _output = output;

    /// <summary>Files of data/ that must fail, with the reason; everything else must read. The goal is none.</summary>
    private static readonly Dictionary<string, string> KnownFailures = new(StringComparer.Ordinal)
    {
        // Covered by ReadAll_CorruptPageChecksum_ThrowsChecksumError.
        ["datapage_v1-corrupt-checksum.parquet"] = "page CRC32 mismatch",
        ["rle-dict-uncompressed-corrupt-checksum.parquet"] = "page CRC32 mismatch",

    };

    /// <summary>Files read by their own test because one value is too large to turn into a .NET string.</summary>
    private static readonly HashSet<string> ReadSeparately = new(StringComparer.Ordinal)
    {
        "large_string_map.brotli.parquet", // ReadAll_StringsOverTwoGiBInOneChunk_SplitsIntoBatches
    };

    public static TheoryData<string> DataFiles()
    {
        var data = new TheoryData<string>();
        foreach (var name in ParquetTestFiles.ParquetFiles(ParquetTestFiles.DataDirectory).Select(f => Path.GetFileName(f)))
        {
            if (!KnownFailures.ContainsKey(name) && !ReadSeparately.Contains(name))
            {
                data.Add(name);
            }
        }

        return data;
    }

    public static TheoryData<string> KnownFailureFiles() => [.. KnownFailures.Keys.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(KnownFailureFiles))]
    public void ReadAll_KnownFailure_FailsWithFormatErrorNamingTheReason(string name)
    {
        var e = Record.Exception(() =>
        {
            using var reader = ParquetFileReader.Open(Path.Combine(ParquetTestFiles.DataDirectory, name));
            _ = reader.ReadAll().ToList();
        });
        Assert.IsAssignableFrom<LarderFormatException>(e);
        Assert.Contains(KnownFailures[name], e!.Message, StringComparison.Ordinal);
    }

    // ARROW-GH-43605 stores dictionary indices with RLE bit width 0. Its dictionary page holds one value, and
    // ceil(log2(1)) = 0 is exactly the width the format prescribes for it, so the file is valid: it crashed one reader,
    // and Arrow, parquet-java and DuckDB all read it (DuckDB: 21,186 zeros). We read it too, checked below, rather
    // than refuse a valid file.
    public static TheoryData<string> BadFiles()
        => [.. ParquetTestFiles.ParquetFiles(ParquetTestFiles.BadDataDirectory).Select(f => Path.GetFileName(f)).Where(n => n != "ARROW-GH-43605.parquet")];

    [Fact]
    public void ReadAll_BitWidthZeroDictionaryIndices_ReadsTheFirstDictionaryValue()
    {
        using var reader = ParquetFileReader.Open(Path.Combine(ParquetTestFiles.BadDataDirectory, "ARROW-GH-43605.parquet"));
        var batches = reader.ReadAll().ToList();
        Assert.Equal(21_186, reader.Metadata.NumRows);
        Assert.Equal(reader.Metadata.NumRows, batches.Sum(b => b.Length));
        foreach (var batch in batches)
        {
            var column = (PrimitiveArray<ushort>)batch.Column(0);
            Assert.Equal(0, column.NullCount);
            Assert.Equal(-1, column.Values.IndexOfAnyExcept((ushort)0));
        }

        // The dictionary page really holds a single value (num_values 1 in its header).
        var bytes = File.ReadAllBytes(Path.Combine(ParquetTestFiles.BadDataDirectory, "ARROW-GH-43605.parquet"));
        var header = Parquet.Metadata.ParquetMetadataCodec.ReadPageHeader(bytes.AsSpan(4), "ARROW-GH-43605.parquet", 4, out _);
        Assert.Equal(1, header.DictionaryPageHeader!.NumValues);
    }

    [Theory]
    [MemberData(nameof(DataFiles))]
    public void ReadAll_ConformanceFile_ReadsEveryRowGroup(string name)
    {
        string path = Path.Combine(ParquetTestFiles.DataDirectory, name);
        using var reader = ParquetFileReader.Open(path);
        long rows = 0;
        foreach (var batch in reader.ReadAll())
        {
            Assert.Equal(reader.Schema.Count, batch.ColumnCount);
            foreach (var column in batch.Columns)
            {
                for (int i = 0; i < column.Length; i++)
                {
                    _ = column.GetValue(i);
                }
            }

            rows += batch.Length;
        }

        Assert.Equal(reader.Metadata.RowGroups.Sum(g => g.NumRows), rows);

        // One file declares 0 rows in its footer while its row group holds 6; every other footer agrees with its row groups.
        if (name != "repeated_no_annotation.parquet")
        {
            Assert.Equal(reader.Metadata.NumRows, rows);
        }
    }

    [Fact]
    public void ReadAll_AllConformanceFiles_PrintsHowManyRead()
    {
        var failures = new List<string>();
        int read = 0;
        foreach (var path in ParquetTestFiles.ParquetFiles(ParquetTestFiles.DataDirectory).Where(p => !KnownFailures.ContainsKey(Path.GetFileName(p)) && !ReadSeparately.Contains(Path.GetFileName(p))))
        {
            try
            {
                using var reader = ParquetFileReader.Open(path);
                foreach (var batch in reader.ReadAll())
                {
                    _ = batch.Length;
                }

                read++;
            }
            catch (LarderException e)
            {
                failures.Add($"{Path.GetFileName(path)}: {e.Message}");
            }
        }

        _output.WriteLine($"{read} Parquet files read fully; {failures.Count} failed; {KnownFailures.Count} listed as known failures; {ReadSeparately.Count} read by their own test");
        foreach (var f in failures)
        {
            _output.WriteLine(f);
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void ReadAll_StringsOverTwoGiBInOneChunk_SplitsIntoBatches()
    {
        // Two rows, each a map of one entry: a key of 2^30 'a's and the value 1 (as DuckDB reads it). Both keys sit in
        // one column chunk, 2 GiB of string data: more than one array's 32-bit offsets can address.
        using var reader = ParquetFileReader.Open(Path.Combine(ParquetTestFiles.DataDirectory, "large_string_map.brotli.parquet"));
        int rows = 0;
        foreach (var batch in reader.ReadAll())
        {
            Assert.Equal(1, batch.Length);
            var map = (MapArray)batch.Column(0);
            Assert.Equal(1, map.GetValueLength(0));
            var keys = (StringArray)map.Keys;
            var key = keys.GetBytes((int)map.GetValueOffset(0));
            Assert.Equal(1 << 30, key.Length);
            Assert.Equal(-1, key.IndexOfAnyExcept((byte)'a'));
            Assert.Equal(1, ((PrimitiveArray<int>)map.Items).Values[(int)map.GetValueOffset(0)]);
            rows += batch.Length;
        }

        Assert.Equal(2, rows);
    }

    [Fact]
    public void ReadRowGroup_AllTypesPlain_KnownValues()
    {
        using var reader = ParquetFileReader.Open(Path.Combine(ParquetTestFiles.DataDirectory, "alltypes_plain.parquet"));
        var batch = reader.ReadAll().Single();
        Assert.Equal([4, 5, 6, 7, 2, 3, 0, 1], ((PrimitiveArray<int>)batch.Column("id")).Values.ToArray());
        var flags = (BooleanArray)batch.Column("bool_col");
        Assert.Equal([true, false, true, false, true, false, true, false], Enumerable.Range(0, 8).Select(i => flags[i]!.Value).ToArray());
        Assert.Equal(Temporal.FromDateTimeOffset(new DateTimeOffset(2009, 3, 1, 0, 0, 0, TimeSpan.Zero), TimeUnit.Microsecond), ((TimestampArray)batch.Column("timestamp_col")).Values[0]);
    }

    [Fact]
    public void ReadRowGroup_Projection_ReadsOnlyThoseColumnsInOrder()
    {
        using var reader = ParquetFileReader.Open(Path.Combine(ParquetTestFiles.DataDirectory, "alltypes_plain.parquet"));
        var batch = reader.ReadRowGroup(0, ["string_col", "id"]);
        Assert.Equal(["string_col", "id"], batch.Schema.Fields.Select(f => f.Name).ToArray());
        Assert.Equal(4, ((PrimitiveArray<int>)batch.Column(1)).Values[0]);
        Assert.Throws<LarderNotFoundException>(() => reader.ReadRowGroup(0, ["nope"]));
    }

    [Theory]
    [InlineData("datapage_v1-corrupt-checksum.parquet")]
    [InlineData("rle-dict-uncompressed-corrupt-checksum.parquet")]
    public void ReadAll_CorruptPageChecksum_ThrowsChecksumError(string name)
    {
        using var reader = ParquetFileReader.Open(Path.Combine(ParquetTestFiles.DataDirectory, name));
        Assert.Throws<LarderChecksumException>(() => reader.ReadAll().ToList());
        using var lenient = ParquetFileReader.Open(Path.Combine(ParquetTestFiles.DataDirectory, name), new ParquetReadOptions { VerifyChecksums = false });
        Assert.NotEmpty(lenient.ReadAll().ToList());
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void ReadAll_BadDataFile_FailsWithFormatError(string name)
    {
        var e = Record.Exception(() =>
        {
            using var reader = ParquetFileReader.Open(Path.Combine(ParquetTestFiles.BadDataDirectory, name));
            foreach (var batch in reader.ReadAll())
            {
                foreach (var column in batch.Columns)
                {
                    for (int i = 0; i < column.Length; i++)
                    {
                        _ = column.GetValue(i);
                    }
                }
            }
        });
        Assert.NotNull(e);
        Assert.IsAssignableFrom<LarderFormatException>(e);
    }

    [Fact]
    public void Open_NotParquet_ThrowsClearFormatError()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "id,name\n1,a\n");
            var e = Assert.ThrowsAny<LarderFormatException>(() => ParquetFileReader.Open(path));
            Assert.Contains("not a Parquet file", e.Message, StringComparison.Ordinal);
            Assert.Throws<LarderNotFoundException>(() => ParquetFileReader.Open(path + ".missing"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
