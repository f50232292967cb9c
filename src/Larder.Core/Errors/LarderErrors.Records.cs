using System.Text;
using Larder.Columnar;

namespace Larder;

/// <summary>
/// Errors of the record mapper (<see cref="RecordMapper"/>: .NET objects to and from record batches) and of physical array
/// concatenation (<see cref="ArrayConcatenator"/>).
/// </summary>
public static partial class LarderErrors
{
    private const string RecordSupportedTypes =
        "bool, the integer and floating-point types, decimal, string, byte[], ReadOnlyMemory<byte>, Guid, DateTime, DateTimeOffset, "
        + "DateOnly, TimeOnly, TimeSpan, enums, Nullable<T> of those, arrays and lists, dictionaries, and classes or records of those";

    /// <summary>A property's type has no Arrow mapping.</summary>
    public static LarderUsageException RecordUnsupportedType(string path, Type type, string reason)
        => new($"property {path} has type {RecordTypeDisplayName(type)}, which RecordMapper cannot map to an Arrow column ({reason}); "
            + $"use one of {RecordSupportedTypes}, or mark the property [ArrowIgnore].");

    /// <summary>The record type itself cannot be a row (it is not a class or struct with properties).</summary>
    public static LarderUsageException RecordUnsupportedRecordType(Type type, string reason)
        => new($"{RecordTypeDisplayName(type)} cannot be mapped to record batch rows ({reason}); map a class, record or struct whose public properties are the columns.");

    /// <summary>A type refers to itself (directly or through other types), which no Arrow schema can describe.</summary>
    public static LarderUsageException RecordRecursiveType(string path, Type type)
        => new($"property {path} makes {RecordTypeDisplayName(type)} contain itself; Arrow schemas cannot be recursive, so mark the property [ArrowIgnore] or map a non-recursive type.");

    /// <summary>Two properties of one type map to the same column name.</summary>
    public static LarderUsageException RecordDuplicateField(Type type, string name)
        => new($"{RecordTypeDisplayName(type)} has two properties mapped to the column '{name}'; give one of them another name with [ArrowField(\"...\")].");

    /// <summary>A type that becomes a struct has no mappable property.</summary>
    public static LarderUsageException RecordNoProperties(string path, Type type)
        => new($"{path}: {RecordTypeDisplayName(type)} has no public readable properties to map; add properties or mark the property [ArrowIgnore].");

    /// <summary>An <see cref="ArrowDecimalAttribute"/> has parameters Arrow or <see cref="decimal"/> cannot hold.</summary>
    public static LarderUsageException RecordInvalidDecimal(string path, int precision, int scale)
        => new($"property {path} has [ArrowDecimal({precision}, {scale})]; precision must be 1..38 and scale 0..min(precision, 28).");

    /// <summary>A record in the input sequence is null.</summary>
    public static LarderUsageException RecordNullRecord(Type type, long index)
        => new($"record {index} of the {RecordTypeDisplayName(type)} sequence is null; a record batch has no null rows, so filter out nulls first.");

    /// <summary>A value declared non-nullable (a non-nullable reference annotation, a map key) is null.</summary>
    public static LarderUsageException RecordNullValue(string path, Type type)
        => new($"property {path} is declared non-nullable ({RecordTypeDisplayName(type)}) but a value is null; declare it nullable ({RecordTypeDisplayName(type)}?) or give it a value.");

    /// <summary>A decimal value does not fit the decimal128 type of its column.</summary>
    public static LarderUsageException RecordDecimalOutOfRange(string path, decimal value, ArrowType type)
        => new($"property {path}: {value} does not fit {type} (too many fractional digits or integer digits); set [ArrowDecimal(precision, scale)] on the property to a type that holds it.");

    /// <summary>Reading back: the batch (or struct) has no column for a property.</summary>
    public static LarderUsageException RecordColumnMissing(string path, string column, IEnumerable<string> available)
        => new($"no column '{column}' for property {path}; the columns are: {string.Join(", ", available)}. Rename with [ArrowField(\"...\")] or mark the property [ArrowIgnore].");

    /// <summary>Reading back: a column's type cannot be read into the property's type.</summary>
    public static LarderUsageException RecordColumnType(string path, Type clrType, ArrowType actual, string expected)
        => new($"property {path} ({RecordTypeDisplayName(clrType)}) cannot be read from a {actual} column; it reads {expected}. Change the property type or convert the column.");

    /// <summary>Reading back: a null value meets a property that cannot hold null.</summary>
    public static LarderUsageException RecordNullInNonNullable(string path, Type clrType, int row)
        => new($"property {path} is {RecordTypeDisplayName(clrType)}, which cannot hold the null at row {row}; declare it {RecordTypeDisplayName(clrType)}?.");

    /// <summary>Reading back: a stored value cannot be represented by the property's type.</summary>
    public static LarderUsageException RecordValueOutOfRange(string path, Type clrType, string what)
        => new($"property {path} ({RecordTypeDisplayName(clrType)}) cannot hold {what}; use a wider property type.");

    /// <summary>Reading back: no constructor can create the type.</summary>
    public static LarderUsageException RecordNoConstructor(Type type)
        => new($"{RecordTypeDisplayName(type)} cannot be created when reading rows back: it needs a public parameterless constructor, "
            + "or a public constructor whose parameters match mapped properties by name and type (as a positional record has).");

    /// <summary>Concatenation was asked to join nothing.</summary>
    public static ArgumentException ConcatNothing(string what)
        => new($"nothing to concatenate: give at least one {what}.");

    /// <summary>Concatenation inputs of different types.</summary>
    public static ArgumentException ConcatTypeMismatch(int index, ArrowType actual, ArrowType expected)
        => new($"cannot concatenate arrays of different types: input {index} is {actual} but input 0 is {expected}; cast them to one type first.");

    /// <summary>The concatenated result would have more rows than one array can hold.</summary>
    public static LarderUsageException ConcatTooLong(ArrowType type, long length)
        => new($"concatenating {type} arrays would give {length} values, over the {int.MaxValue} a single array holds; concatenate fewer arrays (keep them as separate batches).");

    /// <summary>The concatenated data of a type with int32 offsets would pass 2 GiB.</summary>
    public static LarderUsageException ConcatOffsetOverflow(ArrowType type, long total, string unit)
        => new($"concatenating {type} arrays would give {total} {unit}, over the {int.MaxValue} that int32 offsets address; use the large types (large_utf8, large_binary, large_list) or concatenate fewer arrays.");

    /// <summary>Merged dictionaries have more entries than the index type can address.</summary>
    public static ArgumentException ConcatDictionaryIndexOverflow(ArrowType indexType, long dictionaryLength)
        => new($"concatenating dictionary arrays with different dictionaries gives a dictionary of {dictionaryLength} values, more than {indexType} indices address; use a wider index type or unify the dictionaries first.");

    /// <summary>Readable name of a (generic, nullable, array) type: <c>List&lt;Int32&gt;</c>, <c>Int32?</c>.</summary>
    internal static string RecordTypeDisplayName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is Type underlying)
        {
            return RecordTypeDisplayName(underlying) + "?";
        }

        if (type.IsArray)
        {
            return RecordTypeDisplayName(type.GetElementType()!) + "[]";
        }

        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var sb = new StringBuilder();
        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        sb.Append(tick >= 0 ? name[..tick] : name).Append('<');
        var args = type.GetGenericArguments();
        for (int i = 0; i < args.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append(RecordTypeDisplayName(args[i]));
        }

        return sb.Append('>').ToString();
    }
}
