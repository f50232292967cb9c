using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Larder.Vault;

namespace Larder.Cli;

/// <summary>The text of <c>larder vault list</c> and <c>larder vault log</c>: aligned tables, or JSON lines for scripts.</summary>
internal static class VaultText
{
    /// <summary>Entries as an aligned table: ENTRY, SIZE (bytes), CRC32 (<c>-</c> when not recorded), MODIFIED (UTC), ENCRYPTED.</summary>
    public static string EntriesAsTable(IReadOnlyList<VaultEntryInfo> entries)
    {
        var rows = new List<string[]> { new[] { "ENTRY", "SIZE", "CRC32", "MODIFIED (UTC)", "ENCRYPTED" } };
        foreach (VaultEntryInfo e in entries)
        {
            rows.Add([
                e.Entry,
                e.Length.ToString(CultureInfo.InvariantCulture),
                e.Crc32 is uint crc ? crc.ToString("X8", CultureInfo.InvariantCulture) : "-",
                Utc(e.Modified),
                e.Encrypted ? "yes" : "no",
            ]);
        }

        return Align(rows, rightAligned: [1]);
    }

    /// <summary>One compact JSON object per entry and line.</summary>
    public static string EntriesAsJsonLines(IReadOnlyList<VaultEntryInfo> entries)
    {
        var text = new StringBuilder();
        foreach (VaultEntryInfo e in entries)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("module", e.Module);
                json.WriteString("name", e.Name);
                json.WriteString("entry", e.Entry);
                json.WriteNumber("size", e.Length);
                json.WriteNumber("compressed_size", e.CompressedLength);
                if (e.Crc32 is uint crc)
                {
                    json.WriteString("crc32", crc.ToString("X8", CultureInfo.InvariantCulture));
                }
                else
                {
                    json.WriteNull("crc32");
                }

                json.WriteString("modified", e.Modified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                json.WriteBoolean("encrypted", e.Encrypted);
                json.WriteEndObject();
            }

            text.Append(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The log as an aligned table: FINISHED (UTC), ACTION, SUBJECT, ENTRY, CRC32, COMMAND.</summary>
    public static string LogAsTable(IReadOnlyList<VaultLogRecord> records)
    {
        var rows = new List<string[]> { new[] { "FINISHED (UTC)", "ACTION", "SUBJECT", "ENTRY", "CRC32", "COMMAND" } };
        foreach (VaultLogRecord r in records)
        {
            rows.Add([Utc(r.Finished), r.Action, r.Subject, r.Entry, r.Crc32 ?? r.OldCrc32 ?? "-", r.Command]);
        }

        return Align(rows, rightAligned: []);
    }

    /// <summary>
    /// The log file's complete JSON lines, decompressed as <c>zcat</c> does (every gzip member in turn). A damaged or
    /// truncated tail, which an interrupted append can leave, ends the output there.
    /// </summary>
    public static string LogAsJsonLines(string logPath)
    {
        if (!File.Exists(logPath))
        {
            return string.Empty;
        }

        var text = new MemoryStream();
        try
        {
            using var file = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            gzip.CopyTo(text);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            // Keep what decoded before the damage.
        }

        string all = Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
        int end = all.LastIndexOf('\n');
        return end < 0 ? string.Empty : all[..(end + 1)];
    }

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Align(List<string[]> rows, int[] rightAligned)
    {
        int columns = rows[0].Length;
        var widths = new int[columns];
        foreach (string[] row in rows)
        {
            for (int c = 0; c < columns; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        var text = new StringBuilder();
        foreach (string[] row in rows)
        {
            for (int c = 0; c < columns; c++)
            {
                bool last = c == columns - 1;
                string cell = rightAligned.Contains(c) ? row[c].PadLeft(widths[c]) : last ? row[c] : row[c].PadRight(widths[c]);
                text.Append(cell);
                if (!last)
                {
                    text.Append("  ");
                }
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
