using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Larder.Columnar;
using Larder.Formats;

namespace Larder.Cli.Tests;

/// <summary>Helpers of the vault command tests: the real <c>larder</c> process with its own environment, independent archive reads, seeded tables.</summary>
internal static class VaultTestSupport
{
    /// <summary>Starts <c>dotnet Larder.Cli.dll ARGS</c> (as <see cref="CliRunner.RunProcessAsync"/> does) in <paramref name="workingDirectory"/> with extra environment variables (a null value removes one).</summary>
    public static Process StartLarder(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Larder.Cli.dll"));
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // The children never inherit vault settings from the test runner's environment.
        psi.Environment.Remove("LARDER_VAULT");
        psi.Environment.Remove("LARDER_VAULT_PASSWORD_ENV");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                psi.Environment.Remove(key);
            }
            else
            {
                psi.Environment[key] = value;
            }
        }

        return Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
    }

    /// <summary>Runs the real <c>larder</c> to completion (killed after two minutes).</summary>
    public static async Task<CliRunner.Result> RunLarderAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        using Process process = StartLarder(workingDirectory, environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"larder {string.Join(' ', args)} did not finish in 2 minutes");
        }

        return new CliRunner.Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The bytes of <paramref name="entry"/> read by System.IO.Compression, a reader independent of Larder's.</summary>
    public static byte[] ReadEntry(string zipPath, string entry)
    {
        using ZipArchive zip = ZipFile.OpenRead(zipPath);
        ZipArchiveEntry found = zip.GetEntry(entry) ?? throw new InvalidOperationException($"no entry {entry} in {zipPath}");
        using Stream s = found.Open();
        using var buffer = new MemoryStream();
        s.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>The entry names of the archive, by System.IO.Compression.</summary>
    public static List<string> EntryNames(string zipPath)
    {
        using ZipArchive zip = ZipFile.OpenRead(zipPath);
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    /// <summary>
    /// Writes a CSV table <c>id,x,city</c> with <paramref name="rows"/> rows: id 0..n-1, a seeded float and one of six
    /// city names; returns the cities by row.
    /// </summary>
    public static string[] WriteCityCsv(string path, int rows, int seed)
    {
        string[] cities = ["Berlin", "Paris", "Lagos", "Lima", "Osaka", "Perth"];
        var random = new Random(seed);
        var chosen = new string[rows];
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        w.Write("id,x,city\n");
        for (int i = 0; i < rows; i++)
        {
            chosen[i] = cities[random.Next(cities.Length)];
            w.Write(i.ToString(CultureInfo.InvariantCulture));
            w.Write(',');
            w.Write((random.Next(1_000_000) / 1000.0).ToString("R", CultureInfo.InvariantCulture));
            w.Write(',');
            w.Write(chosen[i]);
            w.Write('\n');
        }

        return chosen;
    }

    /// <summary>Every batch of a table file, read by Larder's reader for its extension.</summary>
    public static async Task<List<RecordBatch>> ReadTableAsync(string path)
    {
        var format = TableFormatRegistry.CreateDefault().ForPath(path);
        await using var reader = format.OpenReader(path, TableReadOptions.Default);
        var list = new List<RecordBatch>();
        await foreach (var b in reader.ReadBatchesAsync())
        {
            list.Add(b);
        }

        return list;
    }

    /// <summary>The values of column <paramref name="name"/> over all batches, as their text.</summary>
    public static List<string?> Column(IEnumerable<RecordBatch> batches, string name)
    {
        var values = new List<string?>();
        foreach (RecordBatch b in batches)
        {
            IArrowArray column = b.Column(name);
            for (int i = 0; i < b.Length; i++)
            {
                values.Add(column.GetValue(i) is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) : null);
            }
        }

        return values;
    }

    /// <summary>The CRC-32 of ZIP (reflected polynomial 0xEDB88320), computed bit by bit: a check independent of the code under test.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
