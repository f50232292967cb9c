using Larder.TestKit;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Larder.Parquet.Tests.Peers;

/// <summary>
/// The DuckDB interop peer (<c>tests/peers/duckdb/*.mjs</c>, npm <c>@duckdb/node-api</c>): runs SQL in an in-memory
/// DuckDB, writes Parquet with <c>COPY … (FORMAT parquet)</c> and reads it with <c>read_parquet</c>; results come
/// back normalised as tests/peers/README.md says. Each call is one node process (~0.2 s); <see cref="RunBatchAsync"/>
/// runs many requests in one.
/// </summary>
public static class DuckDbPeer
{
    /// <summary>The npm package the peer needs.</summary>
    public const string Package = "@duckdb/node-api";

    /// <summary>The environment variable naming the DuckDB C library Larder loads (DESIGN §12).</summary>
    public const string LibraryVariable = "LARDER_DUCKDB_LIBRARY";

    /// <summary>The codecs <c>write.mjs</c> accepts.</summary>
    public static readonly IReadOnlyList<string> Codecs = ["snappy", "zstd", "gzip", "uncompressed", "lz4", "brotli"];

    /// <summary>
    /// The DuckDB C library: <c>LARDER_DUCKDB_LIBRARY</c> when set, else <c>&lt;repo&gt;/artifacts/native/libduckdb.so</c>,
    /// where <c>bash scripts/setup.sh</c> copies it from the npm package <c>@duckdb/node-bindings-linux-x64</c>.
    /// </summary>
    public static string LibraryPath
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable(LibraryVariable);
            return string.IsNullOrWhiteSpace(configured)
                ? Path.Combine(PeerProcess.RepoRoot, "artifacts", "native", "libduckdb.so")
                : Path.GetFullPath(configured);
        }
    }

    /// <summary>Runs <paramref name="sql"/> (one statement) and returns its result set.</summary>
    public static async Task<PeerResultSet> QueryAsync(string sql, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var run = await PeerProcess.RunCheckedAsync(Package, "duckdb/query.mjs", ["--sql", sql], timeout);
        return PeerResultSet.ParseSingle(run.Stdout, run.Command);
    }

    /// <summary>Runs the statements in order on one connection; returns one result set per statement.</summary>
    public static async Task<IReadOnlyList<PeerResultSet>> QueryAllAsync(IEnumerable<string> statements, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var arguments = statements.SelectMany(s => new[] { "--sql", s }).ToList();
        var run = await PeerProcess.RunCheckedAsync(Package, "duckdb/query.mjs", arguments, timeout);
        return PeerResultSet.ParseAll(run.Stdout, run.Command);
    }

    /// <summary>
    /// <c>COPY (<paramref name="sql"/>) TO <paramref name="path"/> (FORMAT parquet, CODEC <paramref name="codec"/>,
    /// PARQUET_VERSION <paramref name="version"/>)</c>; returns the number of rows written.
    /// </summary>
    public static async Task<long> WriteParquetAsync(string sql, string path, string codec = "snappy", string version = "v1", int? rowGroupSize = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(path);
        List<string> arguments = ["--sql", sql, "--out", Path.GetFullPath(path), "--codec", codec, "--version", version];
        if (rowGroupSize is { } n)
        {
            arguments.AddRange(["--row-group-size", n.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        var run = await PeerProcess.RunCheckedAsync(Package, "duckdb/write.mjs", arguments, timeout);
        return RowsWritten(PeerResultSet.ParseSingle(run.Stdout, run.Command));
    }

    /// <summary>All rows of <c>read_parquet(<paramref name="path"/>)</c>, with the names and types DESCRIBE gives.</summary>
    public static async Task<PeerResultSet> ReadParquetAsync(string path, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var run = await PeerProcess.RunCheckedAsync(Package, "duckdb/read.mjs", [Path.GetFullPath(path)], timeout);
        return PeerResultSet.ParseSingle(run.Stdout, run.Command);
    }

    /// <summary>What <c>version.mjs</c> prints: <c>nodeApi</c>, <c>nodeBindings</c>, <c>duckdb</c> (e.g. "v1.5.5"), <c>sourceId</c>, <c>platform</c>.</summary>
    public static async Task<JsonElement> VersionAsync()
    {
        var run = await PeerProcess.RunCheckedAsync(Package, "duckdb/version.mjs", []);
        using var document = JsonDocument.Parse(run.Stdout);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Runs <paramref name="requests"/> in one node process and one DuckDB connection (<c>batch.mjs</c>); returns one
    /// result set per request, in order.
    /// </summary>
    public static async Task<IReadOnlyList<PeerResultSet>> RunBatchAsync(IReadOnlyList<DuckDbRequest> requests, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var array = new JsonArray([.. requests.Select(r => (JsonNode)r.ToJson())]);
        string file = Path.Combine(Path.GetTempPath(), $"larder-duckdb-batch-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, array.ToJsonString());
        try
        {
            var run = await PeerProcess.RunCheckedAsync(Package, "duckdb/batch.mjs", [file], timeout);
            var sets = PeerResultSet.ParseAll(run.Stdout, run.Command);
            return sets.Count == requests.Count
                ? sets
                : throw new PeerException($"`{run.Command}` returned {sets.Count} result sets for {requests.Count} requests");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The row count a write's result set reports.</summary>
    public static long RowsWritten(PeerResultSet write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return long.Parse(write.Value(0, 0).GetString() ?? "", System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>One request of <see cref="DuckDbPeer.RunBatchAsync"/>.</summary>
public sealed record DuckDbRequest
{
    private DuckDbRequest(JsonObject json) => Json = json;

    private JsonObject Json { get; }

    /// <summary>Run one SQL statement.</summary>
    public static DuckDbRequest Query(string sql) => new(new JsonObject { ["op"] = "query", ["sql"] = sql });

    /// <summary>Write the result of <paramref name="sql"/> to a Parquet file.</summary>
    public static DuckDbRequest Write(string sql, string path, string codec = "snappy", string version = "v1", int? rowGroupSize = null)
    {
        var json = new JsonObject { ["op"] = "write", ["sql"] = sql, ["out"] = Path.GetFullPath(path), ["codec"] = codec, ["version"] = version };
        if (rowGroupSize is { } n)
        {
            json["rowGroupSize"] = n;
        }

        return new(json);
    }

    /// <summary>Read all rows of a Parquet file.</summary>
    public static DuckDbRequest Read(string path) => new(new JsonObject { ["op"] = "read", ["file"] = Path.GetFullPath(path) });

    internal JsonObject ToJson() => (JsonObject)Json.DeepClone();

    public override string ToString() => Json.ToJsonString();
}
