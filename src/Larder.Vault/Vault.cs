using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Larder.Arrays;
using Larder.Columnar;
using Larder.Formats;
using Larder.Ipc;
using Larder.Parquet.Files;
using Larder.Vault.Tables;
using Larder.Storage.Zip;

namespace Larder.Vault;

/// <summary>
/// A data_vault-compatible vault (DESIGN §8): a ZIP archive whose entries are <c>module/name</c>, tables as TSV (or Parquet
/// or Arrow), arrays as NPY, JSON values as JSON and bytes as they are. Stores replace the archive atomically (a crash
/// leaves the old or the new archive, never a mix) under an exclusive lock, so processes storing into one vault at the
/// same time all succeed; imports read a consistent snapshot without locking and re-check every CRC. Each operation
/// prints data_vault's line to <see cref="VaultOptions.Output"/> and appends a JSON line to the log beside the archive.
/// </summary>
/// <remarks>
/// Thread safe: every operation opens the archive afresh. The password (from <see cref="VaultOptions.Password"/> or
/// the environment variable <see cref="VaultOptions.EncryptionVariable"/>, read at each operation) is never logged.
/// </remarks>
public sealed partial class Vault
{
    /// <summary>Entries up to this size that must be read with random access (Parquet, Arrow) are buffered in memory; larger ones in a temporary file.</summary>
    private const long SpoolInMemoryLimit = 64L << 20;

    private readonly TableFormatRegistry _formats;

    private Vault(string path, VaultOptions options)
    {
        Path = path;
        Options = options;
        _formats = TableFormatRegistry.CreateDefault().With(new ParquetTableFormat());
    }

    /// <summary>The full path of the archive.</summary>
    public string Path { get; }

    public VaultOptions Options { get; }

    /// <summary>The log file beside the archive, <c>&lt;vault&gt;.vault.log.gz</c>.</summary>
    public string LogPath => VaultLog.PathFor(Path);

    /// <summary>Whether a password is configured (stores encrypt).</summary>
    public bool IsEncrypted => Password is not null;

    private string? Password
    {
        get
        {
            if (!string.IsNullOrEmpty(Options.Password))
            {
                return Options.Password;
            }

            return Options.EncryptionVariable is { } variable && Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;
        }
    }

    private TextWriter? Warnings => Options.Warnings ?? Options.Output;

    /// <summary>
    /// Opens the vault at <paramref name="path"/> (default name <c>storage.zip</c>); the archive is created by the first
    /// store. Writes the missing-password warning unless <see cref="VaultOptions.Secure"/> is false.
    /// </summary>
    /// <exception cref="LarderNotFoundException">The directory of <paramref name="path"/> does not exist.</exception>
    /// <exception cref="LarderFormatException">The file exists and is not a ZIP archive.</exception>
    public static Vault Open(string path = "storage.zip", VaultOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new VaultOptions();
        string full = System.IO.Path.GetFullPath(path);
        string directory = System.IO.Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(directory))
        {
            throw LarderErrors.DirectoryNotFound(directory);
        }

        if (File.Exists(full))
        {
            using ZipArchiveReader check = ZipArchiveReader.Open(full);
        }

        var vault = new Vault(full, options);
        if (options.Secure && vault.Password is null)
        {
            vault.Warnings?.WriteLine(LarderErrors.VaultUnencryptedWarning(full, options.EncryptionVariable));
        }

        return vault;
    }

    /// <summary>Stores a table (every batch of <paramref name="batches"/>, read once) as <c>module/name</c>.</summary>
    /// <returns>The operation, also printed and logged.</returns>
    public Task<VaultOperation> StoreTableAsync(string name, string module, Schema schema, IAsyncEnumerable<RecordBatch> batches, VaultStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(batches);
        VaultFormat format = TableFormat(options);
        return StoreCoreAsync(name, module, TableWriter(schema, batches, null, format), options, async: true, cancellationToken).AsTask();
    }

    /// <summary>Stores <paramref name="table"/> as <c>module/name</c>.</summary>
    public Task<VaultOperation> StoreTableAsync(string name, string module, Table table, VaultStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        return StoreCoreAsync(name, module, TableWriter(table.Schema, null, table.Batches, TableFormat(options)), options, async: true, cancellationToken).AsTask();
    }

    /// <inheritdoc cref="StoreTableAsync(string, string, Table, VaultStoreOptions?, CancellationToken)"/>
    public VaultOperation StoreTable(string name, string module, Table table, VaultStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Sync(StoreCoreAsync(name, module, TableWriter(table.Schema, null, table.Batches, TableFormat(options)), options, async: false, CancellationToken.None));
    }

    /// <summary>Stores an n-dimensional array as NPY (<c>np.load</c> reads the entry).</summary>
    public Task<VaultOperation> StoreArrayAsync(string name, string module, NDArray array, VaultStoreOptions? options = null, CancellationToken cancellationToken = default)
        => StoreCoreAsync(name, module, ArrayWriter(array), options, async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="StoreArrayAsync"/>
    public VaultOperation StoreArray(string name, string module, NDArray array, VaultStoreOptions? options = null)
        => Sync(StoreCoreAsync(name, module, ArrayWriter(array), options, async: false, CancellationToken.None));

    /// <summary>Stores a JSON value as compact UTF-8 JSON.</summary>
    public Task<VaultOperation> StoreJsonAsync(string name, string module, JsonNode? value, VaultStoreOptions? options = null, CancellationToken cancellationToken = default)
        => StoreCoreAsync(name, module, BytesWriter(JsonBytes(value)), options, async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="StoreJsonAsync"/>
    public VaultOperation StoreJson(string name, string module, JsonNode? value, VaultStoreOptions? options = null)
        => Sync(StoreCoreAsync(name, module, BytesWriter(JsonBytes(value)), options, async: false, CancellationToken.None));

    /// <summary>Stores bytes as they are.</summary>
    public Task<VaultOperation> StoreBytesAsync(string name, string module, ReadOnlyMemory<byte> bytes, VaultStoreOptions? options = null, CancellationToken cancellationToken = default)
        => StoreCoreAsync(name, module, BytesWriter(bytes), options, async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="StoreBytesAsync"/>
    public VaultOperation StoreBytes(string name, string module, ReadOnlyMemory<byte> bytes, VaultStoreOptions? options = null)
        => Sync(StoreCoreAsync(name, module, BytesWriter(bytes), options, async: false, CancellationToken.None));

    /// <summary>
    /// Stores the file at <paramref name="path"/>. Its layout is <see cref="VaultStoreOptions.Format"/>, or by extension:
    /// table files (<c>.csv .tsv .jsonl .arrow .arrows .parquet</c>) become TSV tables, <c>.npy</c> is stored as NPY,
    /// <c>.json</c> as JSON (both checked first), anything else as bytes. The file is read once, as a stream.
    /// </summary>
    /// <exception cref="LarderNotFoundException">The file does not exist.</exception>
    /// <exception cref="LarderUsageException">The format does not fit the file (a table format for an array, …).</exception>
    public Task<VaultOperation> StoreFileAsync(string name, string module, string path, VaultStoreOptions? options = null, CancellationToken cancellationToken = default)
        => StoreFileCoreAsync(name, module, path, options, async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="StoreFileAsync"/>
    public VaultOperation StoreFile(string name, string module, string path, VaultStoreOptions? options = null)
        => Sync(StoreFileCoreAsync(name, module, path, options, async: false, CancellationToken.None));

    private async ValueTask<VaultOperation> StoreFileCoreAsync(string name, string module, string path, VaultStoreOptions? options, bool async, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw LarderErrors.FileNotFound(path);
        }

        ITableFormat? tableFormat = _formats.Formats.FirstOrDefault(f => f.Extensions.Contains(System.IO.Path.GetExtension(path).ToLowerInvariant()));
        VaultFormat format = options?.Format ?? System.IO.Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".npy" => VaultFormat.Npy,
            ".json" => VaultFormat.Json,
            _ => tableFormat is not null ? VaultFormat.Tsv : VaultFormat.Bytes,
        };

        switch (format)
        {
            case VaultFormat.Tsv or VaultFormat.Parquet or VaultFormat.Arrow:
            {
                if (tableFormat is null)
                {
                    throw LarderErrors.VaultNotATableFile(path, format.ToString().ToLowerInvariant());
                }

                ITableReader reader = tableFormat.OpenReader(path, new TableReadOptions());
                await using (reader.ConfigureAwait(false))
                {
                    Schema schema = await reader.GetSchemaAsync(cancellationToken).ConfigureAwait(false);
                    EntryWriter writer = TableWriter(schema, reader.ReadBatchesAsync(cancellationToken), null, format);
                    return await StoreCoreAsync(name, module, writer, options, async, cancellationToken).ConfigureAwait(false);
                }
            }

            case VaultFormat.Npy:
            {
                using (FileStream check = OpenInput(path))
                {
                    NpyReader.ReadHeader(check, path);
                }

                return await StoreCoreAsync(name, module, FileWriter(path), options, async, cancellationToken).ConfigureAwait(false);
            }

            case VaultFormat.Json:
            {
                long length = new FileInfo(path).Length;
                if (length > MaxJsonLength)
                {
                    throw LarderErrors.VaultJsonTooLarge(path, length, MaxJsonLength);
                }

                byte[] bytes = async ? await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false) : File.ReadAllBytes(path);
                if (!VaultContent.IsJson(bytes))
                {
                    throw LarderErrors.VaultNotJson(path);
                }

                return await StoreCoreAsync(name, module, BytesWriter(bytes), options, async, cancellationToken).ConfigureAwait(false);
            }

            default:
                return await StoreCoreAsync(name, module, FileWriter(path), options, async, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>JSON entries are parsed whole; this bounds the memory that takes.</summary>
    private const long MaxJsonLength = 256L << 20;

    private async ValueTask<VaultOperation> StoreCoreAsync(string name, string module, EntryWriter writer, VaultStoreOptions? options, bool async, CancellationToken cancellationToken)
    {
        options ??= new VaultStoreOptions();
        string stored = options.Alias ?? name;
        string entryName = VaultNames.Entry(module, stored);
        VaultNames.ValidateName(name);
        string? password = Password;
        if (Options.EncryptionVariable is not null && password is null)
        {
            throw LarderErrors.VaultPasswordVariableNotSet(Options.EncryptionVariable);
        }

        string subject = options.Alias is null ? name : $"{name} as {options.Alias}";
        string command = options.Command ?? $"store {name} in {module}" + (options.Alias is null ? string.Empty : $" as {options.Alias}");
        DateTimeOffset started = Options.TimeProvider.GetUtcNow();
        VaultOperation operation;
        using (VaultLock held = await VaultLock.AcquireAsync(Path, Options.LockTimeout, Options.TimeProvider, async, cancellationToken).ConfigureAwait(false))
        {
            RemoveAbandonedTemporaries();
            ZipArchiveReader? current = File.Exists(Path) ? ZipArchiveReader.Open(Path) : null;
            try
            {
                ZipEntry? old = current?.Find(entryName);
                VaultHashes? oldHashes = old is { HasCrc32: true } ? new VaultHashes(old.Crc32, null) : null;
                var update = new ZipArchiveUpdate(current);
                update.Put(entryName, (stream, ct) => writer.Write(stream, async, ct), new ZipEntryOptions
                {
                    Compression = writer.Compress ? ZipCompression.Deflate : ZipCompression.Stored,
                    Level = Options.CompressionLevel,
                    Password = password,
                    AesVersion = 1,
                    ComputeSha256 = true,
                    LastModified = started,
                    ExpectedLength = writer.Length,
                });
                if (async)
                {
                    await update.CommitAsync(Path, Options.Durable, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    update.Commit(Path, Options.Durable);
                }

                ZipWrittenEntry written = update.Written[entryName];
                operation = new VaultOperation("store", subject, entryName, oldHashes, new VaultHashes(written.Crc32, Convert.ToHexStringLower(written.Sha256)), started, Options.TimeProvider.GetUtcNow(), command);
            }
            finally
            {
                current?.Dispose();
            }

            AppendLog(operation);
        }

        Print(operation);
        return operation;
    }

    private void AppendLog(VaultOperation operation)
    {
        if (Options.Log)
        {
            VaultLog.Append(Path, operation, Options.Durable);
        }
    }

    private void Print(VaultOperation operation) => Options.Output?.WriteLine(operation.Describe(Options.PrintTimestamps));

    /// <summary>Deletes temporary archives left by writers that died before renaming them (only ever called under the lock).</summary>
    private void RemoveAbandonedTemporaries()
    {
        string directory = System.IO.Path.GetDirectoryName(Path)!;
        foreach (string temp in Directory.EnumerateFiles(directory, $".{System.IO.Path.GetFileName(Path)}.*.tmp"))
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
                // Another process may be looking at it; it is retried by the next store.
            }
        }
    }

    private static VaultFormat TableFormat(VaultStoreOptions? options)
        => options?.Format switch
        {
            null => VaultFormat.Tsv,
            VaultFormat.Tsv or VaultFormat.Parquet or VaultFormat.Arrow => options.Format.Value,
            VaultFormat other => throw LarderErrors.VaultFormatNotForTables(other.ToString().ToLowerInvariant()),
        };

    private static byte[] JsonBytes(JsonNode? value)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            if (value is null)
            {
                json.WriteNullValue();
            }
            else
            {
                value.WriteTo(json);
            }
        }

        return buffer.ToArray();
    }

    private static FileStream OpenInput(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw LarderErrors.FileNotFound(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LarderErrors.IO($"cannot read {path}", e);
        }
    }

    private static EntryWriter BytesWriter(ReadOnlyMemory<byte> bytes)
        => new(
            VaultContent.WorthCompressing(bytes.Span[..Math.Min(bytes.Length, SampleLength)]),
            bytes.Length,
            async (stream, async, ct) =>
            {
                if (async)
                {
                    await stream.WriteAsync(bytes, ct).ConfigureAwait(false);
                }
                else
                {
                    stream.Write(bytes.Span);
                }
            });

    private const int SampleLength = 256 << 10;

    private static EntryWriter FileWriter(string path)
    {
        byte[] sample = new byte[SampleLength];
        int sampled;
        long length;
        using (FileStream probe = OpenInput(path))
        {
            length = probe.Length;
            sampled = probe.ReadAtLeast(sample, sample.Length, throwOnEndOfStream: false);
        }

        return new(VaultContent.WorthCompressing(sample.AsSpan(0, sampled)), length, async (stream, async, ct) =>
        {
            using FileStream input = OpenInput(path);
            if (async)
            {
                await input.CopyToAsync(stream, 1 << 20, ct).ConfigureAwait(false);
            }
            else
            {
                input.CopyTo(stream, 1 << 20);
            }
        });
    }

    private static EntryWriter ArrayWriter(NDArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        return new(
            VaultContent.WorthCompressing(array.Bytes[..(int)Math.Min(array.ByteLength, SampleLength)]),
            null,
            async (stream, async, ct) =>
            {
                if (async)
                {
                    await NpyWriter.WriteAsync(stream, array, leaveOpen: true, ct).ConfigureAwait(false);
                }
                else
                {
                    NpyWriter.Write(stream, array, leaveOpen: true);
                }
            });
    }

    private static EntryWriter TableWriter(Schema schema, IAsyncEnumerable<RecordBatch>? asyncBatches, IEnumerable<RecordBatch>? batches, VaultFormat format)
        => new(format == VaultFormat.Tsv, null, async (stream, async, ct) =>
        {
            switch (format)
            {
                case VaultFormat.Tsv:
                {
                    var tsv = new VaultTsvWriter(stream, schema, leaveOpen: true);
                    if (async || asyncBatches is not null)
                    {
                        await using (tsv.ConfigureAwait(false))
                        {
                            await foreach (RecordBatch batch in Batches(asyncBatches, batches, ct).ConfigureAwait(false))
                            {
                                await tsv.WriteAsync(batch, ct).ConfigureAwait(false);
                            }
                        }
                    }
                    else
                    {
                        using (tsv)
                        {
                            foreach (RecordBatch batch in batches!)
                            {
                                tsv.Write(batch);
                            }
                        }
                    }

                    break;
                }

                case VaultFormat.Parquet:
                {
                    var parquet = new ParquetFileWriter(stream, schema, new ParquetWriteOptions(), leaveOpen: true);
                    await using (parquet.ConfigureAwait(false))
                    {
                        await foreach (RecordBatch batch in Batches(asyncBatches, batches, ct).ConfigureAwait(false))
                        {
                            await parquet.WriteAsync(batch, ct).ConfigureAwait(false);
                        }

                        await parquet.FinishAsync(ct).ConfigureAwait(false);
                    }

                    break;
                }

                default:
                {
                    var arrow = new ArrowFileWriter(stream, schema, new IpcWriteOptions { Compression = "zstd" }, leaveOpen: true);
                    await using (arrow.ConfigureAwait(false))
                    {
                        await foreach (RecordBatch batch in Batches(asyncBatches, batches, ct).ConfigureAwait(false))
                        {
                            await arrow.WriteAsync(batch, ct).ConfigureAwait(false);
                        }

                        await arrow.FinishAsync(ct).ConfigureAwait(false);
                    }

                    break;
                }
            }
        });

    private static async IAsyncEnumerable<RecordBatch> Batches(IAsyncEnumerable<RecordBatch>? asyncBatches, IEnumerable<RecordBatch>? batches, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (asyncBatches is not null)
        {
            await foreach (RecordBatch batch in asyncBatches.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                yield return batch;
            }
        }
        else
        {
            foreach (RecordBatch batch in batches!)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return batch;
            }
        }
    }

    private static T Sync<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    /// <summary>How one entry's bytes are produced: whether to deflate them, their length when known, and the writing itself.</summary>
    private sealed record EntryWriter(bool Compress, long? Length, Func<Stream, bool, CancellationToken, ValueTask> Write);
}
