using System.Buffers;
using System.IO.Compression;

namespace Larder.Storage.Zip;

/// <summary>
/// A write-only raw deflate stream that compresses fixed-size chunks on several threads and writes them in order, as pigz
/// does: every chunk is compressed on its own and ends with a sync flush (an empty stored block, which leaves the stream
/// byte-aligned and not final), and <see cref="Dispose(bool)"/> ends the stream with an empty final block. The result is
/// one valid deflate stream that any inflater reads. Chunks do not share a dictionary, which costs a fraction of a
/// percent of size at 1 MiB chunks. At most <c>workers + 1</c> chunks are in memory. The inner stream is not disposed.
/// Not thread safe.
/// </summary>
internal sealed class ParallelDeflateStream : WriteOnlyStreamBase
{
    /// <summary>An empty final block with fixed Huffman codes: BFINAL=1, BTYPE=01, then the end-of-block code.</summary>
    private static readonly byte[] FinalBlock = [0x03, 0x00];

    private readonly Stream _output;
    private readonly CompressionLevel _level;
    private readonly int _chunkSize;
    private readonly int _maxInFlight;
    private readonly Queue<Task<Compressed>> _inFlight = new();
    private byte[] _chunk;
    private int _filled;
    private bool _finished;

    public ParallelDeflateStream(Stream output, CompressionLevel level, int chunkSize = 1 << 20, int workers = 0)
    {
        _output = output;
        _level = level;
        _chunkSize = chunkSize;
        _maxInFlight = workers > 0 ? workers : Math.Max(1, Environment.ProcessorCount);
        _chunk = ArrayPool<byte>.Shared.Rent(chunkSize);
    }

    public override bool CanWrite => !_finished;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int n = Math.Min(buffer.Length, _chunkSize - _filled);
            buffer[..n].CopyTo(_chunk.AsSpan(_filled));
            _filled += n;
            buffer = buffer[n..];
            if (_filled == _chunkSize)
            {
                SubmitAsync(async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            int n = Math.Min(buffer.Length, _chunkSize - _filled);
            buffer.Span[..n].CopyTo(_chunk.AsSpan(_filled));
            _filled += n;
            buffer = buffer[n..];
            if (_filled == _chunkSize)
            {
                await SubmitAsync(async: true, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Compresses what is buffered, writes every pending chunk and the final block. Idempotent.</summary>
    public async ValueTask FinishAsync(bool async, CancellationToken cancellationToken)
    {
        if (_finished)
        {
            return;
        }

        if (_filled > 0)
        {
            await SubmitAsync(async, cancellationToken).ConfigureAwait(false);
        }

        while (_inFlight.Count > 0)
        {
            await WriteOldestAsync(async, cancellationToken).ConfigureAwait(false);
        }

        if (async)
        {
            await _output.WriteAsync(FinalBlock, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _output.Write(FinalBlock);
        }

        _finished = true;
    }

    /// <summary>Does nothing: chunks are written as they complete, and the stream ends at <see cref="FinishAsync"/>.</summary>
    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Abandoned without FinishAsync (an error upstream): wait for the workers so their buffers return to the pool.
            while (_inFlight.Count > 0)
            {
                try
                {
                    _inFlight.Dequeue().GetAwaiter().GetResult().Dispose();
                }
                catch (Exception e) when (e is IOException or InvalidDataException or OperationCanceledException)
                {
                }
            }

            if (_chunk.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_chunk);
                _chunk = [];
            }
        }

        base.Dispose(disposing);
    }

    private async ValueTask SubmitAsync(bool async, CancellationToken cancellationToken)
    {
        while (_inFlight.Count >= _maxInFlight)
        {
            await WriteOldestAsync(async, cancellationToken).ConfigureAwait(false);
        }

        byte[] input = _chunk;
        int length = _filled;
        CompressionLevel level = _level;
        _inFlight.Enqueue(Task.Run(() => Compress(input, length, level), cancellationToken));
        _chunk = ArrayPool<byte>.Shared.Rent(_chunkSize);
        _filled = 0;
    }

    private async ValueTask WriteOldestAsync(bool async, CancellationToken cancellationToken)
    {
        using Compressed done = async ? await _inFlight.Dequeue().ConfigureAwait(false) : _inFlight.Dequeue().GetAwaiter().GetResult();
        if (async)
        {
            await _output.WriteAsync(done.Bytes, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _output.Write(done.Bytes.Span);
        }
    }

    private static Compressed Compress(byte[] input, int length, CompressionLevel level)
    {
        try
        {
            var output = new PooledBuffer(length + (length >> 4) + 64);
            using (var deflate = new DeflateStream(output, level, leaveOpen: true))
            {
                deflate.Write(input, 0, length);

                // A sync flush ends the chunk on a byte boundary without a final block; what disposing adds after it
                // (the final block) is cut off by the mark.
                deflate.Flush();
                output.Mark();
            }

            return new Compressed(output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }

    private sealed class Compressed(PooledBuffer buffer) : IDisposable
    {
        public ReadOnlyMemory<byte> Bytes => buffer.Marked;

        public void Dispose() => buffer.Release();
    }

    /// <summary>A write-only memory stream over a pooled array that remembers a length to keep.</summary>
    private sealed class PooledBuffer(int capacity) : WriteOnlyStreamBase
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(capacity);
        private int _length;
        private int _mark = -1;

        public ReadOnlyMemory<byte> Marked => _buffer.AsMemory(0, _mark);

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public void Mark() => _mark = _length;

        public void Release()
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_mark >= 0)
            {
                return;
            }

            if (_buffer.Length - _length < buffer.Length)
            {
                byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + buffer.Length));
                _buffer.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            buffer.CopyTo(_buffer.AsSpan(_length));
            _length += buffer.Length;
        }
    }
}
