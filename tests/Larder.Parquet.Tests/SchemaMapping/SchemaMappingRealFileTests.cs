using Larder.Columnar;
using Larder.Parquet.Metadata;
using Larder.Parquet.SchemaMapping;
using Xunit.Abstractions;

namespace Larder.Parquet.Tests.SchemaMapping;

using ParquetTimeUnit = Larder.Parquet.Metadata.TimeUnit;
using Schema = Larder.Columnar.Schema;
using TimeUnit = Larder.Columnar.TimeUnit;

public sealed class SchemaMappingRealFileTests(ITestOutputHelper output)
{
    public static TheoryData<string> DataFiles => ParquetTestFiles.Names(ParquetTestFiles.DataDirectory);

    [Theory]
    [MemberData(nameof(DataFiles))]
    public void ToArrow_RealFile_MapsEveryColumnChunk(string name)
    {
        var metadata = Read(name);
        var result = ParquetSchemaMapper.ToArrow(metadata.Schema, metadata.KeyValueMetadata, name);
        output.WriteLine(result.Schema.ToString());
        foreach (var c in result.Columns)
        {
            output.WriteLine(c.ToString());
        }

        Assert.Equal(ParquetTestFiles.LeafCount(metadata.Schema), result.Columns.Count);
        foreach (var group in metadata.RowGroups)
        {
            Assert.Equal(group.Columns.Count, result.Columns.Count);
            for (int i = 0; i < group.Columns.Count; i++)
            {
                Assert.Equal(group.Columns[i].MetaData.PathInSchema, result.Columns[i].ColumnPath);
                Assert.Equal(group.Columns[i].MetaData.Type, result.Columns[i].PhysicalType);
            }
        }
    }

    internal static FileMetaData Read(string name)
    {
        var path = Path.Combine(ParquetTestFiles.DataDirectory, name);
        return ParquetTestFiles.ReadMetadata(File.ReadAllBytes(path), name);
    }
}
