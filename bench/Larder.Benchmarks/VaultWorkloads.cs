using Larder.Arrays;
using Larder.Columnar;
using Larder.Vault;

namespace Larder.Benchmarks;

/// <summary>
/// The vault's measured operations: a store of an in-memory table or array into a fresh vault, and an import of a table
/// entry, each through the public <see cref="Vault"/> API with its default options (deflate level 6 for the TSV text, a
/// durable commit: fsync before the rename, the log written), as a caller of the library gets them.
/// </summary>
internal static class VaultWorkloads
{
    /// <summary>The module every benchmark entry is stored under.</summary>
    public const string Module = "bench";

    /// <summary>Seed of the benchmark array.</summary>
    public const ulong ArraySeed = 20240404;

    /// <summary>The vault's default options, minus the printing and the missing-password warning.</summary>
    public static VaultOptions Options { get; } = new() { Secure = false };

    /// <summary>Opens the vault at <paramref name="path"/> and stores <paramref name="table"/> as <c>bench/NAME</c>.</summary>
    public static VaultOperation StoreTable(string path, string name, Table table)
        => Vault.Vault.Open(path, Options).StoreTableAsync(name, Module, table).GetAwaiter().GetResult();

    /// <summary>Opens the vault at <paramref name="path"/> and stores <paramref name="array"/> as NPY under <c>bench/NAME</c>.</summary>
    public static VaultOperation StoreArray(string path, string name, NDArray array, VaultOptions? options = null)
        => Vault.Vault.Open(path, options ?? Options).StoreArrayAsync(name, Module, array).GetAwaiter().GetResult();

    /// <summary>
    /// Opens the vault at <paramref name="path"/> and imports the table <c>bench/NAME</c> with default options
    /// (memory-optimised, as data_vault). Returns the rows and the optimised schema; the import is disposed.
    /// </summary>
    public static (long Rows, Schema Schema, string? Reduction) ImportTable(string path, string name)
    {
        using VaultImport imported = Vault.Vault.Open(path, Options).ImportAsync(name, Module).GetAwaiter().GetResult();
        Table table = imported.Table ?? throw new InvalidOperationException($"{Module}/{name} imported as {imported.Kind}, not a table");
        return (table.RowCount, table.Schema, imported.ReductionMessage);
    }

    /// <summary>Deletes a vault and the files beside it (log, lock), so the next store starts from nothing.</summary>
    public static void DeleteVault(string path)
    {
        File.Delete(path);
        File.Delete(path + ".lock");
        File.Delete(path + ".vault.log.gz");
    }

    /// <summary>A 1-d float64 array of <paramref name="bytes"/> / 8 values uniform in [0, 1) from <see cref="ArraySeed"/>.</summary>
    public static NDArray BuildArray(long bytes)
    {
        var array = NDArray.Create(NpyDType.Float64, [bytes / sizeof(double)]);
        var rng = new SplitMix64(ArraySeed);
        foreach (ref double value in array.AsSpan<double>())
        {
            value = rng.NextDouble();
        }

        return array;
    }
}
