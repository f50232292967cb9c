namespace Larder.Vault.Tests;

public sealed class ReadAheadStreamTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(1000, false)]
    [InlineData(1 << 20, true)]
    [InlineData((3 << 20) + 17, false)]
    public async Task Read_AnyLength_ReturnsTheInnerBytesInOrder(int length, bool async)
    {
        byte[] data = new byte[length];
        new Random(length).NextBytes(data);
        using var stream = new ReadAheadStream(new MemoryStream(data), blockSize: 64 << 10, depth: 3);
        var copy = new MemoryStream();
        byte[] buffer = new byte[7919];
        int n;
        while ((n = async ? await stream.ReadAsync(buffer) : stream.Read(buffer)) > 0)
        {
            copy.Write(buffer, 0, n);
        }

        Assert.Equal(data, copy.ToArray());
        Assert.Equal(0, stream.Read(buffer));
    }

    [Fact]
    public void Read_InnerFails_RethrowsTheSameExceptionAfterTheGoodBytes()
    {
        using var stream = new ReadAheadStream(new FailingStream(100_000), blockSize: 4096, depth: 2);
        var copy = new MemoryStream();
        var error = Assert.Throws<LarderFormatException>(() => stream.CopyTo(copy));
        Assert.Equal("broken at 100000", error.Message);
        Assert.Equal(100_000, copy.Length);
    }

    [Fact]
    public void Dispose_WhileProducerBlocked_StopsAndDisposesInner()
    {
        var inner = new FailingStream(long.MaxValue);
        var stream = new ReadAheadStream(inner, blockSize: 4096, depth: 2);
        Assert.Equal(10, stream.Read(new byte[10]));
        stream.Dispose();
        Assert.True(inner.Disposed);
        stream.Dispose();
    }

    private sealed class FailingStream(long failAt) : Stream
    {
        private long _position;

        public bool Disposed { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= failAt)
            {
                throw new LarderFormatException($"broken at {_position}");
            }

            int n = (int)Math.Min(count, failAt - _position);
            buffer.AsSpan(offset, n).Fill(7);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
