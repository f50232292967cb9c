using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Larder.Columnar;
using Larder.Parquet.Files;
using Larder.TestKit;

namespace Larder.Cli.Tests;

/// <summary>
/// <c>larder inspect</c> on Parquet files: the footer it prints (text and <c>--json</c>) against DuckDB's
/// <c>parquet_metadata()</c>, against what the conformance files' .md notes say, and against values written on purpose.
/// </summary>
public partial class ParquetInspectTests
{
    private static readonly string[] PeerFiles =
    [
        "alltypes_plain.parquet",
        "alltypes_tiny_pages_plain.parquet",
        "binary_truncated_min_max.parquet",
        "byte_array_decimal.parquet",
        "data_index_bloom_encoding_stats.parquet",
        "datapage_v2.snappy.parquet",
        "delta_encoding_required_column.parquet",
        "fixed_length_decimal.parquet",
        "float16_nonzeros_and_nans.parquet",
        "int96_from_spark.parquet",
        "nested_structs.rust.parquet",
        "sort_columns.parquet",
    ];

    private static readonly Lazy<Task<Dictionary<string, JsonElement[]>>> DuckDbMetadata = new(QueryDuckDbAsync);

    public static TheoryData<string> PeerFileNames() => [.. PeerFiles];

    private static string DataFile(string name) => TestData.Path("parquet", "data", name);

    [Theory]
    [MemberData(nameof(PeerFileNames))]
    public async Task Inspect_JsonOfConformanceFile_AgreesWithDuckDbParquetMetadata(string name)
    {
        var r = await CliRunner.RunAsync("inspect", "--json", "--row-groups", "all", DataFile(name));
        Assert.True(r.ExitCode == 0, r.Error);
        using var document = JsonDocument.Parse(r.Out);
        var parquet = document.RootElement.GetProperty("parquet");
        var ours = parquet.GetProperty("rowGroups").EnumerateArray()
            .SelectMany(g => g.GetProperty("columns").EnumerateArray().Select(c => (Group: g, Chunk: c)))
            .ToList();
        var theirs = (await DuckDbMetadata.Value)[name];
        Assert.Equal(theirs.Length, ours.Count);
        var mismatches = new List<string>();
        for (int i = 0; i < ours.Count; i++)
        {
            var (group, chunk) = ours[i];
            var duck = theirs[i];
            string where = $"{name} row group {group.GetProperty("index")} column {chunk.GetProperty("path")}";
            void Same(string what, object? expected, object? actual)
            {
                if (!Equals(expected, actual))
                {
                    mismatches.Add($"{where} {what}: DuckDB {expected ?? "null"}, ours {actual ?? "null"}");
                }
            }

            Same("row group", Long(duck, "row_group_id"), group.GetProperty("index").GetInt64());
            Same("column", Long(duck, "column_id"), chunk.GetProperty("index").GetInt64());
            Same("rows", Long(duck, "row_group_num_rows"), group.GetProperty("rows").GetInt64());
            Same("row group bytes", Long(duck, "row_group_bytes"), group.GetProperty("totalByteSize").GetInt64());
            Same("path", Text(duck, "path_in_schema")?.Replace(", ", ".", StringComparison.Ordinal), chunk.GetProperty("path").GetString());
            Same("type", Text(duck, "type"), chunk.GetProperty("physicalType").GetString());
            Same("codec", Text(duck, "compression"), chunk.GetProperty("codec").GetString());
            Same("encodings", Text(duck, "encodings"), string.Join(", ", chunk.GetProperty("encodings").EnumerateArray().Select(e => e.GetString())));
            Same("values", Long(duck, "num_values"), chunk.GetProperty("values").GetInt64());
            Same("compressed", Long(duck, "total_compressed_size"), chunk.GetProperty("compressedSize").GetInt64());
            Same("uncompressed", Long(duck, "total_uncompressed_size"), chunk.GetProperty("uncompressedSize").GetInt64());
            Same("data page offset", Long(duck, "data_page_offset"), chunk.GetProperty("dataPageOffset").GetInt64());
            Same("dictionary page offset", Long(duck, "dictionary_page_offset"), NullableLong(chunk.GetProperty("dictionaryPageOffset")));
            Same("bloom filter offset", Long(duck, "bloom_filter_offset"), chunk.GetProperty("bloomFilter") is { ValueKind: JsonValueKind.Object } bloom ? bloom.GetProperty("offset").GetInt64() : null);
            var stats = chunk.GetProperty("statistics");
            if (stats.ValueKind == JsonValueKind.Null)
            {
                Same("null count", Long(duck, "stats_null_count"), null);
                continue;
            }

            Same("null count", Long(duck, "stats_null_count"), NullableLong(stats.GetProperty("nullCount")));
            bool legacy = stats.GetProperty("legacyMinMax").GetBoolean();
            foreach (var bound in new[] { "min", "max" })
            {
                string duckColumn = legacy ? $"stats_{bound}" : $"stats_{bound}_value";
                var value = stats.GetProperty(bound);
                string? raw = stats.GetProperty(bound + "Raw").GetString();
                bool asBytes = value.ValueKind == JsonValueKind.String && value.GetString() == raw;
                string? ourText = value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String when asBytes => "bytes:" + raw![2..],
                    JsonValueKind.String => Canonical(value.GetString()!),
                    _ => Canonical(value.GetRawText()),
                };
                string? duckText = Text(duck, duckColumn) is not { } d ? null : asBytes ? "bytes:" + Convert.ToHexString(Unescape(d)) : Canonical(d);
                Same(bound, duckText, ourText);
                if (!legacy)
                {
                    Same(bound + " exact", Bool(duck, $"{bound}_is_exact"), stats.GetProperty(bound + "Exact") is { ValueKind: JsonValueKind.True or JsonValueKind.False } e ? e.GetBoolean() : null);
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    [Theory]
    [InlineData("delta_byte_array")]
    [InlineData("delta_encoding_required_column")]
    public async Task Inspect_DeltaFile_TextShowsWhatItsMdSays(string stem)
    {
        // The .md holds parquet-tools' view of the row group: codec, first page offset, sizes, values, encoding, statistics.
        var md = File.ReadAllLines(DataFile(stem + ".md"));
        var chunks = md.Select(l => MdChunk().Match(l)).Where(m => m.Success).ToList();
        Assert.NotEmpty(chunks);
        var r = await CliRunner.RunAsync("inspect", DataFile(stem + ".parquet"));
        Assert.True(r.ExitCode == 0, r.Error);
        foreach (var m in chunks)
        {
            // A second ':' means the name itself ends in one (Spark wrote "c_customer_sk:").
            string column = m.Groups["name"].Value + (m.Groups["colon"].Success ? ":" : "");
            string block = Block(r.Out, column);
            string type = m.Groups["type"].Value == "BINARY" ? "BYTE_ARRAY" : m.Groups["type"].Value;
            long compressed = long.Parse(m.Groups["compressed"].Value, CultureInfo.InvariantCulture);
            long uncompressed = long.Parse(m.Groups["uncompressed"].Value, CultureInfo.InvariantCulture);
            Assert.StartsWith($"  {column}: {type}, {m.Groups["codec"].Value}\n", block, StringComparison.Ordinal);
            Assert.Contains($"    encodings:       {m.Groups["encoding"].Value}\n", block, StringComparison.Ordinal);
            Assert.Contains($"    values:          {long.Parse(m.Groups["values"].Value, CultureInfo.InvariantCulture):N0}\n", block, StringComparison.Ordinal);
            Assert.Contains($"    sizes:           {Size(compressed)} compressed, {Size(uncompressed)} uncompressed\n", block, StringComparison.Ordinal);
            Assert.Contains($"    offsets:         data {long.Parse(m.Groups["fpo"].Value, CultureInfo.InvariantCulture):N0}\n", block, StringComparison.Ordinal);
            var stats = StatsInMd().Match(m.Groups["stats"].Value);
            if (stats.Success)
            {
                // parquet-tools prints strings bare; our strings are quoted, and integers are not.
                string Shown(string v) => type == "BYTE_ARRAY" ? $"\"{v}\"" : v;
                Assert.Contains($"    statistics:      nulls {long.Parse(stats.Groups["nulls"].Value, CultureInfo.InvariantCulture):N0}, min {Shown(stats.Groups["min"].Value)}, max {Shown(stats.Groups["max"].Value)}\n", block, StringComparison.Ordinal);
            }
            else
            {
                // "num_nulls: 1000, min/max not defined"
                Assert.Contains($"    statistics:      nulls {long.Parse(m.Groups["stats"].Value.Split(',')[0].Split(':')[1].Trim(), CultureInfo.InvariantCulture):N0}\n", block, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Inspect_Int96FromSpark_ShowsTheMdSummary()
    {
        // int96_from_spark.md: "a  INT96  S _ R  6  ...  nulls 1", dictionary-encoded, offset index only.
        var r = await CliRunner.RunAsync("inspect", DataFile("int96_from_spark.parquet"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("  created by:      parquet-mr version 1.13.1 (build db4183109d5b734ec5930d870cdae161e408ddba)\n", r.Out, StringComparison.Ordinal);
        Assert.Contains("  key-value keys:  org.apache.spark.version (5 bytes), org.apache.spark.sql.parquet.row.metadata (90 bytes)\n", r.Out, StringComparison.Ordinal);
        Assert.Contains("    optional int96 a;\n", r.Out, StringComparison.Ordinal);
        string block = Block(r.Out, "a");
        Assert.StartsWith("  a: INT96, SNAPPY\n", block, StringComparison.Ordinal);
        Assert.Contains("    encodings:       PLAIN_DICTIONARY, BIT_PACKED, RLE\n", block, StringComparison.Ordinal);
        Assert.Contains("    values:          6\n", block, StringComparison.Ordinal);
        Assert.Contains("    offsets:         dictionary 4, data 81\n", block, StringComparison.Ordinal);
        Assert.Contains("    statistics:      nulls 1\n", block, StringComparison.Ordinal);
        Assert.Contains("    indexes:         offset index at 117 (11 bytes)\n", block, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_BinaryTruncatedMinMax_MarksTruncatedBoundsAsTheReadmeTableSays()
    {
        // data/README.md, "Binary truncated min and max statistics": min, is_min_value_exact, max, is_max_value_exact.
        (string Column, string Min, string Max)[] expected =
        [
            ("utf8_full_truncation", "\"Al\" (truncated)", "\"Kf\" (truncated)"),
            ("binary_full_truncation", "0x416C (truncated)", "0x4B66 (truncated)"),
            ("utf8_partial_truncation", "\"Al\" (truncated)", "\"🚀Kevin Bacon\""),
            ("binary_partial_truncation", "0x416C (truncated)", "0xFFFF0102"),
            ("utf8_no_truncation", "\"Al\"", "\"Ke\""),
            ("binary_no_truncation", "0x416C", "0x4B65"),
        ];
        var r = await CliRunner.RunAsync("inspect", DataFile("binary_truncated_min_max.parquet"));
        Assert.Equal(0, r.ExitCode);
        foreach (var (column, min, max) in expected)
        {
            Assert.Contains($"    statistics:      nulls 0, min {min}, max {max}\n", Block(r.Out, column), StringComparison.Ordinal);
        }

        var json = await CliRunner.RunAsync("inspect", "--json", DataFile("binary_truncated_min_max.parquet"), "--columns", "utf8_partial_truncation");
        using var document = JsonDocument.Parse(json.Out);
        var stats = document.RootElement.GetProperty("parquet").GetProperty("rowGroups")[0].GetProperty("columns").EnumerateArray().Single().GetProperty("statistics");
        Assert.Equal("Al", stats.GetProperty("min").GetString());
        Assert.False(stats.GetProperty("minExact").GetBoolean());
        Assert.Equal("🚀Kevin Bacon", stats.GetProperty("max").GetString());
        Assert.True(stats.GetProperty("maxExact").GetBoolean());
        Assert.Equal("0x" + Convert.ToHexString(Encoding.UTF8.GetBytes("🚀Kevin Bacon")), stats.GetProperty("maxRaw").GetString());
    }

    [Fact]
    public async Task Inspect_BloomFilterAndIndexes_ShowsTheirLocationsAndEncodingStats()
    {
        // data/README.md: this file has a bloom filter, column index, offset index and encoding stats.
        var r = await CliRunner.RunAsync("inspect", DataFile("data_index_bloom_encoding_stats.parquet"));
        Assert.Equal(0, r.ExitCode);
        string block = Block(r.Out, "String");
        Assert.Contains("    encoding stats:  DATA_PAGE PLAIN x1\n", block, StringComparison.Ordinal);
        Assert.Contains("    indexes:         bloom filter at 192, column index at 156 (25 bytes), offset index at 181 (11 bytes)\n", block, StringComparison.Ordinal);
        Assert.Contains("    statistics:      nulls 0, min \"Hello\", max \"today\"\n", block, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_Float16AndNanStatistics_DecodeAsTheReadmeSays()
    {
        // data/README.md: float16 min b'\x00\xc0' (-2) and max b'\x00@' (2), nulls 1; the zeros file -0 and +0; nan_in_stats max NaN.
        var r = await CliRunner.RunAsync("inspect", DataFile("float16_nonzeros_and_nans.parquet"));
        Assert.Contains("    statistics:      nulls 1, min -2, max 2\n", r.Out, StringComparison.Ordinal);
        r = await CliRunner.RunAsync("inspect", DataFile("float16_zeros_and_nans.parquet"));
        Assert.Contains("    statistics:      nulls 1, min -0, max 0\n", r.Out, StringComparison.Ordinal);
        r = await CliRunner.RunAsync("inspect", DataFile("nan_in_stats.parquet"));
        Assert.Contains("    statistics:      nulls 0, min 1, max NaN\n", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_SortColumnsAndChunkMetadata_AreShown()
    {
        // data/README.md: sort_columns sorts the first column descending nulls first, the second ascending nulls last;
        // column_chunk_key_value_metadata has {"foo": "bar", "thisiskeywithoutvalue": null} on a column chunk.
        var r = await CliRunner.RunAsync("inspect", DataFile("sort_columns.parquet"));
        Assert.Equal(2, Regex.Count(r.Out, "  sorted by:       a DESC NULLS FIRST, b ASC NULLS LAST\n"));
        r = await CliRunner.RunAsync("inspect", DataFile("column_chunk_key_value_metadata.parquet"));
        Assert.Contains("    key-value:       foo = bar, thisiskeywithoutvalue\n", Block(r.Out, "column1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_DuckDbWrittenTypes_DecodesStatisticsByLogicalType()
    {
        using var dir = new TempDir();
        string path = dir["types.parquet"];
        const string Sql = "SELECT TIMESTAMP '2024-01-02 03:04:05.123456' + INTERVAL (i) HOUR AS ts, "
            + "TIMESTAMPTZ '1969-12-31 23:59:59.5+00' + INTERVAL (i) DAY AS tz, DATE '2024-02-29' - i::INT AS d, "
            + "(i * 1.25 - 2)::DECIMAL(9,2) AS dec9, (i * 1.25)::DECIMAL(18,3) AS dec18, (i - 1.5)::DECIMAL(38,10) AS dec38, "
            + "'00112233-4455-6677-8899-aabbccddeeff'::UUID AS u, TIME '12:34:56.789' AS t, (i + 250)::UTINYINT AS ut, "
            + "(i::UBIGINT + 18446744073709551000) AS ub, 'x\"' || i AS s, (i / 4)::DOUBLE AS f, i % 2 = 0 AS b "
            + "FROM range(5) r(i)";
        await PeerProcess.RunCheckedAsync("@duckdb/node-api", "duckdb/query.mjs", ["--sql", $"COPY ({Sql}) TO '{path}' (FORMAT parquet)"]);
        var r = await CliRunner.RunAsync("inspect", path);
        Assert.True(r.ExitCode == 0, r.Error);
        (string Column, string Declaration, string Statistics)[] expected =
        [
            ("ts", "optional int64 ts (TIMESTAMP(MICROS,false));", "min 2024-01-02T03:04:05.123456, max 2024-01-02T07:04:05.123456"),
            ("tz", "optional int64 tz (TIMESTAMP(MICROS,true));", "min 1969-12-31T23:59:59.500000Z, max 1970-01-04T23:59:59.500000Z"),
            ("d", "optional int32 d (DATE);", "min 2024-02-25, max 2024-02-29"),
            ("dec9", "optional int32 dec9 (DECIMAL(9,2));", "min -2.00, max 3.00"),
            ("dec18", "optional int64 dec18 (DECIMAL(18,3));", "min 0.000, max 5.000"),
            ("dec38", "optional fixed_len_byte_array(16) dec38 (DECIMAL(38,10));", "min -1.5000000000, max 2.5000000000"),
            ("u", "optional fixed_len_byte_array(16) u (UUID);", "min 00112233-4455-6677-8899-aabbccddeeff, max 00112233-4455-6677-8899-aabbccddeeff"),
            ("t", "optional int64 t (TIME(MICROS,false));", "min 12:34:56.789000, max 12:34:56.789000"),
            ("ut", "optional int32 ut (UINT_8);", "min 250, max 254"),
            ("ub", "optional int64 ub (UINT_64);", "min 18446744073709551000, max 18446744073709551004"),
            ("s", "optional binary s (UTF8);", "min \"x\\\"0\", max \"x\\\"4\""),
            ("f", "optional double f;", "min 0, max 1"),
            ("b", "optional boolean b;", "min false, max true"),
        ];
        foreach (var (column, declaration, statistics) in expected)
        {
            Assert.Contains($"\n    {declaration}\n", r.Out, StringComparison.Ordinal);
            var line = Block(r.Out, column).Split('\n').Single(l => l.StartsWith("    statistics:", StringComparison.Ordinal));
            Assert.True(line.EndsWith(statistics, StringComparison.Ordinal), $"{column}: {line}");
        }
    }

    [Fact]
    public async Task Inspect_ManyRowGroups_TextDetailsTheFirstFiveAndSaysHowToSeeMore()
    {
        using var dir = new TempDir();
        string path = dir["many.parquet"];
        WriteRowGroups(path, rowGroups: 12);
        var r = await CliRunner.RunAsync("inspect", path);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("row group 4: 10 rows", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("row group 5:", r.Out, StringComparison.Ordinal);
        Assert.Contains("… 7 more row groups not shown; choose them with --row-groups", r.Out, StringComparison.Ordinal);

        // The totals still cover every row group.
        Assert.Contains("column chunks, summed over 12 row groups", r.Out, StringComparison.Ordinal);
        Assert.Matches(@"\n  id +INT64 +ZSTD +120 ", r.Out);

        r = await CliRunner.RunAsync("inspect", path, "--row-groups", "3,10-11", "--columns", "name");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(["row group 3:", "row group 10:", "row group 11:"], Regex.Matches(r.Out, @"row group \d+:").Select(m => m.Value));
        Assert.Equal(3, Regex.Count(r.Out, "\n  name: BYTE_ARRAY, ZSTD\n"));
        Assert.DoesNotContain("\n  id: ", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("more row groups not shown", r.Out, StringComparison.Ordinal);

        var json = await CliRunner.RunAsync("inspect", "--json", path);
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal(12, document.RootElement.GetProperty("parquet").GetProperty("rowGroups").GetArrayLength());
    }

    [Theory]
    [InlineData("--row-groups", "12", 2, "row group 12 does not exist; the file has 12 (0-11)")]
    [InlineData("--row-groups", "2-x", 2, "'2-x' is not a row group index or range")]
    [InlineData("--row-groups", "5-3", 2, "'5-3' is not a row group index or range")]
    [InlineData("--columns", "nope", 3, "no column named 'nope'")]
    public async Task Inspect_BadSelection_OneLineErrorWithExitCode(string option, string value, int exitCode, string message)
    {
        using var dir = new TempDir();
        string path = dir["many.parquet"];
        WriteRowGroups(path, rowGroups: 12);
        var r = await CliRunner.RunAsync("inspect", path, option, value);
        Assert.Equal(exitCode, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.Contains(message, r.Error, StringComparison.Ordinal);
        Assert.Single(r.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Inspect_ParquetOptionsOnCsv_UsageError()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["t.csv"], "a,b\n1,x\n");
        var r = await CliRunner.RunAsync("inspect", dir["t.csv"], "--row-groups", "0");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("apply to Parquet files", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_JsonOfCsv_IsOneDocumentWithTheSummary()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["t.csv"], "a,b\n1,x\n2,\n");
        var r = await CliRunner.RunAsync("inspect", "--json", dir["t.csv"]);
        Assert.Equal(0, r.ExitCode);
        using var document = JsonDocument.Parse(r.Out);
        var root = document.RootElement;
        Assert.Equal("csv", root.GetProperty("format").GetString());
        Assert.Equal(2, root.GetProperty("rows").GetInt64());
        Assert.Equal(["a", "b"], root.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(1, root.GetProperty("columns")[1].GetProperty("nulls").GetInt64());
        Assert.False(root.TryGetProperty("parquet", out _));
    }

    [Fact]
    public async Task Inspect_Help_DocumentsJsonRowGroupsAndColumns()
    {
        var r = await CliRunner.RunAsync("inspect", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("--json", r.Out, StringComparison.Ordinal);
        Assert.Contains("--row-groups", r.Out, StringComparison.Ordinal);
        Assert.Contains("--columns", r.Out, StringComparison.Ordinal);
        Assert.Contains("first 5 by default", r.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("footer length", 0)]
    [InlineData("footer bytes", 1)]
    [InlineData("truncated", 2)]
    [InlineData("not parquet", 3)]
    public async Task Inspect_CorruptFooter_OneLineErrorExitOne(string what, int how)
    {
        using var dir = new TempDir();
        string path = dir["bad.parquet"];
        var bytes = await File.ReadAllBytesAsync(DataFile("alltypes_plain.parquet"));
        switch (how)
        {
            case 0:
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(bytes.Length - 8), int.MaxValue);
                break;
            case 1:
                int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(bytes.Length - 8));
                bytes.AsSpan(bytes.Length - 8 - length, length).Fill(0xFF);
                break;
            case 2:
                bytes = bytes[..(bytes.Length / 2)];
                break;
            default:
                bytes = Encoding.UTF8.GetBytes("id,name\n1,a\n");
                break;
        }

        await File.WriteAllBytesAsync(path, bytes);
        foreach (var args in new[] { new[] { "inspect", path }, ["inspect", "--json", path] })
        {
            var r = await CliRunner.RunAsync(args);
            Assert.True(r.ExitCode == 1, $"{what}: exit {r.ExitCode}, {r.Error}");
            Assert.Equal("", r.Out);
            var lines = r.Error.TrimEnd('\n').Split('\n');
            Assert.True(lines.Length == 1, $"{what}: {r.Error}");
            Assert.StartsWith("larder: ", lines[0], StringComparison.Ordinal);
            Assert.Contains("bad.parquet", lines[0], StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("alltypes_plain.parquet", 1)]
    [InlineData("nested_structs.rust.parquet", 2)]
    [InlineData("binary_truncated_min_max.parquet", 3)]
    [InlineData("data_index_bloom_encoding_stats.parquet", 4)]
    public async Task Inspect_MutatedFooters_PrintOrFailWithOneLineNeverAnInternalError(string name, int seed)
    {
        // Statistics, names and sizes come straight from the footer: whatever the reader accepts must print.
        var valid = await File.ReadAllBytesAsync(DataFile(name));
        int footerLength = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(valid.AsSpan(valid.Length - 8));
        int footerStart = valid.Length - 8 - footerLength;
        var random = new Random(seed);
        using var dir = new TempDir();
        string path = dir["m.parquet"];
        int printed = 0;
        for (int n = 0; n < 60; n++)
        {
            var bytes = (byte[])valid.Clone();
            for (int k = random.Next(1, 4); k > 0; k--)
            {
                int at = random.Next(footerStart, valid.Length - 8);
                bytes[at] = random.Next(2) == 0 ? (byte)(bytes[at] ^ (1 << random.Next(8))) : (byte)random.Next(256);
            }

            await File.WriteAllBytesAsync(path, bytes);
            foreach (var json in new[] { false, true })
            {
                var r = json ? await CliRunner.RunAsync("inspect", "--json", path) : await CliRunner.RunAsync("inspect", path);
                Assert.True(r.ExitCode is 0 or 1, $"{name} case {n}: exit {r.ExitCode}: {r.Error}");
                Assert.DoesNotContain("internal error", r.Error, StringComparison.Ordinal);
                if (r.ExitCode == 0)
                {
                    printed++;
                    if (json)
                    {
                        using var document = JsonDocument.Parse(r.Out);
                    }
                    else
                    {
                        Assert.DoesNotContain('\r', r.Out);
                    }
                }
                else
                {
                    Assert.Single(r.Error.TrimEnd('\n').Split('\n'));
                }
            }
        }

        Assert.True(printed > 0, "no mutation was accepted: the test does not reach the printing code");
    }

    /// <summary>A size as the text prints it: bytes, and above 1 KiB also in binary units.</summary>
    private static string Size(long bytes) => bytes >= 1024 ? $"{bytes:N0} bytes ({InspectCommand.FormatBytes(bytes)})" : $"{bytes:N0} bytes";

    /// <summary>The text block of column chunk <paramref name="column"/> in the first row group shown.</summary>
    private static string Block(string text, string column)
    {
        int start = text.IndexOf($"\n  {column}: ", text.IndexOf("\nrow group ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(start >= 0, $"no chunk block for {column}");
        int end = start + 1;
        do
        {
            end = text.IndexOf('\n', end) + 1;
        }
        while (end > 0 && end < text.Length && text[end..].StartsWith("    ", StringComparison.Ordinal));

        return text[(start + 1)..(end > 0 ? end : text.Length)];
    }

    /// <summary>Rows of 10 in <paramref name="rowGroups"/> row groups, zstd.</summary>
    private static void WriteRowGroups(string path, int rowGroups)
    {
        var schema = new Schema([new Field("id", ArrowType.Int64, nullable: false), new Field("name", ArrowType.String)]);
        using var writer = ParquetFileWriter.Create(path, schema, new ParquetWriteOptions { RowGroupRows = 10 });
        var ids = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        var names = new BinaryArrayBuilder(ArrowType.String);
        for (int i = 0; i < rowGroups * 10; i++)
        {
            ids.Append(i);
            names.Append("n" + (i % 7));
        }

        writer.Write(new RecordBatch(schema, [ids.Build(), names.Build()], rowGroups * 10));
        writer.Finish();
    }

    private static async Task<Dictionary<string, JsonElement[]>> QueryDuckDbAsync()
    {
        var arguments = new List<string> { "--out", "json" };
        foreach (var name in PeerFiles)
        {
            arguments.AddRange(["--sql", $"SELECT * FROM parquet_metadata('{DataFile(name)}') ORDER BY row_group_id, column_id"]);
        }

        var run = await PeerProcess.RunCheckedAsync("@duckdb/node-api", "duckdb/query.mjs", arguments);
        using var document = JsonDocument.Parse(run.Stdout);
        var results = document.RootElement.GetProperty("results").EnumerateArray().ToList();
        var byFile = new Dictionary<string, JsonElement[]>(StringComparer.Ordinal);
        for (int f = 0; f < PeerFiles.Length; f++)
        {
            var columns = results[f].GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToList();
            byFile[PeerFiles[f]] =
            [
                .. results[f].GetProperty("rows").EnumerateArray().Select(row =>
                {
                    var obj = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    int i = 0;
                    foreach (var cell in row.EnumerateArray())
                    {
                        obj[columns[i++]] = cell.Clone();
                    }

                    return JsonSerializer.SerializeToElement(obj);
                }),
            ];
        }

        return byFile;
    }

    private static string? Text(JsonElement row, string name)
        => row.GetProperty(name) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    private static long? Long(JsonElement row, string name)
        => Text(row, name) is { } s ? long.Parse(s, CultureInfo.InvariantCulture) : null;

    private static bool? Bool(JsonElement row, string name)
        => row.GetProperty(name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } b ? b.GetBoolean() : null;

    private static long? NullableLong(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetInt64();

    /// <summary>
    /// One spelling for both sides: numbers by value (2.0 and 2 alike), NaN, and timestamps with a space for the T, no
    /// zone suffix and no trailing fraction zeros (DuckDB prints <c>12:34:56.789</c> where we print <c>12:34:56.789000</c>).
    /// </summary>
    private static string Canonical(string text)
    {
        if (text.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            return "NaN";
        }

        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal number))
        {
            return number.ToString("G29", CultureInfo.InvariantCulture);
        }

        string t = text.Replace('T', ' ');
        t = t.EndsWith("+00", StringComparison.Ordinal) ? t[..^3] : t.TrimEnd('Z');
        return t.Contains(':', StringComparison.Ordinal) && t.Contains('.', StringComparison.Ordinal) ? t.TrimEnd('0').TrimEnd('.') : t;
    }

    /// <summary>The bytes of DuckDB's text for a binary value: <c>\xNN</c> escapes for bytes that are not printable ASCII.</summary>
    private static byte[] Unescape(string text)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 3 < text.Length && text[i + 1] == 'x')
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 2, 2), 16));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return [.. bytes];
    }

    [GeneratedRegex(@"^(?<name>\w+):\s+(?<colon>:\s+)?(?<type>[A-Z0-9_]+) (?<codec>[A-Z]+) DO:\d+ FPO:(?<fpo>\d+) SZ:(?<compressed>\d+)/(?<uncompressed>\d+)/[\d.]+ VC:(?<values>\d+) ENC:(?<encoding>[A-Z_]+) ST:\[(?<stats>.*)\]$")]
    private static partial Regex MdChunk();

    [GeneratedRegex(@"^min: (?<min>.*), max: (?<max>.*), num_nulls: (?<nulls>\d+)$")]
    private static partial Regex StatsInMd();
}
