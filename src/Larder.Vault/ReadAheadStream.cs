using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Larder.Vault;

/// <summary>
/// A read-only stream that reads its inner stream on a background task, up to <c>depth</c> blocks ahead, so that the
/// inner stream's work (inflating, decrypting, checksumming) overlaps with the consumer's parsing. An exception of the
/// inner stream surfaces on the read that reaches it. Disposing stops the background task, waits for it, and disposes
/// the inner stream. Not thread safe (one consumer).
/// </summary>
internal sealed class ReadAheadStream : Larder.Storage.Zip.ReadOnlyStreamBase
{
    private readonly Stream _inner;
    private readonly Channel<Block> _blocks;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _producer;
    private Block _current;
    private int _offset;
    private bool _ended;
    private ExceptionDispatchInfo? _failure;
    private bool _disposed;

    public ReadAheadStream(Stream inner, int blockSize = 1 << 20, int depth = 4)
    {
        _inner = inner;
        _blocks = Channel.CreateBounded<Block>(new BoundedChannelOptions(depth) { SingleReader = true, SingleWriter = true });
        _producer = Task.Run(() => ProduceAsync(blockSize));
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_current.Bytes is null || _offset == _current.Length)
        {
            if (!NextAsync(async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult())
            {
                return 0;
            }
        }

        return Take(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_current.Bytes is null || _offset == _current.Length)
        {
            if (!await NextAsync(async: true, cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }
        }

        return Take(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _stop.Cancel();
            while (_blocks.Reader.TryRead(out Block block))
            {
                block.Return();
            }

            try
            {
                _producer.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
            }

            while (_blocks.Reader.TryRead(out Block block))
            {
                block.Return();
            }

            _current.Return();
            _current = default;
            _inner.Dispose();
            _stop.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Take(Span<byte> buffer)
    {
        int n = Math.Min(buffer.Length, _current.Length - _offset);
        _current.Bytes.AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    private async ValueTask<bool> NextAsync(bool async, CancellationToken cancellationToken)
    {
        _current.Return();
        _current = default;
        _offset = 0;
        if (_ended)
        {
            return false;
        }

        ChannelReader<Block> reader = _blocks.Reader;
        while (true)
        {
            if (reader.TryRead(out Block block))
            {
                _current = block;
                return true;
            }

            bool more = async
                ? await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)
                : reader.WaitToReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult();
            if (!more)
            {
                _ended = true;
                _failure?.Throw();
                return false;
            }
        }
    }

    private async Task ProduceAsync(int blockSize)
    {
        CancellationToken stop = _stop.Token;
        try
        {
            while (true)
            {
                byte[] bytes = ArrayPool<byte>.Shared.Rent(blockSize);
                int filled = 0;
                ExceptionDispatchInfo? failure = null;
                try
                {
                    int n;
                    while (filled < blockSize && (n = _inner.Read(bytes, filled, blockSize - filled)) > 0)
                    {
                        filled += n;
                    }
                }
#pragma warning disable CA1031 // Handed to the consumer after the bytes read before it.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }

                if (failure is not null && filled == 0)
                {
                    ArrayPool<byte>.Shared.Return(bytes);
                    failure.Throw();
                }

                if (filled == 0)
                {
                    ArrayPool<byte>.Shared.Return(bytes);
                    break;
                }

                var block = new Block(bytes, filled);
                try
                {
                    await _blocks.Writer.WriteAsync(block, stop).ConfigureAwait(false);
                }
                catch
                {
                    block.Return();
                    throw;
                }

                failure?.Throw();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // Any failure of the inner stream is handed to the consumer, who rethrows it as it was.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _failure = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            _blocks.Writer.TryComplete();
        }
    }

    private readonly record struct Block(byte[] Bytes, int Length)
    {
        public void Return()
        {
            if (Bytes is not null)
            {
                ArrayPool<byte>.Shared.Return(Bytes);
            }
        }
    }
}
