namespace Larder.Parquet.Metadata;

/// <summary>
/// The <c>LogicalType</c> union of parquet.thrift as one immutable value: <see cref="Kind"/> says which member is set and
/// the parameters of that member are in the matching properties (the others keep their defaults). Build values with the
/// static factories. A member this version does not know, or a known one whose content it cannot interpret (an unknown
/// time unit), decodes to <see cref="LogicalTypeKind.Unknown"/> with the member id in <see cref="UnknownMemberId"/>;
/// readers then fall back to the converted type or the physical type. Writers omit an Unknown logical type.
/// </summary>
public sealed record LogicalType
{
    private LogicalType(LogicalTypeKind kind) => Kind = kind;

    public static LogicalType String { get; } = new(LogicalTypeKind.String);

    public static LogicalType Map { get; } = new(LogicalTypeKind.Map);

    public static LogicalType List { get; } = new(LogicalTypeKind.List);

    public static LogicalType Enum { get; } = new(LogicalTypeKind.Enum);

    public static LogicalType Date { get; } = new(LogicalTypeKind.Date);

    /// <summary>A column that only holds nulls (parquet.thrift's <c>UNKNOWN</c> member).</summary>
    public static LogicalType Null { get; } = new(LogicalTypeKind.Null);

    public static LogicalType Json { get; } = new(LogicalTypeKind.Json);

    public static LogicalType Bson { get; } = new(LogicalTypeKind.Bson);

    public static LogicalType Uuid { get; } = new(LogicalTypeKind.Uuid);

    public static LogicalType Float16 { get; } = new(LogicalTypeKind.Float16);

    public LogicalTypeKind Kind { get; }

    /// <summary>Digits after the decimal point (<see cref="LogicalTypeKind.Decimal"/>).</summary>
    public int Scale { get; private init; }

    /// <summary>Total digits (<see cref="LogicalTypeKind.Decimal"/>).</summary>
    public int Precision { get; private init; }

    /// <summary>Whether values are UTC instants rather than local times (<see cref="LogicalTypeKind.Time"/>, <see cref="LogicalTypeKind.Timestamp"/>).</summary>
    public bool IsAdjustedToUtc { get; private init; }

    /// <summary>The unit (<see cref="LogicalTypeKind.Time"/>, <see cref="LogicalTypeKind.Timestamp"/>); 0 otherwise.</summary>
    public TimeUnit Unit { get; private init; }

    /// <summary>8, 16, 32 or 64 (<see cref="LogicalTypeKind.Integer"/>); as stored, not validated.</summary>
    public int BitWidth { get; private init; }

    /// <summary>Signedness (<see cref="LogicalTypeKind.Integer"/>).</summary>
    public bool IsSigned { get; private init; }

    /// <summary>For <see cref="LogicalTypeKind.Unknown"/>: the union member id found (0 for an empty union).</summary>
    public short UnknownMemberId { get; private init; }

    public static LogicalType Decimal(int scale, int precision) => new(LogicalTypeKind.Decimal) { Scale = scale, Precision = precision };

    public static LogicalType Time(bool isAdjustedToUtc, TimeUnit unit) => new(LogicalTypeKind.Time) { IsAdjustedToUtc = isAdjustedToUtc, Unit = unit };

    public static LogicalType Timestamp(bool isAdjustedToUtc, TimeUnit unit) => new(LogicalTypeKind.Timestamp) { IsAdjustedToUtc = isAdjustedToUtc, Unit = unit };

    public static LogicalType Integer(int bitWidth, bool isSigned) => new(LogicalTypeKind.Integer) { BitWidth = bitWidth, IsSigned = isSigned };

    /// <summary>A logical type this version cannot interpret; <paramref name="memberId"/> is the union member id found.</summary>
    public static LogicalType Unknown(short memberId) => new(LogicalTypeKind.Unknown) { UnknownMemberId = memberId };

    public override string ToString()
        => Kind switch
        {
            LogicalTypeKind.Decimal => $"Decimal({Precision}, {Scale})",
            LogicalTypeKind.Time or LogicalTypeKind.Timestamp => $"{Kind}({Unit}, utc={IsAdjustedToUtc})",
            LogicalTypeKind.Integer => $"Integer({BitWidth}, signed={IsSigned})",
            LogicalTypeKind.Unknown => $"Unknown(member {UnknownMemberId})",
            _ => Kind.ToString(),
        };
}
