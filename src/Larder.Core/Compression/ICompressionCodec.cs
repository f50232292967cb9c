using System.Buffers;

namespace Larder.Compression;

/// <summary>
/// One compression format with one set of options (DESIGN §3). Obtain instances from
/// <see cref="CompressionCodecs.Create(string, CompressionOptions?)"/>.
/// </summary>
/// <remarks>
/// <para><b>Thread safety.</b> All members of one instance may be called concurrently from any number of threads. Codecs
/// that use native contexts (zstd, lz4) keep a small pool of them per instance and give each call its own, so reusing one
/// instance across calls (and threads) avoids re-creating contexts; that is the intended use. The streams returned by
/// <see cref="CreateCompressor"/> and <see cref="CreateDecompressor"/> are not thread-safe (like any stream).</para>
/// <para><b>Ownership.</b> The instance owns its pooled native contexts; <see cref="IDisposable.Dispose"/> frees them (a
/// forgotten instance is cleaned up by the finalizers of its handles). After disposal every member except
/// <see cref="Name"/>, <see cref="Level"/> and <see cref="SupportsStreaming"/> throws <see cref="ObjectDisposedException"/>;
/// streams created earlier keep working until they are disposed. Span arguments are only read or written during the call.</para>
/// <para><b>Errors.</b> Corrupt, truncated or mis-sized compressed input raises <see cref="LarderFormatException"/> (or its
/// subclass <see cref="LarderChecksumException"/>), never an exception of the underlying library. Programming errors
/// (a destination that is too small, a negative limit) raise <see cref="ArgumentException"/>.</para>
/// </remarks>
public interface ICompressionCodec : IDisposable
{
    /// <summary>The canonical lower-case name: one of <see cref="CompressionCodecs.Names"/>.</summary>
    string Name { get; }

    /// <summary>The effective compression level (the default when none was given), or <see langword="null"/> for codecs without levels.</summary>
    int? Level { get; }

    /// <summary>
    /// Whether <see cref="CreateCompressor"/> and <see cref="CreateDecompressor"/> work. False for formats without framing
    /// (<c>snappy</c> raw blocks, <c>lz4_raw</c>), whose streaming methods throw <see cref="LarderNotSupportedException"/>.
    /// </summary>
    bool SupportsStreaming { get; }

    /// <summary>
    /// An upper bound of the size <see cref="Compress"/> can produce for <paramref name="inputLength"/> bytes: a destination
    /// of this size never fails for lack of room.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative, or so large that the bound does not fit in an <see cref="int"/>.</exception>
    int GetMaxCompressedLength(int inputLength);

    /// <summary>
    /// Compresses all of <paramref name="source"/> into one self-contained unit of this format (a zstd or lz4 frame, a gzip
    /// member, a raw block...) at the start of <paramref name="destination"/>.
    /// </summary>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small for the output; a destination of
    /// <see cref="GetMaxCompressedLength"/> bytes is always enough.</exception>
    int Compress(ReadOnlySpan<byte> source, Span<byte> destination);

    /// <summary>
    /// Decompresses all of <paramref name="source"/> when the decompressed size is known (Arrow IPC and Parquet record it):
    /// the output must be exactly <c>destination.Length</c> bytes. Frame formats accept several concatenated frames or
    /// members (zstd, lz4, gzip, bzip2); empty input is zero frames.
    /// </summary>
    /// <returns><c>destination.Length</c>.</returns>
    /// <exception cref="LarderFormatException">The data is corrupt, truncated, followed by garbage, or decompresses to a
    /// different number of bytes than <c>destination.Length</c>.</exception>
    int Decompress(ReadOnlySpan<byte> source, Span<byte> destination);

    /// <summary>
    /// Decompresses all of <paramref name="source"/> when the decompressed size is not known, appending the output to
    /// <paramref name="destination"/>. Never writes (or asks the writer for much more than) <paramref name="maxOutputLength"/>
    /// bytes, so hostile input cannot make it allocate without bound.
    /// </summary>
    /// <returns>The number of bytes appended.</returns>
    /// <exception cref="LarderFormatException">The data is corrupt or truncated, or the output would exceed
    /// <paramref name="maxOutputLength"/> (bytes up to the limit may already have been appended).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxOutputLength"/> is negative.</exception>
    long Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, long maxOutputLength);

    /// <summary>
    /// A write-only stream that compresses what is written to it into <paramref name="inner"/>. Disposing it finishes the
    /// frame (writes the end marks and checksums) and then disposes <paramref name="inner"/> unless <paramref name="leaveOpen"/>;
    /// <see cref="Stream.Flush()"/> makes everything written so far decodable where the format allows it.
    /// </summary>
    /// <exception cref="LarderNotSupportedException">The format has no framing (see <see cref="SupportsStreaming"/>).</exception>
    Stream CreateCompressor(Stream inner, bool leaveOpen);

    /// <summary>
    /// A read-only stream of the decompressed bytes of <paramref name="inner"/>, which is read to its end (concatenated frames
    /// or members are decoded one after another). Reads throw <see cref="LarderFormatException"/> for corrupt or truncated
    /// data; exceptions of <paramref name="inner"/> itself pass through unchanged. Disposing it disposes
    /// <paramref name="inner"/> unless <paramref name="leaveOpen"/>.
    /// </summary>
    /// <exception cref="LarderNotSupportedException">The format has no framing (see <see cref="SupportsStreaming"/>).</exception>
    Stream CreateDecompressor(Stream inner, bool leaveOpen);
}
