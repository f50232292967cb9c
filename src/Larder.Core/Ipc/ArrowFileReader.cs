using System.Buffers.Binary;
using Larder.Columnar;
using Larder.Ipc.Flatbuf;

namespace Larder.Ipc;

/// <summary>
/// Reads an Arrow IPC file (<c>.arrow</c>, the random-access format with a footer). Opened by path, the file is
/// memory-mapped and uncompressed column data is never copied; batches remain valid after the reader is disposed.
/// Not thread safe: one reader per thread.
/// </summary>
public sealed class ArrowFileReader : IDisposable, IAsyncDisposable
{
    private static ReadOnlySpan<byte> Magic => "ARROW1"u8;

    private readonly IRandomAccessSource _source;
    private readonly string? _name;
    private readonly IpcBatchDecoder _decoder;
    private readonly Block[] _batches;
    private readonly Block[] _dictionaryBlocks;
    private bool _dictionariesRead;

    private ArrowFileReader(IRandomAccessSource source, string? name, IpcReadOptions options)
    {
        _source = source;
        _name = name;
        long length = source.Length;
        if (length < 18)
        {
            throw LarderErrors.Format(name, 0, $"{length} bytes is too short for an Arrow IPC file (magic, footer and trailer need at least 18).");
        }

        if (!source.Read(0, 6).Span.SequenceEqual(Magic) || !source.Read(length - 6, 6).Span.SequenceEqual(Magic))
        {
            throw LarderErrors.Format(name, 0, "this is not an Arrow IPC file: the ARROW1 magic is missing at the start or end (an Arrow stream? use ArrowStreamReader).");
        }

        int footerLength = BinaryPrimitives.ReadInt32LittleEndian(source.Read(length - 10, 4).Span);
        long footerStart = length - 10 - footerLength;
        if (footerLength <= 0 || footerStart < 8)
        {
            throw LarderErrors.Format(name, length - 10, $"the footer length {footerLength} does not fit in the file.");
        }

        var footer = ArrowFlatbuf.ReadFooter(source.Read(footerStart, footerLength), name, footerStart);
        CheckLeadingSchema(source, footer.Schema, footerStart, name);
        var ipcSchema = IpcSchemaConverter.FromFlatbuf(footer.Schema, name);
        _decoder = new IpcBatchDecoder(ipcSchema, name, options);
        _batches = footer.RecordBatches.ToArray();
        _dictionaryBlocks = footer.Dictionaries.ToArray();
        foreach (var block in _batches.Concat(_dictionaryBlocks))
        {
            CheckBlock(block, footerStart);
        }
    }

    /// <summary>Opens the file at <paramref name="path"/> (memory-mapped unless <see cref="IpcReadOptions.UseMemoryMap"/> is off).</summary>
    /// <exception cref="LarderNotFoundException">The file does not exist.</exception>
    /// <exception cref="LarderFormatException">The file is not a valid Arrow IPC file.</exception>
    public static ArrowFileReader Open(string path, IpcReadOptions? options = null)
    {
        options ??= IpcReadOptions.Default;
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw LarderErrors.FileNotFound(path);
        }

        IRandomAccessSource source = options.UseMemoryMap && info.Length > 0
            ? new MappedFileSource(path, info.Length)
            : new StreamSource(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess), leaveOpen: false);
        try
        {
            return new ArrowFileReader(source, path, options);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>Reads a file held in memory; batches reference <paramref name="bytes"/> without copying.</summary>
    public static ArrowFileReader Open(ReadOnlyMemory<byte> bytes, string? source = null, IpcReadOptions? options = null)
        => new(new MemorySource(bytes), source, options ?? IpcReadOptions.Default);

    /// <summary>Reads a file from a seekable stream (copied batch by batch).</summary>
    public static ArrowFileReader Open(Stream stream, IpcReadOptions? options = null, bool leaveOpen = false, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw LarderErrors.Usage("an Arrow IPC file needs a seekable stream; read the data as an Arrow stream or copy it to a file first.");
        }

        var src = new StreamSource(stream, leaveOpen);
        try
        {
            return new ArrowFileReader(src, source, options ?? IpcReadOptions.Default);
        }
        catch
        {
            src.Dispose();
            throw;
        }
    }

    public Schema Schema => _decoder.Schema;

    public int RecordBatchCount => _batches.Length;

    /// <summary>Reads batch <paramref name="index"/> (0-based).</summary>
    public RecordBatch ReadRecordBatch(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _batches.Length);
        EnsureDictionaries();
        var (message, body, bodyOffset) = ReadMessage(_batches[index]);
        if (message.Header is not FbRecordBatch rb)
        {
            throw LarderErrors.Format(_name, _batches[index].Offset, $"record batch block {index} holds a {message.Header.HeaderType} message.");
        }

        return _decoder.ReadRecordBatch(rb, body, bodyOffset);
    }

    /// <summary>All batches in order.</summary>
    public IEnumerable<RecordBatch> ReadAll()
    {
        for (int i = 0; i < _batches.Length; i++)
        {
            yield return ReadRecordBatch(i);
        }
    }

    /// <summary>All batches in order, as an async stream (the work is synchronous over memory-mapped data).</summary>
    public async IAsyncEnumerable<RecordBatch> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < _batches.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return ReadRecordBatch(i);
            await Task.CompletedTask.ConfigureAwait(false);
        }
    }

    public void Dispose() => _source.Dispose();

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void EnsureDictionaries()
    {
        if (_dictionariesRead)
        {
            return;
        }

        foreach (var block in _dictionaryBlocks)
        {
            var (message, body, bodyOffset) = ReadMessage(block);
            if (message.Header is not FbDictionaryBatch db)
            {
                throw LarderErrors.Format(_name, block.Offset, $"a dictionary block holds a {message.Header.HeaderType} message.");
            }

            _decoder.ReadDictionaryBatch(db, body, bodyOffset, allowReplacement: false);
        }

        _dictionariesRead = true;
    }

    /// <summary>
    /// The file normally repeats its schema: once as the first message after the magic, once in the footer. Copies that
    /// disagree mean a corrupt file, whichever copy is wrong. Some writers (apache-arrow for JavaScript) put the schema
    /// only in the footer and start directly with a batch; that is accepted.
    /// </summary>
    private static void CheckLeadingSchema(IRandomAccessSource source, FbSchema footerSchema, long footerStart, string? name)
    {
        if (footerStart < 16)
        {
            throw LarderErrors.Format(name, 8, "the file has no schema message before its footer.");
        }

        var head = source.Read(8, 8).Span;
        int prefix = 4;
        int length = BinaryPrimitives.ReadInt32LittleEndian(head);
        if (length == -1)
        {
            prefix = 8;
            length = BinaryPrimitives.ReadInt32LittleEndian(head[4..]);
        }

        if (length <= 0 || length > footerStart - 8 - prefix)
        {
            throw LarderErrors.Format(name, 8, $"the leading schema message length {length} does not fit in the file.");
        }

        var message = ArrowFlatbuf.ReadMessage(source.Read(8 + prefix, length), name, 8 + prefix);
        if (message.Header is FbSchema leading && !leading.Equals(footerSchema))
        {
            throw LarderErrors.Format(name, 8, $"the schema at the start of the file ({leading}) differs from the schema in its footer ({footerSchema}); the file is corrupt.");
        }
    }

    private void CheckBlock(Block block, long footerStart)
    {
        if (block.Offset < 8 || block.MetaDataLength < 8 || block.BodyLength < 0
            || block.Offset > footerStart || block.MetaDataLength > footerStart - block.Offset
            || block.BodyLength > footerStart - block.Offset - block.MetaDataLength || block.BodyLength > Memory.BufferAllocator.MaxLength)
        {
            throw LarderErrors.Format(_name, block.Offset, $"a footer block (offset {block.Offset}, metadata {block.MetaDataLength}, body {block.BodyLength}) lies outside the file.");
        }
    }

    private (FbMessage Message, ReadOnlyMemory<byte> Body, long BodyOffset) ReadMessage(Block block)
    {
        var meta = _source.Read(block.Offset, block.MetaDataLength).Span;
        int prefix = 4;
        int length = BinaryPrimitives.ReadInt32LittleEndian(meta);
        if (length == -1)
        {
            prefix = 8;
            length = BinaryPrimitives.ReadInt32LittleEndian(meta[4..]);
        }

        if (length <= 0 || length > block.MetaDataLength - prefix)
        {
            throw LarderErrors.Format(_name, block.Offset, $"the message length {length} does not fit its block of {block.MetaDataLength} bytes.");
        }

        var message = ArrowFlatbuf.ReadMessage(meta.Slice(prefix, length), _name, block.Offset + prefix);
        if (message.BodyLength != block.BodyLength)
        {
            throw LarderErrors.Format(_name, block.Offset, $"the message body is {message.BodyLength} bytes but its footer block says {block.BodyLength}.");
        }

        long bodyOffset = block.Offset + block.MetaDataLength;
        return (message, _source.Read(bodyOffset, (int)block.BodyLength), bodyOffset);
    }
}
