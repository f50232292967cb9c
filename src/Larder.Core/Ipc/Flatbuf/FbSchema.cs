namespace Larder.Ipc.Flatbuf;

/// <summary>
/// <c>DictionaryEncoding</c> of Schema.fbs: the field's values are indexes (of <see cref="IndexType"/>) into dictionary
/// <see cref="Id"/>. Immutable, compares by value.
/// </summary>
internal sealed record FbDictionaryEncoding
{
    /// <summary>
    /// A dictionary encoding; <paramref name="indexType"/> null means the format's default, signed 32-bit
    /// (<see cref="FbType.Int32"/>). A non-null index type must be of kind <see cref="FbTypeKind.Int"/>.
    /// </summary>
    public FbDictionaryEncoding(long id, FbType? indexType = null, bool isOrdered = false, FbDictionaryKind kind = FbDictionaryKind.DenseArray)
    {
        if (indexType is not null && indexType.Kind != FbTypeKind.Int)
        {
            throw new ArgumentException($"a dictionary index type must be an Int, not {indexType}.", nameof(indexType));
        }

        Id = id;
        IndexType = indexType ?? FbType.Int32;
        IsOrdered = isOrdered;
        Kind = kind;
    }

    public long Id { get; }

    /// <summary>The index type, always of kind Int; signed 32-bit when the flatbuffer leaves it out.</summary>
    public FbType IndexType { get; }

    public bool IsOrdered { get; }

    public FbDictionaryKind Kind { get; }
}

/// <summary>
/// <c>Field</c> of Schema.fbs. <see cref="Type"/> is the logical value type (for a dictionary-encoded field, the type of
/// the dictionary's values; the index type is in <see cref="Dictionary"/>). Immutable, compares by value (null and empty
/// custom metadata are equal).
/// </summary>
internal sealed record FbField
{
    public FbField(
        string? name,
        bool nullable,
        FbType type,
        FbDictionaryEncoding? dictionary = null,
        IReadOnlyList<FbField>? children = null,
        IReadOnlyList<KeyValuePair<string, string>>? customMetadata = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        Name = name;
        Nullable = nullable;
        Type = type;
        Dictionary = dictionary;
        Children = children ?? [];
        CustomMetadata = customMetadata;
    }

    /// <summary>The field name; null when absent (allowed, e.g. for list items).</summary>
    public string? Name { get; }

    public bool Nullable { get; }

    public FbType Type { get; }

    /// <summary>Present only when the field is dictionary encoded.</summary>
    public FbDictionaryEncoding? Dictionary { get; }

    /// <summary>Child fields of nested types; empty (never null) for other types.</summary>
    public IReadOnlyList<FbField> Children { get; }

    /// <summary>Key/value metadata in stored order (duplicates kept); null when absent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? CustomMetadata { get; }

    public bool Equals(FbField? other)
        => other is not null
            && string.Equals(Name, other.Name, StringComparison.Ordinal)
            && Nullable == other.Nullable
            && Type.Equals(other.Type)
            && Equals(Dictionary, other.Dictionary)
            && FbEquality.ListsEqual(Children, other.Children)
            && FbEquality.MetadataEqual(CustomMetadata, other.CustomMetadata);

    public override int GetHashCode() => HashCode.Combine(Name, Nullable, Type, Dictionary, Children.Count);

    public override string ToString()
        => $"{Name ?? "(unnamed)"}: {(Dictionary is null ? string.Empty : $"Dictionary<{Dictionary.IndexType}, id {Dictionary.Id}> of ")}{Type}"
            + (Children.Count == 0 ? string.Empty : "<" + string.Join(", ", Children) + ">")
            + (Nullable ? string.Empty : " not null");
}

/// <summary>
/// The header of an Arrow IPC message (the <c>MessageHeader</c> union): <see cref="FbSchema"/>,
/// <see cref="FbRecordBatch"/> or <see cref="FbDictionaryBatch"/>. Tensor headers are refused when read.
/// </summary>
internal abstract record FbMessageHeader
{
    private protected FbMessageHeader()
    {
    }

    /// <summary>The union discriminant of this header.</summary>
    public abstract FbMessageHeaderType HeaderType { get; }
}

/// <summary><c>Schema</c> of Schema.fbs. Immutable, compares by value (null and empty custom metadata are equal).</summary>
internal sealed record FbSchema : FbMessageHeader
{
    public FbSchema(
        IReadOnlyList<FbField> fields,
        IReadOnlyList<KeyValuePair<string, string>>? customMetadata = null,
        FbEndianness endianness = FbEndianness.Little,
        IReadOnlyList<long>? features = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        Fields = fields;
        CustomMetadata = customMetadata;
        Endianness = endianness;
        Features = features ?? [];
    }

    public override FbMessageHeaderType HeaderType => FbMessageHeaderType.Schema;

    /// <summary>Byte order of the bodies that follow; Little unless stated.</summary>
    public FbEndianness Endianness { get; }

    /// <summary>The top-level fields; empty when absent.</summary>
    public IReadOnlyList<FbField> Fields { get; }

    /// <summary>Key/value metadata in stored order; null when absent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? CustomMetadata { get; }

    /// <summary>Raw <c>Feature</c> values (see <see cref="FbFeature"/>); unknown values are kept, empty when absent.</summary>
    public IReadOnlyList<long> Features { get; }

    public bool Equals(FbSchema? other)
        => other is not null
            && Endianness == other.Endianness
            && FbEquality.ListsEqual(Fields, other.Fields)
            && FbEquality.MetadataEqual(CustomMetadata, other.CustomMetadata)
            && FbEquality.ListsEqual(Features, other.Features);

    public override int GetHashCode() => HashCode.Combine(Endianness, Fields.Count, Features.Count);

    public override string ToString() => $"Schema({string.Join(", ", Fields)})";
}
