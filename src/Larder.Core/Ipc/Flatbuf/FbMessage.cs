namespace Larder.Ipc.Flatbuf;

/// <summary><c>FieldNode</c> struct of Message.fbs: one array at one level of the flattened schema tree.</summary>
internal readonly record struct FieldNode(long Length, long NullCount);

/// <summary><c>Buffer</c> struct of Schema.fbs: a byte range of the message body.</summary>
internal readonly record struct BufferSpec(long Offset, long Length);

/// <summary><c>Block</c> struct of File.fbs: where a message lies in an Arrow file.</summary>
/// <param name="Offset">Absolute file offset of the message (its continuation marker or length prefix).</param>
/// <param name="MetaDataLength">Bytes of prefix, flatbuffer and padding before the body.</param>
/// <param name="BodyLength">Bytes of the body.</param>
internal readonly record struct Block(long Offset, int MetaDataLength, long BodyLength);

/// <summary><c>BodyCompression</c> table of Message.fbs.</summary>
internal readonly record struct FbBodyCompression(FbCompressionCodec Codec, FbCompressionMethod Method = FbCompressionMethod.Buffer);

/// <summary>
/// <c>RecordBatch</c> table of Message.fbs. The node and buffer lists are held as memory over arrays decoded once; callers
/// must not write through them. Compares by value.
/// </summary>
internal sealed record FbRecordBatch : FbMessageHeader
{
    public FbRecordBatch(
        long length,
        ReadOnlyMemory<FieldNode> nodes,
        ReadOnlyMemory<BufferSpec> buffers,
        FbBodyCompression? compression = null,
        ReadOnlyMemory<long> variadicBufferCounts = default)
    {
        Length = length;
        Nodes = nodes;
        Buffers = buffers;
        Compression = compression;
        VariadicBufferCounts = variadicBufferCounts;
    }

    public override FbMessageHeaderType HeaderType => FbMessageHeaderType.RecordBatch;

    /// <summary>Number of rows.</summary>
    public long Length { get; }

    /// <summary>One node per array in the pre-order flattened schema; empty when absent.</summary>
    public ReadOnlyMemory<FieldNode> Nodes { get; }

    /// <summary>Body ranges in pre-order of the flattened buffer tree; empty when absent.</summary>
    public ReadOnlyMemory<BufferSpec> Buffers { get; }

    /// <summary>How the body buffers are compressed; null when they are not.</summary>
    public FbBodyCompression? Compression { get; }

    /// <summary>Variadic buffer counts of view-typed fields; empty when absent.</summary>
    public ReadOnlyMemory<long> VariadicBufferCounts { get; }

    public bool Equals(FbRecordBatch? other)
        => other is not null
            && Length == other.Length
            && Nodes.Span.SequenceEqual(other.Nodes.Span)
            && Buffers.Span.SequenceEqual(other.Buffers.Span)
            && Compression == other.Compression
            && VariadicBufferCounts.Span.SequenceEqual(other.VariadicBufferCounts.Span);

    public override int GetHashCode() => HashCode.Combine(Length, Nodes.Length, Buffers.Length, Compression);

    public override string ToString()
        => $"RecordBatch(length {Length}, {Nodes.Length} nodes, {Buffers.Length} buffers{(Compression is { } c ? ", " + c.Codec : string.Empty)})";
}

/// <summary><c>DictionaryBatch</c> table of Message.fbs. Compares by value.</summary>
internal sealed record FbDictionaryBatch : FbMessageHeader
{
    public FbDictionaryBatch(long id, FbRecordBatch data, bool isDelta = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        Id = id;
        Data = data;
        IsDelta = isDelta;
    }

    public override FbMessageHeaderType HeaderType => FbMessageHeaderType.DictionaryBatch;

    public long Id { get; }

    /// <summary>The dictionary values as a one-column record batch.</summary>
    public FbRecordBatch Data { get; }

    /// <summary>True: append to the dictionary with this id; false: replace it.</summary>
    public bool IsDelta { get; }
}

/// <summary><c>Message</c> table of Message.fbs: the metadata of one encapsulated IPC message. Compares by value.</summary>
internal sealed record FbMessage
{
    public FbMessage(
        MetadataVersion version,
        FbMessageHeader header,
        long bodyLength,
        IReadOnlyList<KeyValuePair<string, string>>? customMetadata = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        Version = version;
        Header = header;
        BodyLength = bodyLength;
        CustomMetadata = customMetadata;
    }

    public MetadataVersion Version { get; }

    /// <summary>An <see cref="FbSchema"/>, <see cref="FbRecordBatch"/> or <see cref="FbDictionaryBatch"/>.</summary>
    public FbMessageHeader Header { get; }

    /// <summary>Bytes of body that follow the metadata (a multiple of 8 in well-formed streams).</summary>
    public long BodyLength { get; }

    /// <summary>Key/value metadata of the message; null when absent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? CustomMetadata { get; }

    public bool Equals(FbMessage? other)
        => other is not null
            && Version == other.Version
            && Header.Equals(other.Header)
            && BodyLength == other.BodyLength
            && FbEquality.MetadataEqual(CustomMetadata, other.CustomMetadata);

    public override int GetHashCode() => HashCode.Combine(Version, Header, BodyLength);
}

/// <summary><c>Footer</c> table of File.fbs: the schema and the blocks of an Arrow file. Compares by value.</summary>
internal sealed record FbFooter
{
    public FbFooter(
        MetadataVersion version,
        FbSchema schema,
        ReadOnlyMemory<Block> dictionaries,
        ReadOnlyMemory<Block> recordBatches,
        IReadOnlyList<KeyValuePair<string, string>>? customMetadata = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Version = version;
        Schema = schema;
        Dictionaries = dictionaries;
        RecordBatches = recordBatches;
        CustomMetadata = customMetadata;
    }

    public MetadataVersion Version { get; }

    public FbSchema Schema { get; }

    /// <summary>The dictionary batch messages of the file; empty when absent.</summary>
    public ReadOnlyMemory<Block> Dictionaries { get; }

    /// <summary>The record batch messages of the file; empty when absent.</summary>
    public ReadOnlyMemory<Block> RecordBatches { get; }

    /// <summary>Key/value metadata of the file; null when absent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? CustomMetadata { get; }

    public bool Equals(FbFooter? other)
        => other is not null
            && Version == other.Version
            && Schema.Equals(other.Schema)
            && Dictionaries.Span.SequenceEqual(other.Dictionaries.Span)
            && RecordBatches.Span.SequenceEqual(other.RecordBatches.Span)
            && FbEquality.MetadataEqual(CustomMetadata, other.CustomMetadata);

    public override int GetHashCode() => HashCode.Combine(Version, Schema, Dictionaries.Length, RecordBatches.Length);
}

/// <summary>Structural equality helpers for the models.</summary>
internal static class FbEquality
{
    public static bool ListsEqual<T>(IReadOnlyList<T>? a, IReadOnlyList<T>? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a is null || b is null || a.Count != b.Count)
        {
            return false;
        }

        EqualityComparer<T> comparer = EqualityComparer<T>.Default;
        for (int i = 0; i < a.Count; i++)
        {
            if (!comparer.Equals(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Ordered key/value equality where null (absent) equals empty.</summary>
    public static bool MetadataEqual(IReadOnlyList<KeyValuePair<string, string>>? a, IReadOnlyList<KeyValuePair<string, string>>? b)
    {
        int count = a?.Count ?? 0;
        if (count != (b?.Count ?? 0))
        {
            return false;
        }

        for (int i = 0; i < count; i++)
        {
            if (!string.Equals(a![i].Key, b![i].Key, StringComparison.Ordinal) || !string.Equals(a[i].Value, b[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
