using Larder.Columnar;

namespace Larder.Text;

/// <summary>
/// How <see cref="JsonLinesReader"/> reads JSON lines. Immutable (a record with init-only properties); share it freely.
/// </summary>
/// <remarks>
/// <para><b>Input.</b> UTF-8 (a leading byte-order mark is skipped), one JSON object per line (LF or CRLF line ends);
/// lines holding only white space are skipped. A line that is not one complete JSON object fails the read with
/// <see cref="LarderFormatException"/> naming the line.</para>
/// <para><b>Type inference</b> (when no <see cref="Schema"/> is given) looks at the first <see cref="InferenceRows"/>
/// non-blank lines. The columns are the union of the top-level keys, in first-seen order; a key missing from a line is
/// null there. Per key (and recursively inside arrays and objects), from the values seen:
/// only <c>true</c>/<c>false</c> → bool; only integers that fit int64 → int64; numbers (some with a fraction, an exponent
/// or beyond int64), possibly with the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c> (any case; also
/// <c>"nan"</c>, <c>"inf"</c>, <c>"-inf"</c>) → float64; only strings that all parse as ISO-8601 timestamps (the forms
/// of <see cref="CsvReadOptions"/>, same unit and zone rules) → timestamp; other strings → utf8; only arrays → list of
/// the items' inferred type; only objects → struct of the union of their keys in first-seen order (utf8 when no object
/// had a key); only nulls, or no value at all → utf8. A key whose values mix kinds (say numbers and strings) is utf8:
/// strings as their text, other values as their JSON text. Every inferred field is nullable. A key first seen after the
/// inference window fails the read (raise <see cref="InferenceRows"/> or pass a schema), and so does a later value that
/// does not fit the inferred type.</para>
/// <para><b>Explicit schemas</b> match keys by name; keys not in the schema are ignored. JSON numbers read into the
/// integer, float and decimal types, strings into utf8 (any other JSON value into utf8 as its JSON text), ISO-8601
/// strings into timestamp, <c>YYYY-MM-DD</c> into date32/date64, <c>hh:mm:ss[.f]</c> into time32/time64, base64 strings
/// into binary types, arrays into lists, objects into structs, objects or arrays of <c>[key, value]</c> pairs into maps —
/// as <see cref="JsonLinesWriter"/> writes them.</para>
/// </remarks>
public sealed record JsonLinesReadOptions
{
    /// <summary>Rows (lines) per record batch; default 65,536. Every batch but the last has exactly this many rows.</summary>
    public int BatchSize { get; init; } = 65_536;

    /// <summary>How many non-blank lines type inference looks at; default 100,000 (they are held in memory until returned as batches).</summary>
    public int InferenceRows { get; init; } = 100_000;

    /// <summary>An explicit schema; default null (infer). Keys are matched by name; other keys are ignored.</summary>
    public Schema? Schema { get; init; }

    /// <summary>Longest line, in bytes, before the read fails with <see cref="LarderFormatException"/>; default 64 MiB.</summary>
    public int MaxLineBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>
    /// Top-level keys to materialise, in the order of the output schema; default null (all). Other keys are skipped
    /// (and, unlike without a projection, keys unseen during inference are ignored too).
    /// </summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>How many batches are parsed in parallel; default 0, meaning <see cref="Environment.ProcessorCount"/> capped at 8.</summary>
    public int MaxDegreeOfParallelism { get; init; }
}

/// <summary>How <see cref="JsonLinesWriter"/> writes JSON lines. Immutable; share it freely.</summary>
public sealed record JsonLinesWriteOptions
{
    /// <summary>Whether null values are left out of their row's object instead of written as <c>null</c>; default false.</summary>
    public bool OmitNulls { get; init; }
}
