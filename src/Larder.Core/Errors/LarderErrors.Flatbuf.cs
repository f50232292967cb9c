namespace Larder;

/// <summary>Errors of the FlatBuffers layer of Arrow IPC metadata (<c>Larder.Ipc.Flatbuf</c>).</summary>
public static partial class LarderErrors
{
    private const string FlatbufHint = "the Arrow IPC metadata is corrupt or was not written by an Arrow writer.";

    /// <summary>A FlatBuffers structure (offset, vtable, vector, string) is malformed at <paramref name="offset"/>.</summary>
    public static LarderFormatException FlatbufMalformed(string? source, long offset, string what)
        => Format(source, offset, $"malformed Arrow flatbuffer: {what}; {FlatbufHint}");

    /// <summary>A FlatBuffers reference or length points outside the buffer that holds it.</summary>
    public static LarderFormatException FlatbufOutOfBounds(string? source, long offset, string what, long end, long bufferLength)
        => Format(source, offset, $"malformed Arrow flatbuffer: {what} extends to byte {end} of a {bufferLength}-byte flatbuffer; {FlatbufHint}");

    /// <summary>A FlatBuffers buffer is too short to hold even its root offset.</summary>
    public static LarderFormatException FlatbufTooShort(string? source, long offset, int length)
        => Format(source, offset, $"malformed Arrow flatbuffer: {length} bytes are too few for a flatbuffer (at least 8 are needed); {FlatbufHint}");

    /// <summary>Nested tables go deeper than the reader allows (a guard against stack exhaustion).</summary>
    public static LarderFormatException FlatbufTooDeep(string? source, long offset, string what, int maxDepth)
        => Format(source, offset, $"malformed Arrow flatbuffer: {what} is nested more than {maxDepth} levels deep; {FlatbufHint}");

    /// <summary>Decoding would visit more objects or materialize more bytes than the buffer can legitimately describe.</summary>
    public static LarderFormatException FlatbufAmplification(string? source, long offset, string what, long limit)
        => Format(source, offset, $"malformed Arrow flatbuffer: decoding {what} exceeds the limit of {limit} for this buffer's size (shared or looping references); {FlatbufHint}");

    /// <summary>A field the Arrow format requires is absent.</summary>
    public static LarderFormatException FlatbufMissingField(string? source, long offset, string field)
        => Format(source, offset, $"malformed Arrow flatbuffer: {field} is required but absent; {FlatbufHint}");

    /// <summary>An enum field holds a value the Arrow format does not define.</summary>
    public static LarderFormatException FlatbufUnknownEnum(string? source, long offset, string field, long value)
        => Format(source, offset, $"malformed Arrow flatbuffer: {field} has the unknown value {value}; {FlatbufHint}");

    /// <summary>A scalar field holds a value outside its valid range (a negative length, a null count above the length).</summary>
    public static LarderFormatException FlatbufInvalidValue(string? source, long offset, string what)
        => Format(source, offset, $"invalid Arrow IPC metadata: {what}; {FlatbufHint}");

    /// <summary>A string field is not valid UTF-8.</summary>
    public static LarderFormatException FlatbufInvalidUtf8(string? source, long offset, string what)
        => Format(source, offset, $"malformed Arrow flatbuffer: {what} is not valid UTF-8; {FlatbufHint}");

    /// <summary>A well-formed Arrow message or type this version does not handle (Tensor, SparseTensor, a newer type id).</summary>
    public static LarderNotSupportedException FlatbufUnsupported(string? source, long? offset, string what, string hint)
        => new(Describe(source, offset) + $"{what} is not supported; {hint}", source, offset);

    /// <summary>The metadata to write does not fit the 2 GiB limit of one flatbuffer.</summary>
    public static LarderNotSupportedException FlatbufTooLarge(long size)
        => new($"Arrow IPC metadata of {size} bytes is not supported (a flatbuffer is limited to 2 GiB); write fewer columns or smaller batches.");

    /// <summary>A model handed to the writer cannot be encoded (nested too deeply, or holding a value the format cannot carry).</summary>
    public static LarderUsageException FlatbufInvalidModel(string what)
        => new($"cannot write Arrow IPC metadata: {what}; fix the schema or batch description.");
}
