using System.Numerics;

namespace Larder.Arrays;

/// <summary>The kind of number an <see cref="NpyDType"/> holds (NumPy's <c>dtype.kind</c>).</summary>
public enum NpyKind
{
    /// <summary><c>b</c>: bool, one byte, 0 or 1.</summary>
    Bool,

    /// <summary><c>i</c>: signed two's-complement integer.</summary>
    Int,

    /// <summary><c>u</c>: unsigned integer.</summary>
    UInt,

    /// <summary><c>f</c>: IEEE 754 binary float (half, single, double).</summary>
    Float,

    /// <summary><c>c</c>: complex, two floats (real, imaginary).</summary>
    Complex,
}

/// <summary>Byte order of an <see cref="NpyDType"/>: NumPy's <c>&lt;</c>, <c>&gt;</c> or <c>|</c>.</summary>
public enum NpyByteOrder
{
    /// <summary><c>&lt;</c>: little-endian.</summary>
    Little,

    /// <summary><c>&gt;</c>: big-endian.</summary>
    Big,

    /// <summary><c>|</c>: not applicable (one-byte types).</summary>
    NotApplicable,
}

/// <summary>
/// A NumPy numeric dtype as written in an NPY header's <c>descr</c>: byte order, kind and item size, e.g. <c>&lt;f8</c>,
/// <c>&gt;i4</c>, <c>|b1</c>, <c>|u1</c>, <c>&lt;c16</c>. Only bool, integers, float16/32/64 and complex64/128 are
/// represented. Immutable value.
/// </summary>
public readonly record struct NpyDType
{
    private NpyDType(NpyKind kind, int itemSize, NpyByteOrder byteOrder)
    {
        Kind = kind;
        ItemSize = itemSize;
        ByteOrder = itemSize == 1 ? NpyByteOrder.NotApplicable : byteOrder;
    }

    public NpyKind Kind { get; }

    /// <summary>Bytes per element.</summary>
    public int ItemSize { get; }

    /// <summary><see cref="NpyByteOrder.NotApplicable"/> exactly when <see cref="ItemSize"/> is 1.</summary>
    public NpyByteOrder ByteOrder { get; }

    public static NpyDType Bool => new(NpyKind.Bool, 1, NpyByteOrder.NotApplicable);

    public static NpyDType Int8 => new(NpyKind.Int, 1, NpyByteOrder.NotApplicable);

    public static NpyDType Int16 => new(NpyKind.Int, 2, NpyByteOrder.Little);

    public static NpyDType Int32 => new(NpyKind.Int, 4, NpyByteOrder.Little);

    public static NpyDType Int64 => new(NpyKind.Int, 8, NpyByteOrder.Little);

    public static NpyDType UInt8 => new(NpyKind.UInt, 1, NpyByteOrder.NotApplicable);

    public static NpyDType UInt16 => new(NpyKind.UInt, 2, NpyByteOrder.Little);

    public static NpyDType UInt32 => new(NpyKind.UInt, 4, NpyByteOrder.Little);

    public static NpyDType UInt64 => new(NpyKind.UInt, 8, NpyByteOrder.Little);

    public static NpyDType Float16 => new(NpyKind.Float, 2, NpyByteOrder.Little);

    public static NpyDType Float32 => new(NpyKind.Float, 4, NpyByteOrder.Little);

    public static NpyDType Float64 => new(NpyKind.Float, 8, NpyByteOrder.Little);

    public static NpyDType Complex64 => new(NpyKind.Complex, 8, NpyByteOrder.Little);

    public static NpyDType Complex128 => new(NpyKind.Complex, 16, NpyByteOrder.Little);

    /// <summary>Every supported dtype, little-endian.</summary>
    public static IReadOnlyList<NpyDType> All { get; } =
        [Bool, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, Float16, Float32, Float64, Complex64, Complex128];

    /// <summary>True when the bytes need swapping to be read on this (little-endian) machine.</summary>
    public bool IsBigEndian => ByteOrder == NpyByteOrder.Big;

    /// <summary>The same dtype in little-endian order (unchanged for one-byte types).</summary>
    public NpyDType ToLittleEndian() => new(Kind, ItemSize, NpyByteOrder.Little);

    /// <summary>The same dtype in big-endian order (unchanged for one-byte types).</summary>
    public NpyDType ToBigEndian() => new(Kind, ItemSize, NpyByteOrder.Big);

    /// <summary>
    /// The element type <see cref="NDArray.AsSpan{T}"/> uses: bool, sbyte, short, int, long, byte, ushort, uint, ulong,
    /// Half, float, double, <see cref="Arrays.Complex64"/>, <see cref="System.Numerics.Complex"/>.
    /// </summary>
    public Type ClrType => (Kind, ItemSize) switch
    {
        (NpyKind.Bool, _) => typeof(bool),
        (NpyKind.Int, 1) => typeof(sbyte),
        (NpyKind.Int, 2) => typeof(short),
        (NpyKind.Int, 4) => typeof(int),
        (NpyKind.Int, _) => typeof(long),
        (NpyKind.UInt, 1) => typeof(byte),
        (NpyKind.UInt, 2) => typeof(ushort),
        (NpyKind.UInt, 4) => typeof(uint),
        (NpyKind.UInt, _) => typeof(ulong),
        (NpyKind.Float, 2) => typeof(Half),
        (NpyKind.Float, 4) => typeof(float),
        (NpyKind.Float, _) => typeof(double),
        (NpyKind.Complex, 8) => typeof(Complex64),
        _ => typeof(Complex),
    };

    /// <summary>The little-endian dtype of element type <typeparamref name="T"/>.</summary>
    /// <exception cref="LarderUsageException"><typeparamref name="T"/> has no NumPy dtype.</exception>
    public static NpyDType Of<T>()
        where T : unmanaged
        => TryOf(typeof(T), out var d) ? d : throw LarderErrors.NDArrayUnsupportedType(typeof(T));

    /// <summary>The little-endian dtype of <paramref name="type"/>, if it has one.</summary>
    public static bool TryOf(Type type, out NpyDType dtype)
    {
        foreach (var d in All)
        {
            if (d.ClrType == type)
            {
                dtype = d;
                return true;
            }
        }

        dtype = default;
        return false;
    }

    /// <summary>
    /// Parses a NumPy type string: a byte-order character (<c>&lt;</c>, <c>&gt;</c>, <c>|</c>, or <c>=</c> for this
    /// machine's order), a kind (<c>b i u f c</c>) and the item size in bytes. A one-byte type takes any order character.
    /// </summary>
    /// <returns>False for anything else (strings, objects, dates, other sizes, missing order character).</returns>
    public static bool TryParse(string? text, out NpyDType dtype)
    {
        dtype = default;
        if (text is null || text.Length < 3 || text.Length > 4)
        {
            return false;
        }

        NpyByteOrder order;
        switch (text[0])
        {
            case '<':
            case '=':
                order = NpyByteOrder.Little;
                break;
            case '>':
                order = NpyByteOrder.Big;
                break;
            case '|':
                order = NpyByteOrder.NotApplicable;
                break;
            default:
                return false;
        }

        NpyKind kind;
        switch (text[1])
        {
            case 'b': kind = NpyKind.Bool; break;
            case 'i': kind = NpyKind.Int; break;
            case 'u': kind = NpyKind.UInt; break;
            case 'f': kind = NpyKind.Float; break;
            case 'c': kind = NpyKind.Complex; break;
            default: return false;
        }

        int size = text[2..] switch
        {
            "1" => 1,
            "2" => 2,
            "4" => 4,
            "8" => 8,
            "16" => 16,
            _ => 0,
        };
        bool valid = kind switch
        {
            NpyKind.Bool => size == 1,
            NpyKind.Int or NpyKind.UInt => size is 1 or 2 or 4 or 8,
            NpyKind.Float => size is 2 or 4 or 8,
            _ => size is 8 or 16,
        };

        // "|" on a multi-byte type is ambiguous; numpy never writes it.
        if (!valid || (order == NpyByteOrder.NotApplicable && size != 1))
        {
            return false;
        }

        dtype = new NpyDType(kind, size, order);
        return true;
    }

    /// <summary>Parses a NumPy type string; see <see cref="TryParse"/>.</summary>
    /// <exception cref="LarderNotSupportedException">It is not a supported numeric type string.</exception>
    public static NpyDType Parse(string text)
        => TryParse(text, out var d) ? d : throw LarderErrors.NpyUnsupportedDType(null, text);

    /// <summary>The type string numpy writes, e.g. <c>&lt;f8</c>, <c>|b1</c>, <c>&gt;i4</c>.</summary>
    public override string ToString()
    {
        if (ItemSize == 0)
        {
            return "(none)";
        }

        char order = ByteOrder switch { NpyByteOrder.Little => '<', NpyByteOrder.Big => '>', _ => '|' };
        char kind = Kind switch
        {
            NpyKind.Bool => 'b',
            NpyKind.Int => 'i',
            NpyKind.UInt => 'u',
            NpyKind.Float => 'f',
            _ => 'c',
        };
        return $"{order}{kind}{ItemSize}";
    }
}
