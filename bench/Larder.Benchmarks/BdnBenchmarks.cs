using BenchmarkDotNet.Attributes;
using Larder.Columnar;

namespace Larder.Benchmarks;

/// <summary>
/// Where the BenchmarkDotNet classes keep their inputs: <c>LARDER_BENCH_DATA</c> (set by <c>bdn --data DIR</c>), else
/// <c>artifacts/bench/bdn-data</c> under the repository, else a folder in the temp directory. Files are generated once,
/// deterministically, by the same code as the compare mode.
/// </summary>
internal static class BdnData
{
    public static string Directory
    {
        get
        {
            string? dir = Environment.GetEnvironmentVariable("LARDER_BENCH_DATA");
            if (string.IsNullOrEmpty(dir))
            {
                try
                {
                    dir = Path.Combine(RepoLocator.Find(), "artifacts", "bench", "bdn-data");
                }
                catch (InvalidOperationException)
                {
                    dir = Path.Combine(Path.GetTempPath(), "larder-bench");
                }
            }

            System.IO.Directory.CreateDirectory(dir);
            return dir;
        }
    }

    public static string Csv(int rows)
    {
        string path = Path.Combine(Directory, $"csv_{rows}rows_v1.csv");
        if (!File.Exists(path))
        {
            DataGen.WriteCsvFile(path, rows);
        }

        return path;
    }
}

/// <summary>
/// Arrow IPC file write and read next to a memcpy of the same bytes (the baseline: BenchmarkDotNet's Ratio column is
/// then time / memcpy time, so the targets read as read &lt;= 2.0 and write &lt;= 4.0).
/// </summary>
[MemoryDiagnoser]
public class IpcBenchmarks
{
    private List<RecordBatch> _batches = [];
    private string _input = string.Empty;
    private string _output = string.Empty;
    private NativeBuffers? _memcpy;

    /// <summary>Size of the table's buffers in MiB (the compare mode uses 1024).</summary>
    [Params(256)]
    public int SizeMiB { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _batches = DataGen.BuildIpcBatches((long)SizeMiB << 20);
        _input = Path.Combine(BdnData.Directory, $"ipc_{SizeMiB}mib_v1.arrow");
        _output = Path.Combine(BdnData.Directory, "bdn_out.arrow");
        if (!File.Exists(_input))
        {
            DataGen.WriteIpcFile(_input, _batches);
        }

        _memcpy = new NativeBuffers(new FileInfo(_input).Length);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _memcpy?.Dispose();
        File.Delete(_output);
    }

    [Benchmark(Baseline = true, Description = "memcpy (same bytes)")]
    public void Memcpy() => _memcpy!.Copy();

    [Benchmark(Description = "IPC write file (ArrowFileWriter.Create)")]
    public long Write() => Workloads.WriteIpc(_output, _batches);

    [Benchmark(Description = "IPC write to a plain FileStream")]
    public long WriteToFileStream() => Workloads.WriteIpcToFileStream(_output, _batches);

    [Benchmark(Description = "IPC read file (mapped, warm)")]
    public ulong Read() => Workloads.ReadIpc(_input).Checksum;
}

/// <summary>CSV read (type inference) and write of the generated table.</summary>
[MemoryDiagnoser]
public class CsvBenchmarks
{
    private string _input = string.Empty;
    private string _output = string.Empty;
    private List<RecordBatch> _batches = [];

    [Params(1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _input = BdnData.Csv(Rows);
        _output = Path.Combine(BdnData.Directory, "bdn_out.csv");
        _batches = Workloads.ReadCsv(_input);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_output);

    [Benchmark(Description = "CSV read")]
    public int Read() => Workloads.ReadCsv(_input).Count;

    [Benchmark(Description = "CSV write")]
    public long Write() => Workloads.WriteCsv(_output, _batches);
}

/// <summary>zstd level 1 and 3 and lz4 (frame, level 1) on the CSV file's bytes, whole buffer per call.</summary>
public class CodecBenchmarks : IDisposable
{
    private byte[] _input = [];
    private byte[] _compressed = [];
    private byte[] _restored = [];
    private int _compressedLength;
    private Larder.Compression.ICompressionCodec? _codec;

    [Params("zstd-1", "zstd-3", "lz4-1")]
    public string Codec { get; set; } = "zstd-1";

    [GlobalSetup]
    public void Setup()
    {
        _input = File.ReadAllBytes(BdnData.Csv(1_000_000));
        _codec = CodecCase.Get(Codec).Create();
        _compressed = new byte[_codec.GetMaxCompressedLength(_input.Length)];
        _restored = new byte[_input.Length];
        _compressedLength = _codec.Compress(_input, _compressed);
    }

    [GlobalCleanup]
    public void Cleanup() => Dispose();

    [Benchmark]
    public int Compress() => _codec!.Compress(_input, _compressed);

    [Benchmark]
    public int Decompress() => _codec!.Decompress(_compressed.AsSpan(0, _compressedLength), _restored);

    public void Dispose()
    {
        _codec?.Dispose();
        _codec = null;
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// Parquet write (per codec) and full read of the compare mode's table (1,000,000 rows here): the batches are built once
/// in memory; the read input is the file the write benchmark writes, written once in setup.
/// </summary>
[MemoryDiagnoser]
public class ParquetBenchmarks
{
    private List<RecordBatch> _batches = [];
    private string _input = string.Empty;
    private string _output = string.Empty;

    [Params(1_000_000)]
    public int Rows { get; set; }

    [Params("snappy", "zstd")]
    public string Codec { get; set; } = "snappy";

    [GlobalSetup]
    public void Setup()
    {
        _batches = DataGen.BuildParquetBatches(Rows);
        _input = Path.Combine(BdnData.Directory, $"bdn_pq_{Rows}rows_{Codec}.parquet");
        _output = Path.Combine(BdnData.Directory, $"bdn_out_{Codec}.parquet");
        Workloads.WriteParquet(_input, _batches, Codec);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        File.Delete(_output);
        File.Delete(_input);
    }

    [Benchmark(Description = "Parquet write (ParquetFileWriter.Create)")]
    public long Write() => Workloads.WriteParquet(_output, _batches, Codec);

    [Benchmark(Description = "Parquet read (ParquetFileReader.ReadAll)")]
    public long Read() => Workloads.ReadParquet(_input).Rows;
}
