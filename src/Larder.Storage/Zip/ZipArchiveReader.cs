using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Larder.Storage.Zip;

/// <summary>
/// Reads a ZIP archive (PKWARE APPNOTE 6.3 subset): the end record with its comment, ZIP64 records, the central directory
/// and local headers; entries stored or deflated, plain, ZipCrypto- or WinZip-AES-encrypted. Every structure is checked
/// against the archive's bounds when it is opened (entries may not overlap each other or the central directory), so a
/// damaged or hostile archive fails with <see cref="LarderFormatException"/>. Entry data is checked as it is read (CRC-32,
/// length, AES authentication code before any byte is returned). Not thread safe: one entry stream at a time.
/// </summary>
public sealed class ZipArchiveReader : IDisposable
{
    private const int MaxCommentLength = 0xFFFF;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly string? _source;
    private readonly List<ZipEntry> _entries = [];
    private readonly Dictionary<string, ZipEntry> _byName = new(StringComparer.Ordinal);
    private long _length;

    private ZipArchiveReader(Stream stream, string? source, bool leaveOpen)
    {
        _stream = stream;
        _source = source;
        _leaveOpen = leaveOpen;
    }

    /// <summary>The entries in central-directory order (duplicates, which ZIP allows, included).</summary>
    public IReadOnlyList<ZipEntry> Entries => _entries;

    /// <summary>The archive comment (empty when none).</summary>
    public byte[] Comment { get; private set; } = [];

    /// <summary>The file or name given when opening, used in error messages.</summary>
    public string? Source => _source;

    /// <summary>Opens the archive at <paramref name="path"/> for reading.</summary>
    /// <exception cref="LarderNotFoundException">The file does not exist.</exception>
    /// <exception cref="LarderFormatException">The file is not a well-formed ZIP archive.</exception>
    public static ZipArchiveReader Open(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        }
        catch (FileNotFoundException)
        {
            throw LarderErrors.FileNotFound(path);
        }
        catch (DirectoryNotFoundException)
        {
            throw LarderErrors.FileNotFound(path);
        }
        catch (UnauthorizedAccessException e)
        {
            throw LarderErrors.IO($"cannot read {path}", e);
        }

        return Open(file, path, leaveOpen: false);
    }

    /// <summary>Opens an archive held by a readable, seekable stream (read from offset 0 to its length).</summary>
    /// <param name="source">A name for error messages (e.g. the file name).</param>
    /// <param name="leaveOpen">When false, disposing the reader disposes <paramref name="stream"/>.</param>
    /// <exception cref="LarderFormatException">The stream does not hold a well-formed ZIP archive.</exception>
    public static ZipArchiveReader Open(Stream stream, string? source = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek)
        {
            throw new ArgumentException("the stream must be readable and seekable.", nameof(stream));
        }

        var reader = new ZipArchiveReader(stream, source, leaveOpen);
        try
        {
            reader.Load();
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>The last entry named <paramref name="name"/> (as Python's zipfile picks), or <see langword="null"/>.</summary>
    public ZipEntry? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The entry named <paramref name="name"/>.</summary>
    /// <exception cref="LarderNotFoundException">There is none.</exception>
    public ZipEntry Get(string name) => Find(name) ?? throw LarderErrors.ZipEntryNotFound(_source, name);

    /// <summary>
    /// Opens the decoded data of <paramref name="entry"/>. For AES entries the authentication code is verified over the
    /// whole ciphertext first; the CRC-32 is verified when the last byte is read. The stream must be disposed before
    /// another entry is opened.
    /// </summary>
    /// <param name="password">The password of an encrypted entry; ignored for plain entries.</param>
    /// <exception cref="LarderAuthException">The entry is encrypted and the password is missing or wrong.</exception>
    /// <exception cref="LarderFormatException">The entry is damaged or uses a method this reader refuses.</exception>
    public Stream OpenEntry(ZipEntry entry, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.CompressionMethod is not (ZipFormat.MethodStored or ZipFormat.MethodDeflate))
        {
            throw LarderErrors.ZipNotSupported(_source, $"compression method {entry.CompressionMethod} of entry '{entry.Name}'", "only stored (0) and deflate (8) entries are read; repack the archive with deflate.");
        }

        long payloadLength = entry.CompressedLength;
        Stream payload;
        switch (entry.Encryption)
        {
            case ZipEncryption.None:
                payload = new RangeReadStream(_stream, entry.DataOffset, payloadLength);
                break;
            case ZipEncryption.ZipCrypto:
                payload = OpenZipCrypto(entry, password, out payloadLength);
                break;
            default:
                payload = OpenAes(entry, password, out payloadLength);
                break;
        }

        if (entry.CompressionMethod == ZipFormat.MethodStored && payloadLength != entry.Length)
        {
            payload.Dispose();
            throw LarderErrors.ZipEntryCorrupt(_source, entry.Name, $"it is stored with {payloadLength} data bytes but records a size of {entry.Length}");
        }

        if (entry.CompressionMethod == ZipFormat.MethodDeflate && entry.Length > (payloadLength * ZipFormat.MaxDeflateRatio) + 64)
        {
            payload.Dispose();
            throw LarderErrors.ZipEntryCorrupt(_source, entry.Name, $"it records a size of {entry.Length} bytes, more than {payloadLength} deflated bytes can hold");
        }

        Stream decoded = entry.CompressionMethod == ZipFormat.MethodDeflate
            ? new DeflateStream(payload, CompressionMode.Decompress, leaveOpen: false)
            : payload;
        try
        {
            return new ZipEntryReadStream(decoded, _source, entry);
        }
        catch
        {
            decoded.Dispose();
            throw;
        }
    }

    /// <summary>Reads and checks the whole decoded data of <paramref name="entry"/> (see <see cref="OpenEntry"/>).</summary>
    /// <exception cref="LarderNotSupportedException">The entry is larger than one array can hold.</exception>
    public byte[] ReadAllBytes(ZipEntry entry, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Length > Array.MaxLength)
        {
            throw LarderErrors.ZipNotSupported(_source, $"reading the {entry.Length}-byte entry '{entry.Name}' into memory", "read it as a stream instead.");
        }

        using Stream data = OpenEntry(entry, password);
        byte[] result = new byte[entry.Length];
        data.ReadExactly(result);
        return result;
    }

    /// <summary>Copies the stored (still compressed and encrypted) bytes of <paramref name="entry"/> to <paramref name="output"/>.</summary>
    internal void CopyRawTo(ZipEntry entry, Stream output)
    {
        using var raw = new RangeReadStream(_stream, entry.DataOffset, entry.CompressedLength);
        raw.CopyTo(output, 1 << 16);
        if (raw.Remaining != 0)
        {
            throw LarderErrors.ZipTruncated(_source, entry.DataOffset, $"data of entry '{entry.Name}'");
        }
    }

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private Stream OpenZipCrypto(ZipEntry entry, string? password, out long payloadLength)
    {
        if (password is null)
        {
            throw LarderErrors.ZipPasswordRequired(_source, entry.Name);
        }

        if (entry.CompressedLength < ZipCryptoCipher.HeaderSize)
        {
            throw LarderErrors.ZipEntryCorrupt(_source, entry.Name, $"its {entry.CompressedLength} bytes are too few for the 12-byte encryption header");
        }

        var cipher = new ZipCryptoCipher(ZipFormat.PasswordBytes(password));
        Span<byte> header = stackalloc byte[ZipCryptoCipher.HeaderSize];
        ReadAt(entry.DataOffset, header, $"encryption header of entry '{entry.Name}'");
        cipher.Decrypt(header);
        byte check = (entry.Flags & ZipFormat.FlagDataDescriptor) != 0 ? (byte)(entry.DosTime >> 8) : (byte)(entry.Crc32 >> 24);
        if (header[^1] != check)
        {
            throw LarderErrors.ZipWrongPassword(_source, entry.Name);
        }

        payloadLength = entry.CompressedLength - ZipCryptoCipher.HeaderSize;
        return new ZipCryptoReadStream(new RangeReadStream(_stream, entry.DataOffset + ZipCryptoCipher.HeaderSize, payloadLength), cipher);
    }

    private Stream OpenAes(ZipEntry entry, string? password, out long payloadLength)
    {
        if (password is null)
        {
            throw LarderErrors.ZipPasswordRequired(_source, entry.Name);
        }

        int saltSize = WinZipAes.SaltSize(entry.AesStrength);
        int overhead = WinZipAes.Overhead(entry.AesStrength);
        if (entry.CompressedLength < overhead)
        {
            throw LarderErrors.ZipEntryCorrupt(_source, entry.Name, $"its {entry.CompressedLength} bytes are too few for the {overhead} bytes of AES salt, verifier and authentication code");
        }

        byte[] head = new byte[saltSize + WinZipAes.VerifierSize];
        ReadAt(entry.DataOffset, head, $"AES header of entry '{entry.Name}'");
        var (encryptionKey, authenticationKey, verifier) = WinZipAes.DeriveKeys(ZipFormat.PasswordBytes(password), head.AsSpan(0, saltSize), entry.AesStrength);
        if (!verifier.AsSpan().SequenceEqual(head.AsSpan(saltSize)))
        {
            throw LarderErrors.ZipWrongPassword(_source, entry.Name);
        }

        payloadLength = entry.CompressedLength - overhead;
        long cipherOffset = entry.DataOffset + head.Length;
        using (IncrementalHash mac = WinZipAes.CreateMac(authenticationKey))
        {
            using var ciphertext = new RangeReadStream(_stream, cipherOffset, payloadLength);
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = ciphertext.Read(buffer)) > 0)
            {
                mac.AppendData(buffer.AsSpan(0, n));
            }

            if (ciphertext.Remaining != 0)
            {
                throw LarderErrors.ZipTruncated(_source, cipherOffset, $"data of entry '{entry.Name}'");
            }

            Span<byte> stored = stackalloc byte[WinZipAes.MacSize];
            ReadAt(cipherOffset + payloadLength, stored, $"authentication code of entry '{entry.Name}'");
            byte[] computed = mac.GetHashAndReset();
            if (!CryptographicOperations.FixedTimeEquals(computed.AsSpan(0, WinZipAes.MacSize), stored))
            {
                throw LarderErrors.ZipAuthenticationCodeMismatch(_source, entry.Name);
            }
        }

        return new AesCtrReadStream(new RangeReadStream(_stream, cipherOffset, payloadLength), new AesCtrTransform(encryptionKey));
    }

    private void ReadAt(long offset, Span<byte> buffer, string what)
    {
        if (offset < 0 || offset > _length - buffer.Length)
        {
            throw LarderErrors.ZipTruncated(_source, offset, what);
        }

        _stream.Position = offset;
        int total = 0;
        while (total < buffer.Length)
        {
            int n = _stream.Read(buffer[total..]);
            if (n == 0)
            {
                throw LarderErrors.ZipTruncated(_source, offset, what);
            }

            total += n;
        }
    }

    private void Load()
    {
        _length = _stream.Length;
        if (_length < ZipFormat.EndOfCentralDirectorySize)
        {
            throw LarderErrors.ZipMalformed(_source, null, $"{_length} bytes are too few for a ZIP archive (the end record alone takes 22)");
        }

        long eocd = FindEndRecord();
        Span<byte> end = stackalloc byte[ZipFormat.EndOfCentralDirectorySize];
        ReadAt(eocd, end, "end of central directory record");
        ushort disk = BinaryPrimitives.ReadUInt16LittleEndian(end[4..]);
        ushort cdDisk = BinaryPrimitives.ReadUInt16LittleEndian(end[6..]);
        ulong entriesOnDisk = BinaryPrimitives.ReadUInt16LittleEndian(end[8..]);
        ulong entryCount = BinaryPrimitives.ReadUInt16LittleEndian(end[10..]);
        ulong cdSize = BinaryPrimitives.ReadUInt32LittleEndian(end[12..]);
        ulong cdOffset = BinaryPrimitives.ReadUInt32LittleEndian(end[16..]);
        int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(end[20..]);
        long commentLength64 = Math.Min(commentLength, _length - eocd - ZipFormat.EndOfCentralDirectorySize);
        Comment = new byte[commentLength64];
        ReadAt(eocd + ZipFormat.EndOfCentralDirectorySize, Comment, "archive comment");

        long cdLimit = eocd;
        Span<byte> locator = stackalloc byte[ZipFormat.Zip64LocatorSize];
        if (eocd >= ZipFormat.Zip64LocatorSize)
        {
            ReadAt(eocd - ZipFormat.Zip64LocatorSize, locator, "ZIP64 end of central directory locator");
        }

        bool hasLocator = eocd >= ZipFormat.Zip64LocatorSize && BinaryPrimitives.ReadUInt32LittleEndian(locator) == ZipFormat.Zip64LocatorSignature;
        if (hasLocator)
        {
            long locatorOffset = eocd - ZipFormat.Zip64LocatorSize;
            uint zip64Disk = BinaryPrimitives.ReadUInt32LittleEndian(locator[4..]);
            ulong zip64Offset = BinaryPrimitives.ReadUInt64LittleEndian(locator[8..]);
            uint totalDisks = BinaryPrimitives.ReadUInt32LittleEndian(locator[16..]);
            if (zip64Disk != 0 || totalDisks > 1)
            {
                throw LarderErrors.ZipNotSupported(_source, "a ZIP archive split over several disks", "join the parts into one archive first.");
            }

            if (zip64Offset > (ulong)(locatorOffset - ZipFormat.Zip64EndOfCentralDirectorySize))
            {
                throw LarderErrors.ZipMalformed(_source, locatorOffset, $"the ZIP64 locator points at offset {zip64Offset}, past where the ZIP64 end record can be");
            }

            Span<byte> record = stackalloc byte[ZipFormat.Zip64EndOfCentralDirectorySize];
            ReadAt((long)zip64Offset, record, "ZIP64 end of central directory record");
            if (BinaryPrimitives.ReadUInt32LittleEndian(record) != ZipFormat.Zip64EndOfCentralDirectorySignature)
            {
                throw LarderErrors.ZipMalformed(_source, (long)zip64Offset, "no ZIP64 end of central directory record where the locator points");
            }

            if (BinaryPrimitives.ReadUInt32LittleEndian(record[16..]) != 0 || BinaryPrimitives.ReadUInt32LittleEndian(record[20..]) != 0)
            {
                throw LarderErrors.ZipNotSupported(_source, "a ZIP archive split over several disks", "join the parts into one archive first.");
            }

            entriesOnDisk = BinaryPrimitives.ReadUInt64LittleEndian(record[24..]);
            entryCount = BinaryPrimitives.ReadUInt64LittleEndian(record[32..]);
            cdSize = BinaryPrimitives.ReadUInt64LittleEndian(record[40..]);
            cdOffset = BinaryPrimitives.ReadUInt64LittleEndian(record[48..]);
            cdLimit = (long)zip64Offset;
        }
        else if (disk != 0 || cdDisk != 0)
        {
            throw LarderErrors.ZipNotSupported(_source, "a ZIP archive split over several disks", "join the parts into one archive first.");
        }

        if (entriesOnDisk != entryCount)
        {
            throw LarderErrors.ZipNotSupported(_source, "a ZIP archive split over several disks", "join the parts into one archive first.");
        }

        if (cdOffset > (ulong)cdLimit || cdSize > (ulong)cdLimit - cdOffset)
        {
            throw LarderErrors.ZipMalformed(_source, eocd, $"the central directory ({cdSize} bytes at offset {cdOffset}) does not fit before the end record at {cdLimit}");
        }

        if (entryCount > cdSize / ZipFormat.CentralHeaderSize)
        {
            throw LarderErrors.ZipMalformed(_source, eocd, $"{entryCount} entries cannot fit in a central directory of {cdSize} bytes");
        }

        if (cdSize > int.MaxValue)
        {
            throw LarderErrors.ZipNotSupported(_source, $"a central directory of {cdSize} bytes", "archives are read with central directories up to 2 GiB.");
        }

        byte[] cd = new byte[(int)cdSize];
        ReadAt((long)cdOffset, cd, "central directory");
        ParseCentralDirectory(cd, (long)cdOffset, (int)entryCount);
        ReadLocalHeaders((long)cdOffset);
    }

    private long FindEndRecord()
    {
        int tailLength = (int)Math.Min(_length, ZipFormat.EndOfCentralDirectorySize + MaxCommentLength);
        byte[] tail = new byte[tailLength];
        long tailStart = _length - tailLength;
        ReadAt(tailStart, tail, "end of central directory record");
        long fallback = -1;
        for (int i = tailLength - ZipFormat.EndOfCentralDirectorySize; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) != ZipFormat.EndOfCentralDirectorySignature)
            {
                continue;
            }

            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(i + 20));
            int recordEnd = i + ZipFormat.EndOfCentralDirectorySize + commentLength;
            if (recordEnd == tailLength)
            {
                return tailStart + i;
            }

            if (recordEnd < tailLength && fallback < 0)
            {
                fallback = tailStart + i;
            }
        }

        return fallback >= 0
            ? fallback
            : throw LarderErrors.ZipMalformed(_source, null, "no end of central directory record");
    }

    private void ParseCentralDirectory(byte[] cd, long cdOffset, int count)
    {
        int pos = 0;
        for (int index = 0; index < count; index++)
        {
            long at = cdOffset + pos;
            if (cd.Length - pos < ZipFormat.CentralHeaderSize)
            {
                throw LarderErrors.ZipTruncated(_source, at, $"central directory (entry {index} of {count})");
            }

            ReadOnlySpan<byte> h = cd.AsSpan(pos);
            if (BinaryPrimitives.ReadUInt32LittleEndian(h) != ZipFormat.CentralHeaderSignature)
            {
                throw LarderErrors.ZipMalformed(_source, at, $"central directory entry {index} of {count} has a bad signature");
            }

            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(h[8..]);
            ushort method = BinaryPrimitives.ReadUInt16LittleEndian(h[10..]);
            ushort dosTime = BinaryPrimitives.ReadUInt16LittleEndian(h[12..]);
            ushort dosDate = BinaryPrimitives.ReadUInt16LittleEndian(h[14..]);
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(h[16..]);
            ulong compressed = BinaryPrimitives.ReadUInt32LittleEndian(h[20..]);
            ulong uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(h[24..]);
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(h[28..]);
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(h[30..]);
            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(h[32..]);
            uint diskStart = BinaryPrimitives.ReadUInt16LittleEndian(h[34..]);
            ulong localOffset = BinaryPrimitives.ReadUInt32LittleEndian(h[42..]);
            int variable = nameLength + extraLength + commentLength;
            if (cd.Length - pos - ZipFormat.CentralHeaderSize < variable)
            {
                throw LarderErrors.ZipTruncated(_source, at, $"central directory entry {index} of {count}");
            }

            byte[] nameBytes = h.Slice(ZipFormat.CentralHeaderSize, nameLength).ToArray();
            ReadOnlySpan<byte> extra = h.Slice(ZipFormat.CentralHeaderSize + nameLength, extraLength);
            byte[] commentBytes = h.Slice(ZipFormat.CentralHeaderSize + nameLength + extraLength, commentLength).ToArray();
            bool utf8 = (flags & ZipFormat.FlagUtf8) != 0;
            string name = ZipFormat.DecodeName(nameBytes, utf8)
                ?? throw LarderErrors.ZipMalformed(_source, at, $"the name of central directory entry {index} is flagged UTF-8 but is not valid UTF-8");

            var kept = new List<byte>(extraLength);
            int aesVersion = 0;
            int aesStrength = 0;
            ushort aesMethod = 0;
            DateTimeOffset? modifiedUtc = null;
            bool zip64Seen = false;
            int e = 0;
            while (e < extra.Length)
            {
                if (extra.Length - e < 4)
                {
                    throw LarderErrors.ZipMalformed(_source, at, $"the extra field of entry '{name}' ends inside a field header");
                }

                ushort id = BinaryPrimitives.ReadUInt16LittleEndian(extra[e..]);
                int size = BinaryPrimitives.ReadUInt16LittleEndian(extra[(e + 2)..]);
                if (extra.Length - e - 4 < size)
                {
                    throw LarderErrors.ZipMalformed(_source, at, $"extra field 0x{id:x4} of entry '{name}' runs past the extra area");
                }

                ReadOnlySpan<byte> data = extra.Slice(e + 4, size);
                switch (id)
                {
                    case ZipFormat.Zip64ExtraId:
                        if (zip64Seen)
                        {
                            throw LarderErrors.ZipMalformed(_source, at, $"entry '{name}' has two ZIP64 extra fields");
                        }

                        zip64Seen = true;
                        int z = 0;
                        if (uncompressed == uint.MaxValue)
                        {
                            uncompressed = ReadZip64(data, ref z, name, at);
                        }

                        if (compressed == uint.MaxValue)
                        {
                            compressed = ReadZip64(data, ref z, name, at);
                        }

                        if (localOffset == uint.MaxValue)
                        {
                            localOffset = ReadZip64(data, ref z, name, at);
                        }

                        if (diskStart == ushort.MaxValue && data.Length - z >= 4)
                        {
                            diskStart = BinaryPrimitives.ReadUInt32LittleEndian(data[z..]);
                        }

                        break;
                    case ZipFormat.AesExtraId:
                        if (size != 7 || data[2] != (byte)'A' || data[3] != (byte)'E')
                        {
                            throw LarderErrors.ZipMalformed(_source, at, $"the AES extra field of entry '{name}' is not a WinZip AES field");
                        }

                        aesVersion = BinaryPrimitives.ReadUInt16LittleEndian(data);
                        aesStrength = data[4];
                        aesMethod = BinaryPrimitives.ReadUInt16LittleEndian(data[5..]);
                        kept.AddRange(extra.Slice(e, 4 + size));
                        break;
                    case ZipFormat.ExtendedTimestampExtraId:
                        if (size >= 5 && (data[0] & 1) != 0)
                        {
                            modifiedUtc = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt32LittleEndian(data[1..]));
                        }

                        kept.AddRange(extra.Slice(e, 4 + size));
                        break;
                    default:
                        kept.AddRange(extra.Slice(e, 4 + size));
                        break;
                }

                e += 4 + size;
            }

            if (uncompressed == uint.MaxValue || compressed == uint.MaxValue || localOffset == uint.MaxValue)
            {
                if (!zip64Seen)
                {
                    throw LarderErrors.ZipMalformed(_source, at, $"entry '{name}' has a saturated size or offset but no ZIP64 extra field");
                }
            }

            if (diskStart != 0)
            {
                throw LarderErrors.ZipNotSupported(_source, "a ZIP archive split over several disks", "join the parts into one archive first.");
            }

            if ((flags & (ZipFormat.FlagStrongEncryption | ZipFormat.FlagMaskedHeaders)) != 0)
            {
                throw LarderErrors.ZipNotSupported(_source, $"PKWARE strong encryption (entry '{name}')", "re-encrypt the archive with AES (7z a -mem=AES256).");
            }

            if (compressed > long.MaxValue || uncompressed > long.MaxValue || localOffset > long.MaxValue)
            {
                throw LarderErrors.ZipMalformed(_source, at, $"entry '{name}' records a size or offset beyond 2^63");
            }

            ZipEncryption encryption = ZipEncryption.None;
            int realMethod = method;
            if (method == ZipFormat.MethodAes)
            {
                if (aesVersion is not (1 or 2) || aesStrength is < 1 or > 3)
                {
                    throw LarderErrors.ZipMalformed(_source, at, $"entry '{name}' uses method 99 (WinZip AES) without a valid AES extra field");
                }

                if ((flags & ZipFormat.FlagEncrypted) == 0)
                {
                    throw LarderErrors.ZipMalformed(_source, at, $"entry '{name}' uses method 99 (WinZip AES) but is not flagged encrypted");
                }

                encryption = aesStrength switch { 1 => ZipEncryption.Aes128, 2 => ZipEncryption.Aes192, _ => ZipEncryption.Aes256 };
                realMethod = aesMethod;
            }
            else
            {
                aesVersion = 0;
                aesStrength = 0;
                if ((flags & ZipFormat.FlagEncrypted) != 0)
                {
                    encryption = ZipEncryption.ZipCrypto;
                }
            }

            var entry = new ZipEntry
            {
                Name = name,
                NameBytes = nameBytes,
                CommentBytes = commentBytes,
                Comment = ZipFormat.DecodeName(commentBytes, utf8) ?? string.Empty,
                CompressionMethod = realMethod,
                RawMethod = method,
                Encryption = encryption,
                AesVersion = aesVersion,
                AesStrength = aesStrength,
                Flags = flags,
                VersionMadeBy = BinaryPrimitives.ReadUInt16LittleEndian(h[4..]),
                VersionNeeded = BinaryPrimitives.ReadUInt16LittleEndian(h[6..]),
                DosTime = dosTime,
                DosDate = dosDate,
                LastModified = ZipFormat.FromDosTime(dosTime, dosDate),
                LastModifiedUtc = modifiedUtc,
                Crc32 = crc,
                CompressedLength = (long)compressed,
                Length = (long)uncompressed,
                InternalAttributes = BinaryPrimitives.ReadUInt16LittleEndian(h[36..]),
                ExternalAttributes = BinaryPrimitives.ReadUInt32LittleEndian(h[38..]),
                LocalHeaderOffset = (long)localOffset,
                CentralExtra = [.. kept],
            };
            _entries.Add(entry);
            _byName[name] = entry;
            pos += ZipFormat.CentralHeaderSize + variable;
        }
    }

    private ulong ReadZip64(ReadOnlySpan<byte> data, ref int position, string name, long at)
    {
        if (data.Length - position < 8)
        {
            throw LarderErrors.ZipMalformed(_source, at, $"the ZIP64 extra field of entry '{name}' is too short for the values it must hold");
        }

        ulong value = BinaryPrimitives.ReadUInt64LittleEndian(data[position..]);
        position += 8;
        return value;
    }

    private void ReadLocalHeaders(long cdOffset)
    {
        var ordered = _entries.OrderBy(e => e.LocalHeaderOffset).ToList();
        Span<byte> h = stackalloc byte[ZipFormat.LocalHeaderSize];
        for (int i = 0; i < ordered.Count; i++)
        {
            ZipEntry entry = ordered[i];
            long offset = entry.LocalHeaderOffset;
            long limit = i + 1 < ordered.Count ? ordered[i + 1].LocalHeaderOffset : cdOffset;
            if (offset > cdOffset - ZipFormat.LocalHeaderSize)
            {
                throw LarderErrors.ZipMalformed(_source, offset, $"the local header of entry '{entry.Name}' is not before the central directory");
            }

            ReadAt(offset, h, $"local header of entry '{entry.Name}'");
            if (BinaryPrimitives.ReadUInt32LittleEndian(h) != ZipFormat.LocalHeaderSignature)
            {
                throw LarderErrors.ZipMalformed(_source, offset, $"no local header for entry '{entry.Name}' where the central directory points");
            }

            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(h[26..]);
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(h[28..]);
            long dataOffset = offset + ZipFormat.LocalHeaderSize + nameLength + extraLength;
            if (dataOffset > limit || entry.CompressedLength > limit - dataOffset)
            {
                throw LarderErrors.ZipMalformed(_source, offset, $"the data of entry '{entry.Name}' ({entry.CompressedLength} bytes) overlaps the next entry or the central directory");
            }

            byte[] variable = new byte[nameLength + extraLength];
            ReadAt(offset + ZipFormat.LocalHeaderSize, variable, $"local header of entry '{entry.Name}'");
            if (!variable.AsSpan(0, nameLength).SequenceEqual(entry.NameBytes))
            {
                throw LarderErrors.ZipMalformed(_source, offset, $"the local header names '{ZipFormat.DecodeName(variable.AsSpan(0, nameLength), false)}' but the central directory names '{entry.Name}'");
            }

            entry.LocalExtra = WithoutZip64(variable.AsSpan(nameLength));
            entry.DataOffset = dataOffset;
            if ((entry.Flags & ZipFormat.FlagDataDescriptor) != 0 && entry.HasCrc32)
            {
                CheckDataDescriptor(entry, dataOffset + entry.CompressedLength, limit);
            }
        }
    }

    private void CheckDataDescriptor(ZipEntry entry, long at, long limit)
    {
        Span<byte> d = stackalloc byte[8];
        if (limit - at < 8)
        {
            return;
        }

        ReadAt(at, d, $"data descriptor of entry '{entry.Name}'");
        // The descriptor's signature is optional, so the CRC-32 is either its first or its second field.
        uint first = BinaryPrimitives.ReadUInt32LittleEndian(d);
        uint second = BinaryPrimitives.ReadUInt32LittleEndian(d[4..]);
        bool signed = first == ZipFormat.DataDescriptorSignature;
        if (first != entry.Crc32 && !(signed && second == entry.Crc32))
        {
            uint crc = signed ? second : first;
            throw LarderErrors.ZipMalformed(_source, at, $"the data descriptor of entry '{entry.Name}' records CRC-32 {crc:X8} but the central directory {entry.Crc32:X8}");
        }
    }

    /// <summary>The extra fields without ZIP64 fields; a malformed local extra area (zero padding, junk) is kept whole.</summary>
    private static byte[] WithoutZip64(ReadOnlySpan<byte> extra)
    {
        var kept = new List<byte>(extra.Length);
        int e = 0;
        while (e < extra.Length)
        {
            if (extra.Length - e < 4)
            {
                return extra.ToArray();
            }

            ushort id = BinaryPrimitives.ReadUInt16LittleEndian(extra[e..]);
            int size = BinaryPrimitives.ReadUInt16LittleEndian(extra[(e + 2)..]);
            if (extra.Length - e - 4 < size)
            {
                return extra.ToArray();
            }

            if (id != ZipFormat.Zip64ExtraId)
            {
                kept.AddRange(extra.Slice(e, 4 + size));
            }

            e += 4 + size;
        }

        return [.. kept];
    }
}
