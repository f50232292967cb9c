using System.Buffers;
using System.Buffers.Binary;
using Larder.Columnar;
using Larder.Ipc.Flatbuf;

namespace Larder.Ipc;

/// <summary>
/// Serializes a <see cref="Schema"/> as one encapsulated Arrow IPC schema message, the form Arrow C++ stores (base64
/// encoded) under the <c>ARROW:schema</c> key of Parquet files: the continuation marker <c>0xFFFFFFFF</c>, the int32
/// little-endian metadata length, the <c>Message</c> flatbuffer (version V5, header Schema, body length 0) and zero
/// padding to a multiple of 8 bytes. Dictionary fields get ids 0, 1, … in depth-first order (ids carry no meaning
/// outside an IPC stream). Stateless and thread safe.
/// </summary>
public static class ArrowSchemaSerializer
{
    /// <summary>Writes <paramref name="schema"/> as an IPC stream schema message (continuation marker, length, flatbuffer, padding).</summary>
    /// <exception cref="LarderUsageException">The schema holds values the IPC format cannot carry.</exception>
    public static byte[] Serialize(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var (fb, _) = IpcSchemaConverter.ToFlatbuf(schema);
        var message = new FbMessage(MetadataVersion.V5, fb, 0);
        var flatbuffer = new ArrayBufferWriter<byte>();
        int length = ArrowFlatbuf.WriteMessage(message, flatbuffer);
        int padded = (length + 7) & ~7;
        var result = new byte[8 + padded];
        BinaryPrimitives.WriteUInt32LittleEndian(result, 0xFFFFFFFF);
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(4), padded);
        flatbuffer.WrittenSpan.CopyTo(result.AsSpan(8));
        return result;
    }

    /// <summary>
    /// Reads a schema written by <see cref="Serialize"/> or by Arrow C++: an IPC schema message with the continuation
    /// marker (<c>0xFFFFFFFF</c>, length), with only the legacy int32 length prefix, or a bare <c>Message</c> flatbuffer.
    /// Bytes after the announced length are ignored.
    /// </summary>
    /// <param name="bytes">The decoded (not base64) bytes.</param>
    /// <param name="source">Name used in error messages; may be null.</param>
    /// <exception cref="LarderFormatException">The bytes are not an Arrow schema message (or hold another message type).</exception>
    /// <exception cref="LarderNotSupportedException">A well-formed schema Larder does not handle (big-endian, unknown types).</exception>
    public static Schema Deserialize(ReadOnlySpan<byte> bytes, string? source = null)
    {
        var flatbuffer = Unframe(bytes, source, out long offset);
        var message = ArrowFlatbuf.ReadMessage(flatbuffer, source, offset);
        if (message.Header is not FbSchema fb)
        {
            throw LarderErrors.Format(source, 0, $"the Arrow IPC message holds a {message.Header.GetType().Name.Replace("Fb", string.Empty, StringComparison.Ordinal)}, not a schema.");
        }

        return IpcSchemaConverter.FromFlatbuf(fb, source).Schema;
    }

    private static ReadOnlySpan<byte> Unframe(ReadOnlySpan<byte> bytes, string? source, out long offset)
    {
        offset = 0;
        if (bytes.Length < 8)
        {
            throw LarderErrors.Format(source, 0, $"{bytes.Length} bytes are too few for an Arrow IPC schema message.");
        }

        int first = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        int headerLength;
        int length;
        if (first == -1)
        {
            headerLength = 8;
            length = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        }
        else if (first > 0 && first <= bytes.Length - 4 && (first & 7) == 0 && first >= 8 && LooksPrefixed(bytes, first))
        {
            headerLength = 4;
            length = first;
        }
        else
        {
            return bytes;
        }

        if (length <= 0 || length > bytes.Length - headerLength)
        {
            throw LarderErrors.Format(source, headerLength - 4, $"Arrow IPC schema message length {length} does not fit the {bytes.Length} bytes given.");
        }

        offset = headerLength;
        return bytes.Slice(headerLength, length);
    }

    // A bare flatbuffer starts with its root table offset, which could also pass as a legacy length prefix: treat the first
    // int32 as a length only when the flatbuffer after it starts with a root offset that lies inside it.
    private static bool LooksPrefixed(ReadOnlySpan<byte> bytes, int length)
    {
        uint root = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        return root >= 4 && root < (uint)length;
    }
}
