using System.Buffers;

namespace Larder.Compression;

/// <summary>Array-returning conveniences over <see cref="ICompressionCodec"/> for code off the hot path.</summary>
public static class CompressionCodecExtensions
{
    /// <summary>Compresses <paramref name="source"/> into a new array of exactly the compressed size.</summary>
    public static byte[] CompressToArray(this ICompressionCodec codec, ReadOnlySpan<byte> source)
    {
        ArgumentNullException.ThrowIfNull(codec);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(codec.GetMaxCompressedLength(source.Length));
        try
        {
            int written = codec.Compress(source, buffer);
            return buffer.AsSpan(0, written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Decompresses data whose decompressed size is known into a new array of that size.</summary>
    /// <exception cref="LarderFormatException">See <see cref="ICompressionCodec.Decompress(ReadOnlySpan{byte}, Span{byte})"/>.</exception>
    public static byte[] DecompressToArray(this ICompressionCodec codec, ReadOnlySpan<byte> source, int decompressedLength)
    {
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentOutOfRangeException.ThrowIfNegative(decompressedLength);
        byte[] result = GC.AllocateUninitializedArray<byte>(decompressedLength);
        codec.Decompress(source, result);
        return result;
    }

    /// <summary>Decompresses data of unknown size, refusing to produce more than <paramref name="maxOutputLength"/> bytes.</summary>
    /// <exception cref="LarderFormatException">See <see cref="ICompressionCodec.Decompress(ReadOnlySpan{byte}, IBufferWriter{byte}, long)"/>.</exception>
    public static byte[] DecompressUnknownSizeToArray(this ICompressionCodec codec, ReadOnlySpan<byte> source, int maxOutputLength)
    {
        ArgumentNullException.ThrowIfNull(codec);
        var writer = new ArrayBufferWriter<byte>();
        codec.Decompress(source, writer, maxOutputLength);
        return writer.WrittenSpan.ToArray();
    }
}
