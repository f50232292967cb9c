using BenchmarkDotNet.Attributes;
using Larder.Arrays;
using Larder.Columnar;

namespace Larder.Benchmarks;

/// <summary>
/// The vault's workloads (<see cref="VaultWorkloads"/>): a table stored into a fresh vault and imported from it, and a
/// float64 array stored as NPY. Each store starts from no vault (deleted in the iteration setup, untimed).
/// </summary>
[MemoryDiagnoser]
public class VaultBenchmarks : IDisposable
{
    private string _vault = string.Empty;
    private string _imported = string.Empty;
    private Table? _table;
    private NDArray? _array;

    [Params(1_000_000)]
    public int Rows { get; set; }

    /// <summary>Size of the stored array in MiB (the compare mode uses 1024).</summary>
    [Params(256)]
    public int ArrayMiB { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        List<RecordBatch> batches = Workloads.ReadCsv(BdnData.Csv(Rows));
        _table = new Table(batches[0].Schema, batches);
        _array = VaultWorkloads.BuildArray((long)ArrayMiB << 20);
        _vault = Path.Combine(BdnData.Directory, "bdn_vault.zip");
        _imported = Path.Combine(BdnData.Directory, "bdn_vault_import.zip");
        VaultWorkloads.DeleteVault(_imported);
        VaultWorkloads.StoreTable(_imported, "table", _table);
    }

    [IterationSetup]
    public void FreshVault() => VaultWorkloads.DeleteVault(_vault);

    [GlobalCleanup]
    public void Cleanup()
    {
        VaultWorkloads.DeleteVault(_vault);
        VaultWorkloads.DeleteVault(_imported);
        Dispose();
    }

    [Benchmark(Description = "Vault store table")]
    public uint StoreTable() => VaultWorkloads.StoreTable(_vault, "table", _table!).New!.Crc32;

    [Benchmark(Description = "Vault import table")]
    public long ImportTable() => VaultWorkloads.ImportTable(_imported, "table").Rows;

    [Benchmark(Description = "Vault store array (NPY)")]
    public uint StoreArray() => VaultWorkloads.StoreArray(_vault, "array", _array!).New!.Crc32;

    public void Dispose()
    {
        _array?.Dispose();
        _array = null;
        GC.SuppressFinalize(this);
    }
}
