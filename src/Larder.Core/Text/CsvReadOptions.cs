using System.Collections.ObjectModel;
using Larder.Columnar;

namespace Larder.Text;

/// <summary>
/// How <see cref="CsvReader"/> reads delimited text. Immutable (a record with init-only properties): build one with an
/// object initializer or <c>with</c>, and share it freely between readers and threads.
/// </summary>
/// <remarks>
/// <para><b>Input.</b> UTF-8 only; a leading UTF-8 byte-order mark is skipped; a UTF-16 byte-order mark or bytes that are
/// not valid UTF-8 are rejected with <see cref="LarderFormatException"/>. Records follow RFC 4180: fields separated by
/// <see cref="Delimiter"/>, records ended by LF, CRLF or a lone CR (also mixed within one file); a field that starts with
/// <see cref="Quote"/> is quoted and may contain delimiters, line breaks and doubled quotes (<c>""</c> is one quote); a
/// quote anywhere else in an unquoted field is an ordinary character; a closing quote must be followed by a delimiter or
/// a line end. Blank lines (no bytes between two line ends) are skipped and do not count as rows. The last record does
/// not need a line end.</para>
/// <para><b>Nulls.</b> An <i>unquoted</i> field equal to one of <see cref="NullValues"/> is null. A quoted field is never
/// null: <c>""</c> is the empty string and <c>"NA"</c> the two-letter string. In float columns the tokens
/// <c>NaN</c>/<c>nan</c>/<c>NAN</c>, <c>inf</c>/<c>+inf</c>/<c>-inf</c> and <c>Infinity</c>/<c>-Infinity</c> (any case) are
/// the IEEE values NaN and ±∞, even when they are listed in <see cref="NullValues"/> (the default list holds <c>nan</c>
/// and <c>NaN</c>): so a float NaN written by <see cref="CsvWriter"/> reads back as NaN, while in every other column type
/// those listed tokens are nulls.</para>
/// <para><b>Type inference</b> (when <see cref="InferTypes"/> is true and no <see cref="Schema"/> is given) looks at the
/// first <see cref="InferenceRows"/> rows. Null tokens say nothing about a column's type. Of the types every non-null value
/// of a column parses as, the first in this order wins: <c>bool</c> (exactly one of <see cref="TrueValues"/> or
/// <see cref="FalseValues"/>), <c>int64</c> (optional sign and decimal digits, within the int64 range), <c>float64</c>
/// (decimal or exponent notation as <see cref="double.Parse(string)"/> reads it with the invariant culture, plus the
/// special tokens above; so integers too large for int64 make a float64 column only when every value is numeric),
/// <c>timestamp</c> (ISO-8601, below), <c>utf8</c>. A column with no non-null value in those rows is a nullable
/// <c>utf8</c> column. Numbers, booleans and timestamps must not have surrounding spaces (<c>" 1"</c> is a string).
/// Inferred fields are always nullable. A later value that does not parse as its column's inferred type fails the read
/// with <see cref="LarderFormatException"/> naming the row, column, value and type: pass a <see cref="Schema"/> or raise
/// <see cref="InferenceRows"/>. No value is ever silently turned into null.</para>
/// <para><b>Timestamps</b> are <c>YYYY-MM-DD</c>, optionally followed by <c>T</c>, <c>t</c> or a space and
/// <c>hh:mm</c>, <c>hh:mm:ss</c> or <c>hh:mm:ss.f</c> (1 to 9 fraction digits), optionally followed by <c>Z</c> or an offset
/// <c>±hh:mm</c>, <c>±hhmm</c>, <c>±hh</c>. Values with a zone are converted to UTC and the column's time zone is
/// <c>"UTC"</c>; values without one are wall times and the column has no time zone; a column that mixes both is
/// <c>utf8</c>. The unit is the finest precision that the values in the inference rows need, but at least microseconds:
/// <c>us</c>, or <c>ns</c> when some value has a non-zero digit beyond the sixth fraction digit (and every value fits the
/// nanosecond range, years 1677 to 2262; otherwise the column is <c>utf8</c>). A later value that needs a finer unit
/// fails like any late type mismatch. When reading into a timestamp column (inferred or explicit), a zoned value is
/// converted to its UTC instant and a zone-less value is taken as is (as UTC for a zoned column).</para>
/// </remarks>
public sealed record CsvReadOptions
{
    /// <summary>The default <see cref="NullValues"/>: <c>""</c>, <c>NULL</c>, <c>null</c>, <c>NA</c>, <c>N/A</c>,
    /// <c>None</c>, <c>&lt;NA&gt;</c>, <c>nan</c>, <c>NaN</c>.</summary>
    public static IReadOnlyList<string> DefaultNullValues { get; } = new ReadOnlyCollection<string>(["", "NULL", "null", "NA", "N/A", "None", "<NA>", "nan", "NaN"]);

    /// <summary>The default <see cref="TrueValues"/>: <c>true</c>, <c>True</c>, <c>TRUE</c>.</summary>
    public static IReadOnlyList<string> DefaultTrueValues { get; } = new ReadOnlyCollection<string>(["true", "True", "TRUE"]);

    /// <summary>The default <see cref="FalseValues"/>: <c>false</c>, <c>False</c>, <c>FALSE</c>.</summary>
    public static IReadOnlyList<string> DefaultFalseValues { get; } = new ReadOnlyCollection<string>(["false", "False", "FALSE"]);

    /// <summary>Options for tab-separated values: <see cref="Delimiter"/> is <c>'\t'</c>, everything else default.</summary>
    public static CsvReadOptions Tsv => new() { Delimiter = '\t' };

    /// <summary>Field separator; default <c>','</c>. Must be an ASCII character other than the quote, CR and LF.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>
    /// Whether the first record holds the column names; default true. Without a header, columns are named
    /// <c>f0</c>, <c>f1</c>, … and their number is that of the first record. Header names are taken verbatim
    /// (empty and duplicate names are kept).
    /// </summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>Quote character; default <c>'"'</c>. Must be an ASCII character other than the delimiter, CR and LF.</summary>
    public char Quote { get; init; } = '"';

    /// <summary>Unquoted field texts that mean null; default <see cref="DefaultNullValues"/>. Compared exactly (case-sensitive).</summary>
    public IReadOnlyList<string> NullValues { get; init; } = DefaultNullValues;

    /// <summary>Texts of <c>true</c> in bool columns; default <see cref="DefaultTrueValues"/>. Compared exactly.</summary>
    public IReadOnlyList<string> TrueValues { get; init; } = DefaultTrueValues;

    /// <summary>Texts of <c>false</c> in bool columns; default <see cref="DefaultFalseValues"/>. Compared exactly.</summary>
    public IReadOnlyList<string> FalseValues { get; init; } = DefaultFalseValues;

    /// <summary>Whether to infer column types (see the remarks); default true. When false, and no <see cref="Schema"/> is given, every column is nullable utf8.</summary>
    public bool InferTypes { get; init; } = true;

    /// <summary>
    /// How many data rows type inference looks at; default 100,000. Those rows' bytes are held in memory until they are
    /// returned as batches, so memory grows with this number times the row width.
    /// </summary>
    public int InferenceRows { get; init; } = 100_000;

    /// <summary>
    /// An explicit schema; default null (infer). When given, no inference is done. Columns are matched by name when the
    /// input has a header and every schema field name appears in it (header columns not in the schema are then skipped, and the
    /// output has the schema's field order);
    /// otherwise by position, which needs the same number of columns (the schema's names win); when neither works the read
    /// fails with <see cref="LarderFormatException"/>. A null in a non-nullable
    /// field fails the read. Supported field types: bool, the integers, float16/32/64, utf8, large_utf8, binary and
    /// large_binary and fixed_size_binary (base64 text), decimal128/256, date32/date64 (<c>YYYY-MM-DD</c>), time32/64
    /// (<c>hh:mm:ss[.f]</c>), timestamp (ISO-8601 as described in the remarks), duration (an integer count of its unit),
    /// dictionary of utf8, null, and list/struct/map values written as JSON text (as <see cref="CsvWriter"/> writes them).
    /// </summary>
    public Schema? Schema { get; init; }

    /// <summary>Rows per record batch; default 65,536. Every batch but the last has exactly this many rows.</summary>
    public int BatchSize { get; init; } = 65_536;

    /// <summary>
    /// Longest field, in bytes, before the read fails with <see cref="LarderFormatException"/>; default 64 MiB. Guards
    /// against unterminated quotes, which would otherwise swallow the rest of the input.
    /// </summary>
    public int MaxFieldBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Longest record (row), in bytes, before the read fails with <see cref="LarderFormatException"/>; default 256 MiB.</summary>
    public int MaxRowBytes { get; init; } = 256 * 1024 * 1024;

    /// <summary>
    /// Whether rows with too few or too many fields are accepted; default false (they fail the read, naming the row).
    /// When true, missing trailing fields are null and extra fields are ignored.
    /// </summary>
    public bool AllowRaggedRows { get; init; }

    /// <summary>
    /// Columns to materialise, by name (header names, or <c>f0</c>, <c>f1</c>, … without a header), in the order of the
    /// output schema; default null (all columns in input order). Other columns are tokenised but never converted.
    /// Unknown names fail with <see cref="LarderUsageException"/>.
    /// </summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>
    /// How many batches are parsed in parallel; default 0, meaning <see cref="Environment.ProcessorCount"/> capped at 8.
    /// 1 parses on the reading thread. Batches are always returned in input order.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; }
}
