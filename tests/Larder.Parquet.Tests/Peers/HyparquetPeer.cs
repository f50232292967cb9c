using Larder.TestKit;
namespace Larder.Parquet.Tests.Peers;

/// <summary>
/// The hyparquet interop peer (<c>tests/peers/hyparquet/read.mjs</c>, npm <c>hyparquet</c> + <c>hyparquet-compressors</c>):
/// reads Parquet files and returns them normalised like <see cref="DuckDbPeer"/> does (tests/peers/README.md). Column
/// types are hyparquet's schema descriptions (e.g. <c>INT64 TIMESTAMP(MICROS,utc)</c>), not DuckDB type names.
/// </summary>
public static class HyparquetPeer
{
    /// <summary>The npm package the peer needs (it also needs <c>hyparquet-compressors</c>).</summary>
    public const string Package = "hyparquet";

    /// <summary>All rows of <paramref name="path"/>.</summary>
    public static async Task<PeerResultSet> ReadAsync(string path, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var sets = await ReadAllAsync([path], timeout);
        return sets[0];
    }

    /// <summary>All rows of each file, in one node process; one result set per file, in order.</summary>
    public static async Task<IReadOnlyList<PeerResultSet>> ReadAllAsync(IReadOnlyList<string> paths, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            return [];
        }

        await PeerProcess.EnsureAvailableAsync("hyparquet-compressors");
        var run = await PeerProcess.RunCheckedAsync(Package, "hyparquet/read.mjs", [.. paths.Select(Path.GetFullPath)], timeout);
        var sets = PeerResultSet.ParseAll(run.Stdout, run.Command);
        return sets.Count == paths.Count
            ? sets
            : throw new PeerException($"`{run.Command}` returned {sets.Count} result sets for {paths.Count} files");
    }
}
