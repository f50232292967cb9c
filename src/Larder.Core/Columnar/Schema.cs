namespace Larder.Columnar;

/// <summary>The fields of a table or record batch, with schema-level key/value metadata. Immutable; compares by value.</summary>
public sealed class Schema : IEquatable<Schema>
{
    public Schema(IEnumerable<Field> fields, KeyValueMetadata? metadata = null)
    {
        Fields = fields?.ToArray() ?? throw new ArgumentNullException(nameof(fields));
        Metadata = metadata ?? KeyValueMetadata.Empty;
    }

    public IReadOnlyList<Field> Fields { get; }

    public KeyValueMetadata Metadata { get; }

    public int Count => Fields.Count;

    public Field this[int index] => Fields[index];

    /// <summary>Index of the first field named <paramref name="name"/>, or -1.</summary>
    public int GetFieldIndex(string name)
    {
        for (int i = 0; i < Fields.Count; i++)
        {
            if (Fields[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    public Schema WithMetadata(KeyValueMetadata? metadata) => new(Fields, metadata);

    public bool Equals(Schema? other) => other is not null && other.Fields.SequenceEqual(Fields) && other.Metadata.Equals(Metadata);

    public override bool Equals(object? obj) => obj is Schema s && Equals(s);

    public override int GetHashCode() => Fields.Count;

    public override string ToString() => string.Join(Environment.NewLine, Fields);
}
