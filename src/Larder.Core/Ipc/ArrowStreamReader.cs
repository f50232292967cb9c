using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Larder.Columnar;
using Larder.Ipc.Flatbuf;
using Larder.Memory;

namespace Larder.Ipc;

/// <summary>
/// Reads an Arrow IPC stream (<c>.arrows</c>, also the framing of Flight data): a schema message, then dictionary
/// and record batches, until the end-of-stream marker or the end of the input. Dictionary replacements and deltas are
/// applied in order. Not thread safe. Disposes the stream unless <c>leaveOpen</c>.
/// </summary>
public sealed class ArrowStreamReader : IDisposable, IAsyncDisposable
{
    // Flatbuffer metadata larger than this is refused: real schemas and batch headers are far smaller.
    private const int MaxMetadataLength = 256 << 20;

    // Bodies are read in steps of at most this many bytes, so a lying length prefix cannot force a huge allocation
    // before the bytes actually arrive.
    private const int ReadStep = 16 << 20;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly string? _source;
    private readonly IpcReadOptions _options;
    private readonly byte[] _prefix = new byte[8];
    private IpcBatchDecoder? _decoder;
    private long _position;
    private bool _ended;

    public ArrowStreamReader(Stream stream, IpcReadOptions? options = null, bool leaveOpen = false, string? source = null)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _options = options ?? IpcReadOptions.Default;
        _leaveOpen = leaveOpen;
        _source = source;
    }

    /// <summary>Opens the stream file at <paramref name="path"/>.</summary>
    public static ArrowStreamReader Open(string path, IpcReadOptions? options = null)
    {
        if (!File.Exists(path))
        {
            throw LarderErrors.FileNotFound(path);
        }

        return new ArrowStreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), options, leaveOpen: false, source: path);
    }

    /// <summary>The schema (reads the first message if it has not been read yet).</summary>
    public Schema GetSchema() => EnsureSchema(async: false, CancellationToken.None).GetAwaiter().GetResult().Schema;

    public async ValueTask<Schema> GetSchemaAsync(CancellationToken cancellationToken = default)
        => (await EnsureSchema(async: true, cancellationToken).ConfigureAwait(false)).Schema;

    /// <summary>The next record batch, or null at the end of the stream.</summary>
    public RecordBatch? ReadNext() => ReadNextCore(async: false, CancellationToken.None).GetAwaiter().GetResult();

    public ValueTask<RecordBatch?> ReadNextAsync(CancellationToken cancellationToken = default) => ReadNextCore(async: true, cancellationToken);

    public IEnumerable<RecordBatch> ReadAll()
    {
        while (ReadNext() is { } batch)
        {
            yield return batch;
        }
    }

    public async IAsyncEnumerable<RecordBatch> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReadNextAsync(cancellationToken).ConfigureAwait(false) is { } batch)
        {
            yield return batch;
        }
    }

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_leaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<IpcBatchDecoder> EnsureSchema(bool async, CancellationToken cancellationToken)
    {
        if (_decoder is not null)
        {
            return _decoder;
        }

        long at = _position;
        var read = await ReadMessage(async, cancellationToken).ConfigureAwait(false);
        if (read is not var (message, _, _))
        {
            throw LarderErrors.Format(_source, at, "the Arrow stream is empty: it has no schema message.");
        }

        if (message.Header is not FbSchema schema)
        {
            throw LarderErrors.Format(_source, at, $"an Arrow stream must start with a schema message, not {message.Header.HeaderType} (an Arrow file? use ArrowFileReader).");
        }

        _decoder = new IpcBatchDecoder(IpcSchemaConverter.FromFlatbuf(schema, _source), _source, _options);
        return _decoder;
    }

    private async ValueTask<RecordBatch?> ReadNextCore(bool async, CancellationToken cancellationToken)
    {
        var decoder = await EnsureSchema(async, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            long at = _position;
            var read = await ReadMessage(async, cancellationToken).ConfigureAwait(false);
            if (read is not var (message, body, bodyOffset))
            {
                return null;
            }

            switch (message.Header)
            {
                case FbRecordBatch rb:
                    return decoder.ReadRecordBatch(rb, body, bodyOffset);
                case FbDictionaryBatch db:
                    decoder.ReadDictionaryBatch(db, body, bodyOffset, allowReplacement: true);
                    break;
                default:
                    throw LarderErrors.Format(_source, at, $"unexpected {message.Header.HeaderType} message inside an Arrow stream.");
            }
        }
    }

    /// <summary>The next message with its body, or null at the end-of-stream marker or the end of the input.</summary>
    private async ValueTask<(FbMessage, ReadOnlyMemory<byte>, long)?> ReadMessage(bool async, CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return null;
        }

        long start = _position;
        int got = await ReadAtMost(_prefix.AsMemory(0, 4), async, cancellationToken).ConfigureAwait(false);
        if (got == 0)
        {
            _ended = true;
            return null;
        }

        if (got < 4)
        {
            throw LarderErrors.Truncated(_source, start, "a message length prefix");
        }

        if (start == 0 && _prefix.AsSpan(0, 4).SequenceEqual("ARRO"u8))
        {
            throw LarderErrors.Format(_source, 0, "this is an Arrow IPC file, not a stream; read it with ArrowFileReader (extension .arrow).");
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(_prefix);
        if (length == -1)
        {
            if (await ReadAtMost(_prefix.AsMemory(0, 4), async, cancellationToken).ConfigureAwait(false) < 4)
            {
                throw LarderErrors.Truncated(_source, start, "a message length prefix");
            }

            length = BinaryPrimitives.ReadInt32LittleEndian(_prefix);
        }

        if (length == 0)
        {
            _ended = true;
            return null;
        }

        if (length < 0 || length > MaxMetadataLength)
        {
            throw LarderErrors.Format(_source, start, $"message metadata length {length} is invalid (corrupt stream, or not an Arrow stream).");
        }

        var metadata = await ReadExactly(length, async, "message metadata", cancellationToken).ConfigureAwait(false);
        var message = ArrowFlatbuf.ReadMessage(metadata.Span, _source, _position - length);
        if (message.BodyLength < 0 || message.BodyLength > BufferAllocator.MaxLength)
        {
            throw LarderErrors.Format(_source, start, $"message body length {message.BodyLength} is invalid or over the 2 GiB limit of one batch.");
        }

        long bodyOffset = _position;
        var body = await ReadExactly((int)message.BodyLength, async, "a message body", cancellationToken).ConfigureAwait(false);
        return (message, body, bodyOffset);
    }

    private async ValueTask<ReadOnlyMemory<byte>> ReadExactly(int length, bool async, string what, CancellationToken cancellationToken)
    {
        if (length == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        long start = _position;
        if (_stream.CanSeek && _stream.Length - _stream.Position < length)
        {
            throw LarderErrors.Truncated(_source, start, what);
        }

        // Grow towards the announced size only as bytes arrive.
        var buffer = BufferAllocator.Allocate(Math.Min(length, ReadStep));
        int filled = 0;
        while (filled < length)
        {
            if (filled == buffer.Length)
            {
                var bigger = BufferAllocator.Allocate(Math.Min(length, (long)buffer.Length * 2));
                buffer.Span.CopyTo(bigger.Span);
                buffer = bigger;
            }

            int got = await ReadAtMost(buffer[filled..], async, cancellationToken).ConfigureAwait(false);
            if (got == 0)
            {
                throw LarderErrors.Truncated(_source, start, what);
            }

            filled += got;
        }

        return buffer;
    }

    private async ValueTask<int> ReadAtMost(Memory<byte> destination, bool async, CancellationToken cancellationToken)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int n;
            try
            {
                n = async
                    ? await _stream.ReadAsync(destination[total..], cancellationToken).ConfigureAwait(false)
                    : _stream.Read(destination.Span[total..]);
            }
            catch (IOException e)
            {
                throw LarderErrors.IO(_source ?? "Arrow stream", e);
            }

            if (n == 0)
            {
                break;
            }

            total += n;
            _position += n;
        }

        return total;
    }
}
