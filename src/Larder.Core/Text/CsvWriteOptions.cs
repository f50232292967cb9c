namespace Larder.Text;

/// <summary>
/// How <see cref="CsvWriter"/> writes delimited text. Immutable (a record with init-only properties); share it freely.
/// </summary>
/// <remarks>
/// <para>Output is UTF-8 without a byte-order mark. Values are written so that both <see cref="CsvReader"/> and pandas
/// <c>read_csv</c> read them back as the same values:</para>
/// <list type="bullet">
/// <item>null → <see cref="NullText"/> (default: an empty, unquoted field);</item>
/// <item>bool → <see cref="TrueText"/>/<see cref="FalseText"/> (default <c>true</c>/<c>false</c>);</item>
/// <item>integers → decimal digits; decimals → their exact digits (<c>-12.340</c>);</item>
/// <item>floats → the shortest text that parses back to the same value, with <c>.0</c> appended to whole numbers so that
/// the column reads back as a float (<c>1.5</c>, <c>2.0</c>, <c>1E+20</c>); NaN → <c>NaN</c>, ±∞ → <c>inf</c>/<c>-inf</c>;</item>
/// <item>timestamps → <c>YYYY-MM-DD hh:mm:ss</c> with a space (as pandas <c>to_csv</c> writes them; <see cref="TimestampSeparator"/>),
/// followed by <c>.fff</c>, <c>.ffffff</c> or <c>.fffffffff</c> (as many digits as the unit has) when the fraction is not
/// zero; a timestamp column with a time zone is written as its UTC instant with a <c>Z</c> suffix, one without as the
/// bare wall time;</item>
/// <item>date32/date64 → <c>YYYY-MM-DD</c>; time32/time64 → <c>hh:mm:ss[.f…]</c>; duration → an integer count of its unit;</item>
/// <item>utf8 → the text, quoted only when needed: when it contains the delimiter, the quote, CR or LF, starts or ends
/// with a space or tab, is empty, or equals one of <see cref="CsvReadOptions.DefaultNullValues"/> or
/// <see cref="NullText"/> (so empty strings and the string <c>"NA"</c> read back as strings, not nulls); a quote inside
/// is doubled;</item>
/// <item>binary and fixed_size_binary → base64; lists, structs, maps and intervals → compact JSON text as
/// <see cref="JsonLinesWriter"/> writes the value (quoted, since it holds quotes); dictionary columns → their values.</item>
/// </list>
/// <para>Header names are quoted only when they contain the delimiter, the quote, CR or LF (an empty name stays empty).</para>
/// <para>Readers skip blank lines, so in a table of one column a null written as the default empty <see cref="NullText"/>
/// makes a blank line that does not read back as a row (pandas behaves the same); give such tables a non-empty
/// <see cref="NullText"/> that the reader takes for null (for example <c>NA</c>).</para>
/// </remarks>
public sealed record CsvWriteOptions
{
    /// <summary>Options for tab-separated values: <see cref="Delimiter"/> is <c>'\t'</c>, everything else default.</summary>
    public static CsvWriteOptions Tsv => new() { Delimiter = '\t' };

    /// <summary>Field separator; default <c>','</c>. Must be ASCII, and not the quote, CR or LF.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>Whether to write a header line with the field names; default true.</summary>
    public bool Header { get; init; } = true;

    /// <summary>Quote character; default <c>'"'</c>. Must be ASCII, and not the delimiter, CR or LF.</summary>
    public char Quote { get; init; } = '"';

    /// <summary>Text of a null value; default the empty string (an empty unquoted field). Must not need quoting.</summary>
    public string NullText { get; init; } = string.Empty;

    /// <summary>Record terminator; default <c>"\n"</c>. Must be <c>"\n"</c>, <c>"\r\n"</c> or <c>"\r"</c>.</summary>
    public string LineEnding { get; init; } = "\n";

    /// <summary>Text of true; default <c>true</c>. Both readers read <c>true</c>/<c>True</c>/<c>TRUE</c>.</summary>
    public string TrueText { get; init; } = "true";

    /// <summary>Text of false; default <c>false</c>.</summary>
    public string FalseText { get; init; } = "false";

    /// <summary>Between the date and the time of a timestamp: <c>' '</c> (default, as pandas writes) or <c>'T'</c>.</summary>
    public char TimestampSeparator { get; init; } = ' ';
}
