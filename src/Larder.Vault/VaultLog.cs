using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Larder.Vault;

/// <summary>
/// The operation log beside a vault, <c>&lt;vault&gt;.vault.log.gz</c>: one JSON object per line, each line appended as a
/// gzip member of its own (concatenated members are one valid gzip file, so <c>zcat</c> prints every line). A member is
/// written with one append, so an interrupted process leaves the earlier lines readable. Callers serialise appends.
/// </summary>
internal static class VaultLog
{
    public static string PathFor(string vaultPath) => vaultPath + ".vault.log.gz";

    public static void Append(string vaultPath, VaultOperation operation, bool durable)
    {
        byte[] line = Serialize(operation);
        using var member = new MemoryStream();
        using (var gzip = new GZipStream(member, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(line);
        }

        try
        {
            using var log = new FileStream(PathFor(vaultPath), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
            log.Write(member.GetBuffer().AsSpan(0, (int)member.Length));
            log.Flush(flushToDisk: durable);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LarderErrors.IO($"cannot append to the vault log {PathFor(vaultPath)}", e);
        }
    }

    internal static byte[] Serialize(VaultOperation operation)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("action", operation.Action);
            json.WriteString("command", operation.Command);
            json.WriteString("subject", operation.Subject);
            json.WriteString("entry", operation.Entry);
            WriteNullable(json, "crc32", operation.New?.Crc32Hex);
            WriteNullable(json, "sha256", operation.New?.Sha256);
            WriteNullable(json, "old_crc32", operation.Old?.Crc32Hex);
            json.WriteString("started", FormatInstant(operation.Started));
            json.WriteString("finished", FormatInstant(operation.Finished));
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Reads every complete line; a damaged or truncated tail (an interrupted append) ends the log there.</summary>
    public static IReadOnlyList<VaultLogRecord> Read(string vaultPath)
    {
        string path = PathFor(vaultPath);
        if (!File.Exists(path))
        {
            return [];
        }

        var text = new MemoryStream();
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            gzip.CopyTo(text);
        }
        catch (InvalidDataException)
        {
            // Keep the lines decoded before the damage.
        }
        catch (EndOfStreamException)
        {
        }

        var records = new List<VaultLogRecord>();
        foreach (string line in Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length).Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            VaultLogRecord? record = Parse(line);
            if (record is null)
            {
                break;
            }

            records.Add(record);
        }

        return records;
    }

    private static VaultLogRecord? Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            return new VaultLogRecord(
                root.GetProperty("action").GetString() ?? string.Empty,
                root.GetProperty("command").GetString() ?? string.Empty,
                root.GetProperty("subject").GetString() ?? string.Empty,
                root.TryGetProperty("entry", out JsonElement entry) ? entry.GetString() ?? string.Empty : string.Empty,
                String(root, "crc32"),
                String(root, "sha256"),
                String(root, "old_crc32"),
                DateTimeOffset.Parse(root.GetProperty("started").GetString()!, CultureInfo.InvariantCulture),
                DateTimeOffset.Parse(root.GetProperty("finished").GetString()!, CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
        {
            return null;
        }
    }

    private static string? String(JsonElement root, string name)
        => root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static string FormatInstant(DateTimeOffset time)
        => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
