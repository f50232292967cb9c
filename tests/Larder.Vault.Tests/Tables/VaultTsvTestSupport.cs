using System.Globalization;
using System.Text;
using Larder.Columnar;
using Larder.TestKit;
using Larder.Vault.Tables;

namespace Larder.Vault.Tests.Tables;

internal static class VaultTsvTestSupport
{
    /// <summary>The interpreter the interop tests run; a missing python3 or pandas fails them.</summary>
    public const string Python = "/usr/bin/python3";

    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The Python that turns a pandas frame into canonical lines: float bits, timestamp nanoseconds, JSON strings.</summary>
    public const string CanonicalPython = """
        import json, struct, pandas as pd
        def canon(df, ts_columns, utc_columns):
            out = {'dtypes': {c: str(df[c].dtype) for c in df.columns}, 'index': [int(i) for i in df.index], 'columns': {}}
            for c in df.columns:
                col = df[c]
                if c in ts_columns:
                    col = pd.to_datetime(col, utc=(c in utc_columns))
                values = []
                for v in col:
                    if pd.isna(v):
                        values.append(None)
                    elif isinstance(v, pd.Timestamp):
                        values.append(str(v.value))
                    elif isinstance(v, bool) or type(v).__name__ == 'bool_':
                        values.append('True' if v else 'False')
                    elif isinstance(v, float) or type(v).__name__.startswith('float'):
                        values.append('f' + str(struct.unpack('<q', struct.pack('<d', float(v)))[0]))
                    elif isinstance(v, str):
                        values.append('s' + v)
                    else:
                        values.append(str(int(v)))
                out['columns'][c] = values
            return json.dumps(out, ensure_ascii=True)
        """;

    public static async Task<ChildProcessResult> RunPythonAsync(string workingDirectory, string script, params string[] arguments)
    {
        var result = await ChildProcess.RunAsync(Python, ["-c", script, .. arguments], workingDirectory, Timeout);
        Assert.True(result.ExitCode == 0, $"{result.CommandLine} exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return result;
    }

    /// <summary>The canonical text of a value as <see cref="CanonicalPython"/> writes it, from our side.</summary>
    public static string? Canonical(IArrowArray array, int row)
    {
        if (array.IsNull(row))
        {
            return null;
        }

        return array switch
        {
            BooleanArray b => b.GetBit(row) ? "True" : "False",
            TimestampArray t => ToNanoseconds(t.Values[row], t.Type.Unit).ToString(CultureInfo.InvariantCulture),
            PrimitiveArray<double> d => double.IsNaN(d.Values[row]) ? null : "f" + BitConverter.DoubleToInt64Bits(d.Values[row]).ToString(CultureInfo.InvariantCulture),
            StringArray s => "s" + s.GetString(row),
            _ => Convert.ToString(array.GetValue(row), CultureInfo.InvariantCulture),
        };
    }

    public static long ToNanoseconds(long value, TimeUnit unit) => unit switch
    {
        TimeUnit.Second => value * 1_000_000_000,
        TimeUnit.Millisecond => value * 1_000_000,
        TimeUnit.Microsecond => value * 1_000,
        _ => value,
    };

    public static byte[] WriteTsv(Schema schema, params RecordBatch[] batches)
    {
        using var output = new MemoryStream();
        using (var writer = new VaultTsvWriter(output, schema, leaveOpen: true))
        {
            foreach (var batch in batches)
            {
                writer.Write(batch);
            }
        }

        return output.ToArray();
    }

    public static List<RecordBatch> ReadTsv(byte[] bytes, int batchSize = 65_536)
    {
        using var reader = new VaultTsvReader(new MemoryStream(bytes, writable: false), batchSize: batchSize);
        return reader.ReadBatches().ToList();
    }

    public static string AsText(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
