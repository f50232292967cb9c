using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace Larder.Ipc;

/// <summary>Random access to the bytes of an IPC file, handing out zero-copy memory where the source allows it.</summary>
internal interface IRandomAccessSource : IDisposable
{
    long Length { get; }

    /// <summary>Bytes [offset, offset+length). The caller has checked the range against <see cref="Length"/>.</summary>
    ReadOnlyMemory<byte> Read(long offset, int length);
}

/// <summary>A source over bytes already in memory.</summary>
internal sealed class MemorySource : IRandomAccessSource
{
    private readonly ReadOnlyMemory<byte> _bytes;

    public MemorySource(ReadOnlyMemory<byte> bytes) => _bytes = bytes;

    public long Length => _bytes.Length;

    public ReadOnlyMemory<byte> Read(long offset, int length) => _bytes.Slice((int)offset, length);

    public void Dispose()
    {
    }
}

/// <summary>
/// A read-only memory map of a whole file. Memory handed out keeps the mapping alive: the view is unmapped by the
/// finalizer once neither the reader nor any buffer over it is reachable, so arrays stay valid after the reader is
/// disposed. Disposing closes the file handle only.
/// </summary>
internal sealed unsafe class MappedFileSource : IRandomAccessSource
{
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _pointer;

    public MappedFileSource(string path, long length)
    {
        Length = length;
        using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _pointer = p + _view.PointerOffset;
    }

    ~MappedFileSource()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
    }

    public long Length { get; }

    public ReadOnlyMemory<byte> Read(long offset, int length) => new Region(this, _pointer + offset, length).Memory;

    public void Dispose()
    {
        // The mapping outlives the reader while arrays reference it; the finalizer unmaps it.
    }

    private sealed class Region : MemoryManager<byte>
    {
        // Keeps the mapping reachable for as long as this region's memory is.
        private readonly MappedFileSource _owner;
        private readonly byte* _start;
        private readonly int _length;

        public Region(MappedFileSource owner, byte* start, int length)
        {
            _owner = owner;
            _start = start;
            _length = length;
        }

        public override Span<byte> GetSpan()
        {
            GC.KeepAlive(_owner);
            return new Span<byte>(_start, _length);
        }

        public override MemoryHandle Pin(int elementIndex = 0) => new(_start + elementIndex, default, null);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}

/// <summary>A seekable stream read on demand into fresh buffers (used when memory-mapping is off or impossible).</summary>
internal sealed class StreamSource : IRandomAccessSource
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;

    public StreamSource(Stream stream, bool leaveOpen)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        Length = stream.Length;
    }

    public long Length { get; }

    public ReadOnlyMemory<byte> Read(long offset, int length)
    {
        var buffer = Memory.BufferAllocator.Allocate(length);
        _stream.Position = offset;
        _stream.ReadExactly(buffer.Span);
        return buffer;
    }

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}
