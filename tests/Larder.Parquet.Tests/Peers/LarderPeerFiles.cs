using Larder.Columnar;
using Larder.Parquet.Files;
using Larder.Parquet.Metadata;

namespace Larder.Parquet.Tests.Peers;

/// <summary>
/// <see cref="LarderTable"/> written by Larder once per codec × {dictionary, plain}, in small row groups and pages, to
/// a temporary folder; and the peers' reads of those files, each peer run once for all files (a node start costs
/// ~0.3 s). If that one run fails, each file is read on its own, so every test reports the failure of its own file.
/// </summary>
public sealed class LarderPeerFiles : IDisposable
{
    /// <summary>Rows of the table: the edge rows and then random rows.</summary>
    public const int Rows = 1000;

    /// <summary>Rows per row group (so the table spans several).</summary>
    public const int RowGroupRows = 300;

    /// <summary>Rows per <see cref="ParquetFileWriter.Write"/> call (so batches and row groups do not line up).</summary>
    public const int WriteRows = 250;

    /// <summary>Codecs as <see cref="ParquetWriteOptions.Compression"/> names them, with the codec the footer then records.</summary>
    public static readonly IReadOnlyDictionary<string, CompressionCodec> Codecs = new Dictionary<string, CompressionCodec>
    {
        ["none"] = CompressionCodec.Uncompressed,
        ["snappy"] = CompressionCodec.Snappy,
        ["gzip"] = CompressionCodec.Gzip,
        ["zstd"] = CompressionCodec.Zstd,
        ["lz4_raw"] = CompressionCodec.Lz4Raw,
        ["brotli"] = CompressionCodec.Brotli,
    };

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "larder-peer-files-" + Guid.NewGuid().ToString("N"));
    private readonly Lazy<Task<IReadOnlyList<PeerResultSet>?>> _duckDb;
    private readonly Lazy<Task<IReadOnlyList<PeerResultSet>?>> _hyparquet;

    public LarderPeerFiles()
    {
        Directory.CreateDirectory(_dir);
        Table = LarderTable.Create(Rows - LarderTable.EdgeRows, seed: 20_240_611);
        var paths = new List<string>();
        foreach (string codec in Codecs.Keys)
        {
            foreach (bool dictionary in new[] { true, false })
            {
                string path = PathOf(codec, dictionary);
                Write(path, codec, dictionary);
                paths.Add(path);
            }
        }

        Paths = paths;
        _duckDb = new(() => TryAsync(() => DuckDbPeer.RunBatchAsync([.. Paths.Select(DuckDbRequest.Read)])));
        _hyparquet = new(() => TryAsync(() => HyparquetPeer.ReadAllAsync(Paths)));
    }

    /// <summary>The table every file holds.</summary>
    public RecordBatch Table { get; }

    /// <summary>Every file, in the order the peers read them.</summary>
    public IReadOnlyList<string> Paths { get; }

    public string PathOf(string codec, bool dictionary) => Path.Combine(_dir, $"larder-{codec}-{(dictionary ? "dictionary" : "plain")}.parquet");

    /// <summary>The Parquet schema of a file, from its footer.</summary>
    public static IReadOnlyList<SchemaElement> ParquetSchema(string path)
    {
        using var reader = ParquetFileReader.Open(path);
        return reader.Metadata.Schema;
    }

    /// <summary>DuckDB's <c>read_parquet</c> of <paramref name="path"/>.</summary>
    public async Task<PeerResultSet> DuckDbReadAsync(string path)
        => await _duckDb.Value is { } all ? all[IndexOf(path)] : await DuckDbPeer.ReadParquetAsync(path);

    /// <summary>hyparquet's read of <paramref name="path"/>.</summary>
    public async Task<PeerResultSet> HyparquetReadAsync(string path)
        => await _hyparquet.Value is { } all ? all[IndexOf(path)] : await HyparquetPeer.ReadAsync(path);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private int IndexOf(string path)
    {
        int index = Paths.ToList().IndexOf(path);
        return index >= 0 ? index : throw new ArgumentException($"{path} is not one of the files written", nameof(path));
    }

    private void Write(string path, string codec, bool dictionary)
    {
        var options = new ParquetWriteOptions
        {
            Compression = codec,
            EnableDictionary = dictionary,
            RowGroupRows = RowGroupRows,
            DataPageSize = 1024,
            DictionaryPageSizeLimit = 2048,
        };
        using var writer = ParquetFileWriter.Create(path, Table.Schema, options);
        for (int offset = 0; offset < Table.Length; offset += WriteRows)
        {
            writer.Write(Table.Slice(offset, Math.Min(WriteRows, Table.Length - offset)));
        }

        writer.Finish();
    }

    private static async Task<IReadOnlyList<PeerResultSet>?> TryAsync(Func<Task<IReadOnlyList<PeerResultSet>>> run)
    {
        try
        {
            return await run();
        }
        catch (Larder.TestKit.PeerException)
        {
            return null;
        }
    }
}
