using System.Buffers;

namespace Larder.Compression;

/// <summary>
/// A codec whose encoder and decoder are streams (framework or third-party). The span methods run them over pinned
/// memory; every decoder exception becomes a <see cref="LarderFormatException"/> through <see cref="DecoderStream"/>.
/// Thread-safe: each call builds its own encoder or decoder.
/// </summary>
internal abstract class ManagedStreamCodec : CompressionCodec
{
    protected ManagedStreamCodec(string name, int? level)
        : base(name, level)
    {
    }

    /// <summary>A compressing stream writing to <paramref name="inner"/>; disposing it finishes the output.</summary>
    protected abstract Stream CreateEncoder(Stream inner, bool leaveOpen);

    /// <summary>A decompressing stream reading <paramref name="source"/>; must not dispose <paramref name="source"/>.</summary>
    protected abstract Stream CreateDecoder(Stream source);

    protected override unsafe int CompressCore(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        fixed (byte* output = destination)
        {
            using FixedMemoryStream sink = FixedMemoryStream.ForWriting(output, destination.Length);
            try
            {
                using (Stream encoder = CreateEncoder(sink, leaveOpen: true))
                {
                    encoder.Write(source);
                }
            }
            catch (IOException) when (sink.Overflowed)
            {
                throw DestinationTooSmall(destination.Length);
            }

            return sink.Overflowed ? throw DestinationTooSmall(destination.Length) : sink.BytesProcessed;
        }
    }

    protected override unsafe void DecompressCore(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        fixed (byte* input = source)
        {
            using FixedMemoryStream memory = FixedMemoryStream.ForReading(input, source.Length);
            using var decoder = new DecoderStream(Name, memory, leaveOpen: true, CreateDecoder);
            StreamDecoding.ReadExact(decoder, destination, Name);
        }
    }

    protected override unsafe long DecompressCore(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, long maxOutputLength)
    {
        fixed (byte* input = source)
        {
            using FixedMemoryStream memory = FixedMemoryStream.ForReading(input, source.Length);
            using var decoder = new DecoderStream(Name, memory, leaveOpen: true, CreateDecoder);
            return StreamDecoding.ReadToWriter(decoder, destination, maxOutputLength, Name);
        }
    }

    protected override Stream CreateCompressorCore(Stream inner, bool leaveOpen) => CreateEncoder(inner, leaveOpen);

    protected override Stream CreateDecompressorCore(Stream inner, bool leaveOpen)
        => new DecoderStream(Name, inner, leaveOpen, CreateDecoder);
}
