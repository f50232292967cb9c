using System.Collections;
using System.Diagnostics;
using System.Numerics;
using System.Text;
using Larder.Columnar;
using Larder.Text;

namespace Larder.Core.Tests.Text;

/// <summary>Builders of test tables, readers and writers over memory, and deep value comparison.</summary>
internal static class TextTestSupport
{
    public static readonly string[] TrickyStrings =
    [
        "plain", string.Empty, "NA", "null", "NaN", " leading", "trailing ", "a,b", "say \"hi\"", "\"", "line\nbreak", "cr\rlf\r\nend",
        "unicode ☃ 😀 é", "\ttab", "<NA>", "N/A", "None", "x\"", ",", "\"quoted\"",
    ];

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static string AsText(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    public static (Schema Schema, List<RecordBatch> Batches) ReadCsv(string text, CsvReadOptions? options = null)
        => ReadCsv(Utf8(text), options);

    public static (Schema Schema, List<RecordBatch> Batches) ReadCsv(byte[] bytes, CsvReadOptions? options = null)
    {
        using var reader = new CsvReader(new MemoryStream(bytes), options, source: "test.csv");
        var schema = reader.GetSchema();
        return (schema, reader.ReadBatches().ToList());
    }

    public static (Schema Schema, List<RecordBatch> Batches) ReadJsonLines(string text, JsonLinesReadOptions? options = null)
        => ReadJsonLines(Utf8(text), options);

    public static (Schema Schema, List<RecordBatch> Batches) ReadJsonLines(byte[] bytes, JsonLinesReadOptions? options = null)
    {
        using var reader = new JsonLinesReader(new MemoryStream(bytes), options, source: "test.jsonl");
        var schema = reader.GetSchema();
        return (schema, reader.ReadBatches().ToList());
    }

    public static byte[] WriteCsv(Schema schema, IEnumerable<RecordBatch> batches, CsvWriteOptions? options = null)
    {
        var ms = new MemoryStream();
        using (var writer = new CsvWriter(ms, schema, options, leaveOpen: true))
        {
            foreach (var b in batches)
            {
                writer.Write(b);
            }
        }

        return ms.ToArray();
    }

    public static byte[] WriteJsonLines(Schema schema, IEnumerable<RecordBatch> batches, JsonLinesWriteOptions? options = null)
    {
        var ms = new MemoryStream();
        using (var writer = new JsonLinesWriter(ms, schema, options, leaveOpen: true))
        {
            foreach (var b in batches)
            {
                writer.Write(b);
            }
        }

        return ms.ToArray();
    }

    /// <summary>All values of column <paramref name="name"/> across batches, boxed as <see cref="IArrowArray.GetValue"/> returns them.</summary>
    public static List<object?> Values(IEnumerable<RecordBatch> batches, string name)
    {
        var list = new List<object?>();
        foreach (var b in batches)
        {
            var column = b.Column(name);
            for (int i = 0; i < column.Length; i++)
            {
                list.Add(column.GetValue(i));
            }
        }

        return list;
    }

    public static List<object?> Values(IEnumerable<RecordBatch> batches, int column)
    {
        var list = new List<object?>();
        foreach (var b in batches)
        {
            var c = b.Column(column);
            for (int i = 0; i < c.Length; i++)
            {
                list.Add(c.GetValue(i));
            }
        }

        return list;
    }

    /// <summary>Asserts two batch sequences hold the same values, column by column (types compared by the caller).</summary>
    public static void AssertSameValues(Schema schema, IReadOnlyList<RecordBatch> expected, IReadOnlyList<RecordBatch> actual)
    {
        Assert.Equal(expected.Sum(b => b.Length), actual.Sum(b => b.Length));
        for (int c = 0; c < schema.Count; c++)
        {
            var e = Values(expected, c);
            var a = Values(actual, c);
            for (int i = 0; i < e.Count; i++)
            {
                if (!DeepEquals(e[i], a[i]))
                {
                    Assert.Fail($"column '{schema[c].Name}' ({schema[c].Type}) row {i}: expected {Show(e[i])}, got {Show(a[i])}");
                }
            }
        }
    }

    public static bool DeepEquals(object? x, object? y)
    {
        if (x is null || y is null)
        {
            return x is null && y is null;
        }

        switch (x)
        {
            case byte[] bx when y is byte[] by:
                return bx.AsSpan().SequenceEqual(by);
            case double dx when y is double dy:
                return dx.Equals(dy);
            case float fx when y is float fy:
                return fx.Equals(fy);
            case Half hx when y is Half hy:
                return hx.Equals(hy);
            case string sx when y is string sy:
                return sx == sy;
            case IDictionary<string, object?> mx when y is IDictionary<string, object?> my:
                return mx.Count == my.Count && mx.All(kv => my.TryGetValue(kv.Key, out var v) && DeepEquals(kv.Value, v));
            case IEnumerable ex when y is IEnumerable ey && x is not string:
                var lx = ex.Cast<object?>().ToList();
                var ly = ey.Cast<object?>().ToList();
                return lx.Count == ly.Count && lx.Zip(ly).All(p => DeepEquals(p.First, p.Second));
            default:
                return x.Equals(y) || (IsNumber(x) && IsNumber(y) && Convert.ToDecimal(x, System.Globalization.CultureInfo.InvariantCulture) == Convert.ToDecimal(y, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static bool IsNumber(object o) => o is sbyte or short or int or long or byte or ushort or uint or ulong or decimal;

    public static string Show(object? v) => v switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        byte[] b => Convert.ToBase64String(b),
        IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(Show)) + "]",
        _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "?",
    };

    /// <summary>A batch with one column of every flat type, <paramref name="rows"/> rows, some nulls, fixed seed.</summary>
    public static RecordBatch AllFlatTypes(int rows, int seed, bool withNulls = true)
    {
        var rng = new Random(seed);
        var fields = new List<Field>
        {
            new("bool", ArrowType.Boolean),
            new("i8", ArrowType.Int8),
            new("i16", ArrowType.Int16),
            new("i32", ArrowType.Int32),
            new("i64", ArrowType.Int64),
            new("u8", ArrowType.UInt8),
            new("u16", ArrowType.UInt16),
            new("u32", ArrowType.UInt32),
            new("u64", ArrowType.UInt64),
            new("f16", ArrowType.HalfFloat),
            new("f32", ArrowType.Float),
            new("f64", ArrowType.Double),
            new("utf8", ArrowType.String),
            new("large_utf8", ArrowType.LargeString),
            new("binary", ArrowType.Binary),
            new("large_binary", ArrowType.LargeBinary),
            new("fsb", new FixedSizeBinaryType(3)),
            new("dec128", new DecimalType(20, 4)),
            new("dec256", new DecimalType(50, 10, 256)),
            new("date32", ArrowType.Date32),
            new("date64", ArrowType.Date64),
            new("time32s", new TimeType(TimeUnit.Second)),
            new("time32ms", new TimeType(TimeUnit.Millisecond)),
            new("time64us", new TimeType(TimeUnit.Microsecond)),
            new("time64ns", new TimeType(TimeUnit.Nanosecond)),
            new("ts_s", new TimestampType(TimeUnit.Second)),
            new("ts_ms", new TimestampType(TimeUnit.Millisecond)),
            new("ts_us_utc", new TimestampType(TimeUnit.Microsecond, "UTC")),
            new("ts_ns", new TimestampType(TimeUnit.Nanosecond)),
            new("ts_ns_utc", new TimestampType(TimeUnit.Nanosecond, "UTC")),
            new("duration", new DurationType(TimeUnit.Millisecond)),
            new("dict", new DictionaryType(ArrowType.Int32, ArrowType.String)),
        };
        var schema = new Schema(fields);
        var builders = fields.Select(f => ArrayBuilderFactory.Create(f.Type)).ToArray();
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < fields.Count; c++)
            {
                if (withNulls && rng.Next(8) == 0)
                {
                    builders[c].AppendNull();
                    continue;
                }

                builders[c].AppendValue(RandomValue(fields[c].Type, rng, r));
            }
        }

        return new RecordBatch(schema, builders.Select(b => b.Build()), rows);
    }

    private static object RandomValue(ArrowType type, Random rng, int row)
    {
        switch (type.Id)
        {
            case ArrowTypeId.Boolean: return rng.Next(2) == 0;
            case ArrowTypeId.Int8: return (sbyte)rng.Next(sbyte.MinValue, sbyte.MaxValue + 1);
            case ArrowTypeId.Int16: return (short)rng.Next(short.MinValue, short.MaxValue + 1);
            case ArrowTypeId.Int32: return row == 0 ? int.MinValue : rng.Next();
            case ArrowTypeId.Int64: return row == 0 ? long.MinValue : row == 1 ? long.MaxValue : rng.NextInt64(long.MinValue, long.MaxValue);
            case ArrowTypeId.UInt8: return (byte)rng.Next(256);
            case ArrowTypeId.UInt16: return (ushort)rng.Next(65536);
            case ArrowTypeId.UInt32: return (uint)rng.NextInt64(0, uint.MaxValue + 1L);
            case ArrowTypeId.UInt64: return row == 0 ? ulong.MaxValue : (ulong)rng.NextInt64();
            case ArrowTypeId.HalfFloat: return (Half)(rng.NextDouble() * 100);
            case ArrowTypeId.Float: return row % 17 == 3 ? float.NaN : (float)(rng.NextDouble() * 1e6);
            case ArrowTypeId.Double:
                return (row % 20) switch
                {
                    1 => double.NaN,
                    2 => double.PositiveInfinity,
                    3 => double.NegativeInfinity,
                    4 => -0.0,
                    5 => 1e300,
                    6 => 5e-324,
                    7 => 3.0,
                    _ => (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-10, 10)),
                };
            case ArrowTypeId.String:
            case ArrowTypeId.LargeString:
                return TrickyStrings[rng.Next(TrickyStrings.Length)];
            case ArrowTypeId.Binary:
            case ArrowTypeId.LargeBinary:
                var bytes = new byte[rng.Next(0, 10)];
                rng.NextBytes(bytes);
                return bytes;
            case ArrowTypeId.FixedSizeBinary:
                var fixedBytes = new byte[3];
                rng.NextBytes(fixedBytes);
                return fixedBytes;
            case ArrowTypeId.Decimal128:
                return Math.Round((decimal)(rng.NextDouble() * 1e6) * (rng.Next(2) == 0 ? 1 : -1), 4);
            case ArrowTypeId.Decimal256:
                var big = (BigInteger.Pow(10, 40) * rng.Next(1, 1000)) + rng.NextInt64();
                return rng.Next(2) == 0 ? big : -big;
            case ArrowTypeId.Date32:
                return DateOnly.FromDayNumber(rng.Next(DateOnly.FromDateTime(new DateTime(1900, 1, 1)).DayNumber, DateOnly.FromDateTime(new DateTime(2100, 1, 1)).DayNumber));
            case ArrowTypeId.Date64:
                return rng.Next(-20000, 40000) * 86_400_000L;
            case ArrowTypeId.Time32:
                return ((TimeType)type).Unit == TimeUnit.Second ? rng.Next(86_400) : rng.Next(86_400_000);
            case ArrowTypeId.Time64:
                return ((TimeType)type).Unit == TimeUnit.Microsecond ? rng.NextInt64(86_400_000_000L) : rng.NextInt64(86_400_000_000_000L);
            case ArrowTypeId.Timestamp:
                var unit = ((TimestampType)type).Unit;
                long seconds = rng.NextInt64(-2_000_000_000L, 4_000_000_000L);
                long per = Temporal.PerSecond(unit);
                return (seconds * per) + (per == 1 ? 0 : rng.NextInt64(per));
            case ArrowTypeId.Duration:
                return rng.NextInt64(-1_000_000_000_000L, 1_000_000_000_000L);
            case ArrowTypeId.Dictionary:
                return new[] { "red", "green", "blue", "NA", string.Empty }[rng.Next(5)];
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type.ToString());
        }
    }

    /// <summary>Runs /usr/bin/python3 with pandas; fails the test with a clear message when python3 or pandas is missing.</summary>
    public static string RunPython(string script, params string[] args)
    {
        const string Python = "/usr/bin/python3";
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} is missing: the pandas interop tests need it (apt-get install -y python3 python3-pandas).");
        }

        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start python3");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("python3 did not finish within 120 s");
        }

        string err = stderr.Result;
        if (process.ExitCode != 0)
        {
            if (err.Contains("No module named 'pandas'", StringComparison.Ordinal))
            {
                Assert.Fail("python3-pandas is missing: the pandas interop tests need it (apt-get install -y python3-pandas).");
            }

            Assert.Fail($"python3 failed with exit code {process.ExitCode}: {err}");
        }

        return stdout.Result;
    }
}
