using Larder.Parquet.Metadata;

namespace Larder.Parquet.Tests.Peers;

/// <summary>
/// <see cref="PeerTables.WideSql"/> written by DuckDB for every case of <see cref="Cases"/> and read back by DuckDB, all
/// in one node process (started on first use). If that run fails, each case runs its own write and read, so every test
/// reports the failure of its own case.
/// </summary>
public sealed class DuckDbPeerFiles : IDisposable
{
    /// <summary>The (codec, Parquet version) pairs DuckDB writes.</summary>
    public static readonly IReadOnlyList<(string Codec, string Version)> Cases =
        [("snappy", "v1"), ("zstd", "v1"), ("snappy", "v2"), ("zstd", "v2"), ("lz4", "v2")];

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "larder-duckdb-files-" + Guid.NewGuid().ToString("N"));
    private readonly Lazy<Task<IReadOnlyList<PeerResultSet>?>> _all;

    public DuckDbPeerFiles()
    {
        Directory.CreateDirectory(_dir);
        _all = new(async () =>
        {
            try
            {
                var sets = await DuckDbPeer.RunBatchAsync(
                [
                    DuckDbRequest.Query(PeerTables.WideSetupSql),
                    .. Cases.Select(c => Write(c.Codec, c.Version)),
                    .. Cases.Select(c => DuckDbRequest.Read(PathOf(c.Codec, c.Version))),
                ]);
                return [.. sets.Skip(1 + Cases.Count)];
            }
            catch (Larder.TestKit.PeerException)
            {
                return null;
            }
        });
    }

    /// <summary>The codec DuckDB's <paramref name="name"/> puts in the footer (its 'lz4' is LZ4_RAW).</summary>
    public static CompressionCodec Codec(string name) => name switch
    {
        "snappy" => CompressionCodec.Snappy,
        "zstd" => CompressionCodec.Zstd,
        "gzip" => CompressionCodec.Gzip,
        "lz4" => CompressionCodec.Lz4Raw,
        "brotli" => CompressionCodec.Brotli,
        "uncompressed" => CompressionCodec.Uncompressed,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a DuckDB codec"),
    };

    /// <summary>The file DuckDB wrote for the case and DuckDB's own read of it.</summary>
    public async Task<(string Path, PeerResultSet DuckDb)> GetAsync(string codec, string version)
    {
        int index = Cases.ToList().IndexOf((codec, version));
        if (index < 0)
        {
            throw new ArgumentException($"{codec}/{version} is not one of the cases", nameof(codec));
        }

        string path = PathOf(codec, version);
        if (await _all.Value is { } reads)
        {
            return (path, reads[index]);
        }

        var own = await DuckDbPeer.RunBatchAsync([DuckDbRequest.Query(PeerTables.WideSetupSql), Write(codec, version), DuckDbRequest.Read(path)]);
        return (path, own[2]);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string codec, string version) => Path.Combine(_dir, $"duckdb-{codec}-{version}.parquet");

    private DuckDbRequest Write(string codec, string version)
        => DuckDbRequest.Write(PeerTables.WideSql, PathOf(codec, version), codec, version, rowGroupSize: 2048);
}
