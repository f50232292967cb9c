using System.Globalization;
using System.Text.Json.Nodes;
using Larder.Arrays;
using Larder.Columnar;
using Larder.Vault;

namespace Larder.Benchmarks;

/// <summary>
/// The vault group of the <c>compare</c> mode: a table stored into and imported from a vault next to data_vault's way
/// with pandas and zipfile, and a large array stored as NPY next to a durable <c>dd</c> write of the same size. These
/// rows report medians (ours and the peers'), not best-of.
/// </summary>
internal sealed partial class CompareRunner
{
    private const int VaultRuns = 5;
    private const string VaultTableName = "table";
    private const string VaultArrayName = "array";

    private void RunVaultGroup(Peers peers)
    {
        int rows = options.VaultRows;
        string csvPath = EnsureCsv(rows);
        string vaultPath = Path.Combine(options.DataDir, "vault_ours.zip");
        long arrayBytes = options.VaultArrayMib << 20;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[5/5] Vault: a {rows:N0}-row table from {Path.GetFileName(csvPath)} stored (TSV, deflate) and imported, a {FormatBytes(arrayBytes)} float64 array stored (NPY); median of {VaultRuns} runs after a warm-up"));
        var raw = new JsonObject { ["rows"] = rows, ["csv"] = csvPath, ["array_bytes"] = arrayBytes };
        string tableLabel = string.Create(CultureInfo.InvariantCulture, $"{rows:N0} rows");

        // --- Table: store and import ---------------------------------------------------------------------------------
        Measure.Timing? store = null, import = null;
        VaultEntryInfo? tableEntry = null;
        try
        {
            // The table is read untimed: int64, float64, utf8 (6 values), timestamp, as pandas holds it in its DataFrame.
            List<RecordBatch> batches = Workloads.ReadCsv(csvPath);
            Table? table = new Table(batches[0].Schema, batches);
            Check(table.RowCount == rows, $"{csvPath} holds {table.RowCount} rows, expected {rows}");
            Console.WriteLine($"  schema: {string.Join(", ", table.Schema.Fields.Select(f => $"{f.Name} {f.Type}"))}");
            store = Measure.Run("vault store table", () => VaultWorkloads.StoreTable(vaultPath, VaultTableName, table!),
                warmups: 1, minRuns: VaultRuns, maxRuns: VaultRuns, between: () => { VaultWorkloads.DeleteVault(vaultPath); Measure.FullGc(); });
            tableEntry = Vault.Vault.Open(vaultPath, VaultWorkloads.Options).List().Single();
            table = null;
            batches.Clear();

            (long Rows, Schema? Schema, string? Reduction) seen = default;
            import = Measure.Run("vault import table", () => seen = VaultWorkloads.ImportTable(vaultPath, VaultTableName),
                warmups: 1, minRuns: VaultRuns, maxRuns: VaultRuns, between: Measure.FullGc);
            Check(seen.Rows == rows, $"the vault import returned {seen.Rows} rows, expected {rows}");
            string importedSchema = string.Join(", ", seen.Schema!.Fields.Select(f => $"{f.Name} {f.Type}"));
            Console.WriteLine($"  imported schema: {importedSchema}; {seen.Reduction}");
            raw["ours"] = new JsonObject
            {
                ["store_s"] = Samples(store),
                ["import_s"] = Samples(import),
                ["crc32"] = tableEntry.Crc32?.ToString("X8", CultureInfo.InvariantCulture),
                ["entry_bytes"] = tableEntry.Length,
                ["compressed_bytes"] = tableEntry.CompressedLength,
                ["imported_schema"] = importedSchema,
                ["reduction"] = seen.Reduction,
            };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            string error = $"our vault table workload failed: {ex.GetType().Name}: {ex.Message}";
            Console.WriteLine($"  {error}");
            _notes.Add(error);
        }
        finally
        {
            VaultWorkloads.DeleteVault(vaultPath);
            Measure.FullGc();
        }

        var pandas = peers.VaultPandas(csvPath, options.DataDir, VaultRuns);
        raw["pandas"] = pandas?.DeepClone();
        if (tableEntry is not null && pandas?["crc32"]?.GetValue<string>() is { } pandasCrc)
        {
            string ours = tableEntry.Crc32?.ToString("X8", CultureInfo.InvariantCulture) ?? "none";
            _notes.Add(ours == pandasCrc && Peers.Number(pandas, "entry_bytes") == tableEntry.Length
                ? $"Vault table entry: identical text on both sides (CRC-32 {ours}, {tableEntry.Length} bytes; deflated {tableEntry.CompressedLength} ours, {Peers.Number(pandas, "compressed_bytes")} zipfile)"
                : $"Vault table entry: the two sides' text DIFFERS (ours CRC-32 {ours}, {tableEntry.Length} bytes; pandas {pandasCrc}, {Peers.Number(pandas, "entry_bytes")} bytes)");
        }

        _rows.Add(new ResultRow($"Vault store, table ({tableLabel})", store?.MedianSeconds, "s", "pandas to_csv into zipfile",
            Peers.Number(pandas, "store_median_s"), 3.0,
            "StoreTableAsync of an in-memory Table (TSV, deflate, fsync + rename, log) vs df.to_csv(f, sep='\\t') into a ZIP_DEFLATED entry; medians"));
        _rows.Add(new ResultRow($"Vault import, table ({tableLabel})", import?.MedianSeconds, "s", "zipfile + read_csv + optimise",
            Peers.Number(pandas, "import_median_s"), 3.0,
            "ImportAsync, default options (memory-optimised) vs read_csv(f, sep='\\t', index_col=0, parse_dates=True) + optimize_memory; medians"));

        // --- Array: store as NPY ----------------------------------------------------------------------------------------
        Measure.Timing? storeArray = null, storeArrayLazy = null;
        try
        {
            using NDArray array = VaultWorkloads.BuildArray(arrayBytes);
            storeArray = Measure.Run("vault store array (NPY)", () => VaultWorkloads.StoreArray(vaultPath, VaultArrayName, array),
                warmups: 1, minRuns: VaultRuns, maxRuns: VaultRuns, between: () => { VaultWorkloads.DeleteVault(vaultPath); Measure.FullGc(); });
            VaultEntryInfo entry = Vault.Vault.Open(vaultPath, VaultWorkloads.Options).List().Single();
            Check(entry.Length > arrayBytes, $"the array entry holds {entry.Length} bytes, less than the array's {arrayBytes}");
            storeArrayLazy = Measure.Run("vault store array, Durable=false", () => VaultWorkloads.StoreArray(vaultPath, VaultArrayName, array, VaultWorkloads.Options with { Durable = false }),
                warmups: 1, minRuns: VaultRuns, maxRuns: VaultRuns, between: () => { VaultWorkloads.DeleteVault(vaultPath); Measure.FullGc(); });
            raw["array"] = new JsonObject
            {
                ["store_s"] = Samples(storeArray),
                ["store_not_durable_s"] = Samples(storeArrayLazy),
                ["entry_bytes"] = entry.Length,
                ["compressed_bytes"] = entry.CompressedLength,
            };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            string error = $"our vault array workload failed: {ex.GetType().Name}: {ex.Message}";
            Console.WriteLine($"  {error}");
            _notes.Add(error);
        }
        finally
        {
            VaultWorkloads.DeleteVault(vaultPath);
            Measure.FullGc();
        }

        var dd = peers.VaultDd(Path.Combine(options.DataDir, "vault_dd.bin"), options.VaultArrayMib, VaultRuns);
        raw["dd"] = dd?.DeepClone();
        double? ddGbs = Peers.Number(dd, "dd_median_s") is { } ddSeconds && Peers.Number(dd, "bytes") is { } ddBytes ? ddBytes / ddSeconds / GB : null;
        string arrayLabel = $"{FormatBytes(arrayBytes)} float64";
        _rows.Add(new ResultRow($"Vault store, array ({arrayLabel}, NPY)", arrayBytes / storeArray?.MedianSeconds / GB, "GB/s", "dd conv=fdatasync", ddGbs, 0.5,
            "StoreArrayAsync (NPY entry stored uncompressed, fsync + rename, log) vs dd if=/dev/zero bs=1M conv=fdatasync of the same size; medians"));
        _rows.Add(new ResultRow("Vault store, array, Durable=false", arrayBytes / storeArrayLazy?.MedianSeconds / GB, "GB/s", "dd conv=fdatasync", ddGbs, null,
            "the same store with VaultOptions.Durable = false (no fsync): what the device's write costs"));
        _raw["vault"] = raw;
    }
}
