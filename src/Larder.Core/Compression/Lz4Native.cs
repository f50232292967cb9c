using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Larder.Compression;

/// <summary>
/// P/Invoke declarations for the stable API of <c>liblz4.so.1</c> (lz4 1.9.3+: Debian bullseye and later): the frame API
/// (<c>LZ4F_*</c>, contexts <see cref="Lz4FrameCompressionContextHandle"/> and <see cref="Lz4FrameDecompressionContextHandle"/>)
/// and the block API (<c>LZ4_*</c>, state <see cref="Lz4BlockStateHandle"/>). Every <c>LZ4F_*</c> <c>size_t</c> result
/// must be checked with <see cref="IsError"/>; block functions report failure with 0 (compression) or a negative
/// result (decompression).
/// </summary>
internal static unsafe partial class Lz4Native
{
    public const string Library = "liblz4.so.1";
    public const string Package = "liblz4-1";

    public const uint FrameVersion = 100;          // LZ4F_VERSION
    public const int MaxInputSize = 0x7E000000;    // LZ4_MAX_INPUT_SIZE
    public const int MinLevel = -65537;            // -LZ4_ACCELERATION_MAX
    public const int MaxLevel = 12;                // LZ4HC_CLEVEL_MAX
    public const int DefaultLevel = 1;
    public const int HighCompressionMinLevel = 3;  // LZ4HC_CLEVEL_MIN

    public const int BlockSizeMax4MB = 7;          // LZ4F_max4MB
    public const int BlockIndependent = 1;         // LZ4F_blockIndependent

    [LibraryImport(Library)]
    public static partial nuint LZ4F_createCompressionContext(nint* cctx, uint version);

    [LibraryImport(Library)]
    public static partial nuint LZ4F_freeCompressionContext(nint cctx);

    [LibraryImport(Library)]
    public static partial nuint LZ4F_createDecompressionContext(nint* dctx, uint version);

    [LibraryImport(Library)]
    public static partial nuint LZ4F_freeDecompressionContext(nint dctx);

    [LibraryImport(Library)]
    public static partial void LZ4F_resetDecompressionContext(Lz4FrameDecompressionContextHandle dctx);

    [LibraryImport(Library)]
    public static partial nuint LZ4F_compressBegin(Lz4FrameCompressionContextHandle cctx, byte* dst, nuint dstCapacity, Lz4Preferences* preferences);

    [LibraryImport(Library)]
    public static partial nuint LZ4F_compressUpdate(Lz4FrameCompressionContextHandle cctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize, Lz4CompressOptions* options);

    [LibraryImport(Library)]
    public static partial nuint LZ4F_flush(Lz4FrameCompressionContextHandle cctx, byte* dst, nuint dstCapacity, Lz4CompressOptions* options);

    [LibraryImport(Library)]
    public static partial nuint LZ4F_compressEnd(Lz4FrameCompressionContextHandle cctx, byte* dst, nuint dstCapacity, Lz4CompressOptions* options);

    [LibraryImport(Library)]
    public static partial nuint LZ4F_compressBound(nuint srcSize, Lz4Preferences* preferences);

    [LibraryImport(Library)]
    public static partial nuint LZ4F_compressFrameBound(nuint srcSize, Lz4Preferences* preferences);

    [LibraryImport(Library)]
    public static partial nuint LZ4F_decompress(Lz4FrameDecompressionContextHandle dctx, byte* dst, nuint* dstSize, byte* src, nuint* srcSize, Lz4DecompressOptions* options);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    public static partial uint LZ4F_isError(nuint code);

    [LibraryImport(Library)]
    public static partial byte* LZ4F_getErrorName(nuint code);

    [LibraryImport(Library)]
    public static partial int LZ4_sizeofState();

    [LibraryImport(Library)]
    public static partial int LZ4_sizeofStateHC();

    [LibraryImport(Library)]
    public static partial int LZ4_compress_fast_extState(Lz4BlockStateHandle state, byte* src, byte* dst, int srcSize, int dstCapacity, int acceleration);

    [LibraryImport(Library)]
    public static partial int LZ4_compress_HC_extStateHC(Lz4BlockStateHandle state, byte* src, byte* dst, int srcSize, int dstCapacity, int level);

    [LibraryImport(Library)]
    public static partial int LZ4_decompress_safe(byte* src, byte* dst, int compressedSize, int dstCapacity);

    [LibraryImport(Library)]
    public static partial int LZ4_decompress_safe_partial(byte* src, byte* dst, int compressedSize, int targetOutputSize, int dstCapacity);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsError(nuint code) => LZ4F_isError(code) != 0;

    public static string ErrorName(nuint code) => Marshal.PtrToStringUTF8((nint)LZ4F_getErrorName(code)) ?? $"error {code}";

    /// <summary>A new <c>LZ4F_cctx</c> (<paramref name="compression"/>) or <c>LZ4F_dctx</c>, for a handle to own.</summary>
    /// <exception cref="LarderException">The library is missing, or it could not create the context.</exception>
    public static nint CreateFrameContext(bool compression)
    {
        nint pointer = 0;
        nuint code = NativeLibraryGuard.Call(CompressionCodecs.Lz4, Library, Package, () =>
        {
            nint p;
            nuint result = compression ? LZ4F_createCompressionContext(&p, FrameVersion) : LZ4F_createDecompressionContext(&p, FrameVersion);
            pointer = p;
            return result;
        });
        if (IsError(code) || pointer == 0)
        {
            throw LarderErrors.CodecCompressionFailed(CompressionCodecs.Lz4, IsError(code) ? ErrorName(code) : "no context");
        }

        return pointer;
    }

    /// <summary>LZ4_compressBound: the largest raw block for <paramref name="inputSize"/> bytes (0 if too large).</summary>
    public static long BlockBound(long inputSize) => inputSize > MaxInputSize || inputSize < 0 ? 0 : inputSize + (inputSize / 255) + 16;

    /// <summary>Frame preferences for one-shot (<paramref name="contentSize"/> known) or streaming (0) compression.</summary>
    public static Lz4Preferences Preferences(int level, bool checksum, ulong contentSize, bool autoFlush) => new()
    {
        FrameInfo = new Lz4FrameInfo
        {
            BlockSizeId = BlockSizeMax4MB,
            BlockMode = BlockIndependent,
            ContentChecksumFlag = checksum ? 1 : 0,
            ContentSize = contentSize,
        },
        CompressionLevel = level,
        AutoFlush = autoFlush ? 1u : 0u,
    };
}

/// <summary><c>LZ4F_frameInfo_t</c> (32 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Lz4FrameInfo
{
    public int BlockSizeId;
    public int BlockMode;
    public int ContentChecksumFlag;
    public int FrameType;
    public ulong ContentSize;
    public uint DictionaryId;
    public int BlockChecksumFlag;
}

/// <summary><c>LZ4F_preferences_t</c> (56 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Lz4Preferences
{
    public Lz4FrameInfo FrameInfo;
    public int CompressionLevel;
    public uint AutoFlush;
    public uint FavorDecompressionSpeed;
    public uint Reserved0;
    public uint Reserved1;
    public uint Reserved2;
}

/// <summary><c>LZ4F_compressOptions_t</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Lz4CompressOptions
{
    public uint StableSource;
    public uint Reserved0;
    public uint Reserved1;
    public uint Reserved2;
}

/// <summary><c>LZ4F_decompressOptions_t</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Lz4DecompressOptions
{
    public uint StableDestination;
    public uint SkipChecksums;
    public uint Reserved1;
    public uint Reserved0;
}

/// <summary>Owns one <c>LZ4F_cctx</c>; freed with <c>LZ4F_freeCompressionContext</c>.</summary>
internal sealed class Lz4FrameCompressionContextHandle : NativePointerHandle
{
    private Lz4FrameCompressionContextHandle()
    {
    }

    public static Lz4FrameCompressionContextHandle Create()
    {
        nint pointer = Lz4Native.CreateFrameContext(compression: true);
        var context = new Lz4FrameCompressionContextHandle();
        context.SetHandle(pointer);
        return context;
    }

    protected override bool ReleaseHandle()
    {
        Lz4Native.LZ4F_freeCompressionContext(handle);
        return true;
    }
}

/// <summary>Owns one <c>LZ4F_dctx</c>; freed with <c>LZ4F_freeDecompressionContext</c>.</summary>
internal sealed class Lz4FrameDecompressionContextHandle : NativePointerHandle
{
    private Lz4FrameDecompressionContextHandle()
    {
    }

    public static Lz4FrameDecompressionContextHandle Create()
    {
        nint pointer = Lz4Native.CreateFrameContext(compression: false);
        var context = new Lz4FrameDecompressionContextHandle();
        context.SetHandle(pointer);
        return context;
    }

    protected override bool ReleaseHandle()
    {
        Lz4Native.LZ4F_freeDecompressionContext(handle);
        return true;
    }
}

/// <summary>
/// Owns the state memory of the LZ4 block compressor (<c>LZ4_stream_t</c>, or <c>LZ4_streamHC_t</c> for levels 3-12),
/// allocated with <see cref="NativeMemory.AlignedAlloc"/> and reused by <c>LZ4_compress_*_extState*</c>.
/// </summary>
internal sealed unsafe class Lz4BlockStateHandle : NativePointerHandle
{
    private Lz4BlockStateHandle()
    {
    }

    public static Lz4BlockStateHandle Create(bool highCompression, string codec)
    {
        int size = NativeLibraryGuard.Call<int>(codec, Lz4Native.Library, Lz4Native.Package, highCompression ? Lz4Native.LZ4_sizeofStateHC : Lz4Native.LZ4_sizeofState);
        var state = new Lz4BlockStateHandle();
        state.SetHandle((nint)NativeMemory.AlignedAlloc((nuint)size, 64));
        return state;
    }

    protected override bool ReleaseHandle()
    {
        NativeMemory.AlignedFree((void*)handle);
        return true;
    }
}
