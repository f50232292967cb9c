using Larder.Columnar;
using Larder.Parquet.Dremel;
using Larder.Parquet.Metadata;
using Larder.Parquet.Read;
using Larder.Parquet.SchemaMapping;
using Xunit.Abstractions;

namespace Larder.Parquet.Tests.Read;

/// <summary>Reads every column chunk of the conformance files with <see cref="ColumnChunkReader"/> and assembles the columns.</summary>
public class ColumnChunkReaderRealFileTests(ITestOutputHelper output)
{
    /// <summary>Reads a whole file: per row group, one assembled array per top-level field.</summary>
    internal static List<ArrayData[]> ReadFile(byte[] file, string name, ColumnReadOptions? options = null)
    {
        var metadata = ParquetTestFiles.ReadMetadata(file, name);
        var schema = ParquetSchemaMapper.ToArrow(metadata.Schema, metadata.KeyValueMetadata, name);
        var result = new List<ArrayData[]>();
        foreach (var group in metadata.RowGroups)
        {
            var fields = new ArrayData[schema.Schema.Fields.Count];
            var byField = schema.Columns.GroupBy(c => c.FieldIndex);
            foreach (var g in byField)
            {
                var leaves = new List<LeafLevels>();
                foreach (var column in g)
                {
                    var meta = group.Columns[column.ColumnIndex].MetaData;
                    long start = meta.FirstPageOffset;
                    if (start < 0 || meta.TotalCompressedSize < 0 || start + meta.TotalCompressedSize > file.Length)
                    {
                        throw new LarderFormatException($"{name}: chunk outside the file", name, start);
                    }

                    var chunk = file.AsMemory((int)start, (int)meta.TotalCompressedSize);
                    leaves.Add(ColumnChunkReader.ReadChunk(column, meta, chunk, start, name, options ?? ColumnReadOptions.Default));
                }

                var assembler = new LevelAssembler(g.Select(c => c.Path).ToList());
                var array = assembler.Assemble(leaves);
                ArrayValidator.Validate(array, name);
                fields[g.Key] = array;
            }

            result.Add(fields);
        }

        return result;
    }

    internal static List<ArrayData[]> ReadFile(string name) => ReadFile(File.ReadAllBytes(Path.Combine(ParquetTestFiles.DataDirectory, name)), name);

    internal static int FieldIndex(string name, string field)
    {
        var bytes = File.ReadAllBytes(Path.Combine(ParquetTestFiles.DataDirectory, name));
        var metadata = ParquetTestFiles.ReadMetadata(bytes, name);
        var schema = ParquetSchemaMapper.ToArrow(metadata.Schema, metadata.KeyValueMetadata, name);
        for (int i = 0; i < schema.Schema.Fields.Count; i++)
        {
            if (schema.Schema.Fields[i].Name == field)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"{name} has no field {field}");
    }

    private static readonly HashSet<string> CorruptChecksum = ["datapage_v1-corrupt-checksum.parquet", "rle-dict-uncompressed-corrupt-checksum.parquet"];

    [Fact]
    public void ReadChunk_AllDataFiles_ReadOrReportReason()
    {
        int ok = 0;
        var failures = new List<string>();
        foreach (var path in ParquetTestFiles.ParquetFiles(ParquetTestFiles.DataDirectory))
        {
            string name = Path.GetFileName(path);
            if (CorruptChecksum.Contains(name))
            {
                continue;
            }

            try
            {
                ReadFile(File.ReadAllBytes(path), name);
                ok++;
            }
            catch (Exception e)
            {
                failures.Add($"{name}: {e.GetType().Name}: {e.Message}");
            }
        }

        output.WriteLine($"read fully: {ok}");
        foreach (var f in failures)
        {
            output.WriteLine("FAIL " + f);
        }

        Assert.True(ok > 0);
        Assert.All(failures, f => Assert.DoesNotContain("Exception: Object reference", f));
    }

    [Theory]
    [InlineData("datapage_v1-corrupt-checksum.parquet")]
    [InlineData("rle-dict-uncompressed-corrupt-checksum.parquet")]
    public void ReadChunk_CorruptChecksum_ThrowsChecksumException(string name)
        => Assert.Throws<LarderChecksumException>(() => ReadFile(name));

    [Theory]
    [InlineData("datapage_v1-corrupt-checksum.parquet")]
    [InlineData("rle-dict-uncompressed-corrupt-checksum.parquet")]
    public void ReadChunk_CorruptChecksumNotVerified_Reads(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(ParquetTestFiles.DataDirectory, name));
        Assert.NotEmpty(ReadFile(bytes, name, new ColumnReadOptions { VerifyChecksums = false }));
    }

    [Fact]
    public void ReadChunk_AllTypesPlain_KnownValues()
    {
        var groups = ReadFile("alltypes_plain.parquet");
        var ids = groups.SelectMany(g => Ints(g[FieldIndex("alltypes_plain.parquet", "id")])).ToArray();
        Assert.Equal([4, 5, 6, 7, 2, 3, 0, 1], ids);
        var bools = groups.SelectMany(g => Bools(g[FieldIndex("alltypes_plain.parquet", "bool_col")])).ToArray();
        Assert.Equal([true, false, true, false, true, false, true, false], bools);
    }

    [Theory]
    [InlineData("int32_decimal.parquet")]
    [InlineData("int64_decimal.parquet")]
    [InlineData("fixed_length_decimal.parquet")]
    [InlineData("fixed_length_decimal_legacy.parquet")]
    [InlineData("byte_array_decimal.parquet")]
    public void ReadChunk_Decimals_OneToTwentyFourScale2(string name)
    {
        var array = ReadFile(name).Single()[0];
        var type = Assert.IsType<DecimalType>(array.Type);
        Assert.Equal(2, type.Scale);
        int w = type.BitWidth / 8;
        var values = new List<decimal>();
        for (int i = 0; i < array.Length; i++)
        {
            var bytes = array.Buffers[1].Span.Slice((array.Offset + i) * w, 8);
            values.Add(BitConverter.ToInt64(bytes) / 100m);
        }

        Assert.Equal(Enumerable.Range(1, 24).Select(i => (decimal)i), values);
    }

    [Theory]
    [InlineData("delta_binary_packed.parquet", "delta_binary_packed_expect.csv")]
    [InlineData("delta_encoding_required_column.parquet", "delta_encoding_required_column_expect.csv")]
    [InlineData("delta_byte_array.parquet", "delta_byte_array_expect.csv")]
    public void ReadChunk_DeltaFiles_MatchExpectCsv(string name, string csv)
    {
        string csvPath = Path.Combine(ParquetTestFiles.DataDirectory, csv);
        if (!File.Exists(csvPath))
        {
            return;
        }

        var lines = File.ReadAllLines(csvPath);
        var header = lines[0].Split(',').Select(h => h.Trim('"').Trim().Split(':')[0].Trim()).ToArray();
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(SplitCsv).ToArray();
        var groups = ReadFile(name);
        var bytes = File.ReadAllBytes(Path.Combine(ParquetTestFiles.DataDirectory, name));
        var metadata = ParquetTestFiles.ReadMetadata(bytes, name);
        var schema = ParquetSchemaMapper.ToArrow(metadata.Schema, metadata.KeyValueMetadata, name);
        for (int f = 0; f < schema.Schema.Fields.Count; f++)
        {
            string field = schema.Schema.Fields[f].Name.Split(':')[0].Trim();
            int col = Array.IndexOf(header, field);
            Assert.True(col >= 0, $"{csv} has no column {field}");
            var actual = groups.SelectMany(g => Texts(g[f])).ToArray();
            var expected = rows.Select(r => r[col]).ToArray();
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(expected[i] == actual[i] || (expected[i] == "" && string.IsNullOrEmpty(actual[i])), $"{name} {field}[{i}]: expected '{expected[i]}', got '{actual[i]}'");
            }
        }
    }

    private static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        foreach (char c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields.ToArray();
    }

    internal static IEnumerable<long> Ints(ArrayData a)
    {
        int w = a.Type.BitWidth / 8;
        for (int i = 0; i < a.Length; i++)
        {
            var s = a.Buffers[1].Span.Slice((a.Offset + i) * w, w);
            yield return w == 4 ? BitConverter.ToInt32(s) : w == 8 ? BitConverter.ToInt64(s) : w == 2 ? BitConverter.ToInt16(s) : (sbyte)s[0];
        }
    }

    internal static IEnumerable<bool> Bools(ArrayData a)
    {
        for (int i = 0; i < a.Length; i++)
        {
            yield return Larder.Memory.BitUtil.GetBit(a.Buffers[1].Span, a.Offset + i);
        }
    }

    internal static IEnumerable<string?> Texts(ArrayData a)
    {
        for (int i = 0; i < a.Length; i++)
        {
            if (a.IsNull(i))
            {
                yield return null;
            }
            else if (a.Type.IsVariableBinary)
            {
                var o = a.Buffers[1].As<int>();
                yield return System.Text.Encoding.UTF8.GetString(a.Buffers[2].Span[o[a.Offset + i]..o[a.Offset + i + 1]]);
            }
            else
            {
                int w = a.Type.BitWidth / 8;
                var s = a.Buffers[1].Span.Slice((a.Offset + i) * w, w);
                yield return (w == 4 ? BitConverter.ToInt32(s) : BitConverter.ToInt64(s)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}
