namespace Larder.Storage.Zip;

/// <summary>How an entry's bytes are compressed.</summary>
public enum ZipCompression
{
    /// <summary>Method 0: the bytes as they are.</summary>
    Stored = 0,

    /// <summary>Method 8: raw deflate.</summary>
    Deflate = 8,
}

/// <summary>How an entry is encrypted.</summary>
public enum ZipEncryption
{
    None,

    /// <summary>Traditional PKWARE encryption (weak; read only).</summary>
    ZipCrypto,

    /// <summary>WinZip AES with a 128-bit key.</summary>
    Aes128,

    /// <summary>WinZip AES with a 192-bit key.</summary>
    Aes192,

    /// <summary>WinZip AES with a 256-bit key.</summary>
    Aes256,
}

/// <summary>One entry of a <see cref="ZipArchiveReader"/>, as its central directory and local header describe it.</summary>
public sealed class ZipEntry
{
    internal ZipEntry()
    {
    }

    /// <summary>The entry's name, e.g. <c>module/name</c>.</summary>
    public string Name { get; internal init; } = string.Empty;

    /// <summary>The compression method of the data (for AES entries, the method inside the encryption).</summary>
    /// <remarks>Methods other than stored and deflate are listed with their number; reading them fails.</remarks>
    public int CompressionMethod { get; internal init; }

    /// <summary>The encryption of the entry.</summary>
    public ZipEncryption Encryption { get; internal init; }

    /// <summary>1 (AE-1, CRC-32 recorded) or 2 (AE-2, no CRC-32) for WinZip AES entries; 0 otherwise.</summary>
    public int AesVersion { get; internal init; }

    /// <summary>Size of the entry's data once decrypted and decompressed.</summary>
    public long Length { get; internal init; }

    /// <summary>Size of the stored bytes (including any encryption header and authentication code).</summary>
    public long CompressedLength { get; internal init; }

    /// <summary>The recorded CRC-32 of the data (0 for AE-2 entries, which record none).</summary>
    public uint Crc32 { get; internal init; }

    /// <summary>The MS-DOS modification time as recorded (a wall-clock time, kind unspecified).</summary>
    public DateTime LastModified { get; internal init; }

    /// <summary>The UTC modification time from an extended-timestamp field, when the writer recorded one.</summary>
    public DateTimeOffset? LastModifiedUtc { get; internal init; }

    /// <summary>The entry's comment (usually empty).</summary>
    public string Comment { get; internal init; } = string.Empty;

    /// <summary>True when the data is encrypted and reading it needs a password.</summary>
    public bool IsEncrypted => Encryption != ZipEncryption.None;

    /// <summary>True when the recorded CRC-32 is meaningful (everything except AE-2 entries).</summary>
    public bool HasCrc32 => AesVersion != 2;

    internal ushort Flags { get; init; }

    internal ushort RawMethod { get; init; }

    internal ushort VersionMadeBy { get; init; }

    internal ushort VersionNeeded { get; init; }

    internal ushort DosTime { get; init; }

    internal ushort DosDate { get; init; }

    internal ushort InternalAttributes { get; init; }

    internal uint ExternalAttributes { get; init; }

    internal byte[] NameBytes { get; init; } = [];

    internal byte[] CommentBytes { get; init; } = [];

    /// <summary>Central-directory extra fields without the ZIP64 field (rewritten on copy).</summary>
    internal byte[] CentralExtra { get; init; } = [];

    /// <summary>Local-header extra fields without the ZIP64 field.</summary>
    internal byte[] LocalExtra { get; set; } = [];

    internal long LocalHeaderOffset { get; init; }

    internal long DataOffset { get; set; }

    internal int AesStrength { get; init; }

    public override string ToString() => Name;
}
