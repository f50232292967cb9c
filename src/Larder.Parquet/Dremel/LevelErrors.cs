namespace Larder.Parquet;

/// <summary>
/// Builds the exceptions of Dremel record shredding and assembly (<c>Larder.Parquet.Levels</c>). Corrupt level streams
/// are <see cref="LarderFormatException"/>s naming the leaf column and the level position; data a writer cannot store is a
/// <see cref="LarderUsageException"/>. Stateless.
/// </summary>
internal static class LevelErrors
{
    private const string Corrupt = "the column chunk is corrupt";

    /// <summary>A definition or repetition level outside 0..max.</summary>
    public static LarderFormatException LevelOutOfRange(string column, string kind, int level, int max, long position)
        => new($"Parquet column '{column}': {kind} level {level} at level position {position} is outside 0..{max}; {Corrupt}.");

    /// <summary>The first level of a column chunk (or a record) does not start a record.</summary>
    public static LarderFormatException FirstRepetitionNotZero(string column, int rep)
        => new($"Parquet column '{column}': the first repetition level is {rep}, but a record must start with repetition level 0; {Corrupt}.");

    /// <summary>A repetition level continues a list that has no open element.</summary>
    public static LarderFormatException RepetitionNotOpen(string column, int rep, int open, long position)
        => new($"Parquet column '{column}': repetition level {rep} at level position {position} continues a list that is not open (deepest open level {open}); {Corrupt}.");

    /// <summary>A repeated entry whose definition level says the list it repeats in has no element.</summary>
    public static LarderFormatException RepeatedWithoutElement(string column, int rep, int def, int minDef, long position)
        => new($"Parquet column '{column}': level position {position} repeats at level {rep} with definition level {def}, below the {minDef} a list element needs; {Corrupt}.");

    /// <summary>The levels need a different number of values than were decoded.</summary>
    public static LarderFormatException ValueCount(string column, long needed, long provided)
        => needed > provided
            ? new($"Parquet column '{column}': the levels define {needed} values but only {provided} were decoded; {Corrupt}.")
            : new($"Parquet column '{column}': {provided} values were decoded but the levels define only {needed}; {Corrupt}.");

    /// <summary>Definition and repetition level streams of different lengths.</summary>
    public static LarderFormatException LevelCountMismatch(string column, long defCount, long repCount)
        => new($"Parquet column '{column}': {defCount} definition levels but {repCount} repetition levels; {Corrupt}.");

    /// <summary>A non-null fixed-size list row with the wrong number of items.</summary>
    public static LarderFormatException FixedSizeListLength(string column, long row, long actual, int expected)
        => new($"Parquet column '{column}': fixed-size list row {row} has {actual} items, not {expected}; {Corrupt}.");

    /// <summary>Two leaves of one column disagree about the rows of a struct, list or map they share.</summary>
    public static LarderFormatException Inconsistent(string column, string other, string node, string what)
        => new($"Parquet columns '{column}' and '{other}' disagree about {what} of '{node}'; {Corrupt}.");

    /// <summary>Reconstruction would build more slots than one array can hold.</summary>
    public static LarderFormatException TooLarge(string column, string what)
        => new($"Parquet column '{column}': {what} exceeds the largest array Larder builds; {Corrupt} or too large to read.");

    /// <summary>A field nests deeper than the level code accepts.</summary>
    public static LarderNotSupportedException TooDeep(string path, int maxDepth)
        => new($"field '{path}' nests more than {maxDepth} levels deep; Parquet nesting this deep is not supported.");

    /// <summary>A struct without fields (Parquet cannot represent an empty group).</summary>
    public static LarderNotSupportedException EmptyStruct(string path)
        => new($"struct field '{path}' has no fields; Parquet cannot store an empty struct, drop the field or add a child.");

    /// <summary>A null in an array whose field is not nullable (a REQUIRED Parquet node cannot hold it).</summary>
    public static LarderUsageException NullInRequired(string column, string node)
        => new($"Parquet column '{column}': the non-nullable field '{node}' holds a null; make the field nullable or fill the nulls before writing.");
}
