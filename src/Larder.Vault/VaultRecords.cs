using System.Globalization;
using System.Text;

namespace Larder.Vault;

/// <summary>The checksums of one entry's uncompressed bytes.</summary>
/// <param name="Sha256">Lower-case hex SHA-256, or <see langword="null"/> when it was not computed (listings, old entries).</param>
public sealed record VaultHashes(uint Crc32, string? Sha256)
{
    /// <summary>The CRC-32 as data_vault prints it: eight upper-case hex digits.</summary>
    public string Crc32Hex => Crc32.ToString("X8", CultureInfo.InvariantCulture);

    public override string ToString() => Crc32Hex;
}

/// <summary>One completed vault operation: what it did, to which entry, with which checksums, when.</summary>
/// <param name="Action">store, import, delete or assert.</param>
/// <param name="Subject">The variable name as the user gave it (with <c>as ALIAS</c> when one was given).</param>
/// <param name="Entry">The archive entry, <c>module/name</c>.</param>
/// <param name="Old">The entry's checksums before a store or delete (<see langword="null"/> when it did not exist).</param>
/// <param name="New">The entry's checksums after a store, or as read by an import or assert.</param>
public sealed record VaultOperation(
    string Action,
    string Subject,
    string Entry,
    VaultHashes? Old,
    VaultHashes? New,
    DateTimeOffset Started,
    DateTimeOffset Finished,
    string Command)
{
    /// <summary>
    /// The line data_vault prints, e.g. <c>Stored x (None → 3FDAA797) at Sunday, 08. Dec 2019 11:58</c>: the action in the
    /// past tense, the subject, the CRC-32s (a store shows old → new, <c>None</c> for a new entry), and the finish time in
    /// UTC when <paramref name="timestamp"/> is true.
    /// </summary>
    public string Describe(bool timestamp = true)
    {
        var text = new StringBuilder();
        text.Append(Action switch
        {
            "store" => "Stored",
            "import" => "Imported",
            "delete" => "Deleted",
            "assert" => "Asserted",
            _ => Action,
        });
        text.Append(' ').Append(Subject).Append(" (");
        text.Append(Action switch
        {
            "store" => $"{Old?.Crc32Hex ?? "None"} → {New?.Crc32Hex}",
            "delete" => Old?.Crc32Hex ?? "None",
            _ => New?.Crc32Hex ?? "None",
        });
        text.Append(')');
        if (timestamp)
        {
            text.Append(" at ").Append(FormatTime(Finished));
        }

        return text.ToString();
    }

    /// <summary>data_vault's time format, <c>strftime('%A, %d. %b %Y %H:%M')</c> of the UTC time, in English.</summary>
    public static string FormatTime(DateTimeOffset time)
        => time.UtcDateTime.ToString("dddd, dd. MMM yyyy HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>One entry of the vault as the archive's directory describes it.</summary>
/// <param name="Module">The path before the last <c>/</c> (empty for a top-level entry).</param>
/// <param name="Crc32">The recorded CRC-32, or <see langword="null"/> for AES entries that do not record one.</param>
public sealed record VaultEntryInfo(
    string Module,
    string Name,
    string Entry,
    long Length,
    long CompressedLength,
    uint? Crc32,
    DateTimeOffset Modified,
    bool Encrypted);

/// <summary>One line of <c>&lt;vault&gt;.vault.log.gz</c>.</summary>
public sealed record VaultLogRecord(
    string Action,
    string Command,
    string Subject,
    string Entry,
    string? Crc32,
    string? Sha256,
    string? OldCrc32,
    DateTimeOffset Started,
    DateTimeOffset Finished);
