using Larder.IO;
using Larder.Parquet.Metadata;

namespace Larder.Parquet.Read;

/// <summary>
/// The pages of one column chunk, read from an <see cref="IRangeSource"/> in blocks: at most one block (or one page, when a
/// page is larger) is held at a time, so a chunk is never buffered whole. A returned page body stays valid until the next
/// call. Not thread safe; disposing returns the pooled buffer.
/// </summary>
internal sealed class PageStream : IDisposable
{
    /// <summary>Largest page header accepted (headers carry statistics, which writers truncate well below this).</summary>
    private const int MaxHeaderLength = 16 << 20;

    /// <summary>Bytes read past a page for the next page's header.</summary>
    private const int HeaderProbe = 16 * 1024;


    private readonly IRangeSource _source;
    private readonly ReadBufferPool _pool;
    private readonly long _end;
    private readonly int _blockSize;
    private byte[] _buffer = [];
    private long _bufferOffset;
    private int _start;
    private int _length;

    /// <param name="source">The file; not disposed by this object.</param>
    /// <param name="start">File offset of the chunk's first page.</param>
    /// <param name="length">The chunk's length in bytes (its total_compressed_size).</param>
    /// <param name="blockSize">Bytes fetched per read when pages are smaller.</param>
    /// <param name="pool">Where the read buffer comes from and goes back to.</param>
    public PageStream(IRangeSource source, long start, long length, int blockSize, ReadBufferPool pool)
    {
        _source = source;
        _pool = pool;
        _bufferOffset = start;
        _end = start + length;
        _blockSize = Math.Max(blockSize, 4096);
    }

    /// <summary>File offset of the next unread byte.</summary>
    public long Position => _bufferOffset + _start;

    /// <summary>Bytes of the chunk not yet consumed.</summary>
    public long Remaining => _end - Position;

    /// <summary>
    /// Reads the next page header and makes its body available as <see cref="Body"/>; false when the chunk has no bytes
    /// left. The caller has already set <paramref name="pageIndex"/> for messages.
    /// </summary>
    /// <exception cref="LarderFormatException">A malformed header, or a page running past the chunk's end.</exception>
    public async ValueTask<PageHeader?> NextAsync(bool async, string? sourceName, string column, int pageIndex, CancellationToken cancellationToken)
    {
        if (Remaining <= 0)
        {
            return null;
        }

        long pageOffset = Position;
        int want = (int)Math.Min(Remaining, 64 * 1024);
        PageHeader? header;
        int headerLength;
        while (true)
        {
            await EnsureAsync(want, async, cancellationToken).ConfigureAwait(false);
            try
            {
                if (ParquetMetadataCodec.TryReadPageHeader(Available, sourceName, pageOffset, out header, out headerLength))
                {
                    break;
                }
            }
            catch (LarderFormatException e) when (e is not LarderNotSupportedException)
            {
                throw ReadErrors.Page(sourceName, column, pageIndex, pageOffset, $"invalid page header: {e.Message}", e);
            }

            if (want >= Remaining || want >= MaxHeaderLength)
            {
                throw ReadErrors.Page(sourceName, column, pageIndex, pageOffset, want >= Remaining
                    ? $"the chunk ends inside a page header ({Remaining} bytes left)"
                    : $"the page header is longer than {MaxHeaderLength} bytes");
            }

            want = (int)Math.Min(Math.Min(Remaining, MaxHeaderLength), (long)want * 4);
        }

        if (header.CompressedPageSize > Remaining - headerLength)
        {
            throw ReadErrors.Page(sourceName, column, pageIndex, pageOffset, $"compressed_page_size {header.CompressedPageSize} runs past the chunk end ({Remaining - headerLength} bytes left)");
        }

        int total = checked(headerLength + header.CompressedPageSize);
        await EnsureAsync(total, async, cancellationToken).ConfigureAwait(false);
        Body = new ReadOnlyMemory<byte>(_buffer, _start + headerLength, header.CompressedPageSize);
        PageOffset = pageOffset;
        _start += total;
        _length -= total;
        return header;
    }

    /// <summary>The body of the page <see cref="NextAsync"/> returned last (valid until the next call).</summary>
    public ReadOnlyMemory<byte> Body { get; private set; }

    /// <summary>File offset of the page <see cref="NextAsync"/> returned last.</summary>
    public long PageOffset { get; private set; }

    public void Dispose()
    {
        _pool.Return(_buffer);
        _buffer = [];
    }

    private ReadOnlySpan<byte> Available => _buffer.AsSpan(_start, _length);

    /// <summary>Makes at least <paramref name="count"/> bytes (no more than remain) contiguous at the read position.</summary>
    private async ValueTask EnsureAsync(int count, bool async, CancellationToken cancellationToken)
    {
        if (_length >= count)
        {
            return;
        }

        // Fetch a whole block when pages are small; a larger page with the next page's header, so that what is left
        // to move to the front before the next read is small. Never past the chunk.
        long target = Math.Min(Math.Min(Math.Max((long)count + HeaderProbe, _blockSize), Remaining), Array.MaxLength);
        if (_buffer.Length < target)
        {
            var next = _pool.RentBytes((int)target);
            _buffer.AsSpan(_start, _length).CopyTo(next);
            _pool.Return(_buffer);
            _buffer = next;
        }
        else
        {
            _buffer.AsSpan(_start, _length).CopyTo(_buffer);
        }

        _bufferOffset += _start;
        _start = 0;
        var destination = _buffer.AsMemory(_length, (int)target - _length);
        if (async)
        {
            await _source.ReadExactlyAsync(_bufferOffset + _length, destination, "a Parquet column chunk", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _source.ReadExactly(_bufferOffset + _length, destination.Span, "a Parquet column chunk");
        }

        _length = (int)target;
    }
}
