namespace Larder.Columnar;

/// <summary>
/// A named, typed column (or child of a nested type) with nullability and key/value metadata. Immutable; compares by value.
/// </summary>
public sealed class Field : IEquatable<Field>
{
    public Field(string name, ArrowType type, bool nullable = true, KeyValueMetadata? metadata = null)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Type = type ?? throw new ArgumentNullException(nameof(type));
        Nullable = nullable;
        Metadata = metadata ?? KeyValueMetadata.Empty;
    }

    public string Name { get; }

    public ArrowType Type { get; }

    public bool Nullable { get; }

    /// <summary>Key/value metadata in insertion order; never null (empty when absent).</summary>
    public KeyValueMetadata Metadata { get; }

    public Field WithName(string name) => new(name, Type, Nullable, Metadata);

    public Field WithType(ArrowType type) => new(Name, type, Nullable, Metadata);

    public Field WithNullable(bool nullable) => new(Name, Type, nullable, Metadata);

    public Field WithMetadata(KeyValueMetadata? metadata) => new(Name, Type, Nullable, metadata);

    public bool Equals(Field? other)
        => other is not null && other.Name == Name && other.Nullable == Nullable && other.Type.Equals(Type) && other.Metadata.Equals(Metadata);

    public override bool Equals(object? obj) => obj is Field f && Equals(f);

    public override int GetHashCode() => HashCode.Combine(Name, Type, Nullable);

    public override string ToString() => $"{Name}: {Type}{(Nullable ? string.Empty : " not null")}";
}
