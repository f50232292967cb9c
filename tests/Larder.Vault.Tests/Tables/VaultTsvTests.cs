using System.Text;
using System.Text.Json;
using Larder.Checksums;
using Larder.Columnar;
using Larder.Vault.Tables;
using Larder.Vault.Tests.Zip;
using static Larder.Vault.Tests.Tables.VaultTsvTestSupport;

namespace Larder.Vault.Tests.Tables;

/// <summary>Tables in data_vault's TSV layout, checked byte for byte and against pandas itself.</summary>
public sealed class VaultTsvTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Write_DesignExample_ExactBytesAndCrc()
    {
        var batch = RecordBatch.FromColumns(("a", Int64Array(1, 1)), ("b", Int64Array(1, 2)));

        byte[] bytes = WriteTsv(batch.Schema, batch);

        Assert.Equal("\ta\tb\n0\t1\t1\n1\t1\t2\n", AsText(bytes));
        Assert.Equal(0x3FDAA797u, Crc32.Compute(bytes));
    }

    [Fact]
    public void Write_SeveralBatches_IndexContinues()
    {
        var first = RecordBatch.FromColumns(("a", Int64Array(5, 6)));
        var second = RecordBatch.FromColumns(("a", Int64Array(7)));

        Assert.Equal("\ta\n0\t5\n1\t6\n2\t7\n", AsText(WriteTsv(first.Schema, first, second)));
    }

    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1.5e16, "1.5e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(123456789012345678.0, "1.2345678901234568e+17")]
    [InlineData(-2.5e-300, "-2.5e-300")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(double.NaN, "")]
    public void Write_Double_PythonRepr(double value, string expected)
    {
        var batch = RecordBatch.FromColumns(("x", new PrimitiveArray<double>(BuildDoubles(value).Data)));

        Assert.Equal($"\tx\n0\t{expected}\n", AsText(WriteTsv(batch.Schema, batch)));
    }

    [Theory]
    [InlineData(new[] { 0L, 86_400_000_000_000L }, "1970-01-01", "1970-01-02")]
    [InlineData(new[] { 0L, 43_200_000_000_000L }, "1970-01-01 00:00:00", "1970-01-01 12:00:00")]
    [InlineData(new[] { 500_000_000L, 0L }, "1970-01-01 00:00:00.500", "1970-01-01 00:00:00.000")]
    [InlineData(new[] { 1_000L, 0L }, "1970-01-01 00:00:00.000001", "1970-01-01 00:00:00.000000")]
    [InlineData(new[] { 1L, -1L }, "1970-01-01 00:00:00.000000001", "1969-12-31 23:59:59.999999999")]
    public void Write_Timestamps_ColumnLayoutAsPandas(long[] nanoseconds, string first, string second)
    {
        var builder = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Nanosecond));
        builder.AppendRange(nanoseconds);
        builder.AppendNull();
        var batch = RecordBatch.FromColumns(("t", builder.Build()));

        Assert.Equal($"\tt\n0\t{first}\n1\t{second}\n2\t\n", AsText(WriteTsv(batch.Schema, batch)));
    }

    [Fact]
    public void Write_StringsNeedingQuotes_QuoteMinimal()
    {
        var batch = RecordBatch.FromColumns(("s", StringArray("plain", "a\tb", "say \"hi\"", "two\nlines", "cr\rhere", "σ ü", " lead")), ("b", BoolArray(true, false, null, true, false, true, true)));

        Assert.Equal("\ts\tb\n0\tplain\tTrue\n1\t\"a\tb\"\tFalse\n2\t\"say \"\"hi\"\"\"\t\n3\t\"two\nlines\"\tTrue\n4\t\"cr\rhere\"\tFalse\n5\tσ ü\tTrue\n6\t lead\tTrue\n", AsText(WriteTsv(batch.Schema, batch)));
    }

    [Fact]
    public void Constructor_UnsupportedColumnType_Throws()
    {
        var schema = new Schema([new Field("x", new ListType(new Field("item", ArrowType.Int32)))]);

        Assert.Throws<LarderNotSupportedException>(() => new VaultTsvWriter(new MemoryStream(), schema));
    }

    [Fact]
    public void Read_OurSeededTable_EqualValues()
    {
        var batch = SeededTable(200, 42);
        byte[] bytes = WriteTsv(batch.Schema, batch.Slice(0, 70), batch.Slice(70, 130));

        var read = ReadTsv(bytes, batchSize: 64);

        var schema = read[0].Schema;
        Assert.Equal(batch.Schema.Fields.Select(f => f.Name), schema.Fields.Select(f => f.Name));
        Assert.Equal(ArrowTypeId.Int64, schema[0].Type.Id);
        Assert.Equal(ArrowTypeId.Int64, schema[1].Type.Id);
        Assert.Equal(ArrowTypeId.Double, schema[2].Type.Id);
        Assert.Equal(ArrowTypeId.Boolean, schema[3].Type.Id);
        Assert.Equal(ArrowTypeId.Boolean, schema[4].Type.Id);
        Assert.Equal(ArrowTypeId.String, schema[5].Type.Id);
        Assert.All(schema.Fields.Skip(6), f => Assert.Equal(ArrowTypeId.Timestamp, f.Type.Id));
        Assert.Equal("UTC", ((TimestampType)schema[9].Type).TimeZone);
        for (int c = 0; c < batch.ColumnCount; c++)
        {
            Assert.Equal(Column(batch, c), read.SelectMany(b => Column(b, c)));
        }
    }

    [Fact]
    public async Task WriteAsyncReadBatchesAsync_SeededTable_SameBytesAsSync()
    {
        var batch = SeededTable(150, 5);
        using var output = new MemoryStream();
        await using (var writer = new VaultTsvWriter(output, batch.Schema, leaveOpen: true))
        {
            await writer.WriteAsync(batch.Slice(0, 50));
            await writer.WriteAsync(batch.Slice(50, 100));
            Assert.Equal(150, writer.RowCount);
        }

        Assert.Equal(WriteTsv(batch.Schema, batch), output.ToArray());
        await using var reader = new VaultTsvReader(new MemoryStream(output.ToArray()));
        var rows = new List<List<string?>>();
        await foreach (var read in reader.ReadBatchesAsync())
        {
            rows.Add(Column(read, 5));
        }

        Assert.Equal(Column(batch, 5), rows.SelectMany(r => r));
    }

    [Fact]
    public async Task PandasReadCsv_ReadsOurSeededTable_EqualValuesDtypesNullsTimestamps()
    {
        var batch = SeededTable(300, 7);
        string path = _dir.File("table");
        await File.WriteAllBytesAsync(path, WriteTsv(batch.Schema, batch.Slice(0, 100), batch.Slice(100, 200)));

        var result = await RunPythonAsync(_dir.Path, CanonicalPython + """

            import sys
            df = pd.read_csv(sys.argv[1], sep='\t', index_col=0, parse_dates=True)
            print(canon(df, {'t_ns', 't_ms', 't_day', 't_utc'}, {'t_utc'}))
            df = pd.read_csv(sys.argv[1], sep='\t', index_col=0, parse_dates=True, float_precision='round_trip')
            print(canon(df, {'t_ns', 't_ms', 't_day', 't_utc'}, {'t_utc'}))
            """, path);

        // pandas' default float parser is not exact: it misses "-4.2e+200" by one unit in the last place and drops digits
        // of "0.0008528296862974905" (relative error 1e-13), as it does for its own to_csv output. With
        // float_precision='round_trip' it reads our text exactly.
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        AssertPandasColumns(batch, lines[0], exactFloats: false);
        AssertPandasColumns(batch, lines[1], exactFloats: true);
    }

    private static void AssertPandasColumns(RecordBatch batch, string canonicalJson, bool exactFloats)
    {
        using var json = JsonDocument.Parse(canonicalJson);
        var root = json.RootElement;
        Assert.Equal(Enumerable.Range(0, 300), root.GetProperty("index").EnumerateArray().Select(e => e.GetInt32()));
        var dtypes = root.GetProperty("dtypes");
        Assert.Equal("int64", dtypes.GetProperty("i").GetString());
        Assert.Equal("float64", dtypes.GetProperty("i_null").GetString());
        Assert.Equal("float64", dtypes.GetProperty("f").GetString());
        Assert.Equal("bool", dtypes.GetProperty("b").GetString());
        Assert.Equal("object", dtypes.GetProperty("b_null").GetString());
        Assert.Equal("object", dtypes.GetProperty("s").GetString());
        var columns = root.GetProperty("columns");
        for (int c = 0; c < batch.ColumnCount; c++)
        {
            string name = batch.Schema[c].Name;
            var expected = Column(batch, c);
            if (name == "i_null")
            {
                // pandas holds an integer column with nulls as float64.
                var ints = (PrimitiveArray<long>)batch.Column(c);
                expected = Enumerable.Range(0, ints.Length).Select(r => ints.IsNull(r) ? null : "f" + BitConverter.DoubleToInt64Bits(ints.Values[r]).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            }

            var actual = columns.GetProperty(name).EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? null : e.GetString()).ToList();
            if (exactFloats || batch.Column(c).Type.Id != ArrowTypeId.Double)
            {
                Assert.Equal(expected, actual);
                continue;
            }

            Assert.Equal(expected.Count, actual.Count);
            for (int r = 0; r < expected.Count; r++)
            {
                Assert.Equal(expected[r] is null, actual[r] is null);
                if (expected[r] is not null)
                {
                    long want = long.Parse(expected[r]![1..], System.Globalization.CultureInfo.InvariantCulture);
                    long got = long.Parse(actual[r]![1..], System.Globalization.CultureInfo.InvariantCulture);
                    double w = BitConverter.Int64BitsToDouble(want), g = BitConverter.Int64BitsToDouble(got);
                    Assert.True(want == got || Math.Abs(w - g) <= 1e-12 * Math.Abs(w), $"{name}[{r}]: pandas read {g:R}, expected {w:R}");
                }
            }
        }
    }

    [Fact]
    public async Task Read_PandasToCsv_EqualValuesAndSameBytesRewritten()
    {
        string path = _dir.File("pandas");
        var result = await RunPythonAsync(_dir.Path, CanonicalPython + """

            import sys, numpy as np
            rng = np.random.default_rng(11)
            n = 500
            def nulls(values, p=0.1):
                mask = rng.random(n) < p
                return [None if m else v for m, v in zip(mask, values)]
            floats = rng.normal(size=n) * 10.0 ** rng.integers(-30, 30, size=n)
            floats[:6] = [np.inf, -np.inf, 5e-324, 1.7976931348623157e308, -0.0, 0.1]
            floats[rng.random(n) < 0.1] = np.nan
            alphabet = list('ab\t"\nσü€ x1')
            strings = [''.join(rng.choice(alphabet, size=rng.integers(1, 8))) for _ in range(n)]
            strings = ['x' + s for s in strings]
            base = np.datetime64('2019-12-08T11:58:00', 'ns')
            df = pd.DataFrame({
                'i': rng.integers(-2**62, 2**62, size=n),
                'i_null': nulls(list(rng.integers(-1000, 1000, size=n))),
                'f': floats,
                'b': rng.random(n) < 0.5,
                'b_null': nulls(list(rng.random(n) < 0.5)),
                's': nulls(strings),
                't_ns': pd.Series(base + rng.integers(-10**18, 10**18, size=n).astype('timedelta64[ns]')).where(rng.random(n) > 0.1),
                't_ms': pd.Series(base + (rng.integers(-10**9, 10**9, size=n) * 1_000_000).astype('timedelta64[ns]')).where(rng.random(n) > 0.1),
                't_day': pd.Series(np.datetime64('2000-01-01', 'ns') + (rng.integers(0, 20000, size=n) * 86_400 * 10**9).astype('timedelta64[ns]')),
                't_utc': pd.Series(base + (rng.integers(-10**12, 10**12, size=n) * 1000).astype('timedelta64[ns]')).dt.tz_localize('UTC'),
            })
            df.to_csv(sys.argv[1], sep='\t')
            print(canon(df, {'t_ns', 't_ms', 't_day', 't_utc'}, {'t_utc'}))
            """, path);
        byte[] pandasBytes = await File.ReadAllBytesAsync(path);

        var read = ReadTsv(pandasBytes, batchSize: 128);

        using var json = JsonDocument.Parse(result.Stdout);
        var columns = json.RootElement.GetProperty("columns");
        var schema = read[0].Schema;
        Assert.Equal(["i", "i_null", "f", "b", "b_null", "s", "t_ns", "t_ms", "t_day", "t_utc"], schema.Fields.Select(f => f.Name));
        Assert.Equal([ArrowTypeId.Int64, ArrowTypeId.Double, ArrowTypeId.Double, ArrowTypeId.Boolean, ArrowTypeId.Boolean, ArrowTypeId.String, ArrowTypeId.Timestamp, ArrowTypeId.Timestamp, ArrowTypeId.Timestamp, ArrowTypeId.Timestamp], schema.Fields.Select(f => f.Type.Id));
        for (int c = 0; c < schema.Count; c++)
        {
            var expected = columns.GetProperty(schema[c].Name).EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? null : e.GetString()).ToList();
            Assert.Equal(expected, read.SelectMany(b => Column(b, c)).ToList());
        }

        // A single pass through our writer gives pandas' bytes back (single batch: the column layouts are decided at once).
        var whole = ReadTsv(pandasBytes)[0];
        Assert.Equal(AsText(pandasBytes), AsText(WriteTsv(whole.Schema, whole)));
    }

    [Fact]
    public async Task Write_RandomDoubles_MatchPythonRepr()
    {
        var random = new Random(3);
        var values = new double[2000];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i % 3 == 0
                ? BitConverter.Int64BitsToDouble(random.NextInt64())
                : Math.Round(random.NextDouble() * Math.Pow(10, random.Next(-8, 20)), random.Next(0, 6));
        }

        values = values.Where(v => !double.IsNaN(v)).ToArray();
        var batch = RecordBatch.FromColumns(("x", BuildDoubles(values)));
        string ours = AsText(WriteTsv(batch.Schema, batch));
        string bits = string.Join('\n', values.Select(v => BitConverter.DoubleToInt64Bits(v).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        string bitsPath = _dir.File("bits");
        await File.WriteAllTextAsync(bitsPath, bits);

        var result = await RunPythonAsync(_dir.Path, """
            import sys, struct
            vals = [struct.unpack('<d', struct.pack('<q', int(line)))[0] for line in open(sys.argv[1]).read().split('\n')]
            print('\tx\n' + ''.join(f'{i}\t{v!r}\n' for i, v in enumerate(vals)), end='')
            """, bitsPath);

        Assert.Equal(result.Stdout, ours);
    }

    private static List<string?> Column(RecordBatch batch, int column)
        => Enumerable.Range(0, batch.Length).Select(r => Canonical(batch.Column(column), r)).ToList();

    /// <summary>Ints, floats (negative, tiny, huge, ±∞), bools, awkward strings, timestamps of several layouts, nulls.</summary>
    private static RecordBatch SeededTable(int rows, int seed)
    {
        var random = new Random(seed);
        var i = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        var iNull = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        var f = new PrimitiveArrayBuilder<double>(ArrowType.Double);
        var b = new BooleanArrayBuilder();
        var bNull = new BooleanArrayBuilder();
        var s = new BinaryArrayBuilder(ArrowType.String);
        var tNs = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Nanosecond));
        var tMs = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Millisecond));
        var tDay = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Second));
        var tUtc = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Microsecond, "UTC"));
        double[] specials = [double.PositiveInfinity, double.NegativeInfinity, 5e-324, -1e-300, 1.7976931348623157e308, -4.2e+200, 0.1, -0.0, 1e16, 1e-5];
        string[] pieces = ["a", "\t", "\"", "\n", "\r", "σ", "€", "🙂", " ", "x", "1"];
        const long Base = 1_575_806_280L; // 2019-12-08 11:58:00 UTC
        bool Null() => random.NextDouble() < 0.1;
        for (int r = 0; r < rows; r++)
        {
            i.Append(random.NextInt64(long.MinValue, long.MaxValue));
            if (Null())
            {
                iNull.AppendNull();
            }
            else
            {
                iNull.Append(random.NextInt64(-1L << 53, 1L << 53));
            }

            if (r < specials.Length)
            {
                f.Append(specials[r]);
            }
            else if (Null())
            {
                f.AppendNull();
            }
            else
            {
                f.Append((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-40, 40)));
            }

            b.Append(random.Next(2) == 1);
            bNull.Append(Null() ? null : random.Next(2) == 1);
            if (Null())
            {
                s.AppendNull();
            }
            else
            {
                var text = new StringBuilder("v");
                int n = random.Next(0, 8);
                for (int k = 0; k < n; k++)
                {
                    text.Append(pieces[random.Next(pieces.Length)]);
                }

                s.Append(text.ToString());
            }

            AppendOrNull(tNs, (Base * 1_000_000_000) + random.NextInt64(-1_000_000_000_000_000_000, 1_000_000_000_000_000_000));
            AppendOrNull(tMs, (Base * 1000) + random.NextInt64(-1_000_000_000_000, 1_000_000_000_000));
            AppendOrNull(tDay, 86_400L * random.Next(-20_000, 20_000));
            AppendOrNull(tUtc, (Base * 1_000_000) + random.NextInt64(-1_000_000_000_000_000, 1_000_000_000_000_000));
        }

        void AppendOrNull(PrimitiveArrayBuilder<long> builder, long value)
        {
            if (Null())
            {
                builder.AppendNull();
            }
            else
            {
                builder.Append(value);
            }
        }

        return RecordBatch.FromColumns(
            ("i", i.Build()), ("i_null", iNull.Build()), ("f", f.Build()), ("b", b.Build()), ("b_null", bNull.Build()), ("s", s.Build()),
            ("t_ns", tNs.Build()), ("t_ms", tMs.Build()), ("t_day", tDay.Build()), ("t_utc", tUtc.Build()));
    }

    private static IArrowArray Int64Array(params long[] values)
    {
        var builder = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        builder.AppendRange(values);
        return builder.Build();
    }

    private static IArrowArray BuildDoubles(params double[] values)
    {
        var builder = new PrimitiveArrayBuilder<double>(ArrowType.Double);
        builder.AppendRange(values);
        return builder.Build();
    }

    private static IArrowArray StringArray(params string?[] values)
    {
        var builder = new BinaryArrayBuilder(ArrowType.String);
        foreach (var value in values)
        {
            builder.Append(value);
        }

        return builder.Build();
    }

    private static IArrowArray BoolArray(params bool?[] values)
    {
        var builder = new BooleanArrayBuilder();
        foreach (var value in values)
        {
            builder.Append(value);
        }

        return builder.Build();
    }
}
