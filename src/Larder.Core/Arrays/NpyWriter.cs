using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Larder.IO;

namespace Larder.Arrays;

/// <summary>
/// Writes <see cref="NDArray"/>s as NPY files byte for byte as numpy's <c>np.save</c> does: format version 1.0 when the
/// header fits in 65,535 bytes, else 2.0; the header dictionary with numpy's spare room for growing the first (C) or last
/// (Fortran) dimension, padded with spaces and a final <c>\n</c> so the data starts at a multiple of 64 bytes;
/// little-endian data; <c>fortran_order</c> True only when C and Fortran order differ for the shape. Stateless and thread safe.
/// </summary>
public static class NpyWriter
{
    /// <summary>Data alignment numpy uses.</summary>
    private const int Alignment = 64;

    /// <summary>Spare room numpy leaves after the dictionary for a growing dimension's digits.</summary>
    private const int GrowthAxisMaxDigits = 21;

    /// <summary>Writes <paramref name="array"/> to a new or replaced file, atomically.</summary>
    public static void Write(string path, NDArray array)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(array);
        using var file = AtomicFile.Create(path, durable: false);
        Write(file.Stream, array, leaveOpen: true);
        file.Commit();
    }

    /// <inheritdoc cref="Write(string, NDArray)"/>
    public static async Task WriteAsync(string path, NDArray array, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(array);
        await using var file = AtomicFile.Create(path, durable: false);
        await WriteAsync(file.Stream, array, leaveOpen: true, cancellationToken).ConfigureAwait(false);
        await file.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="array"/> as NPY at the stream's position.</summary>
    /// <param name="leaveOpen">False to dispose <paramref name="stream"/> when done (also on failure).</param>
    public static void Write(Stream stream, NDArray array, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        try
        {
            stream.Write(BuildHeader(array));
            stream.Write(array.Bytes);
        }
        finally
        {
            if (!leaveOpen)
            {
                stream.Dispose();
            }
        }
    }

    /// <inheritdoc cref="Write(Stream, NDArray, bool)"/>
    public static async Task WriteAsync(Stream stream, NDArray array, bool leaveOpen = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        try
        {
            await stream.WriteAsync(BuildHeader(array), cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(array.Memory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!leaveOpen)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The whole NPY file for <paramref name="array"/>.</summary>
    public static byte[] ToBytes(NDArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        byte[] header = BuildHeader(array);
        byte[] result = new byte[header.Length + array.ByteLength];
        header.CopyTo(result, 0);
        array.Bytes.CopyTo(result.AsSpan(header.Length));
        return result;
    }

    /// <summary>Magic, version, header length and the padded header dictionary: everything before the data.</summary>
    internal static byte[] BuildHeader(NDArray array)
    {
        bool fortran = array.Order == NDArrayOrder.Fortran && !array.IsOrderFree;
        var shape = array.Shape;
        var sb = new StringBuilder();
        sb.Append("{'descr': '").Append(array.DType.ToString()).Append("', 'fortran_order': ")
            .Append(fortran ? "True" : "False").Append(", 'shape': ").Append(NDArray.FormatShape(shape)).Append(", }");
        if (shape.Count > 0)
        {
            long growing = shape[fortran ? shape.Count - 1 : 0];
            sb.Append(' ', GrowthAxisMaxDigits - growing.ToString(CultureInfo.InvariantCulture).Length);
        }

        byte[] dict = Encoding.ASCII.GetBytes(sb.ToString());
        int sizeBytes = 2;
        int total = Padded(dict.Length, sizeBytes, out int headerLength);
        if (headerLength > ushort.MaxValue)
        {
            sizeBytes = 4;
            total = Padded(dict.Length, sizeBytes, out headerLength);
        }

        byte[] result = new byte[total];
        NpyHeader.Magic.CopyTo(result);
        result[6] = (byte)(sizeBytes == 2 ? 1 : 2);
        result[7] = 0;
        if (sizeBytes == 2)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(8), (ushort)headerLength);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), (uint)headerLength);
        }

        int at = NpyHeader.PrefixLength + sizeBytes;
        dict.CopyTo(result, at);
        result.AsSpan(at + dict.Length, headerLength - dict.Length - 1).Fill((byte)' ');
        result[^1] = (byte)'\n';
        return result;
    }

    /// <summary>Total header bytes and the recorded header length, padded as numpy pads (1 to 64 bytes, never 0).</summary>
    private static int Padded(int dictLength, int sizeBytes, out int headerLength)
    {
        int withNewline = dictLength + 1;
        int pad = Alignment - ((NpyHeader.PrefixLength + sizeBytes + withNewline) % Alignment);
        headerLength = withNewline + pad;
        return NpyHeader.PrefixLength + sizeBytes + headerLength;
    }
}
