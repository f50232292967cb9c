using System.Text.Json;
using System.Text.Json.Nodes;
using Larder.Arrays;
using Larder.Columnar;
using Larder.Formats;
using Larder.IO;
using Larder.Parquet.Files;
using Larder.Vault.Tables;
using Larder.Storage.Zip;

namespace Larder.Vault;

public sealed partial class Vault
{
    /// <summary>
    /// Imports <c>module/name</c> into memory, as data_vault's <c>%vault import</c> does: a table (memory-optimised unless
    /// turned off; the reduction is printed), an array, a JSON value or bytes, by what the bytes are. The entry's CRC is
    /// re-checked while it is read. Row range and filter apply to tables.
    /// </summary>
    /// <exception cref="LarderNotFoundException">No such vault or entry (exit 3).</exception>
    /// <exception cref="LarderAuthException">The entry is encrypted and the password is missing or wrong (exit 5).</exception>
    /// <exception cref="LarderChecksumException">The entry's bytes do not match its CRC or authentication code.</exception>
    public Task<VaultImport> ImportAsync(string name, string module, VaultImportOptions? options = null, CancellationToken cancellationToken = default)
        => ImportCoreAsync(name, module, options, async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="ImportAsync"/>
    public VaultImport Import(string name, string module, VaultImportOptions? options = null)
        => Sync(ImportCoreAsync(name, module, options, async: false, CancellationToken.None));

    /// <summary>
    /// Imports <c>module/name</c> with a custom loader (data_vault's <c>with your_function</c>): <paramref name="loader"/>
    /// gets the entry's decoded bytes as a stream (it must not dispose it); whatever it leaves unread is read afterwards so
    /// the CRC is still checked.
    /// </summary>
    public async Task<T> ImportWithAsync<T>(string name, string module, Func<Stream, CancellationToken, ValueTask<T>> loader, VaultImportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loader);
        options ??= new VaultImportOptions();
        DateTimeOffset started = Options.TimeProvider.GetUtcNow();
        string entryName = VaultNames.Entry(module, name);
        using OpenedEntry opened = await OpenEntryAsync(entryName, async: true, cancellationToken).ConfigureAwait(false);
        T result = await loader(opened.Content, cancellationToken).ConfigureAwait(false);
        VaultHashes hashes = await opened.FinishAsync(async: true, cancellationToken).ConfigureAwait(false);
        await FinishImportAsync(name, module, options, entryName, hashes, started, null, async: true, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Imports <c>module/name</c> into the file <paramref name="outputPath"/>, streaming: a table is written in the format
    /// of the output's extension (memory-optimised for Arrow and Parquet outputs, which then hold dictionary columns);
    /// any other entry, or a table written to a file with no table extension, is written as its stored bytes. The output
    /// appears complete or not at all: on any error (a wrong password included) no file is left.
    /// </summary>
    public Task<VaultOperation> ImportToFileAsync(string name, string module, string outputPath, VaultImportOptions? options = null, CancellationToken cancellationToken = default)
        => ImportToFileCoreAsync(name, module, outputPath, options, async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="ImportToFileAsync"/>
    public VaultOperation ImportToFile(string name, string module, string outputPath, VaultImportOptions? options = null)
        => Sync(ImportToFileCoreAsync(name, module, outputPath, options, async: false, CancellationToken.None));

    private async ValueTask<VaultImport> ImportCoreAsync(string name, string module, VaultImportOptions? options, bool async, CancellationToken cancellationToken)
    {
        options ??= new VaultImportOptions();
        DateTimeOffset started = Options.TimeProvider.GetUtcNow();
        string entryName = VaultNames.Entry(module, name);
        using OpenedEntry opened = await OpenEntryAsync(entryName, async, cancellationToken).ConfigureAwait(false);
        VaultEntryKind kind = VaultContent.KindOf(opened.Format);
        if (kind != VaultEntryKind.Table && (options.Rows is not null || options.Grep is not null))
        {
            throw LarderErrors.VaultRowsNeedTable(entryName, kind.ToString().ToLowerInvariant());
        }

        Table? table = null;
        NDArray? array = null;
        JsonNode? json = null;
        byte[]? bytes = null;
        string? reduction = null;
        switch (kind)
        {
            case VaultEntryKind.Table:
            {
                ITableReader reader = await OpenTableAsync(opened, async, cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    Schema schema = await reader.GetSchemaAsync(cancellationToken).ConfigureAwait(false);
                    var batches = new List<RecordBatch>();
                    await foreach (RecordBatch batch in Filter(reader.ReadBatchesAsync(cancellationToken), options, cancellationToken).ConfigureAwait(false))
                    {
                        batches.Add(batch);
                    }

                    if (options.Optimise ?? Options.Optimise)
                    {
                        var optimizer = new TableOptimizer(schema);
                        foreach (RecordBatch batch in batches)
                        {
                            optimizer.Observe(batch);
                        }

                        TableOptimizationPlan plan = optimizer.CreatePlan();
                        if (plan.ChangesAnything)
                        {
                            schema = plan.OutputSchema;
                            batches = batches.ConvertAll(plan.Apply);
                            reduction = plan.ReductionMessage;
                        }
                    }

                    table = new Table(schema, batches);
                }

                break;
            }

            case VaultEntryKind.Array:
                array = async
                    ? await NpyReader.ReadAsync(opened.Content, leaveOpen: true, opened.Source, cancellationToken).ConfigureAwait(false)
                    : NpyReader.Read(opened.Content, leaveOpen: true, opened.Source);
                break;
            case VaultEntryKind.Json:
                bytes = await ReadAllAsync(opened, MaxJsonLength, async, cancellationToken).ConfigureAwait(false);
                json = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
                bytes = null;
                break;
            default:
                bytes = await ReadAllAsync(opened, Array.MaxLength, async, cancellationToken).ConfigureAwait(false);
                break;
        }

        try
        {
            VaultHashes hashes = await opened.FinishAsync(async, cancellationToken).ConfigureAwait(false);
            VaultOperation operation = await FinishImportAsync(name, module, options, entryName, hashes, started, reduction, async, cancellationToken).ConfigureAwait(false);
            return new VaultImport(kind, opened.Format, operation, table, array, json, bytes, reduction);
        }
        catch
        {
            array?.Dispose();
            throw;
        }
    }

    private async ValueTask<VaultOperation> ImportToFileCoreAsync(string name, string module, string outputPath, VaultImportOptions? options, bool async, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        options ??= new VaultImportOptions();
        DateTimeOffset started = Options.TimeProvider.GetUtcNow();
        string entryName = VaultNames.Entry(module, name);
        ITableFormat? outFormat = _formats.Formats.FirstOrDefault(f => f.Extensions.Contains(System.IO.Path.GetExtension(outputPath).ToLowerInvariant()));
        OpenedEntry opened = await OpenEntryAsync(entryName, async, cancellationToken).ConfigureAwait(false);
        try
        {
            VaultEntryKind kind = VaultContent.KindOf(opened.Format);
            bool asTable = kind == VaultEntryKind.Table && outFormat is not null;
            if (!asTable && (options.Rows is not null || options.Grep is not null))
            {
                throw kind == VaultEntryKind.Table
                    ? LarderErrors.VaultRowsNeedTableOutput(outputPath)
                    : LarderErrors.VaultRowsNeedTable(entryName, kind.ToString().ToLowerInvariant());
            }

            if (kind != VaultEntryKind.Table && outFormat is not null)
            {
                throw LarderErrors.VaultNotATable(entryName, kind.ToString().ToLowerInvariant(), outputPath);
            }

            AtomicFile output = AtomicFile.Create(outputPath, durable: false);
            await using (output.ConfigureAwait(false))
            {
                string? reduction = null;
                if (asTable)
                {
                    TableOptimizationPlan? plan = null;
                    bool optimise = (options.Optimise ?? Options.Optimise) && outFormat!.Name is not ("csv" or "tsv" or "jsonl");
                    if (optimise)
                    {
                        // Pass one learns the dictionaries (sorted, as data_vault's ordered categories); pass two writes.
                        plan = await PlanAsync(opened, options, async, cancellationToken).ConfigureAwait(false);
                        opened.Dispose();
                        opened = await OpenEntryAsync(entryName, async, cancellationToken).ConfigureAwait(false);
                        if (!plan.ChangesAnything)
                        {
                            plan = null;
                        }
                    }

                    ITableReader reader = await OpenTableAsync(opened, async, cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        Schema schema = plan?.OutputSchema ?? await reader.GetSchemaAsync(cancellationToken).ConfigureAwait(false);
                        ITableWriter writer = outFormat!.CreateWriter(output.Stream, schema, new TableWriteOptions(), leaveOpen: true);
                        await using (writer.ConfigureAwait(false))
                        {
                            await foreach (RecordBatch batch in Filter(reader.ReadBatchesAsync(cancellationToken), options, cancellationToken).ConfigureAwait(false))
                            {
                                await writer.WriteAsync(plan is null ? batch : plan.Apply(batch), cancellationToken).ConfigureAwait(false);
                            }

                            await writer.FinishAsync(cancellationToken).ConfigureAwait(false);
                        }
                    }

                    reduction = plan?.ReductionMessage;
                }
                else if (async)
                {
                    await opened.Content.CopyToAsync(output.Stream, 1 << 20, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    opened.Content.CopyTo(output.Stream, 1 << 20);
                }

                VaultHashes hashes = await opened.FinishAsync(async, cancellationToken).ConfigureAwait(false);
                await output.CommitAsync(cancellationToken).ConfigureAwait(false);
                return await FinishImportAsync(name, module, options, entryName, hashes, started, reduction, async, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            opened.Dispose();
        }
    }

    private async ValueTask<TableOptimizationPlan> PlanAsync(OpenedEntry opened, VaultImportOptions options, bool async, CancellationToken cancellationToken)
    {
        ITableReader reader = await OpenTableAsync(opened, async, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var optimizer = new TableOptimizer(await reader.GetSchemaAsync(cancellationToken).ConfigureAwait(false));
            await foreach (RecordBatch batch in Filter(reader.ReadBatchesAsync(cancellationToken), options, cancellationToken).ConfigureAwait(false))
            {
                optimizer.Observe(batch);
            }

            await opened.FinishAsync(async, cancellationToken).ConfigureAwait(false);
            return optimizer.CreatePlan();
        }
    }

    private async ValueTask<VaultOperation> FinishImportAsync(string name, string module, VaultImportOptions options, string entryName, VaultHashes hashes, DateTimeOffset started, string? reduction, bool async, CancellationToken cancellationToken)
    {
        string subject = options.Alias is null ? name : $"{name} as {options.Alias}";
        string command = options.Command ?? $"import {name} from {module}" + (options.Alias is null ? string.Empty : $" as {options.Alias}");
        var operation = new VaultOperation("import", subject, entryName, null, hashes, started, Options.TimeProvider.GetUtcNow(), command);
        await LogUnderLockAsync(operation, async, cancellationToken).ConfigureAwait(false);
        if (reduction is not null)
        {
            Options.Output?.WriteLine(reduction);
        }

        Print(operation);
        return operation;
    }

    private async ValueTask LogUnderLockAsync(VaultOperation operation, bool async, CancellationToken cancellationToken)
    {
        if (Options.Log)
        {
            using VaultLock held = await VaultLock.AcquireAsync(Path, Options.LockTimeout, Options.TimeProvider, async, cancellationToken).ConfigureAwait(false);
            AppendLog(operation);
        }
    }

    private static IAsyncEnumerable<RecordBatch> Filter(IAsyncEnumerable<RecordBatch> batches, VaultImportOptions options, CancellationToken cancellationToken)
    {
        if (options.Rows is RowRange rows)
        {
            batches = RowFilters.Slice(batches, rows, cancellationToken);
        }

        if (options.Grep is not null)
        {
            batches = RowFilters.Grep(batches, options.Grep, cancellationToken);
        }

        return batches;
    }

    private ZipArchiveReader OpenArchive()
    {
        if (!File.Exists(Path))
        {
            throw LarderErrors.VaultNotFound(Path);
        }

        return ZipArchiveReader.Open(Path);
    }

    /// <summary>Opens an entry for reading: checks the password, reads its head and tells its layout.</summary>
    private async ValueTask<OpenedEntry> OpenEntryAsync(string entryName, bool async, CancellationToken cancellationToken)
    {
        ZipArchiveReader archive = OpenArchive();
        try
        {
            ZipEntry entry = archive.Find(entryName) ?? throw LarderErrors.VaultEntryNotFound(Path, entryName);
            string? password = Password;
            if (entry.IsEncrypted && password is null)
            {
                throw LarderErrors.VaultPasswordRequired(Path, entryName, Options.EncryptionVariable);
            }

            var hashing = new HashingReadStream(archive.OpenEntry(entry, password));

            // Inflating, decrypting and checksumming run a few blocks ahead on another thread while the caller parses.
            var ahead = new ReadAheadStream(hashing);
            byte[] head = new byte[VaultContent.HeadLength];
            int count;
            try
            {
                count = async
                    ? await ahead.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false)
                    : ahead.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            }
            catch
            {
                ahead.Dispose();
                throw;
            }

            bool complete = count < head.Length || entry.Length == count;
            VaultFormat format = VaultContent.Detect(head.AsSpan(0, count), complete, out bool unconfirmed);
            Stream content = new PrefixedStream(head, count, ahead);
            if (unconfirmed)
            {
                // Confirming JSON needs the whole entry; beyond the JSON size limit it is treated as a table.
                if (entry.Length <= MaxJsonLength)
                {
                    var all = new MemoryStream();
                    await CopyAsync(content, all, async, cancellationToken).ConfigureAwait(false);
                    format = VaultContent.IsJson(all.GetBuffer().AsSpan(0, (int)all.Length)) ? VaultFormat.Json : VaultContent.TextLayout(head.AsSpan(0, count));
                    all.Position = 0;
                    content = all;
                }
                else
                {
                    format = VaultContent.TextLayout(head.AsSpan(0, count));
                }
            }

            return new OpenedEntry(archive, hashing, ahead, content, format, $"{Path}:{entryName}", entry.Length);
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    private async ValueTask<ITableReader> OpenTableAsync(OpenedEntry opened, bool async, CancellationToken cancellationToken)
    {
        if (opened.Format == VaultFormat.Tsv)
        {
            return new TsvTableReader(new VaultTsvReader(opened.Content, leaveOpen: true, source: opened.Source));
        }

        // Parquet and Arrow files are read from their footers: give them a seekable copy of the entry.
        Stream spool = opened.EntryLength <= SpoolInMemoryLimit
            ? new MemoryStream()
            : new FileStream(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"larder-vault-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            await CopyAsync(opened.Content, spool, async, cancellationToken).ConfigureAwait(false);
            spool.Position = 0;
            return opened.Format == VaultFormat.Parquet
                ? new ParquetStreamReader(ParquetFileReader.Open(spool, leaveOpen: false))
                : new ArrowTableFormat(stream: false).OpenReader(spool, new TableReadOptions(), leaveOpen: false, opened.Source);
        }
        catch
        {
            await spool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async ValueTask CopyAsync(Stream from, Stream to, bool async, CancellationToken cancellationToken)
    {
        if (async)
        {
            await from.CopyToAsync(to, 1 << 20, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            from.CopyTo(to, 1 << 20);
        }
    }

    private static async ValueTask<byte[]> ReadAllAsync(OpenedEntry opened, long limit, bool async, CancellationToken cancellationToken)
    {
        if (opened.EntryLength > limit)
        {
            throw LarderErrors.VaultEntryTooLarge(opened.Source, opened.EntryLength, limit);
        }

        var buffer = new MemoryStream();
        await CopyAsync(opened.Content, buffer, async, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>An entry being read: the archive it lives in, the checksumming stream, and its content stream (head included).</summary>
    private sealed class OpenedEntry(ZipArchiveReader archive, HashingReadStream hashing, ReadAheadStream ahead, Stream content, VaultFormat format, string source, long entryLength) : IDisposable
    {
        /// <summary>Reads what is left (so the entry's CRC is checked) and returns the checksums of all its bytes.</summary>
        public async ValueTask<VaultHashes> FinishAsync(bool async, CancellationToken cancellationToken)
        {
            byte[] buffer = new byte[1 << 16];
            while ((async ? await ahead.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) : ahead.Read(buffer)) > 0)
            {
            }

            return hashing.Result();
        }

        public Stream Content => content;

        public VaultFormat Format => format;

        public string Source => source;

        public long EntryLength => entryLength;

        public void Dispose()
        {
            content.Dispose();
            ahead.Dispose();
            hashing.Dispose();
            archive.Dispose();
        }
    }

    /// <summary>The vault's TSV reader as a table reader.</summary>
    private sealed class TsvTableReader(VaultTsvReader reader) : ITableReader
    {
        public ValueTask<Schema> GetSchemaAsync(CancellationToken cancellationToken = default) => reader.GetSchemaAsync(cancellationToken);

        public IAsyncEnumerable<RecordBatch> ReadBatchesAsync(CancellationToken cancellationToken = default) => reader.ReadBatchesAsync(cancellationToken);

        public void Dispose() => reader.Dispose();

        public ValueTask DisposeAsync() => reader.DisposeAsync();
    }

    /// <summary>A Parquet file held in memory, as a table reader.</summary>
    private sealed class ParquetStreamReader(ParquetFileReader reader) : ITableReader
    {
        public ValueTask<Schema> GetSchemaAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(reader.Schema);

        public IAsyncEnumerable<RecordBatch> ReadBatchesAsync(CancellationToken cancellationToken = default) => reader.ReadAsync(cancellationToken: cancellationToken);

        public void Dispose() => reader.Dispose();

        public ValueTask DisposeAsync() => reader.DisposeAsync();
    }
}

/// <summary>
/// What an import returned: one of <see cref="Table"/>, <see cref="Array"/>, <see cref="Json"/> or <see cref="Bytes"/>
/// by <see cref="Kind"/>. Disposing releases the array's pooled memory; tables and the rest need no disposal.
/// </summary>
public sealed class VaultImport : IDisposable
{
    internal VaultImport(VaultEntryKind kind, VaultFormat format, VaultOperation operation, Table? table, NDArray? array, JsonNode? json, byte[]? bytes, string? reductionMessage)
    {
        Kind = kind;
        Format = format;
        Operation = operation;
        Table = table;
        Array = array;
        Json = json;
        Bytes = bytes;
        ReductionMessage = reductionMessage;
    }

    public VaultEntryKind Kind { get; }

    /// <summary>The entry's stored layout.</summary>
    public VaultFormat Format { get; }

    /// <summary>The operation (checksums of the bytes read, times), also printed and logged.</summary>
    public VaultOperation Operation { get; }

    public Table? Table { get; }

    /// <summary>The array; owned by this object (dispose this object, not the array).</summary>
    public NDArray? Array { get; }

    public JsonNode? Json { get; }

    public byte[]? Bytes { get; }

    /// <summary>data_vault's <c>Reduced memory usage by …</c> line when the table was optimised; otherwise <see langword="null"/>.</summary>
    public string? ReductionMessage { get; }

    public void Dispose() => Array?.Dispose();
}
