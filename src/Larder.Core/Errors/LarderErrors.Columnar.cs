using Larder.Columnar;

namespace Larder;

public static partial class LarderErrors
{
    public static LarderFormatException BufferTooLarge(long length)
        => new($"a buffer of {length} bytes is over the 2 GiB limit of one buffer; split the data into smaller record batches.");

    public static LarderFormatException InvalidArray(string? source, string what)
        => new(Describe(source, null) + $"invalid array data: {what}; the input is corrupt or was written by a faulty writer.", source);

    public static ArgumentException ColumnLengthMismatch(string name, int length, int expected)
        => new($"column '{name}' has {length} rows but the batch has {expected}; give every column the same length.");

    public static ArgumentException ColumnTypeMismatch(string name, ArrowType actual, ArrowType expected)
        => new($"column '{name}' is {actual} but the schema says {expected}; build the column with the schema's type.");

    public static ArgumentException SchemaMismatch(string what)
        => new($"record batches do not share one schema: {what}; convert them to one schema first.");

    public static LarderNotFoundException ColumnNotFound(string name, IEnumerable<string> available)
        => new($"no column named '{name}'; the columns are: {string.Join(", ", available)}.");

    public static InvalidCastException ValueConversion(object value, ArrowType type)
        => new($"cannot store a {value.GetType().Name} value '{value}' in a {type} column; convert it first.");
}
