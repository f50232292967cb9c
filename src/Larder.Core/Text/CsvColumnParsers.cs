using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Larder.Columnar;
using Larder.Memory;

namespace Larder.Text;

/// <summary>Outcome of appending one field to a column.</summary>
internal enum ParseStatus
{
    Ok,
    Mismatch,
    NullNotAllowed,
}

/// <summary>The reader-wide settings that column parsers share. Immutable; thread safe.</summary>
internal sealed class CsvValueConfig
{
    public CsvValueConfig(CsvReadOptions options)
    {
        Nulls = new Utf8TokenSet(options.NullValues);
        Trues = new Utf8TokenSet(options.TrueValues);
        Falses = new Utf8TokenSet(options.FalseValues);
    }

    public Utf8TokenSet Nulls { get; }

    public Utf8TokenSet Trues { get; }

    public Utf8TokenSet Falses { get; }

    public bool TryParseBool(ReadOnlySpan<byte> value, out bool result)
    {
        if (Trues.Contains(value))
        {
            result = true;
            return true;
        }

        result = false;
        return Falses.Contains(value);
    }
}

/// <summary>
/// Converts the fields of one column into an array builder. A new instance per block (it owns its builder); not
/// thread safe. Unquoted null tokens are nulls; a quoted field is never null.
/// </summary>
internal abstract class CsvColumnParser
{
    private readonly bool _nullable;

    private protected CsvColumnParser(ArrowType type, bool nullable, CsvValueConfig config)
    {
        Type = type;
        _nullable = nullable;
        Nulls = config.Nulls;
    }

    public ArrowType Type { get; }

    private protected Utf8TokenSet Nulls { get; }

    /// <summary>True when some null token also parses as a value of this column, so null tokens must be checked first.</summary>
    private protected bool NullFirst { get; private set; }

    public abstract ParseStatus Append(ReadOnlySpan<byte> value, bool quoted);

    public ParseStatus AppendNull()
    {
        if (!_nullable)
        {
            return ParseStatus.NullNotAllowed;
        }

        AppendNullCore();
        return ParseStatus.Ok;
    }

    public abstract IArrowArray Build();

    private protected abstract void AppendNullCore();

    /// <summary>Whether a null token would parse as a value (decides <see cref="NullFirst"/>).</summary>
    private protected abstract bool TokenParses(ReadOnlySpan<byte> token);

    /// <summary>A parser for <paramref name="field"/>'s type.</summary>
    /// <exception cref="LarderNotSupportedException">The type cannot be read from text.</exception>
    public static CsvColumnParser Create(Field field, CsvValueConfig config, int capacity)
    {
        var type = field.Type;
        bool n = field.Nullable;
        CsvColumnParser parser = type.Id switch
        {
            ArrowTypeId.Int64 or ArrowTypeId.Duration => new Int64Parser(type, n, config, capacity),
            ArrowTypeId.Double => new DoubleParser(type, n, config, capacity),
            ArrowTypeId.String or ArrowTypeId.LargeString => new StringParser(type, n, config, capacity),
            ArrowTypeId.Timestamp => new TimestampParser((TimestampType)type, n, config, capacity),
            ArrowTypeId.Boolean => new BoolParser(n, config),
            ArrowTypeId.Int8 => new NarrowIntParser<sbyte>(type, n, config, capacity),
            ArrowTypeId.Int16 => new NarrowIntParser<short>(type, n, config, capacity),
            ArrowTypeId.Int32 => new NarrowIntParser<int>(type, n, config, capacity),
            ArrowTypeId.UInt8 => new NarrowIntParser<byte>(type, n, config, capacity),
            ArrowTypeId.UInt16 => new NarrowIntParser<ushort>(type, n, config, capacity),
            ArrowTypeId.UInt32 => new NarrowIntParser<uint>(type, n, config, capacity),
            ArrowTypeId.UInt64 => new UInt64Parser(type, n, config, capacity),
            ArrowTypeId.Float => new SingleParser(type, n, config, capacity),
            ArrowTypeId.HalfFloat => new HalfParser(type, n, config, capacity),
            ArrowTypeId.Date32 => new Date32Parser(type, n, config, capacity),
            ArrowTypeId.Date64 => new Date64Parser(type, n, config, capacity),
            ArrowTypeId.Time32 => new Time32Parser((TimeType)type, n, config, capacity),
            ArrowTypeId.Time64 => new Time64Parser((TimeType)type, n, config, capacity),
            ArrowTypeId.Decimal128 => new Decimal128Parser((DecimalType)type, n, config, capacity),
            ArrowTypeId.Decimal256 => new Decimal256Parser((DecimalType)type, n, config),
            ArrowTypeId.Binary or ArrowTypeId.LargeBinary => new BinaryParser(type, n, config, capacity),
            ArrowTypeId.FixedSizeBinary => new FixedSizeBinaryParser(type, n, config),
            ArrowTypeId.Null => new NullParser(n, config),
            ArrowTypeId.Dictionary when ((DictionaryType)type).ValueType.IsString => new DictionaryParser((DictionaryType)type, n, config),
            ArrowTypeId.List or ArrowTypeId.LargeList or ArrowTypeId.FixedSizeList or ArrowTypeId.Struct or ArrowTypeId.Map
                when JsonValueAppender.IsSupported(type) => new JsonTextParser(type, n, config),
            _ => throw LarderErrors.TextTypeNotSupported(field.Name, type, "CSV"),
        };
        parser.NullFirst = config.Nulls.Tokens.Any(t => parser.TokenParses(t));
        return parser;
    }

    /// <summary>Whether <see cref="Create"/> accepts the type.</summary>
    public static bool IsSupported(ArrowType type) => type.Id switch
    {
        ArrowTypeId.Interval => false,
        ArrowTypeId.Dictionary => ((DictionaryType)type).ValueType.IsString,
        ArrowTypeId.List or ArrowTypeId.LargeList or ArrowTypeId.FixedSizeList or ArrowTypeId.Struct or ArrowTypeId.Map => JsonValueAppender.IsSupported(type),
        _ => true,
    };
}

/// <summary>The common shape of parsers that parse a value of <typeparamref name="T"/> and append it.</summary>
internal abstract class ValueParser<T> : CsvColumnParser
{
    private protected ValueParser(ArrowType type, bool nullable, CsvValueConfig config)
        : base(type, nullable, config)
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override ParseStatus Append(ReadOnlySpan<byte> value, bool quoted)
    {
        if (NullFirst && !quoted && Nulls.Contains(value))
        {
            return AppendNull();
        }

        if (TryParse(value, out T result))
        {
            AppendValue(result);
            return ParseStatus.Ok;
        }

        return !quoted && Nulls.Contains(value) ? AppendNull() : ParseStatus.Mismatch;
    }

    private protected abstract bool TryParse(ReadOnlySpan<byte> value, out T result);

    private protected abstract void AppendValue(T value);

    private protected override bool TokenParses(ReadOnlySpan<byte> token) => TryParse(token, out _);
}

/// <summary>A <see cref="ValueParser{T}"/> whose values go into a <see cref="PrimitiveArrayBuilder{T}"/>.</summary>
internal abstract class PrimitiveValueParser<T> : ValueParser<T>
    where T : unmanaged
{
    private readonly PrimitiveArrayBuilder<T> _builder;

    private protected PrimitiveValueParser(ArrowType type, bool nullable, CsvValueConfig config, int capacity)
        : base(type, nullable, config)
        => _builder = new PrimitiveArrayBuilder<T>(type, capacity);

    public sealed override IArrowArray Build() => _builder.Build();

    private protected sealed override void AppendNullCore() => _builder.AppendNull();

    private protected sealed override void AppendValue(T value) => _builder.Append(value);
}

/// <summary>
/// float and half-float columns: unquoted float specials (nan, inf, ...) are values even when they are null tokens;
/// other null tokens that parse as numbers are nulls.
/// </summary>
internal abstract class FloatValueParser<T> : PrimitiveValueParser<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private protected FloatValueParser(ArrowType type, bool nullable, CsvValueConfig config, int capacity)
        : base(type, nullable, config, capacity)
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public sealed override ParseStatus Append(ReadOnlySpan<byte> value, bool quoted)
        => !quoted && TextParse.TryParseFloatSpecial(value, out double special) ? AppendSpecial(T.CreateTruncating(special)) : base.Append(value, quoted);

    private protected sealed override bool TokenParses(ReadOnlySpan<byte> token) => !TextParse.TryParseFloatSpecial(token, out _) && TryParse(token, out _);

    private ParseStatus AppendSpecial(T value)
    {
        AppendValue(value);
        return ParseStatus.Ok;
    }
}

/// <summary>
/// A fixed-width column of known maximum length written in place: values go straight into one 64-byte aligned buffer
/// allocated up front (no per-value capacity checks or bitmap work while there are no nulls); the validity bitmap is
/// created at the first null. The hot path of the numeric and timestamp parsers. Not thread safe.
/// </summary>
internal sealed class FixedColumn<T>
    where T : unmanaged
{
    private readonly ArrowType _type;
    private readonly Memory<byte> _memory;
    private readonly byte[] _array;
    private readonly int _start;
    private readonly int _capacity;
    private Memory<byte> _validityMemory;
    private byte[]? _validity;
    private int _validityStart;
    private int _count;
    private int _nulls;

    public FixedColumn(ArrowType type, int capacity)
    {
        _type = type;
        _capacity = Math.Max(capacity, 1);
        _memory = BufferAllocator.Allocate((long)_capacity * Unsafe.SizeOf<T>());
        _array = ArrayOf(_memory, out _start);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append(T value)
    {
        int i = _count;
        if ((uint)i >= (uint)_capacity)
        {
            throw LarderErrors.TextReaderState("a column received more values than its block has rows");
        }

        Unsafe.WriteUnaligned(ref _array[_start + (i * Unsafe.SizeOf<T>())], value);
        if (_validity is not null)
        {
            _validity[_validityStart + (i >> 3)] |= (byte)(1 << (i & 7));
        }

        _count = i + 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AppendNull()
    {
        int i = _count;
        if ((uint)i >= (uint)_capacity)
        {
            throw LarderErrors.TextReaderState("a column received more values than its block has rows");
        }

        if (_validity is null)
        {
            _validityMemory = BufferAllocator.AllocateZeroed(BitUtil.BytesForBits(_capacity));
            _validity = ArrayOf(_validityMemory, out _validityStart);
            var bits = _validityMemory.Span;
            bits[..(i >> 3)].Fill(0xFF);
            for (int b = i & ~7; b < i; b++)
            {
                BitUtil.SetBit(bits, b);
            }
        }

        Unsafe.WriteUnaligned(ref _array[_start + (i * Unsafe.SizeOf<T>())], default(T));
        _nulls++;
        _count = i + 1;
    }

    public IArrowArray Build()
    {
        var values = new ArrowBuffer(_memory[..(_count * Unsafe.SizeOf<T>())]);
        var validity = _validity is null ? ArrowBuffer.Empty : new ArrowBuffer(_validityMemory[..BitUtil.BytesForBits(_count)]);
        return ArrowArrayFactory.Create(new ArrayData(_type, _count, _nulls, 0, [validity, values]));
    }

    private static byte[] ArrayOf(Memory<byte> memory, out int start)
    {
        if (!MemoryMarshal.TryGetArray((ReadOnlyMemory<byte>)memory, out var segment) || segment.Array is null)
        {
            throw LarderErrors.TextReaderState("column memory is not array backed");
        }

        start = segment.Offset;
        return segment.Array;
    }
}

internal sealed class Int64Parser : CsvColumnParser
{
    private readonly FixedColumn<long> _builder;

    public Int64Parser(ArrowType type, bool nullable, CsvValueConfig config, int capacity)
        : base(type, nullable, config)
        => _builder = new FixedColumn<long>(type, capacity);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override ParseStatus Append(ReadOnlySpan<byte> value, bool quoted)
    {
        if (!NullFirst && TextParse.TryParseInt64(value, out long v))
        {
            _builder.Append(v);
            return ParseStatus.Ok;
        }

        return AppendSlow(value, quoted);
    }

    private ParseStatus AppendSlow(ReadOnlySpan<byte> value, bool quoted)
    {
        if (!quoted && Nulls.Contains(value))
        {
            return AppendNull();
        }

        if (NullFirst && TextParse.TryParseInt64(value, out long v))
        {
            _builder.Append(v);
            return ParseStatus.Ok;
        }

        return ParseStatus.Mismatch;
    }

    public override IArrowArray Build() => _builder.Build();

    private protected override void AppendNullCore() => _builder.AppendNull();

    private protected override bool TokenParses(ReadOnlySpan<byte> token) => TextParse.TryParseInt64(token, out _);
}

internal sealed class DoubleParser : CsvColumnParser
{
    private readonly FixedColumn<double> _builder;

    public DoubleParser(ArrowType type, bool nullable, CsvValueConfig config, int capacity)
        : base(type, nullable, config)
        => _builder = new FixedColumn<double>(type, capacity);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override ParseStatus Append(ReadOnlySpan<byte> value, bool quoted)
    {
        // Null tokens that are float specials (nan, NaN) are the IEEE values in a float column.
        if (NullFirst && !quoted && Nulls.Contains(value) && !TextParse.TryParseFloatSpecial(value, out _))
        {
            return AppendNull();
        }

        if (TextParse.TryParseDouble(value, out double v))
        {
            _builder.Append(v);
            return ParseStatus.Ok;
        }

        return !quoted && Nulls.Contains(value) ? AppendNull() : ParseStatus.Mismatch;
    }

    public override IArrowArray Build() => _builder.Build();

    private protected override void AppendNullCore() => _builder.AppendNull();

    private protected override bool TokenParses(ReadOnlySpan<byte> token)
        => !TextParse.TryParseFloatSpecial(token, out _) && TextParse.TryParseDouble(token, out _);
}

/// <summary>utf8 and large_utf8 columns: the field's bytes go straight into the builder (no string is allocated).</summary>
internal sealed class StringParser : CsvColumnParser
{
    private readonly BinaryArrayBuilder _builder;

    public StringParser(ArrowType type, bool nullable, CsvValueConfig config, int capacity)
        : base(type, nullable, config)
        => _builder = new BinaryArrayBuilder(type, capacity);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override ParseStatus Append(ReadOnlySpan<byte> value, bool quoted)
    {
        if (!quoted && Nulls.Contains(value))
        {
            return AppendNull();
        }

        _builder.Append(value);
        return ParseStatus.Ok;
    }

    public override IArrowArray Build() => _builder.Build();

    private protected override void AppendNullCore() => _builder.AppendNull();

    private protected override bool TokenParses(ReadOnlySpan<byte> token) => true;
}

internal sealed class TimestampParser : CsvColumnParser
{
    private readonly FixedColumn<long> _builder;
    private readonly TimeUnit _unit;

    public TimestampParser(TimestampType type, bool nullable, CsvValueConfig config, int capacity)
        : base(type, nullable, config)
    {
        _builder = new FixedColumn<long>(type, capacity);
        _unit = type.Unit;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override ParseStatus Append(ReadOnlySpan<byte> value, bool quoted)
    {
        if (!NullFirst && TextParse.TryParseTimestamp(value, out var ts) && ts.TryToUnit(_unit, out long v))
        {
            _builder.Append(v);
            return ParseStatus.Ok;
        }

        if (!quoted && Nulls.Contains(value))
        {
            return AppendNull();
        }

        if (NullFirst && TextParse.TryParseTimestamp(value, out ts) && ts.TryToUnit(_unit, out v))
        {
            _builder.Append(v);
            return ParseStatus.Ok;
        }

        return ParseStatus.Mismatch;
    }

    public override IArrowArray Build() => _builder.Build();

    private protected override void AppendNullCore() => _builder.AppendNull();

    private protected override bool TokenParses(ReadOnlySpan<byte> token) => TextParse.TryParseTimestamp(token, out _);
}

internal sealed class BoolParser : ValueParser<bool>
{
    private readonly BooleanArrayBuilder _builder = new();
    private readonly CsvValueConfig _config;

    public BoolParser(bool nullable, CsvValueConfig config)
        : base(ArrowType.Boolean, nullable, config)
        => _config = config;

    public override IArrowArray Build() => _builder.Build();

    private protected override void AppendNullCore() => _builder.AppendNull();

    private protected override bool TryParse(ReadOnlySpan<byte> value, out bool result) => _config.TryParseBool(value, out result);

    private protected override void AppendValue(bool value) => _builder.Append(value);
}

internal sealed class NarrowIntParser<T> : PrimitiveValueParser<T>
    where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
{
    public NarrowIntParser(ArrowType type, bool nullable, CsvValueConfig config, int capacity)
        : base(type, nullable, config, capacity)
    {
    }

    private protected override bool TryParse(ReadOnlySpan<byte> value, out T result)
    {
        result = default;
        if (!TextParse.TryParseInt64(value, out long v) || v < long.CreateTruncating(T.MinValue) || v > long.CreateTruncating(T.MaxValue))
        {
            return false;
        }

        result = T.CreateTruncating(v);
        return true;
    }
}

internal sealed class UInt64Parser : PrimitiveValueParser<ulong>
{
    public UInt64Parser(ArrowType type, bool nullable, CsvValueConfig config, int capacity)
        : base(type, nullable, config, capacity)
    {
    }

    private protected override bool TryParse(ReadOnlySpan<byte> value, out ulong result) => TextParse.TryParseUInt64(value, out result);
}

internal sealed class SingleParser : FloatValueParser<float>
{
    public SingleParser(ArrowType type, bool nullable, CsvValueConfig config, int capacity)
        : base(type, nullable, config, capacity)
    {
    }

    private protected override bool TryParse(ReadOnlySpan<byte> value, out float result) => TextParse.TryParseSingle(value, out result);
}

internal sealed class HalfParser : FloatValueParser<Half>
{
    public HalfParser(ArrowType type, bool nullable, CsvValueConfig config, int capacity)
        : base(type, nullable, config, capacity)
    {
    }

    private protected override bool TryParse(ReadOnlySpan<byte> value, out Half result) => TextParse.TryParseHalf(value, out result);
}

internal sealed class Date32Parser : PrimitiveValueParser<int>
{
    public Date32Parser(ArrowType type, bool nullable, CsvValueConfig config, int capacity)
        : base(type, nullable, config, capacity)
    {
    }

    private protected override bool TryParse(ReadOnlySpan<byte> value, out int result) => TextParse.TryParseDate(value, out result);
}

internal sealed class Date64Parser : PrimitiveValueParser<long>
{
    public Date64Parser(ArrowType type, bool nullable, CsvValueConfig config, int capacity)
        : base(type, nullable, config, capacity)
    {
    }

    private protected override bool TryParse(ReadOnlySpan<byte> value, out long result)
    {
        bool ok = TextParse.TryParseDate(value, out int days);
        result = days * 86_400_000L;
        return ok;
    }
}

internal sealed class Time32Parser : PrimitiveValueParser<int>
{
    private readonly long _divisor;

    public Time32Parser(TimeType type, bool nullable, CsvValueConfig config, int capacity)
        : base(type, nullable, config, capacity)
        => _divisor = TimeText.Divisor(type);

    private protected override bool TryParse(ReadOnlySpan<byte> value, out int result)
    {
        bool ok = TimeText.TryParse(value, _divisor, out long ticks);
        result = (int)ticks;
        return ok;
    }
}

internal sealed class Time64Parser : PrimitiveValueParser<long>
{
    private readonly long _divisor;

    public Time64Parser(TimeType type, bool nullable, CsvValueConfig config, int capacity)
        : base(type, nullable, config, capacity)
        => _divisor = TimeText.Divisor(type);

    private protected override bool TryParse(ReadOnlySpan<byte> value, out long result) => TimeText.TryParse(value, _divisor, out result);
}

/// <summary>Time-of-day text parsing shared by the time parsers.</summary>
internal static class TimeText
{
    /// <summary>Nanoseconds per unit of <paramref name="type"/>.</summary>
    public static long Divisor(TimeType type) => 1_000_000_000 / Temporal.PerSecond(type.Unit);

    /// <summary>Parses a time of day in units of <paramref name="divisor"/> nanoseconds; false when digits would be lost.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParse(ReadOnlySpan<byte> value, long divisor, out long result)
    {
        result = 0;
        if (!TextParse.TryParseTimeOfDay(value, out long nanos) || nanos % divisor != 0)
        {
            return false;
        }

        result = nanos / divisor;
        return true;
    }
}

/// <summary>Decimal text parsing shared by the decimal parsers.</summary>
internal static class DecimalText
{
    /// <summary>Parses decimal text at <paramref name="type"/>'s scale; false when digits would be lost or the precision is exceeded.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, DecimalType type, out BigInteger unscaled)
    {
        unscaled = default;
        if (value.IsEmpty || value.Length > 200)
        {
            return false;
        }

        Span<char> chars = stackalloc char[value.Length];
        foreach (byte b in value)
        {
            if (!(b is >= (byte)'0' and <= (byte)'9' || b is (byte)'-' or (byte)'+' or (byte)'.' or (byte)'e' or (byte)'E'))
            {
                return false;
            }
        }

        // An exponent beyond any decimal's reach would make the exact arithmetic huge: reject it up front.
        int e = value.IndexOfAny((byte)'e', (byte)'E');
        if (e >= 0 && value.Length - e > 4)
        {
            return false;
        }

        int n = Encoding.ASCII.GetChars(value, chars);
        if (!DecimalMath.TryParse(chars[..n], type.Scale, out unscaled))
        {
            return false;
        }

        return BigInteger.Abs(unscaled) < BigInteger.Pow(10, type.Precision);
    }
}

internal sealed class Decimal128Parser : PrimitiveValueParser<Int128>
{
    private readonly DecimalType _type;

    public Decimal128Parser(DecimalType type, bool nullable, CsvValueConfig config, int capacity)
        : base(type, nullable, config, capacity)
        => _type = type;

    private protected override bool TryParse(ReadOnlySpan<byte> value, out Int128 result)
    {
        result = default;
        if (!DecimalText.TryParse(value, _type, out var unscaled))
        {
            return false;
        }

        result = (Int128)unscaled;
        return true;
    }
}

internal sealed class Decimal256Parser : ValueParser<BigInteger>
{
    private readonly FixedSizeBinaryArrayBuilder _builder;
    private readonly DecimalType _type;

    public Decimal256Parser(DecimalType type, bool nullable, CsvValueConfig config)
        : base(type, nullable, config)
    {
        _builder = new FixedSizeBinaryArrayBuilder(type);
        _type = type;
    }

    public override IArrowArray Build() => _builder.Build();

    private protected override void AppendNullCore() => _builder.AppendNull();

    private protected override bool TryParse(ReadOnlySpan<byte> value, out BigInteger result) => DecimalText.TryParse(value, _type, out result);

    private protected override void AppendValue(BigInteger value) => _builder.AppendValue(value);
}

/// <summary>binary and large_binary from base64 text.</summary>
internal sealed class BinaryParser : CsvColumnParser
{
    private readonly BinaryArrayBuilder _builder;
    private byte[] _scratch = new byte[256];

    public BinaryParser(ArrowType type, bool nullable, CsvValueConfig config, int capacity)
        : base(type, nullable, config)
        => _builder = new BinaryArrayBuilder(type, capacity);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override ParseStatus Append(ReadOnlySpan<byte> value, bool quoted)
    {
        if (NullFirst && !quoted && Nulls.Contains(value))
        {
            return AppendNull();
        }

        if (TextParse.TryDecodeBase64(value, ref _scratch, out int length))
        {
            _builder.Append(_scratch.AsSpan(0, length));
            return ParseStatus.Ok;
        }

        return !quoted && Nulls.Contains(value) ? AppendNull() : ParseStatus.Mismatch;
    }

    public override IArrowArray Build() => _builder.Build();

    private protected override void AppendNullCore() => _builder.AppendNull();

    private protected override bool TokenParses(ReadOnlySpan<byte> token)
    {
        // The empty string is valid (empty) base64: when it is a null token, nulls must be checked first.
        byte[] scratch = new byte[token.Length + 4];
        return TextParse.TryDecodeBase64(token, ref scratch, out _);
    }
}

/// <summary>fixed_size_binary from base64 text of exactly the width.</summary>
internal sealed class FixedSizeBinaryParser : CsvColumnParser
{
    private readonly FixedSizeBinaryArrayBuilder _builder;
    private readonly int _width;
    private byte[] _scratch = new byte[256];

    public FixedSizeBinaryParser(ArrowType type, bool nullable, CsvValueConfig config)
        : base(type, nullable, config)
    {
        _builder = new FixedSizeBinaryArrayBuilder(type);
        _width = type.BitWidth / 8;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override ParseStatus Append(ReadOnlySpan<byte> value, bool quoted)
    {
        if (NullFirst && !quoted && Nulls.Contains(value))
        {
            return AppendNull();
        }

        if (TextParse.TryDecodeBase64(value, ref _scratch, out int length) && length == _width)
        {
            _builder.Append(_scratch.AsSpan(0, length));
            return ParseStatus.Ok;
        }

        return !quoted && Nulls.Contains(value) ? AppendNull() : ParseStatus.Mismatch;
    }

    public override IArrowArray Build() => _builder.Build();

    private protected override void AppendNullCore() => _builder.AppendNull();

    private protected override bool TokenParses(ReadOnlySpan<byte> token)
    {
        byte[] scratch = new byte[token.Length + 4];
        return TextParse.TryDecodeBase64(token, ref scratch, out int length) && length == _width;
    }
}

internal sealed class NullParser : CsvColumnParser
{
    private readonly NullArrayBuilder _builder = new();

    public NullParser(bool nullable, CsvValueConfig config)
        : base(ArrowType.Null, nullable, config)
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override ParseStatus Append(ReadOnlySpan<byte> value, bool quoted)
        => !quoted && Nulls.Contains(value) ? AppendNull() : ParseStatus.Mismatch;

    public override IArrowArray Build() => _builder.Build();

    private protected override void AppendNullCore() => _builder.AppendNull();

    private protected override bool TokenParses(ReadOnlySpan<byte> token) => false;
}

/// <summary>dictionary&lt;utf8&gt; columns (slow path: one string per value).</summary>
internal sealed class DictionaryParser : CsvColumnParser
{
    private readonly DictionaryArrayBuilder _builder;

    public DictionaryParser(DictionaryType type, bool nullable, CsvValueConfig config)
        : base(type, nullable, config)
        => _builder = new DictionaryArrayBuilder(type);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override ParseStatus Append(ReadOnlySpan<byte> value, bool quoted)
    {
        if (!quoted && Nulls.Contains(value))
        {
            return AppendNull();
        }

        try
        {
            _builder.AppendValue(Encoding.UTF8.GetString(value));
        }
        catch (InvalidCastException)
        {
            // More distinct values than the index type can number.
            return ParseStatus.Mismatch;
        }

        return ParseStatus.Ok;
    }

    public override IArrowArray Build() => _builder.Build();

    private protected override void AppendNullCore() => _builder.AppendNull();

    private protected override bool TokenParses(ReadOnlySpan<byte> token) => true;
}

/// <summary>Nested columns (list, struct, map) from JSON text, as <see cref="CsvWriter"/> writes them.</summary>
internal sealed class JsonTextParser : CsvColumnParser
{
    private readonly IArrayBuilder _builder;
    private readonly JsonAppendContext _context = new(strictKeys: false);

    public JsonTextParser(ArrowType type, bool nullable, CsvValueConfig config)
        : base(type, nullable, config)
        => _builder = ArrayBuilderFactory.Create(type);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override ParseStatus Append(ReadOnlySpan<byte> value, bool quoted)
    {
        if (!quoted && Nulls.Contains(value))
        {
            return AppendNull();
        }

        return JsonValueAppender.TryAppendDocument(value, _builder, _context) ? ParseStatus.Ok : ParseStatus.Mismatch;
    }

    public override IArrowArray Build() => _builder.Build();

    private protected override void AppendNullCore() => _builder.AppendNull();

    private protected override bool TokenParses(ReadOnlySpan<byte> token) => false;
}
