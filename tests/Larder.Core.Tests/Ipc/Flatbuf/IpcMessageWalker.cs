using System.Buffers.Binary;
using Larder.Ipc.Flatbuf;

namespace Larder.Core.Tests.Ipc.Flatbuf;

/// <summary>
/// A minimal walker of Arrow IPC framing for the flatbuffer tests: it finds each message's flatbuffer in a stream or file
/// and decodes it with <see cref="ArrowFlatbuf"/>. Bodies are skipped, not read. Framing errors throw
/// <see cref="LarderFormatException"/>, so hostile input either walks or fails with that exception only.
/// </summary>
internal static class IpcMessageWalker
{
    private static readonly byte[] Magic = "ARROW1"u8.ToArray();

    /// <summary>One framed message: where its flatbuffer lies and what it decoded to.</summary>
    internal sealed record Framed(long Offset, int MetadataOffset, int MetadataLength, FbMessage Message);

    public static bool IsFile(ReadOnlySpan<byte> data) => data.Length >= 6 && data[..6].SequenceEqual(Magic);

    /// <summary>Walks the messages of an IPC stream from <paramref name="start"/> until end of stream or end of data.</summary>
    public static List<Framed> WalkStream(byte[] data, string source, int start = 0)
    {
        var messages = new List<Framed>();
        long position = start;
        while (position < data.Length)
        {
            Framed? framed = ReadFramed(data, source, position);
            if (framed is null)
            {
                break; // end-of-stream marker
            }

            messages.Add(framed);
            position = framed.MetadataOffset + (long)framed.MetadataLength;
            if (framed.Message.BodyLength > data.Length - position)
            {
                throw LarderErrors.Truncated(source, position, "a message body");
            }

            position += framed.Message.BodyLength;
        }

        return messages;
    }

    /// <summary>Decodes the footer of an Arrow file (magic, footer flatbuffer, int32 length, magic).</summary>
    public static FbFooter ReadFooter(byte[] data, string source)
    {
        if (data.Length < 18 || !IsFile(data) || !data.AsSpan(data.Length - 6).SequenceEqual(Magic))
        {
            throw LarderErrors.Format(source, 0, "not an Arrow file (no ARROW1 magic at both ends)");
        }

        int footerLength = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(data.Length - 10, 4));
        long footerStart = data.Length - 10L - footerLength;
        if (footerLength <= 0 || footerStart < 8)
        {
            throw LarderErrors.Format(source, data.Length - 10, $"invalid footer length {footerLength}");
        }

        return ArrowFlatbuf.ReadFooter(data.AsSpan((int)footerStart, footerLength), source, footerStart);
    }

    /// <summary>Walks an Arrow file: its footer, the schema message at byte 8, and every block the footer lists.</summary>
    public static (FbFooter Footer, List<Framed> Messages) WalkFile(byte[] data, string source)
    {
        FbFooter footer = ReadFooter(data, source);
        var messages = new List<Framed>();
        Framed? schema = ReadFramed(data, source, 8);
        if (schema is not null)
        {
            messages.Add(schema);
        }

        foreach (Block block in footer.Dictionaries.Span.ToArray().Concat(footer.RecordBatches.Span.ToArray()))
        {
            if (block.Offset > data.Length - 8 || block.MetaDataLength > data.Length - block.Offset)
            {
                throw LarderErrors.Format(source, block.Offset, "a footer block lies outside the file");
            }

            Framed framed = ReadFramed(data, source, block.Offset)
                ?? throw LarderErrors.Format(source, block.Offset, "a footer block points at an end-of-stream marker");
            messages.Add(framed);
        }

        return (footer, messages);
    }

    /// <summary>Reads the framing at <paramref name="position"/>: [0xFFFFFFFF] int32 length, flatbuffer; null at end of stream.</summary>
    private static Framed? ReadFramed(byte[] data, string source, long position)
    {
        long at = position;
        if (at + 4 > data.Length)
        {
            throw LarderErrors.Truncated(source, at, "a message length");
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan((int)at, 4));
        at += 4;
        if (length == -1)
        {
            if (at + 4 > data.Length)
            {
                throw LarderErrors.Truncated(source, at, "a message length");
            }

            length = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan((int)at, 4));
            at += 4;
        }

        if (length == 0)
        {
            return null;
        }

        if (length < 0 || length > data.Length - at)
        {
            throw LarderErrors.Truncated(source, at, $"a {length}-byte message flatbuffer");
        }

        FbMessage message = ArrowFlatbuf.ReadMessage(data.AsSpan((int)at, length), source, at);
        return new Framed(position, (int)at, length, message);
    }
}
