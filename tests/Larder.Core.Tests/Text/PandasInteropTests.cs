using System.Text.Json;
using Larder.Columnar;
using Larder.Text;
using static Larder.Core.Tests.Text.TextTestSupport;

namespace Larder.Core.Tests.Text;

/// <summary>
/// CSV interop with pandas through /usr/bin/python3 (DESIGN §4): pandas <c>read_csv</c> reads what we write and we read
/// what pandas <c>to_csv</c> writes, with equal values. Fails (never skips) when python3-pandas is missing.
/// </summary>
public sealed class PandasInteropTests : IDisposable
{
    /// <summary>Dumps a CSV read by pandas as JSON: per column, values as int, float ("NaN"/"inf"/"-inf" as strings), str, bool, ns since epoch for datetimes, null for NA.</summary>
    private const string ReadAndDump = """
        import sys, json, math
        import pandas as pd
        df = pd.read_csv(sys.argv[1], parse_dates=sys.argv[2].split(',') if sys.argv[2] else False, float_precision=sys.argv[3] or None)
        def conv(v):
            if v is None or v is pd.NaT: return None
            if isinstance(v, pd.Timestamp): return int(v.value)
            if isinstance(v, float):
                if math.isnan(v): return None
                if math.isinf(v): return 'inf' if v > 0 else '-inf'
                return v
            if hasattr(v, 'item'): v = v.item()
            if isinstance(v, float) and math.isnan(v): return None
            return v
        out = {'dtypes': {c: str(t) for c, t in df.dtypes.items()}, 'columns': {c: [conv(v) for v in df[c].astype(object).tolist()] for c in df.columns}}
        print(json.dumps(out))
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "larder-pandas-" + Guid.NewGuid().ToString("N"));

    public PandasInteropTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <param name="floatPrecision">
    /// "round_trip" for pandas' exact float parser; "" for its default call, whose default ("high") converter is not
    /// correctly rounded (it can miss by dozens of units in the last place), so floats are then
    /// compared within a relative 1e-13 or an absolute 1e-16 (the default call keeps about 16 decimal places).
    /// </param>
    [Theory]
    [InlineData("round_trip")]
    [InlineData("")]
    public void PandasReadCsv_ReadsWhatCsvWriterWrites_EqualValues(string floatPrecision)
    {
        var rng = new Random(12);
        const int rows = 300;
        string[] strings = ["plain", "a,b", "say \"hi\"", "multi\nline", "cr\r\nlf", "☃ é", " padded ", "x"];
        var ids = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        var withNulls = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        var floats = new PrimitiveArrayBuilder<double>(ArrowType.Double);
        var text = new BinaryArrayBuilder(ArrowType.String);
        var flags = new BooleanArrayBuilder();
        var naive = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Microsecond));
        var zoned = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Millisecond, "UTC"));
        for (int r = 0; r < rows; r++)
        {
            ids.Append(r == 0 ? long.MinValue + 1 : rng.NextInt64(-1_000_000_000_000L, 1_000_000_000_000L));
            if (r % 7 == 3)
            {
                withNulls.AppendNull();
            }
            else
            {
                withNulls.Append(rng.Next(-1000, 1000));
            }

            floats.Append((r % 11) switch
            {
                1 => double.NaN,
                2 => double.PositiveInfinity,
                3 => double.NegativeInfinity,
                4 => 1e-300,
                5 => 123456789.125,
                _ => (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-8, 12)),
            });
            if (r % 13 == 5)
            {
                text.AppendNull();
            }
            else
            {
                text.Append(strings[rng.Next(strings.Length)] + (r % 3 == 0 ? string.Empty : r.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            flags.Append(rng.Next(2) == 0);
            naive.Append(rng.NextInt64(-1_000_000_000_000_000L, 4_000_000_000_000_000L));
            zoned.Append(rng.NextInt64(0, 4_000_000_000_000L));
        }

        var batch = RecordBatch.FromColumns(
            ("id", ids.Build()), ("maybe", withNulls.Build()), ("f", floats.Build()), ("s", text.Build()), ("b", flags.Build()),
            ("naive", naive.Build()), ("zoned", zoned.Build()));
        string path = Path.Combine(_dir, "ours.csv");
        File.WriteAllBytes(path, WriteCsv(batch.Schema, [batch]));
        using var doc = JsonDocument.Parse(RunPython(ReadAndDump, path, "naive,zoned", floatPrecision));
        var dtypes = doc.RootElement.GetProperty("dtypes");
        Assert.Equal("int64", dtypes.GetProperty("id").GetString());
        Assert.Equal("float64", dtypes.GetProperty("maybe").GetString());
        Assert.Equal("float64", dtypes.GetProperty("f").GetString());
        Assert.Equal("bool", dtypes.GetProperty("b").GetString());
        Assert.Equal("datetime64[ns]", dtypes.GetProperty("naive").GetString());
        Assert.Equal("datetime64[ns, UTC]", dtypes.GetProperty("zoned").GetString());
        var cols = doc.RootElement.GetProperty("columns");
        for (int r = 0; r < rows; r++)
        {
            Assert.Equal((long)batch.Column("id").GetValue(r)!, cols.GetProperty("id")[r].GetInt64());
            var maybe = batch.Column("maybe").GetValue(r);
            var pm = cols.GetProperty("maybe")[r];
            Assert.Equal(maybe is null, pm.ValueKind == JsonValueKind.Null);
            if (maybe is long m)
            {
                Assert.Equal(m, pm.GetDouble());
            }

            double f = (double)batch.Column("f").GetValue(r)!;
            var pf = cols.GetProperty("f")[r];
            if (double.IsNaN(f))
            {
                Assert.Equal(JsonValueKind.Null, pf.ValueKind);
            }
            else if (double.IsInfinity(f))
            {
                Assert.Equal(f > 0 ? "inf" : "-inf", pf.GetString());
            }
            else if (floatPrecision.Length > 0)
            {
                Assert.Equal(f, pf.GetDouble());
            }
            else
            {
                double p = pf.GetDouble();
                Assert.True(Math.Abs(f - p) <= Math.Max(Math.Abs(f) * 1e-13, 1e-16), $"row {r}: {f:R} read by pandas as {p:R}");
            }

            var s = (string?)batch.Column("s").GetValue(r);
            var ps = cols.GetProperty("s")[r];
            Assert.Equal(s, ps.ValueKind == JsonValueKind.Null ? null : ps.GetString());
            Assert.Equal((bool)batch.Column("b").GetValue(r)!, cols.GetProperty("b")[r].GetBoolean());
            Assert.Equal((long)batch.Column("naive").GetValue(r)! * 1000, cols.GetProperty("naive")[r].GetInt64());
            Assert.Equal((long)batch.Column("zoned").GetValue(r)! * 1_000_000, cols.GetProperty("zoned")[r].GetInt64());
        }
    }

    [Fact]
    public void CsvReader_ReadsWhatPandasToCsvWrites_EqualValues()
    {
        const string Write = """
            import sys, json, math
            import numpy as np
            import pandas as pd
            rng = np.random.default_rng(7)
            n = 250
            strings = ['plain', 'comma, inside', 'quote " inside', 'new\nline', 'crlf\r\nline', 'unicode ☃', ' spaced ', 'x']
            df = pd.DataFrame({
                'i': rng.integers(-10**12, 10**12, n),
                'f': rng.standard_normal(n) * 1000,
                's': [strings[k % len(strings)] + str(k) for k in range(n)],
                'b': rng.integers(0, 2, n).astype(bool),
                't': pd.Timestamp('2024-01-01') + pd.to_timedelta(rng.integers(0, 10**15, n), unit='us'),
                'tz': pd.Timestamp('2020-01-01', tz='UTC') + pd.to_timedelta(rng.integers(0, 10**12, n), unit='ms'),
                'obj': [None if k % 5 == 0 else 'v' + str(k) for k in range(n)],
            })
            df.loc[3, 'f'] = np.nan
            df.loc[4, 'f'] = np.inf
            df.loc[5, 'f'] = -np.inf
            df.loc[6, 'f'] = 0.1
            df['i_na'] = pd.array([None if k % 4 == 0 else k for k in range(n)], dtype='Int64')
            df.loc[7, 't'] = pd.NaT
            df.to_csv(sys.argv[1], index=False)
            def conv(v):
                if v is None or v is pd.NaT or v is pd.NA: return None
                if isinstance(v, pd.Timestamp): return int(v.value)
                if isinstance(v, float):
                    if math.isnan(v): return None
                    if math.isinf(v): return 'inf' if v > 0 else '-inf'
                    return v
                if hasattr(v, 'item'): v = v.item()
                return v
            print(json.dumps({c: [conv(v) for v in df[c].astype(object).tolist()] for c in df.columns}))
            """;
        string path = Path.Combine(_dir, "pandas.csv");
        using var doc = JsonDocument.Parse(RunPython(Write, path));
        var expected = doc.RootElement;
        using var reader = new CsvReader(File.OpenRead(path));
        var schema = reader.GetSchema();
        var batches = reader.ReadBatches().ToList();
        Assert.Equal(["i", "f", "s", "b", "t", "tz", "obj", "i_na"], schema.Fields.Select(f => f.Name));
        Assert.Equal(ArrowType.Int64, schema[0].Type);
        Assert.Equal(ArrowType.Double, schema[1].Type);
        Assert.Equal(ArrowType.String, schema[2].Type);
        Assert.Equal(ArrowType.Boolean, schema[3].Type);
        Assert.Equal(new TimestampType(TimeUnit.Microsecond), schema[4].Type);
        Assert.Equal(new TimestampType(TimeUnit.Microsecond, "UTC"), schema[5].Type);
        Assert.Equal(ArrowType.String, schema[6].Type);
        Assert.Equal(ArrowType.Int64, schema[7].Type);
        int n = expected.GetProperty("i").GetArrayLength();
        Assert.Equal(n, batches.Sum(b => b.Length));
        var i = Values(batches, "i");
        var f = Values(batches, "f");
        var s = Values(batches, "s");
        var b = Values(batches, "b");
        var t = Values(batches, "t");
        var tz = Values(batches, "tz");
        var obj = Values(batches, "obj");
        var ina = Values(batches, "i_na");
        for (int r = 0; r < n; r++)
        {
            Assert.Equal(expected.GetProperty("i")[r].GetInt64(), i[r]);
            var ef = expected.GetProperty("f")[r];
            object? expectedFloat = ef.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => ef.GetString() == "inf" ? double.PositiveInfinity : double.NegativeInfinity,
                _ => ef.GetDouble(),
            };
            Assert.Equal(expectedFloat, f[r]);
            Assert.Equal(expected.GetProperty("s")[r].GetString(), s[r]);
            Assert.Equal(expected.GetProperty("b")[r].GetBoolean(), b[r]);
            var et = expected.GetProperty("t")[r];
            Assert.Equal(et.ValueKind == JsonValueKind.Null ? null : et.GetInt64() / 1000, t[r]);
            Assert.Equal(expected.GetProperty("tz")[r].GetInt64() / 1000, tz[r]);
            var eo = expected.GetProperty("obj")[r];
            Assert.Equal(eo.ValueKind == JsonValueKind.Null ? null : eo.GetString(), obj[r]);
            var ei = expected.GetProperty("i_na")[r];
            Assert.Equal(ei.ValueKind == JsonValueKind.Null ? null : ei.GetInt64(), ina[r]);
        }
    }
}
