using Larder.Arrays;

namespace Larder.Core.Tests.Arrays;

/// <summary>Seeded arrays and a stream that cannot seek, for the NPY/NPZ tests.</summary>
internal static class ArrayTestData
{
    /// <summary>
    /// An array of random values of <paramref name="dtype"/>: bools 0/1; integers over their full range; floats with
    /// NaN, ±infinity and ±0 among them (complex parts likewise).
    /// </summary>
    public static NDArray Random(NpyDType dtype, long[] shape, NDArrayOrder order, Random rng)
    {
        var array = NDArray.Create(dtype, shape, order);
        var bytes = array.Bytes;
        switch (dtype.Kind)
        {
            case NpyKind.Bool:
                for (int i = 0; i < bytes.Length; i++)
                {
                    bytes[i] = (byte)rng.Next(2);
                }

                break;
            case NpyKind.Int or NpyKind.UInt:
                rng.NextBytes(bytes);
                break;
            default:
                int unit = dtype.Kind == NpyKind.Complex ? dtype.ItemSize / 2 : dtype.ItemSize;
                for (int i = 0; i < bytes.Length / unit; i++)
                {
                    double v = (i % 9) switch
                    {
                        0 => double.NaN,
                        1 => double.PositiveInfinity,
                        2 => double.NegativeInfinity,
                        3 => -0.0,
                        _ => (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-6, 7)),
                    };
                    var at = bytes.Slice(i * unit, unit);
                    switch (unit)
                    {
                        case 2: BitConverter.TryWriteBytes(at, (Half)v); break;
                        case 4: BitConverter.TryWriteBytes(at, (float)v); break;
                        default: BitConverter.TryWriteBytes(at, v); break;
                    }
                }

                break;
        }

        return array;
    }
}

/// <summary>A read-only stream over bytes that cannot seek and returns at most 37 bytes a read.</summary>
internal sealed class ForwardOnlyStream(byte[] bytes) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = Math.Min(Math.Min(buffer.Length, 37), bytes.Length - _position);
        bytes.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
