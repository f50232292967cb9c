namespace Larder;

/// <summary>Messages for n-dimensional arrays and the NPY/NPZ formats (DESIGN §9).</summary>
public static partial class LarderErrors
{
    /// <summary>The first bytes are not the NPY magic <c>\x93NUMPY</c>.</summary>
    public static LarderFormatException NpyBadMagic(string? source)
        => Format(source, 0, "not an NPY file (the magic bytes \\x93NUMPY are missing); check that it was written by numpy.save.");

    /// <summary>An NPY format version other than 1.0, 2.0 or 3.0.</summary>
    public static LarderNotSupportedException NpyUnsupportedVersion(string? source, int major, int minor)
        => NotSupported(source, $"NPY format version {major}.{minor}", "only versions 1.0, 2.0 and 3.0 are read; save it again with numpy.save.");

    /// <summary>The header dictionary is not the Python literal numpy writes.</summary>
    public static LarderFormatException NpyBadHeader(string? source, long? offset, string detail)
        => Format(source, offset, $"the NPY header is malformed ({detail}); the file is damaged or was not written by numpy.save.");

    /// <summary>A header longer than the reader accepts.</summary>
    public static LarderFormatException NpyHeaderTooLong(string? source, long length, long limit)
        => Format(source, 8, $"the NPY header claims {length} bytes, more than the limit of {limit}; the file is damaged or hostile.");

    /// <summary>A <c>descr</c> this reader does not handle (strings, objects, dates, structured records).</summary>
    public static LarderNotSupportedException NpyUnsupportedDType(string? source, string descr)
        => NotSupported(source, $"NPY dtype '{descr}'", "only bool, integer, float16/32/64 and complex64/128 arrays are read; convert the array with astype first.");

    /// <summary>The shape's element count times the item size overflows or exceeds what one array can hold.</summary>
    public static LarderFormatException NpyArrayTooLarge(string? source, string shape, string descr)
        => Format(source, null, $"the NPY shape {shape} of '{descr}' needs more than {NDArrayMaxBytesText} bytes; the header is damaged, or split the array.");

    /// <summary>Fewer data bytes remain than the header's shape needs.</summary>
    public static LarderFormatException NpyDataTruncated(string? source, long offset, long needed, long available)
        => Format(source, offset, $"the NPY data needs {needed} bytes but only {available} remain; the file is truncated or its header is damaged.");

    /// <summary>An element type that does not match the array's dtype.</summary>
    public static LarderUsageException NDArrayTypeMismatch(string dtype, Type requested)
        => Usage($"the array's dtype is '{dtype}' but {requested.Name} was requested; use the element type that matches the dtype (see NpyDType.ClrType).");

    /// <summary>A CLR element type with no NumPy dtype.</summary>
    public static LarderUsageException NDArrayUnsupportedType(Type type)
        => Usage($"{type.Name} has no NumPy dtype; use bool, an integer type, Half, float, double, Complex64 or System.Numerics.Complex.");

    /// <summary>A shape with a negative dimension or too many dimensions, or whose size does not fit.</summary>
    public static LarderUsageException NDArrayBadShape(string shape, string reason)
        => Usage($"the array shape {shape} is not valid: {reason}.");

    /// <summary>An element index with the wrong rank or out of bounds.</summary>
    public static LarderUsageException NDArrayBadIndex(string index, string shape)
        => Usage($"the index {index} does not address an element of an array of shape {shape}; give one in-bounds index per dimension.");

    /// <summary>An NPZ archive without the named array.</summary>
    public static LarderNotFoundException NpzEntryNotFound(string? source, string name)
        => new($"{Describe(source, null)}no array named '{name}' in the NPZ archive; list the names with NpzReader.Names.");

    /// <summary>An NPZ archive whose zip structure is unreadable.</summary>
    public static LarderFormatException NpzCorrupt(string? source, Exception inner)
        => Format(source, null, $"the NPZ archive is not a readable zip file ({inner.Message}); the file is damaged or not an NPZ archive.", inner);

    /// <summary>An array name that cannot become an NPZ entry.</summary>
    public static LarderUsageException NpzBadName(string name)
        => Usage($"'{name}' cannot name an array in an NPZ archive; use a non-empty name without '/' or '\\' that is not already used.");

    private const string NDArrayMaxBytesText = "2147483591";
}
