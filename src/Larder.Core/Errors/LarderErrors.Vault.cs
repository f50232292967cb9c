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

    /// <summary>
    /// The WinZip AES authentication code of an entry does not match its encrypted bytes. The code is keyed by the password,
    /// so a wrong password that passed the 2-byte check (1 in 65,536) and a damaged or tampered entry look the same.
    /// </summary>
    public static LarderAuthException ZipAuthenticationCodeMismatch(string? source, string entry)
        => new(Describe(source, null) + $"the AES authentication code of ZIP entry '{entry}' does not match: the password is wrong, or the entry was corrupted or tampered with; check the password, else restore the archive from a good copy.");

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

    /// <summary>The warning printed when a vault is opened without a password (data_vault's <c>--secure</c>).</summary>
    public static string VaultUnencryptedWarning(string vault, string? variable)
        => variable is null
            ? $"Warning: no password is set for the vault {vault}, so what is stored is not encrypted; name an environment variable that holds one with --password-env (or pass --secure false to silence this warning)."
            : $"Warning: the environment variable {variable} that holds the password for the vault {vault} is not set, so what is stored is not encrypted; set it (or pass --secure false to silence this warning).";

    /// <summary>The vault archive does not exist yet.</summary>
    public static LarderNotFoundException VaultNotFound(string vault)
        => new($"{vault}: no such vault; store something in it first or check the --vault path.");

    /// <summary>The vault has no entry <paramref name="entry"/>.</summary>
    public static LarderNotFoundException VaultEntryNotFound(string vault, string entry)
        => new($"{vault}: no entry {entry} in the vault; run 'larder vault list' to see what it holds.");

    /// <summary>An encrypted entry is read without a password.</summary>
    public static LarderAuthException VaultPasswordRequired(string vault, string entry, string? variable)
        => new(variable is null
            ? $"{vault}: entry {entry} is encrypted; put the password in an environment variable and name it with --password-env."
            : $"{vault}: entry {entry} is encrypted and the environment variable {variable} is not set; set it to the password.");

    /// <summary>The vault is configured to encrypt, but the password variable is empty.</summary>
    public static LarderAuthException VaultPasswordVariableNotSet(string variable)
        => new($"the environment variable {variable} that holds the vault password is not set; set it (or drop --password-env to store unencrypted).");

    /// <summary>Another process held the vault's lock for longer than the timeout.</summary>
    public static LarderConflictException VaultLocked(string vault, TimeSpan timeout)
        => new($"{vault}: another process has been writing the vault for more than {timeout.TotalSeconds:0} s; retry when it has finished.");

    /// <summary>A module or variable name that cannot become part of an entry name.</summary>
    public static LarderUsageException VaultInvalidName(string what, string value, string why)
        => Usage($"'{value}' is not a valid vault {what} ({why}); use names like salaries and modules like datasets or notebooks/analysis.");

    /// <summary>A table layout was asked for a file that is not a table.</summary>
    public static LarderUsageException VaultNotATableFile(string path, string format)
        => Usage($"{path}: --format {format} stores tables, and this file's extension is not a table format; use .csv, .tsv, .jsonl, .arrow, .arrows or .parquet, or another --format.");

    /// <summary>A non-table layout was asked for a table.</summary>
    public static LarderUsageException VaultFormatNotForTables(string format)
        => Usage($"--format {format} is not a table layout; store tables as tsv, parquet or arrow.");

    /// <summary>A file stored as JSON does not parse as JSON.</summary>
    public static LarderFormatException VaultNotJson(string path)
        => Format(path, null, "the file is not valid JSON; fix it or store it with --format bytes.");

    /// <summary>A JSON file or entry larger than the limit.</summary>
    public static LarderNotSupportedException VaultJsonTooLarge(string path, long length, long limit)
        => NotSupported(path, $"a {length}-byte JSON document (the limit is {limit} bytes)", "store it with --format bytes, or as a table.");

    /// <summary>An entry too large to import into memory.</summary>
    public static LarderNotSupportedException VaultEntryTooLarge(string source, long length, long limit)
        => NotSupported(source, $"importing a {length}-byte entry into memory (the limit is {limit} bytes)", "import it to a file with -o instead.");

    /// <summary>--rows or --grep on an entry that is not a table.</summary>
    public static LarderUsageException VaultRowsNeedTable(string entry, string kind)
        => Usage($"{entry} is {(kind == "array" ? "an" : "a")} {kind}, not a table; --rows and --grep select rows of tables only.");

    /// <summary>--rows or --grep with an output file that is not a table format.</summary>
    public static LarderUsageException VaultRowsNeedTableOutput(string output)
        => Usage($"{output}: --rows and --grep need a table output; give -o a .csv, .tsv, .jsonl, .arrow, .arrows or .parquet file.");

    /// <summary>A non-table entry imported into a table file.</summary>
    public static LarderUsageException VaultNotATable(string entry, string kind, string output)
        => Usage($"{entry} is {(kind == "array" ? "an" : "a")} {kind}, not a table, so it cannot be written to {output}; use an output name without a table extension (e.g. .npy for arrays, .json for JSON).");

    /// <summary>An assert's hash is neither a CRC-32 nor a SHA-256.</summary>
    public static LarderUsageException VaultBadHash(string hash)
        => Usage($"'{hash}' is not a checksum; give 8 hex digits (CRC-32, e.g. 3FDAA797) or 64 (SHA-256).");

    /// <summary>An entry's checksum is not the asserted one.</summary>
    public static LarderAssertionException VaultAssertionFailed(string entry, string kind, string expected, string actual)
        => new($"assertion failed: {entry} has {kind} {actual}, not {expected}; the entry changed since that checksum was taken.");
}
