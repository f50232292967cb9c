namespace Larder.Columnar;

/// <summary>Names the column (or struct field) a property maps to in <see cref="RecordMapper"/>; by default the property's name.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ArrowFieldAttribute : Attribute
{
    /// <param name="name">The column name; must not be null or empty.</param>
    public ArrowFieldAttribute(string name) => Name = name;

    /// <summary>The column name.</summary>
    public string Name { get; }
}

/// <summary>Excludes a property from <see cref="RecordMapper"/>: it gets no column and is not set when reading back.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ArrowIgnoreAttribute : Attribute
{
}

/// <summary>
/// Sets the decimal128 precision and scale that <see cref="RecordMapper"/> uses for the <see cref="decimal"/> values of a
/// property (also the items of a decimal list or the values of a decimal map). Without it decimals map to
/// <c>decimal128(38, 10)</c>. Writing a value with more fractional digits than <see cref="Scale"/>, or more integer digits
/// than <see cref="Precision"/> − <see cref="Scale"/>, throws <see cref="LarderUsageException"/> (values are never rounded).
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ArrowDecimalAttribute : Attribute
{
    /// <param name="precision">Total significant digits, 1..38.</param>
    /// <param name="scale">Digits after the decimal point, 0..min(precision, 28).</param>
    public ArrowDecimalAttribute(int precision, int scale)
    {
        Precision = precision;
        Scale = scale;
    }

    public int Precision { get; }

    public int Scale { get; }
}
