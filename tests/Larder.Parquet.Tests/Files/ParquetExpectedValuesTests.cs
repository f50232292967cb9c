using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Larder.Columnar;
using Larder.Parquet.Files;
using Larder.TestKit;
using Xunit.Abstractions;

namespace Larder.Parquet.Tests.Files;

/// <summary>
/// The conformance files whose expected content is written down next to them — an <c>X_expect.csv</c>, an <c>X.md</c>,
/// or a section of data/README.md — read with <see cref="ParquetFileReader"/> and compared value by value with it.
/// </summary>
public class ParquetExpectedValuesTests(ITestOutputHelper output)
{
    /// <summary>Files that a .md describes, checked by a test below (files the .md names but data/ lacks are listed apart).</summary>
    private static readonly string[] DescribedFiles =
    [
        "delta_binary_packed.parquet",
        "delta_byte_array.parquet",
        "delta_encoding_required_column.parquet",
        "delta_encoding_optional_column.parquet",
        "fixed_length_byte_array.parquet",
        "int32_with_null_pages.parquet",
        "int96_from_spark.parquet",
        "map_no_value.parquet",
        "old_list_structure.parquet",
    ];

    private static string DataFile(string name) => Path.Combine(ParquetTestFiles.DataDirectory, name);

    /// <summary>Every <c>X_expect.csv</c> of data/ whose <c>X.parquet</c> is there.</summary>
    public static TheoryData<string> ExpectCsvFiles() => [.. ExpectCsvNames()];

    private static IEnumerable<string> ExpectCsvNames()
        => Directory.GetFiles(ParquetTestFiles.DataDirectory, "*_expect.csv")
            .Select(csv => Path.GetFileName(csv)[..^"_expect.csv".Length] + ".parquet")
            .Where(parquet => File.Exists(DataFile(parquet)))
            .Order(StringComparer.Ordinal);

    [Fact]
    public void DescribedFiles_EveryMdInDataIsListedAndEveryPresentOneHasACheck()
    {
        var described = Directory.GetFiles(ParquetTestFiles.DataDirectory, "*.md")
            .Select(p => Path.GetFileNameWithoutExtension(p) + ".parquet")
            .Where(n => n != "README.parquet")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(described, DescribedFiles.Order(StringComparer.Ordinal));
        foreach (var missing in described.Where(n => !File.Exists(DataFile(n))))
        {
            output.WriteLine($"{missing}: described by a .md but not in data/, so nothing to check");
        }

        // The CSVs cover the delta files; the other present ones have a test of their own in this class.
        var csvCovered = ExpectCsvNames().ToHashSet(StringComparer.Ordinal);
        var ownTests = typeof(ParquetExpectedValuesTests).GetMethods().Select(m => m.Name).ToList();
        foreach (var name in described.Where(n => File.Exists(DataFile(n)) && !csvCovered.Contains(n)))
        {
            string stem = string.Concat(Path.GetFileNameWithoutExtension(name).Split('_', '.').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
            Assert.True(ownTests.Any(m => m.Contains(stem, StringComparison.Ordinal)), $"{name} has a .md but no test named after {stem}");
        }
    }

    [Theory]
    [MemberData(nameof(ExpectCsvFiles))]
    public void ReadAll_FileWithExpectCsv_EveryCellEqualsTheCsv(string name)
    {
        var lines = File.ReadAllLines(DataFile(name[..^".parquet".Length] + "_expect.csv")).Where(l => l.Length > 0).ToArray();
        var header = SplitCsv(lines[0]);
        var expected = lines.Skip(1).Select(SplitCsv).ToArray();
        using var reader = ParquetFileReader.Open(DataFile(name));

        // Columns match by position: one CSV writes " c_customer_id" where the file has "c_customer_id:".
        Assert.Equal(header.Length, reader.Schema.Count);
        for (int c = 0; c < header.Length; c++)
        {
            Assert.Equal(Normalize(header[c] ?? ""), Normalize(reader.Schema[c].Name));
        }

        var columns = Enumerable.Range(0, header.Length).Select(c => new List<object?>()).ToArray();
        foreach (var batch in reader.ReadAll())
        {
            for (int c = 0; c < header.Length; c++)
            {
                var column = batch.Column(c);
                for (int i = 0; i < column.Length; i++)
                {
                    columns[c].Add(column.GetValue(i));
                }
            }
        }

        var mismatches = new List<string>();
        for (int c = 0; c < header.Length; c++)
        {
            Assert.True(columns[c].Count == expected.Length, $"{name} column {header[c]}: {columns[c].Count} rows, the CSV {expected.Length}");
            for (int r = 0; r < expected.Length; r++)
            {
                string? want = expected[r][c];
                string? got = columns[c][r] switch
                {
                    null => null,
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    var v => v.ToString(),
                };
                if (want != got)
                {
                    mismatches.Add($"{name} row {r} column {header[c]}: expected {Show(want)}, ours {Show(got)}");
                }
            }
        }

        output.WriteLine($"{name}: {expected.Length} rows x {header.Length} columns compared, {mismatches.Count} differ");
        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches.Take(20)));
    }

    [Fact]
    public void ReadAll_FixedLengthByteArray_MatchesTheMdPageIndexAndSummary()
    {
        // fixed_length_byte_array.md: 1,000 FIXED[4] values in descending order, 105 nulls, min 0x00000001, max
        // 0x000003E8; per page of 100 rows (offset index first rows 0, 100, ...) these null counts, mins and maxes.
        int[] pageNulls = [9, 9, 19, 10, 13, 11, 11, 8, 9, 6];
        uint[] pageMin = [0x385, 0x321, 0x2BD, 0x259, 0x1F5, 0x191, 0x12D, 0xC9, 0x65, 0x01];
        uint[] pageMax = [0x3E8, 0x384, 0x320, 0x2BC, 0x258, 0x1F4, 0x190, 0x12C, 0xC8, 0x64];
        var values = Column("fixed_length_byte_array.parquet", "flba_field");
        Assert.Equal(1000, values.Count);
        Assert.Equal(105, values.Count(v => v is null));
        var numbers = values.Select(v => v is null ? (uint?)null : BinaryPrimitives.ReadUInt32BigEndian(Assert.IsType<byte[]>(v))).ToList();
        Assert.All(values.OfType<byte[]>(), v => Assert.Equal(4, v.Length));
        var present = numbers.Where(n => n is not null).Select(n => n!.Value).ToList();
        Assert.True(present.Zip(present.Skip(1)).All(p => p.First > p.Second), "the non-null values are not in descending order");
        Assert.Equal(1u, present.Min());
        Assert.Equal(1000u, present.Max());
        for (int page = 0; page < 10; page++)
        {
            var rows = numbers.Skip(page * 100).Take(100).ToList();
            Assert.Equal(pageNulls[page], rows.Count(n => n is null));
            Assert.Equal(pageMin[page], rows.Where(n => n is not null).Min());
            Assert.Equal(pageMax[page], rows.Where(n => n is not null).Max());
        }
    }

    [Fact]
    public void ReadAll_Int96FromSpark_EqualsTheMdMicroseconds()
    {
        // int96_from_spark.md: "As microseconds since the epoch, they correspond to" these; row 4 is null.
        long?[] micros = [1704141296123456, 1704070800000000, 253402225200000000, 1735599600000000, null, 9089380393200000000];
        using var reader = ParquetFileReader.Open(DataFile("int96_from_spark.parquet"));
        var batch = reader.ReadAll().Single();
        var column = Assert.IsType<TimestampArray>(batch.Column("a"));
        Assert.Equal(micros.Length, column.Length);
        var mismatches = new List<string>();
        for (int r = 0; r < micros.Length; r++)
        {
            long? ours = column[r];
            long? oursMicros = ours is long v ? v / (Temporal.PerSecond(column.Type.Unit) / 1_000_000) : null;
            if (micros[r] != oursMicros)
            {
                mismatches.Add($"int96_from_spark.parquet row {r} column a: expected {Show(micros[r])} us ({Iso(micros[r])}), ours {Show(ours)} {column.Type.Unit} ({Iso(oursMicros)})");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    [Fact]
    public void ReadAll_MapNoValue_EqualsTheMdRows()
    {
        // map_no_value.md: my_map is {1 -> null, 2 -> null, 3 -> null}, {4..6 -> null}, {7..9 -> null}; the key-only map
        // and the list both hold [1, 2, 3], [4, 5, 6], [7, 8, 9].
        int[][] lists = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
        var map = Column("map_no_value.parquet", "my_map");
        Assert.Equal(3, map.Count);
        for (int r = 0; r < 3; r++)
        {
            var entries = Assert.IsType<KeyValuePair<object?, object?>[]>(map[r]);
            Assert.Equal(lists[r].Cast<object?>(), entries.Select(e => e.Key));
            Assert.All(entries, e => Assert.Null(e.Value));
        }

        foreach (var name in new[] { "my_map_no_v", "my_list" })
        {
            var rows = Column("map_no_value.parquet", name);
            Assert.Equal(lists.Select(l => l.Cast<object?>().ToArray()), rows.Select(r => Assert.IsType<object?[]>(r)));
        }
    }

    [Fact]
    public void ReadAll_OldListStructure_IsOneRowOfListsOneTwoThreeFour()
    {
        // old_list_structure.md: a single LIST<LIST<INT32>> value [[1, 2], [3, 4]] in the legacy two-level layout.
        var rows = Column("old_list_structure.parquet", "a");
        var row = Assert.IsType<object?[]>(Assert.Single(rows));
        Assert.Equal(2, row.Length);
        Assert.Equal(new object?[] { 1, 2 }, Assert.IsType<object?[]>(row[0]));
        Assert.Equal(new object?[] { 3, 4 }, Assert.IsType<object?[]>(row[1]));
    }

    [Fact]
    public void ReadAll_BinaryTruncatedMinMax_EqualsTheReadmeRows()
    {
        // data/README.md, "Binary truncated min and max statistics": the parquet-cli cat output of the 12 rows. Every
        // column holds the name, except the last row's partial columns and the "no truncation" ones of rows 1 and 11.
        string[] names =
        [
            "Blart Versenwald III", "Alice Johnson", "Bob Smith", "Charlie Brown", "Diana Prince", "Edward Norton",
            "Fiona Apple", "George Lucas", "Helen Keller", "Ivan Drago", "Julia Roberts", "Kevin Bacon",
        ];
        var expected = new Dictionary<string, object[]>(StringComparer.Ordinal)
        {
            ["utf8_full_truncation"] = [.. names],
            ["binary_full_truncation"] = [.. names.Select(Utf8)],
            ["utf8_partial_truncation"] = [.. names[..^1], "🚀Kevin Bacon"],
            ["binary_partial_truncation"] = [.. names[..^1].Select(Utf8), new byte[] { 0xFF, 0xFF, 0x01, 0x02 }],
            ["utf8_no_truncation"] = [names[0], "Al", .. names[2..^1], "Ke"],
            ["binary_no_truncation"] = [Utf8(names[0]), Utf8("Al"), .. names[2..^1].Select(Utf8), Utf8("Ke")],
        };
        foreach (var (column, values) in expected)
        {
            Assert.Equal(values, Column("binary_truncated_min_max.parquet", column));
        }
    }

    [Theory]
    [InlineData("float16_zeros_and_nans.parquet", new[] { double.NaN, 0.0, double.NaN }, new[] { true, false, false })]
    [InlineData("float16_nonzeros_and_nans.parquet", new[] { double.NaN, 1.0, -2.0, double.NaN, 0.0, -1.0, -0.0, 2.0 }, new[] { true, false, false, false, false, false, false, false })]
    public void ReadAll_Float16_EqualsTheReadmeValues(string name, double[] values, bool[] nulls)
    {
        // data/README.md, "Float16 Files": the pyarrow arrays the files were written from (None first, then the values).
        var rows = Column(name, "x");
        Assert.Equal(values.Length, rows.Count);
        for (int r = 0; r < values.Length; r++)
        {
            if (nulls[r])
            {
                Assert.Null(rows[r]);
                continue;
            }

            var half = Assert.IsType<Half>(rows[r]);
            Assert.True(BitConverter.DoubleToInt64Bits(values[r]) == BitConverter.DoubleToInt64Bits((double)half) || (double.IsNaN(values[r]) && Half.IsNaN(half)), $"{name} row {r}: expected {values[r]}, ours {half}");
        }
    }

    [Fact]
    public void ReadAll_NanInStats_IsOneAndNan()
    {
        // data/README.md, "NaN in stats": pa.array([1.0, NaN]) in column x.
        var rows = Column("nan_in_stats.parquet", "x");
        Assert.Equal(2, rows.Count);
        Assert.Equal(1.0, Assert.IsType<double>(rows[0]));
        Assert.True(double.IsNaN(Assert.IsType<double>(rows[1])));
    }

    [Fact]
    public void ReadAll_NullList_IsOneEmptyList()
    {
        // data/README.md: generated from {"emptylist":[]}.
        var row = Assert.Single(Column("null_list.parquet", "emptylist"));
        Assert.Empty(Assert.IsType<object?[]>(row));
    }

    [Fact]
    public void ReadAll_IncorrectMapSchema_IsTheTwoEntriesOfThePrestoMap()
    {
        // data/README.md, "Incorrect Map Schema": MAP(ARRAY['name', 'parent'], ARRAY['report', 'another']); a map has no
        // order (the file stores parent first, as DuckDB also reads it).
        var row = Assert.IsType<object?[]>(Assert.Single(Column("incorrect_map_schema.parquet", "my_map")));
        var entries = row.Select(e => Assert.IsType<Dictionary<string, object?>>(e)).Select(e => ((string?)e["key"], (string?)e["value"])).Order().ToArray();
        Assert.Equal([("name", "report"), ("parent", "another")], entries);
    }

    [Fact]
    public void ReadAll_ConcatenatedGzipMembers_Is513UInt64s()
    {
        // data/README.md: "513 UINT64 numbers compressed using 2 concatenated gzip members in a single data page".
        using var reader = ParquetFileReader.Open(DataFile("concatenated_gzip_members.parquet"));
        var batch = reader.ReadAll().Single();
        Assert.Equal(ArrowType.UInt64, batch.Schema[0].Type);
        Assert.Equal(513, batch.Length);
    }

    [Fact]
    public void ReadAll_SortColumns_BothRowGroupsHoldTheSameData()
    {
        // data/README.md: "two row groups with same data and sorting columns".
        using var reader = ParquetFileReader.Open(DataFile("sort_columns.parquet"));
        var groups = reader.ReadAll().ToList();
        Assert.Equal(2, groups.Count);
        ArrowAssert.Equal(groups[0], groups[1]);
    }

    [Fact]
    public void ReadAll_RepeatedPrimitiveNoList_HasFourRows()
    {
        // data/README.md, "REPEATED primitive fields with no LIST annotation": "num of rows: 4".
        using var reader = ParquetFileReader.Open(DataFile("repeated_primitive_no_list.parquet"));
        Assert.Equal(4, reader.ReadAll().Sum(b => b.Length));
    }

    [Fact]
    public void ReadAll_PageV2EmptyCompressed_AllValuesNull()
    {
        // data/README.md: "An INT32 column with DataPageV2, all values are null".
        using var reader = ParquetFileReader.Open(DataFile("page_v2_empty_compressed.parquet"));
        var batches = reader.ReadAll().ToList();
        Assert.Equal(ArrowType.Int32, batches[0].Schema[0].Type);
        Assert.True(batches.Sum(b => b.Length) > 0);
        Assert.All(batches, b => Assert.Equal(b.Length, b.Column(0).NullCount));
    }

    [Fact]
    public async Task ReadAll_ByteStreamSplitZstd_EqualsNumpysSeededNormals()
    {
        // data/README.md, "Byte Stream Split": np.random.seed(0); f32 = normal(size=300) as float32, f64 = normal(size=300).
        // numpy's legacy normals go through the platform's log and sqrt, so a value may differ from the file's by an ulp
        // or two (DuckDB reads f64[106] as ...663, this machine's numpy gives ...664); a decoding error is far larger.
        const string Script = "import numpy as np, sys\n"
            + "np.random.seed(0)\n"
            + "a = np.random.normal(size=300).astype(np.float32)\n"
            + "b = np.random.normal(size=300).astype(np.float64)\n"
            + "sys.stdout.write(a.tobytes().hex() + '\\n' + b.tobytes().hex() + '\\n')\n";
        var run = await ChildProcess.RunAsync("/usr/bin/python3", ["-c", Script], Path.GetTempPath(), TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, $"python3 with numpy failed ({run.Stderr}); run `bash scripts/setup.sh`");
        var hex = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var f32 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(Convert.FromHexString(hex[0])).ToArray();
        var f64 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(Convert.FromHexString(hex[1])).ToArray();
        using var reader = ParquetFileReader.Open(DataFile("byte_stream_split.zstd.parquet"));
        var batch = reader.ReadAll().Single();
        Assert.Equal(300, batch.Length);
        var ours32 = ((PrimitiveArray<float>)batch.Column("f32")).Values;
        var ours64 = ((PrimitiveArray<double>)batch.Column("f64")).Values;
        for (int i = 0; i < 300; i++)
        {
            long ulps32 = Math.Abs((long)BitConverter.SingleToInt32Bits(ours32[i]) - f32[i]);
            long ulps64 = BitConverter.DoubleToInt64Bits(ours64[i]) - f64[i];
            Assert.True(ulps32 <= 2, $"f32[{i}]: ours {ours32[i]:R}, numpy {BitConverter.Int32BitsToSingle(f32[i]):R}");
            Assert.True(ulps64 is >= -2 and <= 2, $"f64[{i}]: ours {ours64[i]:R}, numpy {BitConverter.Int64BitsToDouble(f64[i]):R}");
        }
    }

    private static List<object?> Column(string file, string column)
    {
        using var reader = ParquetFileReader.Open(DataFile(file));
        var values = new List<object?>();
        foreach (var batch in reader.ReadAll())
        {
            var array = batch.Column(column);
            for (int i = 0; i < array.Length; i++)
            {
                values.Add(array.GetValue(i));
            }
        }

        return values;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Normalize(string name) => name.Trim().TrimEnd(':').Trim();

    private static string Show(object? value) => value is null ? "null" : $"'{value}'";

    private static string Iso(long? micros)
    {
        if (micros is not long m)
        {
            return "null";
        }

        long days = Math.DivRem(m, 86_400_000_000L, out long rest);
        if (rest < 0)
        {
            days--;
            rest += 86_400_000_000L;
        }

        return days is >= -719_162 and < 2_932_897
            ? DateTime.UnixEpoch.AddDays(days).AddTicks(rest * 10).ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "Z"
            : $"{days:N0} days from 1970";
    }

    /// <summary>One CSV line: quoted fields may hold commas; an unquoted empty field is null, a quoted one the empty string.</summary>
    private static string?[] SplitCsv(string line)
    {
        var fields = new List<string?>();
        var current = new StringBuilder();
        bool quoted = false;
        bool wasQuoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
                wasQuoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.Length == 0 && !wasQuoted ? null : current.ToString());
                current.Clear();
                wasQuoted = false;
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.Length == 0 && !wasQuoted ? null : current.ToString());
        return [.. fields];
    }
}
