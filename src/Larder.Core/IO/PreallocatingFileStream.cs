using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Larder.IO;

/// <summary>
/// A write-only file stream that reserves disk blocks ahead of the write position in growing chunks (Linux
/// <c>fallocate</c> with <c>FALLOC_FL_KEEP_SIZE</c>, so the visible length only grows as bytes are written). Large
/// sequential writes into reserved blocks avoid per-write block allocation and run several times faster on ext4/xfs.
/// Unused reservation past the end is released when the stream is disposed. Where reservation is not supported
/// (other systems, tmpfs) it behaves like a plain <see cref="FileStream"/>. Not thread safe; owns the file handle.
/// </summary>
public sealed partial class PreallocatingFileStream : Stream
{
    private const long MinChunk = 8L << 20;
    private const long MaxChunk = 512L << 20;
    private const int FallocKeepSize = 1;

    private readonly FileStream _file;
    private long _reserved;
    private bool _disposed;
    private bool _canReserve = OperatingSystem.IsLinux();
    private bool _canWriteBack = OperatingSystem.IsLinux();
    private long _writtenBack;

    /// <param name="path">The file to create (or replace, for <see cref="FileMode.Create"/>).</param>
    /// <param name="mode">How to open it; <see cref="FileMode.CreateNew"/> fails if it exists.</param>
    public PreallocatingFileStream(string path, FileMode mode = FileMode.Create)
    {
        _file = new FileStream(path, new FileStreamOptions
        {
            Mode = mode,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 1 << 16,
            Options = FileOptions.Asynchronous,
        });
    }

    public override bool CanRead => false;

    public override bool CanSeek => _file.CanSeek;

    public override bool CanWrite => _file.CanWrite;

    public override long Length => _file.Length;

    public override long Position
    {
        get => _file.Position;
        set => _file.Position = value;
    }

    /// <summary>
    /// When true (default false), the device write of every 32 MiB written is started right away, without waiting for it
    /// (Linux <c>sync_file_range</c>), so that a final fsync has little left to do. For files that will be made durable.
    /// </summary>
    public bool EarlyWriteBack { get; set; }

    /// <summary>The underlying handle, e.g. to fsync.</summary>
    public SafeFileHandle SafeFileHandle => _file.SafeFileHandle;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Reserve(buffer.Length);
        _file.Write(buffer);
        WriteBack();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Reserve(buffer.Length);
        await _file.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        WriteBack();
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _file.Flush();

    /// <summary>Flushes to the operating system and, with <paramref name="flushToDisk"/>, to the device.</summary>
    public void Flush(bool flushToDisk) => _file.Flush(flushToDisk);

    public override Task FlushAsync(CancellationToken cancellationToken) => _file.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("write-only stream");

    public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);

    public override void SetLength(long value) => _file.SetLength(value);

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            try
            {
                ReleaseReservation();
            }
            finally
            {
                _file.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            try
            {
                await _file.FlushAsync().ConfigureAwait(false);
                ReleaseReservation();
            }
            finally
            {
                await _file.DisposeAsync().ConfigureAwait(false);
            }
        }

        GC.SuppressFinalize(this);
    }

    private void Reserve(int count)
    {
        if (!_canReserve)
        {
            return;
        }

        long end = _file.Position + count;
        if (end <= _reserved)
        {
            return;
        }

        // Grow the reservation with the file (at least 8 MiB, at most 512 MiB at a time).
        long chunk = Math.Clamp(_reserved, MinChunk, MaxChunk);
        long target = Math.Max(end, _reserved + chunk);
        if (Native.fallocate(_file.SafeFileHandle, FallocKeepSize, _reserved, target - _reserved) != 0)
        {
            // Not supported here (or no space to reserve): write without reservation, which reports real errors.
            _canReserve = false;
            return;
        }

        _reserved = target;
    }

    private void WriteBack()
    {
        const long Step = 32L << 20;
        const uint SyncFileRangeWrite = 2;
        if (!EarlyWriteBack || !_canWriteBack)
        {
            return;
        }

        long position = _file.Position;
        if (position - _writtenBack < Step)
        {
            return;
        }

        // Only bytes the FileStream has handed to the kernel can be written back; its buffer holds at most 64 KiB.
        _file.Flush();
        if (Native.sync_file_range(_file.SafeFileHandle, _writtenBack, position - _writtenBack, SyncFileRangeWrite) != 0)
        {
            _canWriteBack = false;
            return;
        }

        _writtenBack = position;
    }

    /// <summary>Flushes and frees blocks reserved past the current end of file (also done on dispose).</summary>
    public void TrimReservation() => ReleaseReservation();

    private void ReleaseReservation()
    {
        if (_reserved > 0 && !_file.SafeFileHandle.IsClosed)
        {
            _file.Flush();
            long length = _file.Length;
            if (_reserved > length)
            {
                // Truncating to the current length frees blocks reserved past the end of file.
                _ = Native.ftruncate(_file.SafeFileHandle, length);
            }

            _reserved = 0;
        }
    }

    private static partial class Native
    {
        [LibraryImport("libc", SetLastError = true)]
        internal static partial int fallocate(SafeFileHandle fd, int mode, long offset, long length);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int ftruncate(SafeFileHandle fd, long length);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int sync_file_range(SafeFileHandle fd, long offset, long nbytes, uint flags);
    }
}
