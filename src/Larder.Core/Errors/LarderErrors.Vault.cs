namespace Larder;

/// <summary>Errors of the vault and its ZIP archive layer (DESIGN §8).</summary>
public static partial class LarderErrors
{
    private const string ZipHint = "the archive is damaged or is not a ZIP archive; restore it from a good copy.";

    /// <summary>A ZIP structure (end record, central directory, local header, extra field) is malformed.</summary>
    public static LarderFormatException ZipMalformed(string? source, long? offset, string what)
        => Format(source, offset, $"malformed ZIP archive: {what}; {ZipHint}");

    /// <summary>A ZIP structure extends past the end of the archive or of the region that holds it.</summary>
    public static LarderFormatException ZipTruncated(string? source, long? offset, string what)
        => Truncated(source, offset, $"the ZIP {what}");

    /// <summary>A well-formed ZIP feature this reader refuses (split archives, strong encryption, a compression method).</summary>
    public static LarderNotSupportedException ZipNotSupported(string? source, string what, string hint)
        => NotSupported(source, what, hint);

    /// <summary>The bytes of entry <paramref name="entry"/> are inconsistent with its recorded size or compression.</summary>
    public static LarderFormatException ZipEntryCorrupt(string? source, string entry, string what, Exception? inner = null)
        => Format(source, null, $"ZIP entry '{entry}' is corrupt: {what}; restore the archive from a good copy.", inner);

    /// <summary>The CRC-32 of an entry's data does not match the one recorded for it.</summary>
    public static LarderChecksumException ZipCrcMismatch(string? source, string entry, uint stored, uint computed)
        => Checksum(source, null, $"CRC-32 of ZIP entry '{entry}'", $"{stored:X8}", $"{computed:X8}");

    /// <summary>The WinZip AES authentication code of an entry does not match its encrypted bytes.</summary>
    public static LarderChecksumException ZipAuthenticationCodeMismatch(string? source, string entry)
        => new(Describe(source, null) + $"the AES authentication code of ZIP entry '{entry}' does not match its encrypted bytes; the entry was corrupted or tampered with, restore it from a good copy.", source);

    /// <summary>An entry is encrypted and no password was given.</summary>
    public static LarderAuthException ZipPasswordRequired(string? source, string entry)
        => new(Describe(source, null) + $"ZIP entry '{entry}' is encrypted and no password was given; set the password (in the environment variable the vault names) and try again.");

    /// <summary>The password does not open an encrypted entry.</summary>
    public static LarderAuthException ZipWrongPassword(string? source, string entry)
        => new(Describe(source, null) + $"wrong password for encrypted ZIP entry '{entry}'; check the password and try again.");

    /// <summary>
    /// A ZipCrypto entry decrypted with a password that passed the one-byte check but gave bad data: ZipCrypto cannot tell a
    /// wrong password from damage.
    /// </summary>
    public static LarderAuthException ZipWrongPasswordOrCorrupt(string? source, string entry, string what)
        => new(Describe(source, null) + $"ZIP entry '{entry}' does not decrypt ({what}): the password is wrong or the entry is corrupt; check the password, else restore the archive from a good copy.");

    /// <summary>An entry name the writer refuses (empty, absolute, with a NUL, too long).</summary>
    public static LarderUsageException ZipInvalidEntryName(string name, string why)
        => Usage($"'{name}' is not a valid ZIP entry name ({why}); use a relative name such as module/name.");

    /// <summary>An entry of this name is not in the archive.</summary>
    public static LarderNotFoundException ZipEntryNotFound(string? source, string entry)
        => new(Describe(source, null) + $"no entry '{entry}' in the ZIP archive; list the archive to see its entries.");
}
