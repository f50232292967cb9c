using Larder.Parquet.Metadata;
using Xunit.Abstractions;

namespace Larder.Parquet.Tests.Metadata;

public class ParquetRealFileTests(ITestOutputHelper output)
{
    /// <summary>The real file whose footer num_rows (0) disagrees with its row group (6 rows); it is still read.</summary>
    private const string NumRowsQuirk = "repeated_no_annotation.parquet";

    public static TheoryData<string> DataFiles() => ParquetTestFiles.Names(ParquetTestFiles.DataDirectory);

    public static TheoryData<string> BadDataFiles() => ParquetTestFiles.Names(ParquetTestFiles.BadDataDirectory);

    [Theory]
    [MemberData(nameof(DataFiles))]
    public void ReadFileMetaData_RealFile_IsConsistentAndPagesAddUp(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(ParquetTestFiles.DataDirectory, name));
        var metadata = ParquetTestFiles.ReadMetadata(bytes, name);

        if (name != NumRowsQuirk)
        {
            Assert.Equal(metadata.NumRows, metadata.RowGroups.Sum(g => g.NumRows));
        }

        int leaves = ParquetTestFiles.LeafCount(metadata.Schema);
        foreach (var group in metadata.RowGroups)
        {
            Assert.Equal(leaves, group.Columns.Count);
        }

        if (metadata.ColumnOrders is { } orders)
        {
            Assert.Equal(leaves, orders.Count);
        }

        int pages = ParquetTestFiles.WalkPages(bytes, metadata, name);
        output.WriteLine($"{name}: {metadata.RowGroups.Count} row groups, {leaves} leaves, {pages} pages, created by {metadata.CreatedBy}");
    }

    [Fact]
    public void ReadFileMetaData_AllRealFiles_WalksEveryFile()
    {
        var files = ParquetTestFiles.ParquetFiles(ParquetTestFiles.DataDirectory);
        int walked = 0, pages = 0;
        foreach (var path in files)
        {
            var bytes = File.ReadAllBytes(path);
            var metadata = ParquetTestFiles.ReadMetadata(bytes, Path.GetFileName(path));
            pages += ParquetTestFiles.WalkPages(bytes, metadata, Path.GetFileName(path));
            walked++;
        }

        output.WriteLine($"walked {walked} Parquet files, {pages} pages");
        Assert.Equal(files.Count, walked);
        Assert.True(walked >= 50, $"only {walked} files found");
    }

    [Theory]
    [MemberData(nameof(BadDataFiles))]
    public void ReadFileMetaData_BadDataFile_ReadsOrThrowsFormatError(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(ParquetTestFiles.BadDataDirectory, name));
        try
        {
            var metadata = ParquetTestFiles.ReadMetadata(bytes, name);
            int pages = ParquetTestFiles.WalkPages(bytes, metadata, name);
            output.WriteLine($"{name}: metadata and {pages} page headers decode (its defect is in the page data)");
        }
        catch (LarderFormatException e)
        {
            output.WriteLine($"{name}: {e.GetType().Name}: {e.Message}");
        }
    }

    [Fact]
    public void FirstPageOffset_DictionaryOffsetZero_FallsBackToDataPageOffset()
    {
        // This parquet-mr (Dremio) file stores dictionary_page_offset = 0 for "no dictionary page".
        const string name = "dict-page-offset-zero.parquet";
        var bytes = File.ReadAllBytes(Path.Combine(ParquetTestFiles.DataDirectory, name));
        var meta = ParquetTestFiles.ReadMetadata(bytes, name).RowGroups[0].Columns[0].MetaData;
        Assert.Equal(0, meta.DictionaryPageOffset);
        Assert.Equal(meta.DataPageOffset, meta.FirstPageOffset);
        var header = ParquetMetadataCodec.ReadPageHeader(bytes.AsSpan((int)meta.FirstPageOffset), name, meta.FirstPageOffset, out _);
        Assert.Equal(PageType.DataPage, header.Type);
    }

    [Fact]
    public void ReadFileMetaData_UnknownLogicalTypeFile_DecodesUnknownKind()
    {
        const string name = "unknown-logical-type.parquet";
        var bytes = File.ReadAllBytes(Path.Combine(ParquetTestFiles.DataDirectory, name));
        var metadata = ParquetTestFiles.ReadMetadata(bytes, name);
        var unknown = metadata.Schema.Where(e => e.LogicalType is { Kind: LogicalTypeKind.Unknown }).ToList();
        output.WriteLine(string.Join(", ", metadata.Schema.Select(e => $"{e.Name}: {e.Type} {e.LogicalType}")));
        Assert.NotEmpty(unknown);
    }
}
