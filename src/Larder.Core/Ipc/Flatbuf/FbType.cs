namespace Larder.Ipc.Flatbuf;

/// <summary>
/// One member of Schema.fbs's <c>Type</c> union: its <see cref="Kind"/> and the parameters of that kind. Parameters that do
/// not belong to the kind keep their defaults and are ignored by the writer. Immutable, compares by value.
/// </summary>
/// <remarks>
/// Which parameters each kind uses: Int — <see cref="BitWidth"/>, <see cref="IsSigned"/>; FloatingPoint —
/// <see cref="Precision"/>; Decimal — <see cref="DecimalPrecision"/>, <see cref="DecimalScale"/>, <see cref="BitWidth"/>
/// (default 128); Date — <see cref="DateUnit"/> (default Millisecond); Time — <see cref="TimeUnit"/> (default
/// Millisecond), <see cref="BitWidth"/> (default 32); Timestamp — <see cref="TimeUnit"/> (default Second),
/// <see cref="Timezone"/>; Duration — <see cref="TimeUnit"/> (default Millisecond); Interval — <see cref="IntervalUnit"/>;
/// FixedSizeBinary — <see cref="ByteWidth"/>; FixedSizeList — <see cref="ListSize"/>; Map — <see cref="KeysSorted"/>;
/// Union — <see cref="UnionMode"/>, <see cref="UnionTypeIds"/>. Every other kind has no parameters. Values are not
/// range-checked here (a bit width of 7 decodes as 7); the IPC layer decides what it accepts.
/// </remarks>
internal sealed record FbType
{
    /// <summary>A type of <paramref name="kind"/> with the defaults Schema.fbs gives its parameters.</summary>
    public FbType(FbTypeKind kind)
    {
        if (kind < FbTypeKind.Null || kind > FbTypeKind.LargeListView)
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a member of the Arrow Type union");
        }

        Kind = kind;
        switch (kind)
        {
            case FbTypeKind.Decimal:
                BitWidth = 128;
                break;
            case FbTypeKind.Date:
                DateUnit = FbDateUnit.Millisecond;
                break;
            case FbTypeKind.Time:
                TimeUnit = FbTimeUnit.Millisecond;
                BitWidth = 32;
                break;
            case FbTypeKind.Duration:
                TimeUnit = FbTimeUnit.Millisecond;
                break;
        }
    }

    public FbTypeKind Kind { get; }

    /// <summary>Bits per value of Int (8, 16, 32, 64), Time (32, 64) and Decimal (128, 256; also 32, 64 in newer Arrow).</summary>
    public int BitWidth { get; init; }

    /// <summary>Int: signed or unsigned.</summary>
    public bool IsSigned { get; init; }

    /// <summary>FloatingPoint: half, single or double.</summary>
    public FbPrecision Precision { get; init; }

    /// <summary>Decimal: total number of decimal digits.</summary>
    public int DecimalPrecision { get; init; }

    /// <summary>Decimal: digits after the decimal point.</summary>
    public int DecimalScale { get; init; }

    public FbDateUnit DateUnit { get; init; }

    /// <summary>Unit of Time, Timestamp and Duration.</summary>
    public FbTimeUnit TimeUnit { get; init; }

    /// <summary>Timestamp: the time zone; null when absent (time-zone naive).</summary>
    public string? Timezone { get; init; }

    public FbIntervalUnit IntervalUnit { get; init; }

    /// <summary>FixedSizeBinary: bytes per value.</summary>
    public int ByteWidth { get; init; }

    /// <summary>FixedSizeList: items per value.</summary>
    public int ListSize { get; init; }

    /// <summary>Map: whether the keys of each value are sorted.</summary>
    public bool KeysSorted { get; init; }

    public FbUnionMode UnionMode { get; init; }

    /// <summary>Union: the type id of each child; null when absent (ids are the child indexes).</summary>
    public IReadOnlyList<int>? UnionTypeIds { get; init; }

    public static FbType Null { get; } = new(FbTypeKind.Null);

    public static FbType Binary { get; } = new(FbTypeKind.Binary);

    public static FbType Utf8 { get; } = new(FbTypeKind.Utf8);

    public static FbType Bool { get; } = new(FbTypeKind.Bool);

    public static FbType List { get; } = new(FbTypeKind.List);

    public static FbType Struct { get; } = new(FbTypeKind.Struct);

    public static FbType LargeBinary { get; } = new(FbTypeKind.LargeBinary);

    public static FbType LargeUtf8 { get; } = new(FbTypeKind.LargeUtf8);

    public static FbType LargeList { get; } = new(FbTypeKind.LargeList);

    public static FbType RunEndEncoded { get; } = new(FbTypeKind.RunEndEncoded);

    public static FbType BinaryView { get; } = new(FbTypeKind.BinaryView);

    public static FbType Utf8View { get; } = new(FbTypeKind.Utf8View);

    public static FbType ListView { get; } = new(FbTypeKind.ListView);

    public static FbType LargeListView { get; } = new(FbTypeKind.LargeListView);

    /// <summary>The dictionary index type used when <c>DictionaryEncoding.indexType</c> is absent: signed 32-bit.</summary>
    public static FbType Int32 { get; } = Int(32, true);

    public static FbType Int(int bitWidth, bool isSigned) => new(FbTypeKind.Int) { BitWidth = bitWidth, IsSigned = isSigned };

    public static FbType FloatingPoint(FbPrecision precision) => new(FbTypeKind.FloatingPoint) { Precision = precision };

    public static FbType Decimal(int precision, int scale, int bitWidth = 128)
        => new(FbTypeKind.Decimal) { DecimalPrecision = precision, DecimalScale = scale, BitWidth = bitWidth };

    public static FbType Date(FbDateUnit unit) => new(FbTypeKind.Date) { DateUnit = unit };

    public static FbType Time(FbTimeUnit unit, int bitWidth) => new(FbTypeKind.Time) { TimeUnit = unit, BitWidth = bitWidth };

    public static FbType Timestamp(FbTimeUnit unit, string? timezone) => new(FbTypeKind.Timestamp) { TimeUnit = unit, Timezone = timezone };

    public static FbType Duration(FbTimeUnit unit) => new(FbTypeKind.Duration) { TimeUnit = unit };

    public static FbType Interval(FbIntervalUnit unit) => new(FbTypeKind.Interval) { IntervalUnit = unit };

    public static FbType FixedSizeBinary(int byteWidth) => new(FbTypeKind.FixedSizeBinary) { ByteWidth = byteWidth };

    public static FbType FixedSizeList(int listSize) => new(FbTypeKind.FixedSizeList) { ListSize = listSize };

    public static FbType Map(bool keysSorted) => new(FbTypeKind.Map) { KeysSorted = keysSorted };

    public static FbType Union(FbUnionMode mode, IReadOnlyList<int>? typeIds) => new(FbTypeKind.Union) { UnionMode = mode, UnionTypeIds = typeIds };

    public bool Equals(FbType? other)
        => other is not null
            && Kind == other.Kind
            && BitWidth == other.BitWidth
            && IsSigned == other.IsSigned
            && Precision == other.Precision
            && DecimalPrecision == other.DecimalPrecision
            && DecimalScale == other.DecimalScale
            && DateUnit == other.DateUnit
            && TimeUnit == other.TimeUnit
            && string.Equals(Timezone, other.Timezone, StringComparison.Ordinal)
            && IntervalUnit == other.IntervalUnit
            && ByteWidth == other.ByteWidth
            && ListSize == other.ListSize
            && KeysSorted == other.KeysSorted
            && UnionMode == other.UnionMode
            && FbEquality.ListsEqual(UnionTypeIds, other.UnionTypeIds);

    public override int GetHashCode()
        => HashCode.Combine(Kind, BitWidth, IsSigned, Precision, DecimalScale, TimeUnit, Timezone, ByteWidth + ListSize);

    /// <summary>A short rendering such as <c>Int(32, signed)</c> or <c>Timestamp(Microsecond, UTC)</c>, for messages.</summary>
    public override string ToString() => Kind switch
    {
        FbTypeKind.Int => $"Int({BitWidth}, {(IsSigned ? "signed" : "unsigned")})",
        FbTypeKind.FloatingPoint => $"FloatingPoint({Precision})",
        FbTypeKind.Decimal => $"Decimal({DecimalPrecision}, {DecimalScale}, {BitWidth})",
        FbTypeKind.Date => $"Date({DateUnit})",
        FbTypeKind.Time => $"Time({TimeUnit}, {BitWidth})",
        FbTypeKind.Timestamp => $"Timestamp({TimeUnit}, {Timezone ?? "no time zone"})",
        FbTypeKind.Duration => $"Duration({TimeUnit})",
        FbTypeKind.Interval => $"Interval({IntervalUnit})",
        FbTypeKind.FixedSizeBinary => $"FixedSizeBinary({ByteWidth})",
        FbTypeKind.FixedSizeList => $"FixedSizeList({ListSize})",
        FbTypeKind.Map => $"Map(keysSorted: {KeysSorted})",
        FbTypeKind.Union => $"Union({UnionMode}{(UnionTypeIds is null ? string.Empty : ", [" + string.Join(", ", UnionTypeIds) + "]")})",
        _ => Kind.ToString(),
    };
}
