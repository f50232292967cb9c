using System.Runtime.InteropServices;

namespace Larder.Compression;

/// <summary>
/// P/Invoke declarations for the C API of <c>libsnappy.so.1</c> (Debian <c>libsnappy1v5</c>), used when that library
/// loads; otherwise <see cref="SnappyCodec"/> falls back to the managed IronSnappy. Snappy's decoder is written to be
/// safe on corrupt input: it checks every copy against the output bounds and reports failure.
/// </summary>
internal static unsafe partial class SnappyNative
{
    public const string Library = "libsnappy.so.1";

    public const int Ok = 0;            // SNAPPY_OK
    public const int InvalidInput = 1;  // SNAPPY_INVALID_INPUT
    public const int BufferTooSmall = 2; // SNAPPY_BUFFER_TOO_SMALL

    /// <summary>Whether the library loaded (decided once per process; the library cannot appear or vanish later).</summary>
    public static bool IsAvailable { get; } = NativeLibrary.TryLoad(Library, typeof(SnappyNative).Assembly, null, out _);

    [LibraryImport(Library)]
    public static partial int snappy_compress(byte* input, nuint inputLength, byte* compressed, nuint* compressedLength);

    [LibraryImport(Library)]
    public static partial int snappy_uncompress(byte* compressed, nuint compressedLength, byte* uncompressed, nuint* uncompressedLength);

    [LibraryImport(Library)]
    public static partial nuint snappy_max_compressed_length(nuint sourceLength);
}
