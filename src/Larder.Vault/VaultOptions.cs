using System.IO.Compression;

namespace Larder.Vault;

/// <summary>How a <see cref="Vault"/> behaves (data_vault's <c>%open_vault</c> options). Immutable; one instance may serve many vaults.</summary>
public sealed record VaultOptions
{
    /// <summary>
    /// The name of the environment variable that holds the password (data_vault's <c>encryption_variable</c>). Default
    /// <see langword="null"/>: no password, entries are stored unencrypted. When it is set, every store encrypts with
    /// AES-256 and storing fails (exit 5) while the variable is unset or empty.
    /// </summary>
    public string? EncryptionVariable { get; init; }

    /// <summary>A password given directly; it wins over <see cref="EncryptionVariable"/>. Default <see langword="null"/>. Never logged or printed.</summary>
    public string? Password { get; init; }

    /// <summary>When true (default) and no password is configured, opening the vault writes a warning to <see cref="Warnings"/>.</summary>
    public bool Secure { get; init; } = true;

    /// <summary>When true (default), imported tables are memory-optimised as data_vault does: string columns become dictionaries when that is smaller, small integers become int8.</summary>
    public bool Optimise { get; init; } = true;

    /// <summary>When true (default), the printed line of each operation ends with <c>at Sunday, 08. Dec 2019 11:58</c> (UTC); when false it ends after the checksums.</summary>
    public bool PrintTimestamps { get; init; } = true;

    /// <summary>When true (default), each store, import, delete and assert appends one JSON line to <c>&lt;vault&gt;.vault.log.gz</c>.</summary>
    public bool Log { get; init; } = true;

    /// <summary>Where the per-operation lines (and memory reduction lines) go. Default <see langword="null"/>: nowhere. Not disposed.</summary>
    public TextWriter? Output { get; init; }

    /// <summary>Where warnings go. Default <see langword="null"/>: to <see cref="Output"/>. Not disposed.</summary>
    public TextWriter? Warnings { get; init; }

    /// <summary>The deflate level for compressible entries. Default <see cref="CompressionLevel.Optimal"/> (zlib level 6, as 7-Zip's and zipfile's default).</summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Optimal;

    /// <summary>How long a store or delete waits for another process's store to finish before failing (exit 4). Default 2 minutes.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>When true (default), a store waits until the new archive is on the device (fsync) before it replaces the old one.</summary>
    public bool Durable { get; init; } = true;

    /// <summary>The clock for timestamps. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>How an entry's bytes are laid out in the archive.</summary>
public enum VaultFormat
{
    /// <summary>A table as data_vault writes it: tab-separated, unnamed leading index column, <c>\n</c> line ends.</summary>
    Tsv,

    /// <summary>A table as a Parquet file (zstd pages).</summary>
    Parquet,

    /// <summary>A table as an Arrow IPC file.</summary>
    Arrow,

    /// <summary>An n-dimensional array as NPY.</summary>
    Npy,

    /// <summary>A JSON document (UTF-8).</summary>
    Json,

    /// <summary>Raw bytes.</summary>
    Bytes,
}

/// <summary>What an entry holds, as told by its bytes.</summary>
public enum VaultEntryKind
{
    Table,
    Array,
    Json,
    Bytes,
}

/// <summary>Per-store choices.</summary>
public sealed record VaultStoreOptions
{
    /// <summary>Store under this name instead (data_vault's <c>as</c>). Default <see langword="null"/>.</summary>
    public string? Alias { get; init; }

    /// <summary>
    /// The layout for a table or file. Default <see langword="null"/>: tables as <see cref="VaultFormat.Tsv"/>; files by
    /// extension (<c>.npy</c> as NPY, <c>.json</c> as JSON, table formats as TSV, anything else as bytes).
    /// </summary>
    public VaultFormat? Format { get; init; }

    /// <summary>The command line to record in the log. Default <see langword="null"/>: <c>store NAME in MODULE [as ALIAS]</c>.</summary>
    public string? Command { get; init; }
}

/// <summary>Per-import choices. Row selection and filtering apply to tables only.</summary>
public sealed record VaultImportOptions
{
    /// <summary>The name the caller binds the value to (data_vault's <c>as</c>); printed and logged. Default <see langword="null"/>.</summary>
    public string? Alias { get; init; }

    /// <summary>Keep only these stored rows (0-based, half-open, counted before <see cref="Grep"/>). Default <see langword="null"/>: all.</summary>
    public Tables.RowRange? Rows { get; init; }

    /// <summary>Keep only rows with a value whose text contains this (ordinal). Default <see langword="null"/>: all.</summary>
    public string? Grep { get; init; }

    /// <summary>Overrides <see cref="VaultOptions.Optimise"/> for this import. Default <see langword="null"/>.</summary>
    public bool? Optimise { get; init; }

    /// <summary>The command line to record in the log. Default <see langword="null"/>: <c>import NAME from MODULE [as ALIAS]</c>.</summary>
    public string? Command { get; init; }
}
