using System.Globalization;
using System.Text.Json;
using Larder.Arrays;
using Larder.Columnar;
using Larder.TestKit;
using Larder.Vault.Tests.Tables;

namespace Larder.Vault.Tests;

/// <summary>
/// Runs the data_vault peer (<c>tests/peers/vault/data_vault_peer.py</c> on Debian's python3 with pandas and numpy) and
/// the <c>7z</c> command line. A missing interpreter, module or tool fails the test with the command that installs it;
/// never a skip.
/// </summary>
internal static class VaultPeer
{
    public const string Python = "/usr/bin/python3";

    private const string SevenZip = "/usr/bin/7z";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static string Script => Path.Combine(PeerProcess.PeersDirectory, "vault", "data_vault_peer.py");

    /// <summary>Runs the peer with <paramref name="arguments"/> and parses the JSON document it prints.</summary>
    public static async Task<JsonDocument> RunAsync(string workingDirectory, params string[] arguments)
    {
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} is missing: the vault interop tests need it (bash scripts/setup.sh, or apt-get install -y python3 python3-pandas python3-numpy).");
        }

        Assert.True(File.Exists(Script), $"the data_vault peer {Script} is missing.");
        var result = await ChildProcess.RunAsync(Python, [Script, .. arguments], workingDirectory, Timeout);
        if (result.ExitCode != 0)
        {
            if (result.Stderr.Contains("No module named", StringComparison.Ordinal))
            {
                Assert.Fail($"python3-pandas or python3-numpy is missing: the vault interop tests need them (apt-get install -y python3-pandas python3-numpy). {result.Stderr}");
            }

            Assert.Fail($"{result.CommandLine} exited {result.ExitCode}: {result.Stderr}");
        }

        return JsonDocument.Parse(result.Stdout);
    }

    /// <summary>Runs <c>7z</c>; the result, whatever the exit code.</summary>
    public static async Task<ChildProcessResult> SevenZipAsync(string workingDirectory, params string[] arguments)
    {
        if (!File.Exists(SevenZip))
        {
            Assert.Fail($"{SevenZip} is missing: the vault interop tests need it (apt-get install -y p7zip-full).");
        }

        return await ChildProcess.RunAsync(SevenZip, arguments, workingDirectory, Timeout);
    }

    /// <summary>Runs <c>7z</c> and fails the test on a non-zero exit.</summary>
    public static async Task<ChildProcessResult> SevenZipOkAsync(string workingDirectory, params string[] arguments)
    {
        var result = await SevenZipAsync(workingDirectory, arguments);
        Assert.True(result.ExitCode == 0, $"{result.CommandLine} exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return result;
    }

    /// <summary>Every value of a column in the peer's canonical text (dictionary columns by their values).</summary>
    public static List<string?> Column(Table table, int column)
        => table.Batches.SelectMany(b => Enumerable.Range(0, b.Length).Select(r => Canonical(b.Column(column), r))).ToList();

    /// <summary>A value in the peer's canonical text (VaultTsvTestSupport's form, which the peer prints too).</summary>
    public static string? Canonical(IArrowArray array, int row)
    {
        if (array is DictionaryArray dictionary)
        {
            return dictionary.IsNull(row) ? null : VaultTsvTestSupport.Canonical(dictionary.Dictionary, (int)dictionary.GetIndex(row));
        }

        return VaultTsvTestSupport.Canonical(array, row);
    }

    /// <summary>A column as the peer reads it (JSON strings and nulls).</summary>
    public static List<string?> Values(JsonElement canon, string column)
        => canon.GetProperty("columns").GetProperty(column).EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? null : e.GetString()).ToList();

    /// <summary>An integer column with nulls as pandas holds it: float64.</summary>
    public static List<string?> AsPandasFloats(List<string?> integers)
        => integers.ConvertAll(v => v is null ? null : "f" + BitConverter.DoubleToInt64Bits(long.Parse(v, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture));

    /// <summary>Asserts that <paramref name="array"/> is what the peer described (dtype as little-endian, shape, order, values).</summary>
    public static void AssertArray(JsonElement described, NDArray array)
    {
        Assert.Equal(described.GetProperty("le").GetString(), array.DType.ToString());
        Assert.Equal(described.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), array.Shape);
        if (array.Shape.Count(d => d > 1) > 1)
        {
            Assert.Equal(described.GetProperty("fortran").GetBoolean() ? NDArrayOrder.Fortran : NDArrayOrder.C, array.Order);
        }

        using NDArray c = array.ToOrder(NDArrayOrder.C);
        Assert.Equal(described.GetProperty("hex").GetString(), Convert.ToHexStringLower(c.Bytes));
    }
}
