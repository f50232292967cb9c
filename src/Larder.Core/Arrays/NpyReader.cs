using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Larder.Arrays;

/// <summary>
/// Reads NPY files (NumPy's <c>np.save</c> format, versions 1.0, 2.0 and 3.0) into <see cref="NDArray"/>s. Big-endian
/// data is converted to little-endian; bool bytes other than 0 read as 1. Structured, string, object and date dtypes are
/// refused. Nothing is allocated for the data before the header's size is checked against the bytes available (when the
/// stream's length is known) and against <see cref="NDArray.MaxByteLength"/>. Stateless and thread safe.
/// </summary>
public static class NpyReader
{
    /// <summary>Longest header dictionary accepted (numpy's own reader stops at 10,000 bytes by default).</summary>
    public const int MaxHeaderLength = 1 << 20;

    /// <summary>Above this many bytes, data from a stream of unknown length is read in growing blocks, not into one block sized from the header.</summary>
    private const int TrustedAllocation = 16 << 20;

    /// <summary>Reads one NPY file.</summary>
    /// <exception cref="LarderFormatException">The file is malformed, truncated or of an unsupported dtype or version.</exception>
    public static NDArray Read(string path)
    {
        using var stream = OpenFile(path, useAsync: false);
        return ReadCoreAsync(stream, stream.Length, path, useAsync: false, default).GetAwaiter().GetResult();
    }

    /// <inheritdoc cref="Read(string)"/>
    public static async Task<NDArray> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = OpenFile(path, useAsync: true);
        return await ReadCoreAsync(stream, stream.Length, path, useAsync: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one NPY array from <paramref name="bytes"/> (bytes after the array are ignored).</summary>
    /// <inheritdoc cref="Read(string)"/>
    public static NDArray Read(ReadOnlyMemory<byte> bytes, string? source = null)
    {
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        return ReadCoreAsync(stream, stream.Length, source, useAsync: false, default).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Reads one NPY array from the current position of <paramref name="stream"/> and leaves the position just after its
    /// data, so arrays saved one after another into one stream can be read in turn.
    /// </summary>
    /// <param name="leaveOpen">False to dispose <paramref name="stream"/> when done (also on failure).</param>
    /// <param name="source">A name for the input in error messages.</param>
    /// <inheritdoc cref="Read(string)"/>
    public static NDArray Read(Stream stream, bool leaveOpen = false, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            return ReadCoreAsync(stream, Remaining(stream), source, useAsync: false, default).GetAwaiter().GetResult();
        }
        finally
        {
            if (!leaveOpen)
            {
                stream.Dispose();
            }
        }
    }

    /// <inheritdoc cref="Read(Stream, bool, string?)"/>
    public static async Task<NDArray> ReadAsync(Stream stream, bool leaveOpen = false, string? source = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            return await ReadCoreAsync(stream, Remaining(stream), source, useAsync: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!leaveOpen)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads only the header of the NPY array at the stream's position; the position is left at the data.</summary>
    /// <inheritdoc cref="Read(string)"/>
    public static NpyHeader ReadHeader(Stream stream, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadHeaderCoreAsync(stream, Remaining(stream), source, useAsync: false, default).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Reads one array whose NPY bytes are the next <paramref name="available"/> bytes of <paramref name="stream"/>, or an
    /// unknown number when null.
    /// </summary>
    internal static async ValueTask<NDArray> ReadCoreAsync(Stream stream, long? available, string? source, bool useAsync, CancellationToken cancellationToken)
    {
        var header = await ReadHeaderCoreAsync(stream, available, source, useAsync, cancellationToken).ConfigureAwait(false);
        var dtype = header.DType;
        if (NDArray.CheckShape(header.Shape.ToArray(), dtype.ItemSize, out long length) is not null)
        {
            throw LarderErrors.NpyArrayTooLarge(source, NDArray.FormatShape(header.Shape), dtype.ToString());
        }

        long needed = length * dtype.ItemSize;
        long? left = available - header.DataOffset;
        if (left < needed)
        {
            throw LarderErrors.NpyDataTruncated(source, header.DataOffset, needed, left.Value);
        }

        var order = header.FortranOrder ? NDArrayOrder.Fortran : NDArrayOrder.C;
        byte[]? staged = null;
        if (left is null && needed > TrustedAllocation)
        {
            staged = await ReadGrowingAsync(stream, needed, header.DataOffset, source, useAsync, cancellationToken).ConfigureAwait(false);
        }

        NDArray? array = null;
        try
        {
            array = NDArray.CreateUninitialized(dtype, [.. header.Shape], order);
            if (staged is not null)
            {
                staged.AsSpan(0, (int)needed).CopyTo(array.Bytes);
            }
            else
            {
                int got = await ReadFullyAsync(stream, array.Memory, useAsync, cancellationToken).ConfigureAwait(false);
                if (got < needed)
                {
                    throw LarderErrors.NpyDataTruncated(source, header.DataOffset, needed, got);
                }
            }

            ToNative(array.Bytes, header.DType);
            return array;
        }
        catch
        {
            array?.Dispose();
            throw;
        }
        finally
        {
            if (staged is not null)
            {
                ArrayPool<byte>.Shared.Return(staged);
            }
        }
    }

    internal static async ValueTask<NpyHeader> ReadHeaderCoreAsync(Stream stream, long? available, string? source, bool useAsync, CancellationToken cancellationToken)
    {
        byte[] prefix = new byte[NpyHeader.PrefixLength + 4];
        int got = await ReadFullyAsync(stream, prefix.AsMemory(0, NpyHeader.PrefixLength), useAsync, cancellationToken).ConfigureAwait(false);
        int compared = Math.Min(got, NpyHeader.Magic.Length);
        if (!prefix.AsSpan(0, compared).SequenceEqual(NpyHeader.Magic[..compared]) || got == 0)
        {
            throw LarderErrors.NpyBadMagic(source);
        }

        if (got < NpyHeader.PrefixLength)
        {
            throw LarderErrors.Truncated(source, got, "the NPY magic and version");
        }

        int major = prefix[6];
        int minor = prefix[7];
        if (major is not (1 or 2 or 3) || minor != 0)
        {
            throw LarderErrors.NpyUnsupportedVersion(source, major, minor);
        }

        int sizeBytes = major == 1 ? 2 : 4;
        got = await ReadFullyAsync(stream, prefix.AsMemory(NpyHeader.PrefixLength, sizeBytes), useAsync, cancellationToken).ConfigureAwait(false);
        if (got < sizeBytes)
        {
            throw LarderErrors.Truncated(source, NpyHeader.PrefixLength + got, "the NPY header length");
        }

        long headerLength = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(prefix.AsSpan(NpyHeader.PrefixLength))
            : BinaryPrimitives.ReadUInt32LittleEndian(prefix.AsSpan(NpyHeader.PrefixLength));
        long headerStart = NpyHeader.PrefixLength + sizeBytes;
        if (headerLength > MaxHeaderLength)
        {
            throw LarderErrors.NpyHeaderTooLong(source, headerLength, MaxHeaderLength);
        }

        if (available - headerStart < headerLength)
        {
            throw LarderErrors.Truncated(source, available, "the NPY header");
        }

        byte[] headerBytes = new byte[headerLength];
        got = await ReadFullyAsync(stream, headerBytes, useAsync, cancellationToken).ConfigureAwait(false);
        if (got < headerLength)
        {
            throw LarderErrors.Truncated(source, headerStart + got, "the NPY header");
        }

        string text;
        try
        {
            text = major == 3 ? new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        }
        catch (DecoderFallbackException e)
        {
            throw LarderErrors.NpyBadHeader(source, headerStart, "it is not valid UTF-8: " + e.Message);
        }

        var (dtype, fortran, shape) = NpyHeader.ParseDictionary(text, source, headerStart);
        return new NpyHeader(dtype, fortran, Array.AsReadOnly(shape), major, headerStart + headerLength);
    }

    /// <summary>Swaps big-endian items in place and makes every bool byte 0 or 1.</summary>
    internal static void ToNative(Span<byte> bytes, NpyDType stored)
    {
        if (stored.Kind == NpyKind.Bool)
        {
            foreach (ref byte b in bytes)
            {
                b = b != 0 ? (byte)1 : (byte)0;
            }

            return;
        }

        if (!stored.IsBigEndian)
        {
            return;
        }

        // A complex number is two floats, each swapped on its own.
        int unit = stored.Kind == NpyKind.Complex ? stored.ItemSize / 2 : stored.ItemSize;
        switch (unit)
        {
            case 2:
                BinaryPrimitives.ReverseEndianness(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(bytes), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(bytes));
                break;
            case 4:
                BinaryPrimitives.ReverseEndianness(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(bytes), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(bytes));
                break;
            case 8:
                BinaryPrimitives.ReverseEndianness(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(bytes), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(bytes));
                break;
        }
    }

    private static FileStream OpenFile(string path, bool useAsync)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync);
        }
        catch (FileNotFoundException)
        {
            throw LarderErrors.FileNotFound(path);
        }
        catch (DirectoryNotFoundException)
        {
            throw LarderErrors.FileNotFound(path);
        }
    }

    private static long? Remaining(Stream stream)
    {
        if (!stream.CanSeek)
        {
            return null;
        }

        try
        {
            return Math.Max(0, stream.Length - stream.Position);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; the count read.</summary>
    internal static async ValueTask<int> ReadFullyAsync(Stream stream, Memory<byte> buffer, bool useAsync, CancellationToken cancellationToken)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = useAsync
                ? await stream.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false)
                : stream.Read(buffer.Span[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    /// <summary>
    /// Reads <paramref name="needed"/> bytes from a stream of unknown length into a pooled block that doubles as data
    /// arrives, so a header claiming far more than the stream holds costs at most twice what the stream really had.
    /// </summary>
    /// <returns>A block from <see cref="ArrayPool{T}.Shared"/> (the caller returns it) whose first bytes are the data.</returns>
    private static async ValueTask<byte[]> ReadGrowingAsync(Stream stream, long needed, long dataOffset, string? source, bool useAsync, CancellationToken cancellationToken)
    {
        byte[] staging = ArrayPool<byte>.Shared.Rent(1 << 20);
        int filled = 0;
        try
        {
            while (filled < needed)
            {
                if (filled == staging.Length)
                {
                    byte[] bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(needed, (long)staging.Length * 2));
                    staging.AsSpan(0, filled).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(staging);
                    staging = bigger;
                }

                int want = (int)Math.Min(needed - filled, staging.Length - filled);
                int n = await ReadFullyAsync(stream, staging.AsMemory(filled, want), useAsync, cancellationToken).ConfigureAwait(false);
                filled += n;
                if (n < want)
                {
                    throw LarderErrors.NpyDataTruncated(source, dataOffset, needed, filled);
                }
            }

            return staging;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(staging);
            throw;
        }
    }
}
