using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Larder.Compression;

/// <summary>
/// P/Invoke declarations for the stable API of <c>libzstd.so.1</c> (zstd 1.4.8+: Debian bullseye and later). Every
/// <c>size_t</c> result must be checked with <see cref="IsError"/>. Contexts are <see cref="ZstdCompressionContextHandle"/>
/// (a <c>ZSTD_CCtx</c>, which is also the <c>ZSTD_CStream</c> type since zstd 1.3) and
/// <see cref="ZstdDecompressionContextHandle"/> (a <c>ZSTD_DCtx</c>, also the <c>ZSTD_DStream</c> type).
/// </summary>
internal static unsafe partial class ZstdNative
{
    public const string Library = "libzstd.so.1";

    public const int MinLevel = -131072; // ZSTD_minCLevel() = -ZSTD_TARGETLENGTH_MAX
    public const int MaxLevel = 22;      // ZSTD_maxCLevel()
    public const int DefaultLevel = 3;   // ZSTD_CLEVEL_DEFAULT

    // ZSTD_cParameter / ZSTD_dParameter
    public const int CompressionLevelParameter = 100;    // ZSTD_c_compressionLevel
    public const int ContentSizeFlagParameter = 200;     // ZSTD_c_contentSizeFlag
    public const int ChecksumFlagParameter = 201;        // ZSTD_c_checksumFlag

    // ZSTD_ResetDirective
    public const int ResetSessionOnly = 1;

    // ZSTD_EndDirective
    public const int EndContinue = 0;
    public const int EndFlush = 1;
    public const int EndEnd = 2;

    // ZSTD_ErrorCode
    public const int ErrorDestinationTooSmall = 70;

    public const ulong ContentSizeUnknown = ulong.MaxValue;
    public const ulong ContentSizeError = ulong.MaxValue - 1;

    [LibraryImport(Library)]
    public static partial nint ZSTD_createCCtx();

    [LibraryImport(Library)]
    public static partial nuint ZSTD_freeCCtx(nint cctx);

    [LibraryImport(Library)]
    public static partial nint ZSTD_createDCtx();

    [LibraryImport(Library)]
    public static partial nuint ZSTD_freeDCtx(nint dctx);

    [LibraryImport(Library)]
    public static partial nuint ZSTD_CCtx_setParameter(ZstdCompressionContextHandle cctx, int parameter, int value);

    [LibraryImport(Library)]
    public static partial nuint ZSTD_CCtx_reset(ZstdCompressionContextHandle cctx, int directive);

    [LibraryImport(Library)]
    public static partial nuint ZSTD_DCtx_reset(ZstdDecompressionContextHandle dctx, int directive);

    [LibraryImport(Library)]
    public static partial nuint ZSTD_compress2(ZstdCompressionContextHandle cctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize);

    [LibraryImport(Library)]
    public static partial nuint ZSTD_compressStream2(ZstdCompressionContextHandle cctx, ZstdOutBuffer* output, ZstdInBuffer* input, int endOp);

    [LibraryImport(Library)]
    public static partial nuint ZSTD_decompressDCtx(ZstdDecompressionContextHandle dctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize);

    [LibraryImport(Library)]
    public static partial nuint ZSTD_decompressStream(ZstdDecompressionContextHandle dctx, ZstdOutBuffer* output, ZstdInBuffer* input);

    [LibraryImport(Library)]
    public static partial ulong ZSTD_getFrameContentSize(byte* src, nuint srcSize);

    [LibraryImport(Library)]
    public static partial nuint ZSTD_findFrameCompressedSize(byte* src, nuint srcSize);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    public static partial uint ZSTD_isError(nuint code);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    public static partial int ZSTD_getErrorCode(nuint code);

    [LibraryImport(Library)]
    public static partial byte* ZSTD_getErrorName(nuint code);

    [LibraryImport(Library)]
    public static partial nuint ZSTD_CStreamOutSize();

    [LibraryImport(Library)]
    public static partial nuint ZSTD_DStreamInSize();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsError(nuint code) => ZSTD_isError(code) != 0;

    public static string ErrorName(nuint code) => Marshal.PtrToStringUTF8((nint)ZSTD_getErrorName(code)) ?? $"error {code}";

    /// <summary>ZSTD_compressBound, computed here so that it needs no library.</summary>
    public static long CompressBound(long srcSize)
        => srcSize + (srcSize >> 8) + (srcSize < (128 << 10) ? ((128 << 10) - srcSize) >> 11 : 0);

    /// <summary>A <see cref="LarderFormatException"/> for a decoder error code.</summary>
    public static LarderFormatException DecodeError(nuint code)
        => LarderErrors.CodecDataCorrupt(CompressionCodecs.Zstd, ErrorName(code));
}

/// <summary><c>ZSTD_inBuffer</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZstdInBuffer
{
    public byte* Source;
    public nuint Size;
    public nuint Position;
}

/// <summary><c>ZSTD_outBuffer</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZstdOutBuffer
{
    public byte* Destination;
    public nuint Size;
    public nuint Position;
}

/// <summary>Owns one <c>ZSTD_CCtx</c> (also used as <c>ZSTD_CStream</c>); freed with <c>ZSTD_freeCCtx</c>.</summary>
internal sealed class ZstdCompressionContextHandle : NativePointerHandle
{
    private ZstdCompressionContextHandle()
    {
    }

    /// <summary>A new context with the level and checksum flag set (they stick across <c>ZSTD_compress2</c> calls).</summary>
    public static ZstdCompressionContextHandle Create(int level, bool checksum)
    {
        nint pointer = NativeLibraryGuard.Call(CompressionCodecs.Zstd, ZstdNative.Library, "libzstd1", static () => ZstdNative.ZSTD_createCCtx());
        if (pointer == 0)
        {
            throw new OutOfMemoryException("ZSTD_createCCtx failed.");
        }

        var context = new ZstdCompressionContextHandle();
        context.SetHandle(pointer);
        Check(ZstdNative.ZSTD_CCtx_setParameter(context, ZstdNative.CompressionLevelParameter, level));
        Check(ZstdNative.ZSTD_CCtx_setParameter(context, ZstdNative.ChecksumFlagParameter, checksum ? 1 : 0));
        Check(ZstdNative.ZSTD_CCtx_setParameter(context, ZstdNative.ContentSizeFlagParameter, 1));
        return context;

        void Check(nuint code)
        {
            if (ZstdNative.IsError(code))
            {
                context.Dispose();
                throw LarderErrors.CodecCompressionFailed(CompressionCodecs.Zstd, ZstdNative.ErrorName(code));
            }
        }
    }

    protected override bool ReleaseHandle()
    {
        ZstdNative.ZSTD_freeCCtx(handle);
        return true;
    }
}

/// <summary>Owns one <c>ZSTD_DCtx</c> (also used as <c>ZSTD_DStream</c>); freed with <c>ZSTD_freeDCtx</c>.</summary>
internal sealed class ZstdDecompressionContextHandle : NativePointerHandle
{
    private ZstdDecompressionContextHandle()
    {
    }

    /// <summary>A new context with default parameters (window up to 2^27 bytes, as the zstd tool without --long).</summary>
    public static ZstdDecompressionContextHandle Create()
    {
        nint pointer = NativeLibraryGuard.Call(CompressionCodecs.Zstd, ZstdNative.Library, "libzstd1", static () => ZstdNative.ZSTD_createDCtx());
        if (pointer == 0)
        {
            throw new OutOfMemoryException("ZSTD_createDCtx failed.");
        }

        var context = new ZstdDecompressionContextHandle();
        context.SetHandle(pointer);
        return context;
    }

    protected override bool ReleaseHandle()
    {
        ZstdNative.ZSTD_freeDCtx(handle);
        return true;
    }
}

/// <summary>Turns a missing native library into a clear <see cref="LarderException"/>.</summary>
internal static class NativeLibraryGuard
{
    public static T Call<T>(string codec, string library, string package, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (DllNotFoundException ex)
        {
            throw LarderErrors.CodecLibraryMissing(codec, library, package, ex);
        }
        catch (EntryPointNotFoundException ex)
        {
            throw LarderErrors.CodecLibraryMissing(codec, library, package, ex);
        }
    }
}
