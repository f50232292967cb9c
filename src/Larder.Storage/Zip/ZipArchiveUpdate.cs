using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using Larder.IO;

namespace Larder.Storage.Zip;

/// <summary>How <see cref="ZipArchiveUpdate"/> writes one new entry.</summary>
public sealed record ZipEntryOptions
{
    /// <summary>Deflate (default) or stored.</summary>
    public ZipCompression Compression { get; init; } = ZipCompression.Deflate;

    /// <summary>The deflate level (ignored for stored entries).</summary>
    public CompressionLevel Level { get; init; } = CompressionLevel.Optimal;

    /// <summary>When set, the entry is encrypted with WinZip AES-256 (AE-2) under this password.</summary>
    public string? Password { get; init; }

    /// <summary>The modification time to record (default: now). The MS-DOS fields get its wall-clock time, the extended timestamp its UTC instant.</summary>
    public DateTimeOffset? LastModified { get; init; }

    /// <summary>
    /// The WinZip AES vendor version for encrypted entries: 2 (default, AE-2) records no CRC-32, so the directory reveals
    /// nothing about the plaintext; 1 (AE-1) records the plaintext's CRC-32, so listings and CRC checks work without the
    /// password.
    /// </summary>
    public int AesVersion { get; init; } = 2;

    /// <summary>
    /// For entries written by a producer: the length it will write, when known. Without it the entry gets ZIP64 local
    /// fields up front (20 bytes; readers are unaffected), since the size could pass 4 GiB.
    /// </summary>
    public long? ExpectedLength { get; init; }

    /// <summary>When true, the SHA-256 of the entry's uncompressed bytes is computed while it is written (see <see cref="ZipArchiveUpdate.Written"/>).</summary>
    public bool ComputeSha256 { get; init; }
}

/// <summary>What was written for one new entry: checksums and sizes of its uncompressed and stored bytes.</summary>
/// <param name="Sha256">The SHA-256 of the uncompressed bytes when <see cref="ZipEntryOptions.ComputeSha256"/> was set; otherwise empty.</param>
public sealed record ZipWrittenEntry(string Name, uint Crc32, long Length, long CompressedLength, byte[] Sha256);

/// <summary>
/// Builds a new ZIP archive from an existing one plus changes: entries added, replaced or deleted. Unchanged entries are
/// copied as stored bytes (never recompressed or re-encrypted); new entries are deflated or stored, and AES-256 encrypted
/// when a password is given. <see cref="Commit"/> writes the result beside the target and renames it over the target, so
/// readers (and a crash) see the old archive or the complete new one. ZIP64 records are written where sizes, offsets or
/// the entry count need them. Not thread safe; a second writer of the same file must be excluded by the caller (the last
/// rename wins).
/// </summary>
public sealed class ZipArchiveUpdate
{
    private const ushort VersionMadeBy = (3 << 8) | 63;
    private const uint RegularFileAttributes = 0x81A4u << 16;
    private const long Zip32Limit = uint.MaxValue;

    /// <summary>New entries whose length is at least this get ZIP64 local headers up front (compression may expand them).</summary>
    private const long Zip64Reserve = 0xF000_0000;

    private readonly ZipArchiveReader? _source;
    private readonly Dictionary<string, Pending> _puts = new(StringComparer.Ordinal);
    private readonly List<string> _putOrder = [];
    private readonly HashSet<string> _deletes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ZipWrittenEntry> _written = new(StringComparer.Ordinal);

    /// <param name="source">The archive whose entries are kept unless changed; <see langword="null"/> to start empty.</param>
    public ZipArchiveUpdate(ZipArchiveReader? source = null)
    {
        _source = source;
        Comment = source?.Comment ?? [];
    }

    /// <summary>The archive comment to write (by default the source's).</summary>
    public byte[] Comment { get; set; }

    /// <summary>Adds <paramref name="name"/>, replacing any entry of that name (the copy stays where the old entry was).</summary>
    /// <exception cref="LarderUsageException">The name is empty, absolute, has a NUL or a <c>..</c> segment, or is too long.</exception>
    public void Put(string name, ReadOnlyMemory<byte> content, ZipEntryOptions? options = null)
        => Add(name, new Pending(content, null, options ?? new ZipEntryOptions()));

    /// <summary>
    /// Adds <paramref name="name"/> with the bytes of <paramref name="content"/> from its current position to its end, read
    /// when the archive is written (the stream is not disposed).
    /// </summary>
    public void Put(string name, Stream content, ZipEntryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        Add(name, new Pending(default, content, options ?? new ZipEntryOptions()));
    }

    /// <summary>
    /// Adds <paramref name="name"/> with the bytes that <paramref name="producer"/> writes, called once when the archive is
    /// written (by <see cref="CommitAsync"/> or <see cref="WriteToAsync"/>; the synchronous <see cref="Commit"/> and
    /// <see cref="WriteTo"/> wait for it). The stream it gets compresses, encrypts and checksums as bytes arrive; the
    /// producer must not dispose it. An exception from the producer abandons the whole archive write.
    /// </summary>
    public void Put(string name, Func<Stream, CancellationToken, ValueTask> producer, ZipEntryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(producer);
        Add(name, new Pending(default, null, options ?? new ZipEntryOptions(), producer));
    }

    /// <summary>The entries written by the last <see cref="WriteTo"/> or <see cref="Commit"/> (and async twins), by name.</summary>
    public IReadOnlyDictionary<string, ZipWrittenEntry> Written => _written;

    /// <summary>Removes every entry named <paramref name="name"/> (from the source and pending additions).</summary>
    /// <returns>Whether there was such an entry.</returns>
    public bool Delete(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        bool existed = _puts.Remove(name) | (_source?.Find(name) is not null && _deletes.Add(name));
        _putOrder.Remove(name);
        return existed;
    }

    /// <summary>Writes the new archive to <paramref name="path"/> atomically (temporary file beside it, fsync when durable, rename).</summary>
    /// <exception cref="LarderNotFoundException">The directory of <paramref name="path"/> does not exist.</exception>
    public void Commit(string path, bool durable = true)
    {
        using AtomicFile file = AtomicFile.Create(path, durable);
        WriteTo(file.Stream);
        file.Commit();
    }

    /// <inheritdoc cref="Commit"/>
    public async ValueTask CommitAsync(string path, bool durable = true, CancellationToken cancellationToken = default)
    {
        AtomicFile file = AtomicFile.Create(path, durable);
        await using (file.ConfigureAwait(false))
        {
            await WriteCoreAsync(file.Stream, async: true, cancellationToken).ConfigureAwait(false);
            await file.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the new archive to a writable, seekable stream from its current position (offsets are positions in it).</summary>
    public void WriteTo(Stream output) => WriteCoreAsync(output, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="WriteTo"/>
    public ValueTask WriteToAsync(Stream output, CancellationToken cancellationToken = default) => WriteCoreAsync(output, async: true, cancellationToken);

    // When async is false every await below completes synchronously, except inside a producer, which the synchronous
    // entry points block on (a producer is given as an async delegate).
    private async ValueTask WriteCoreAsync(Stream output, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanWrite || !output.CanSeek)
        {
            throw new ArgumentException("the output must be writable and seekable.", nameof(output));
        }

        _written.Clear();
        var central = new List<CentralRecord>();
        var written = new HashSet<string>(StringComparer.Ordinal);
        if (_source is not null)
        {
            foreach (ZipEntry entry in _source.Entries)
            {
                if (_deletes.Contains(entry.Name) && !_puts.ContainsKey(entry.Name))
                {
                    continue;
                }

                if (_puts.TryGetValue(entry.Name, out Pending? pending))
                {
                    if (written.Add(entry.Name))
                    {
                        central.Add(await WriteNewAsync(output, entry.Name, pending, async, cancellationToken).ConfigureAwait(false));
                    }

                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                central.Add(CopyEntry(output, _source, entry));
            }
        }

        foreach (string name in _putOrder)
        {
            if (written.Add(name))
            {
                central.Add(await WriteNewAsync(output, name, _puts[name], async, cancellationToken).ConfigureAwait(false));
            }
        }

        WriteCentralDirectory(output, central);
    }

    private void Add(string name, Pending pending)
    {
        ValidateName(name);
        if (_puts.ContainsKey(name))
        {
            _putOrder.Remove(name);
        }

        _puts[name] = pending;
        _putOrder.Add(name);
    }

    private static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            throw LarderErrors.ZipInvalidEntryName(name, "it is empty");
        }

        if (name[0] is '/' or '\\')
        {
            throw LarderErrors.ZipInvalidEntryName(name, "it is absolute");
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw LarderErrors.ZipInvalidEntryName(name, "it contains a NUL character");
        }

        if (name.Split('/', '\\').Any(segment => segment == ".."))
        {
            throw LarderErrors.ZipInvalidEntryName(name, "it has a '..' segment");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(name) > ushort.MaxValue)
        {
            throw LarderErrors.ZipInvalidEntryName(name, "it is longer than 65535 bytes");
        }
    }

    private static CentralRecord CopyEntry(Stream output, ZipArchiveReader source, ZipEntry entry)
    {
        long offset = output.Position;
        bool descriptor = (entry.Flags & ZipFormat.FlagDataDescriptor) != 0;
        bool zip64 = entry.Length >= Zip32Limit || entry.CompressedLength >= Zip32Limit;
        ushort needed = zip64 ? Math.Max(entry.VersionNeeded, (ushort)45) : entry.VersionNeeded;
        byte[] localExtra = zip64
            ? Concat(Zip64Local(descriptor ? 0 : entry.Length, descriptor ? 0 : entry.CompressedLength), entry.LocalExtra)
            : entry.LocalExtra;
        if (localExtra.Length > ushort.MaxValue)
        {
            localExtra = localExtra[..20];
        }
        WriteLocalHeader(
            output,
            needed,
            entry.Flags,
            entry.RawMethod,
            entry.DosTime,
            entry.DosDate,
            descriptor ? 0 : entry.Crc32,
            descriptor ? 0 : Saturate(entry.CompressedLength, zip64),
            descriptor ? 0 : Saturate(entry.Length, zip64),
            entry.NameBytes,
            localExtra);
        source.CopyRawTo(entry, output);
        if (descriptor)
        {
            Span<byte> d = stackalloc byte[24];
            BinaryPrimitives.WriteUInt32LittleEndian(d, ZipFormat.DataDescriptorSignature);
            BinaryPrimitives.WriteUInt32LittleEndian(d[4..], entry.Crc32);
            if (zip64)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(d[8..], (ulong)entry.CompressedLength);
                BinaryPrimitives.WriteUInt64LittleEndian(d[16..], (ulong)entry.Length);
                output.Write(d);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(d[8..], (uint)entry.CompressedLength);
                BinaryPrimitives.WriteUInt32LittleEndian(d[12..], (uint)entry.Length);
                output.Write(d[..16]);
            }
        }

        return new CentralRecord(
            entry.VersionMadeBy,
            needed,
            entry.Flags,
            entry.RawMethod,
            entry.DosTime,
            entry.DosDate,
            entry.Crc32,
            entry.CompressedLength,
            entry.Length,
            entry.NameBytes,
            entry.CentralExtra,
            entry.CommentBytes,
            entry.InternalAttributes,
            entry.ExternalAttributes,
            offset);
    }

    private async ValueTask<CentralRecord> WriteNewAsync(Stream output, string name, Pending pending, bool async, CancellationToken cancellationToken)
    {
        ZipEntryOptions options = pending.Options;
        DateTimeOffset modified = options.LastModified ?? DateTimeOffset.Now;
        var (dosTime, dosDate) = ZipFormat.ToDosTime(modified.DateTime);
        byte[] nameBytes = ZipFormat.EncodeName(name, out bool utf8);
        bool encrypt = options.Password is not null;
        ushort method = options.Compression == ZipCompression.Deflate ? ZipFormat.MethodDeflate : ZipFormat.MethodStored;
        long? knownLength = pending.Producer is not null ? pending.Options.ExpectedLength
            : pending.Stream is null ? pending.Bytes.Length
            : pending.Stream.CanSeek ? Math.Max(0, pending.Stream.Length - pending.Stream.Position) : null;
        bool zip64 = knownLength is not long known || known >= Zip64Reserve;

        ushort flags = (ushort)((utf8 ? ZipFormat.FlagUtf8 : 0) | (encrypt ? ZipFormat.FlagEncrypted : 0));
        ushort rawMethod = encrypt ? ZipFormat.MethodAes : method;
        ushort needed = encrypt ? (ushort)51 : zip64 ? (ushort)45 : (ushort)20;
        int aesVersion = options.AesVersion is 1 or 2 ? options.AesVersion
            : throw new ArgumentException("the AES vendor version must be 1 or 2.", nameof(pending));

        byte[] timestamp = new byte[9];
        BinaryPrimitives.WriteUInt16LittleEndian(timestamp, ZipFormat.ExtendedTimestampExtraId);
        BinaryPrimitives.WriteUInt16LittleEndian(timestamp.AsSpan(2), 5);
        timestamp[4] = 1;
        BinaryPrimitives.WriteInt32LittleEndian(timestamp.AsSpan(5), (int)Math.Clamp(modified.ToUnixTimeSeconds(), int.MinValue, int.MaxValue));
        byte[] aes = [];
        if (encrypt)
        {
            aes = new byte[11];
            BinaryPrimitives.WriteUInt16LittleEndian(aes, ZipFormat.AesExtraId);
            BinaryPrimitives.WriteUInt16LittleEndian(aes.AsSpan(2), 7);
            BinaryPrimitives.WriteUInt16LittleEndian(aes.AsSpan(4), (ushort)aesVersion);
            aes[6] = (byte)'A';
            aes[7] = (byte)'E';
            aes[8] = 3;
            BinaryPrimitives.WriteUInt16LittleEndian(aes.AsSpan(9), method);
        }

        byte[] sharedExtra = Concat(aes, timestamp);
        long offset = output.Position;
        WriteLocalHeader(output, needed, flags, rawMethod, dosTime, dosDate, 0, zip64 ? uint.MaxValue : 0, zip64 ? uint.MaxValue : 0, nameBytes, zip64 ? Concat(Zip64Local(0, 0), sharedExtra) : sharedExtra);
        long dataStart = output.Position;

        uint crc = 0;
        long length = 0;
        byte[] sha = [];
        if (encrypt)
        {
            const int strength = 3;
            byte[] salt = RandomNumberGenerator.GetBytes(WinZipAes.SaltSize(strength));
            var (encryptionKey, authenticationKey, verifier) = WinZipAes.DeriveKeys(ZipFormat.PasswordBytes(options.Password!), salt, strength);
            output.Write(salt);
            output.Write(verifier);
            using IncrementalHash mac = WinZipAes.CreateMac(authenticationKey);
            using (var transform = new AesCtrTransform(encryptionKey))
            {
                var encrypted = new AesCtrWriteStream(output, transform, mac);
                (crc, length, sha) = await CompressAsync(pending, encrypted, options, async, cancellationToken).ConfigureAwait(false);
            }

            output.Write(mac.GetHashAndReset().AsSpan(0, WinZipAes.MacSize));
        }
        else
        {
            (crc, length, sha) = await CompressAsync(pending, output, options, async, cancellationToken).ConfigureAwait(false);
        }

        long end = output.Position;
        long compressed = end - dataStart;
        uint recordedCrc = encrypt && aesVersion == 2 ? 0 : crc;

        // Patch the sizes and CRC into the local header now that they are known.
        output.Position = offset + 14;
        Span<byte> fields = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(fields, recordedCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(fields[4..], zip64 ? uint.MaxValue : checked((uint)compressed));
        BinaryPrimitives.WriteUInt32LittleEndian(fields[8..], zip64 ? uint.MaxValue : checked((uint)length));
        output.Write(fields);
        if (zip64)
        {
            output.Position = offset + ZipFormat.LocalHeaderSize + nameBytes.Length + 4;
            BinaryPrimitives.WriteUInt64LittleEndian(fields, (ulong)length);
            output.Write(fields[..8]);
            BinaryPrimitives.WriteUInt64LittleEndian(fields, (ulong)compressed);
            output.Write(fields[..8]);
        }

        output.Position = end;
        _written[name] = new ZipWrittenEntry(name, crc, length, compressed, sha);
        return new CentralRecord(VersionMadeBy, needed, flags, rawMethod, dosTime, dosDate, recordedCrc, compressed, length, nameBytes, sharedExtra, [], 0, RegularFileAttributes, offset);
    }

    private static async ValueTask<(uint Crc, long Length, byte[] Sha256)> CompressAsync(Pending pending, Stream target, ZipEntryOptions options, bool async, CancellationToken cancellationToken)
    {
        // Deflate runs on every core (chunks compressed in parallel, written in order) while the producer keeps going.
        ParallelDeflateStream? deflate = options.Compression == ZipCompression.Deflate ? new ParallelDeflateStream(target, options.Level) : null;
        Stream sink = deflate ?? target;
        using var counted = new ChecksumWriteStream(sink, options.ComputeSha256);
        try
        {
            if (pending.Producer is not null)
            {
                ValueTask produced = pending.Producer(counted, cancellationToken);
                if (async)
                {
                    await produced.ConfigureAwait(false);
                }
                else
                {
                    produced.AsTask().GetAwaiter().GetResult();
                }
            }
            else if (pending.Stream is null)
            {
                counted.Write(pending.Bytes.Span);
            }
            else
            {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = async
                           ? await pending.Stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)
                           : pending.Stream.Read(buffer)) > 0)
                {
                    counted.Write(buffer, 0, n);
                }
            }

            if (deflate is not null)
            {
                await deflate.FinishAsync(async, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            deflate?.Dispose();
        }

        return (counted.Crc32, counted.Count, counted.GetSha256());
    }

    private void WriteCentralDirectory(Stream output, List<CentralRecord> records)
    {
        long cdOffset = output.Position;
        Span<byte> h = stackalloc byte[ZipFormat.CentralHeaderSize];
        foreach (CentralRecord r in records)
        {
            bool bigU = r.Length >= Zip32Limit;
            bool bigC = r.CompressedLength >= Zip32Limit;
            bool bigO = r.Offset >= Zip32Limit;
            byte[] zip64 = [];
            if (bigU || bigC || bigO)
            {
                int count = (bigU ? 1 : 0) + (bigC ? 1 : 0) + (bigO ? 1 : 0);
                zip64 = new byte[4 + (8 * count)];
                BinaryPrimitives.WriteUInt16LittleEndian(zip64, ZipFormat.Zip64ExtraId);
                BinaryPrimitives.WriteUInt16LittleEndian(zip64.AsSpan(2), (ushort)(8 * count));
                int p = 4;
                foreach (var (big, value) in new[] { (bigU, r.Length), (bigC, r.CompressedLength), (bigO, r.Offset) })
                {
                    if (big)
                    {
                        BinaryPrimitives.WriteUInt64LittleEndian(zip64.AsSpan(p), (ulong)value);
                        p += 8;
                    }
                }
            }

            byte[] extra = Concat(zip64, r.Extra);
            if (extra.Length > ushort.MaxValue)
            {
                extra = zip64;
            }

            ushort needed = zip64.Length > 0 ? Math.Max(r.VersionNeeded, (ushort)45) : r.VersionNeeded;
            BinaryPrimitives.WriteUInt32LittleEndian(h, ZipFormat.CentralHeaderSignature);
            BinaryPrimitives.WriteUInt16LittleEndian(h[4..], r.VersionMadeBy);
            BinaryPrimitives.WriteUInt16LittleEndian(h[6..], needed);
            BinaryPrimitives.WriteUInt16LittleEndian(h[8..], r.Flags);
            BinaryPrimitives.WriteUInt16LittleEndian(h[10..], r.Method);
            BinaryPrimitives.WriteUInt16LittleEndian(h[12..], r.DosTime);
            BinaryPrimitives.WriteUInt16LittleEndian(h[14..], r.DosDate);
            BinaryPrimitives.WriteUInt32LittleEndian(h[16..], r.Crc);
            BinaryPrimitives.WriteUInt32LittleEndian(h[20..], Saturate(r.CompressedLength, bigC));
            BinaryPrimitives.WriteUInt32LittleEndian(h[24..], Saturate(r.Length, bigU));
            BinaryPrimitives.WriteUInt16LittleEndian(h[28..], (ushort)r.Name.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(h[30..], (ushort)extra.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(h[32..], (ushort)r.Comment.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(h[34..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(h[36..], r.InternalAttributes);
            BinaryPrimitives.WriteUInt32LittleEndian(h[38..], r.ExternalAttributes);
            BinaryPrimitives.WriteUInt32LittleEndian(h[42..], Saturate(r.Offset, bigO));
            output.Write(h);
            output.Write(r.Name);
            output.Write(extra);
            output.Write(r.Comment);
        }

        long cdEnd = output.Position;
        long cdSize = cdEnd - cdOffset;
        long count64 = records.Count;
        bool needZip64 = count64 >= ushort.MaxValue || cdSize >= Zip32Limit || cdOffset >= Zip32Limit;
        if (needZip64)
        {
            Span<byte> z = stackalloc byte[ZipFormat.Zip64EndOfCentralDirectorySize + ZipFormat.Zip64LocatorSize];
            BinaryPrimitives.WriteUInt32LittleEndian(z, ZipFormat.Zip64EndOfCentralDirectorySignature);
            BinaryPrimitives.WriteUInt64LittleEndian(z[4..], ZipFormat.Zip64EndOfCentralDirectorySize - 12);
            BinaryPrimitives.WriteUInt16LittleEndian(z[12..], VersionMadeBy);
            BinaryPrimitives.WriteUInt16LittleEndian(z[14..], 45);
            BinaryPrimitives.WriteUInt32LittleEndian(z[16..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(z[20..], 0);
            BinaryPrimitives.WriteUInt64LittleEndian(z[24..], (ulong)count64);
            BinaryPrimitives.WriteUInt64LittleEndian(z[32..], (ulong)count64);
            BinaryPrimitives.WriteUInt64LittleEndian(z[40..], (ulong)cdSize);
            BinaryPrimitives.WriteUInt64LittleEndian(z[48..], (ulong)cdOffset);
            Span<byte> l = z[ZipFormat.Zip64EndOfCentralDirectorySize..];
            BinaryPrimitives.WriteUInt32LittleEndian(l, ZipFormat.Zip64LocatorSignature);
            BinaryPrimitives.WriteUInt32LittleEndian(l[4..], 0);
            BinaryPrimitives.WriteUInt64LittleEndian(l[8..], (ulong)cdEnd);
            BinaryPrimitives.WriteUInt32LittleEndian(l[16..], 1);
            output.Write(z);
        }

        byte[] comment = Comment.Length > ushort.MaxValue ? Comment[..ushort.MaxValue] : Comment;
        Span<byte> e = stackalloc byte[ZipFormat.EndOfCentralDirectorySize];
        ushort shortCount = (ushort)Math.Min(count64, ushort.MaxValue);
        BinaryPrimitives.WriteUInt32LittleEndian(e, ZipFormat.EndOfCentralDirectorySignature);
        BinaryPrimitives.WriteUInt16LittleEndian(e[8..], shortCount);
        BinaryPrimitives.WriteUInt16LittleEndian(e[10..], shortCount);
        BinaryPrimitives.WriteUInt32LittleEndian(e[12..], Saturate(cdSize, cdSize >= Zip32Limit));
        BinaryPrimitives.WriteUInt32LittleEndian(e[16..], Saturate(cdOffset, cdOffset >= Zip32Limit));
        BinaryPrimitives.WriteUInt16LittleEndian(e[20..], (ushort)comment.Length);
        output.Write(e);
        output.Write(comment);
    }

    private static void WriteLocalHeader(Stream output, ushort needed, ushort flags, ushort method, ushort time, ushort date, uint crc, uint compressed, uint length, byte[] name, byte[] extra)
    {
        Span<byte> h = stackalloc byte[ZipFormat.LocalHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(h, ZipFormat.LocalHeaderSignature);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], needed);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], flags);
        BinaryPrimitives.WriteUInt16LittleEndian(h[8..], method);
        BinaryPrimitives.WriteUInt16LittleEndian(h[10..], time);
        BinaryPrimitives.WriteUInt16LittleEndian(h[12..], date);
        BinaryPrimitives.WriteUInt32LittleEndian(h[14..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(h[18..], compressed);
        BinaryPrimitives.WriteUInt32LittleEndian(h[22..], length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[26..], (ushort)name.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[28..], (ushort)extra.Length);
        output.Write(h);
        output.Write(name);
        output.Write(extra);
    }

    private static byte[] Zip64Local(long length, long compressed)
    {
        byte[] z = new byte[20];
        BinaryPrimitives.WriteUInt16LittleEndian(z, ZipFormat.Zip64ExtraId);
        BinaryPrimitives.WriteUInt16LittleEndian(z.AsSpan(2), 16);
        BinaryPrimitives.WriteUInt64LittleEndian(z.AsSpan(4), (ulong)length);
        BinaryPrimitives.WriteUInt64LittleEndian(z.AsSpan(12), (ulong)compressed);
        return z;
    }

    private static uint Saturate(long value, bool zip64) => zip64 ? uint.MaxValue : (uint)value;

    private static byte[] Concat(byte[] a, byte[] b) => a.Length == 0 ? b : b.Length == 0 ? a : [.. a, .. b];

    private sealed record Pending(ReadOnlyMemory<byte> Bytes, Stream? Stream, ZipEntryOptions Options, Func<Stream, CancellationToken, ValueTask>? Producer = null);

    private sealed record CentralRecord(
        ushort VersionMadeBy,
        ushort VersionNeeded,
        ushort Flags,
        ushort Method,
        ushort DosTime,
        ushort DosDate,
        uint Crc,
        long CompressedLength,
        long Length,
        byte[] Name,
        byte[] Extra,
        byte[] Comment,
        ushort InternalAttributes,
        uint ExternalAttributes,
        long Offset);
}
