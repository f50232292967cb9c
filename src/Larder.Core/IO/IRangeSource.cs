using Microsoft.Win32.SafeHandles;

namespace Larder.IO;

/// <summary>
/// Read-only bytes addressed by offset: a local file, a seekable stream, memory, or an object in a store read by ranged
/// requests. Readers of footer-indexed formats (Parquet, Arrow IPC files) read through this so that they fetch only the
/// ranges they need. Implementations say whether they are thread safe; the ones from <see cref="RangeSource"/> are,
/// except <see cref="RangeSource.FromStream"/>, which serialises its calls.
/// </summary>
public interface IRangeSource : IDisposable
{
    /// <summary>Total length in bytes (fixed for the lifetime of the source).</summary>
    long Length { get; }

    /// <summary>A name for messages (a path or URL), or null.</summary>
    string? Name { get; }

    /// <summary>
    /// Reads up to <paramref name="destination"/>'s length from <paramref name="offset"/>; returns the number of bytes
    /// read, 0 only at or past the end.
    /// </summary>
    int Read(long offset, Span<byte> destination);

    /// <summary>The asynchronous twin of <see cref="Read"/>.</summary>
    ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken = default);
}

/// <summary>Creates <see cref="IRangeSource"/>s and reads exact ranges from them. Stateless.</summary>
public static class RangeSource
{
    /// <summary>Opens the file at <paramref name="path"/> for random reads (thread safe; disposing closes the file).</summary>
    /// <exception cref="LarderNotFoundException">The file does not exist.</exception>
    public static IRangeSource FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return new FileRangeSource(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess), path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw LarderErrors.FileNotFound(path);
        }
    }

    /// <summary>
    /// Reads a seekable stream by offset. Calls are serialised (a seek and a read each); the stream's position is
    /// changed. The stream is disposed with the source unless <paramref name="leaveOpen"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The stream cannot seek or read.</exception>
    public static IRangeSource FromStream(Stream stream, bool leaveOpen = false, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanRead)
        {
            throw new ArgumentException("the stream must be readable and seekable; copy it to a file or memory first", nameof(stream));
        }

        return new StreamRangeSource(stream, leaveOpen, name);
    }

    /// <summary>Bytes in memory (thread safe; the memory must not change while the source is used).</summary>
    public static IRangeSource FromMemory(ReadOnlyMemory<byte> bytes, string? name = null) => new MemoryRangeSource(bytes, name);

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/>.</summary>
    /// <exception cref="LarderFormatException">The source ends first (<paramref name="what"/> names what was being read).</exception>
    public static void ReadExactly(this IRangeSource source, long offset, Span<byte> destination, string what)
    {
        ArgumentNullException.ThrowIfNull(source);
        int done = 0;
        while (done < destination.Length)
        {
            int n = source.Read(offset + done, destination[done..]);
            if (n <= 0)
            {
                throw LarderErrors.Truncated(source.Name, offset + done, what);
            }

            done += n;
        }
    }

    /// <summary>The asynchronous twin of <see cref="ReadExactly"/>.</summary>
    public static async ValueTask ReadExactlyAsync(this IRangeSource source, long offset, Memory<byte> destination, string what, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        int done = 0;
        while (done < destination.Length)
        {
            int n = await source.ReadAsync(offset + done, destination[done..], cancellationToken).ConfigureAwait(false);
            if (n <= 0)
            {
                throw LarderErrors.Truncated(source.Name, offset + done, what);
            }

            done += n;
        }
    }

    private sealed class FileRangeSource(SafeFileHandle handle, string path) : IRangeSource
    {
        public long Length { get; } = RandomAccess.GetLength(handle);

        public string? Name => path;

        public int Read(long offset, Span<byte> destination)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            return offset >= Length ? 0 : RandomAccess.Read(handle, destination, offset);
        }

        public ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            return offset >= Length ? ValueTask.FromResult(0) : RandomAccess.ReadAsync(handle, destination, offset, cancellationToken);
        }

        public void Dispose() => handle.Dispose();
    }

    private sealed class StreamRangeSource(Stream stream, bool leaveOpen, string? name) : IRangeSource
    {
        private readonly SemaphoreSlim _gate = new(1, 1);

        public long Length { get; } = stream.Length;

        public string? Name => name;

        public int Read(long offset, Span<byte> destination)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            if (offset >= Length)
            {
                return 0;
            }

            _gate.Wait();
            try
            {
                stream.Position = offset;
                return stream.Read(destination);
            }
            finally
            {
                _gate.Release();
            }
        }

        public async ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            if (offset >= Length)
            {
                return 0;
            }

            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                stream.Position = offset;
                return await stream.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }

        public void Dispose()
        {
            _gate.Dispose();
            if (!leaveOpen)
            {
                stream.Dispose();
            }
        }
    }

    private sealed class MemoryRangeSource(ReadOnlyMemory<byte> bytes, string? name) : IRangeSource
    {
        public long Length => bytes.Length;

        public string? Name => name;

        public int Read(long offset, Span<byte> destination)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            if (offset >= bytes.Length)
            {
                return 0;
            }

            int n = (int)Math.Min(destination.Length, bytes.Length - offset);
            bytes.Span.Slice((int)offset, n).CopyTo(destination);
            return n;
        }

        public ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(Read(offset, destination.Span));
        }

        public void Dispose()
        {
        }
    }
}
