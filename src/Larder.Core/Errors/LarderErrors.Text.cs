using System.Text;
using Larder.Columnar;

namespace Larder;

/// <summary>Errors of the CSV/TSV and JSON-lines readers and writers (<c>Larder.Text</c>).</summary>
public static partial class LarderErrors
{
    private const int MaxShownValueChars = 80;

    /// <summary>A quoted CSV field is still open at the end of the input.</summary>
    public static LarderFormatException CsvUnterminatedQuote(string? source, long row, long line, long offset)
        => new(TextWhere(source, row, line, null) + "a quoted field is not closed before the end of the input; close the quote, and double every quote inside a quoted field (\"\").", source, offset);

    /// <summary>A closing quote is followed by something other than a delimiter or a line end.</summary>
    public static LarderFormatException CsvTextAfterQuote(string? source, long row, long line, long offset, string column, byte found)
        => new(TextWhere(source, row, line, column) + $"a quoted field's closing quote is followed by {ShowByte(found)} instead of a delimiter or a line end; double every quote inside a quoted field (\"\") or quote the whole field.", source, offset);

    /// <summary>A field is longer than the configured limit.</summary>
    public static LarderFormatException TextFieldTooLong(string? source, long row, long line, long offset, long limit, string optionName)
        => new(TextWhere(source, row, line, null) + $"a field is longer than {optionName} ({limit} bytes), most likely because of an unterminated quote; fix the quoting or raise {optionName}.", source, offset);

    /// <summary>A record or line is longer than the configured limit.</summary>
    public static LarderFormatException TextRowTooLong(string? source, long row, long line, long offset, long limit, string optionName)
        => new(TextWhere(source, row, line, null) + $"a row is longer than {optionName} ({limit} bytes); check that the file is really delimited text with line ends, or raise {optionName}.", source, offset);

    /// <summary>One batch of rows does not fit the 2 GiB limit of one buffer.</summary>
    public static LarderFormatException TextBlockTooLarge(string? source, long row, int batchSize)
        => new(TextWhere(source, row, null, null) + $"{batchSize} rows from row {row} on are more than 2 GiB of text; lower BatchSize.", source);

    /// <summary>A CSV row has a different number of fields than the table has columns.</summary>
    public static LarderFormatException CsvRaggedRow(string? source, long row, long line, long offset, int fields, int expected, bool more)
        => new(TextWhere(source, row, line, null) + $"the row has {(more ? "more than " + expected : fields.ToString(System.Globalization.CultureInfo.InvariantCulture))} fields but the table has {expected} columns; fix the row (quote fields that contain the delimiter) or set AllowRaggedRows to fill missing fields with nulls and ignore extra ones.", source, offset);

    /// <summary>A field does not parse as its column's type.</summary>
    public static LarderFormatException TextValueMismatch(string? source, long row, long line, long offset, string column, ReadOnlySpan<byte> value, ArrowType type, int? inferenceRows)
    {
        string what = TextWhere(source, row, line, column) + $"{ShowValue(value)} is not a valid {type} value";
        what += inferenceRows is int n
            ? $" ({type} was inferred from the first {n} rows); pass an explicit Schema that gives the column a wider type (utf8 reads anything), or raise InferenceRows."
            : " (the schema's type for the column); fix the value or give the column another type in the schema.";
        return new(what, source, offset);
    }

    /// <summary>A null where the schema says the field is not nullable.</summary>
    public static LarderFormatException TextNullNotAllowed(string? source, long row, long line, long offset, string column)
        => new(TextWhere(source, row, line, column) + "the value is null but the schema declares the field not nullable; fill in the value or make the field nullable.", source, offset);

    /// <summary>The input is not valid UTF-8.</summary>
    public static LarderFormatException TextInvalidUtf8(string? source, long? row, long line, long offset)
        => new(TextWhere(source, row, line, null) + "the text is not valid UTF-8; convert the file to UTF-8 (for example with iconv) before reading it.", source, offset);

    /// <summary>The input starts with a UTF-16 or UTF-32 byte-order mark.</summary>
    public static LarderNotSupportedException TextUtf16(string? source)
        => new(Describe(source, 0) + "the text is UTF-16 or UTF-32 (it starts with such a byte-order mark) and only UTF-8 is supported; convert the file to UTF-8 (for example with iconv).", source, 0);

    /// <summary>A header name or other text the reader must decode is not valid UTF-8.</summary>
    public static LarderFormatException TextHeaderInvalid(string? source, string what)
        => new(Describe(source, null) + $"{what}; convert the file to UTF-8.", source);

    /// <summary>An option value that cannot work.</summary>
    public static LarderUsageException TextOptionInvalid(string option, string problem)
        => new($"invalid {option}: {problem}.");

    /// <summary>A requested column is not in the input.</summary>
    public static LarderUsageException TextColumnNotFound(string? source, string name, IEnumerable<string> available)
        => new(Describe(source, null) + $"no column named '{name}'; the columns are: {string.Join(", ", available.Select(n => "'" + n + "'"))}.");

    /// <summary>The input's columns match the explicit schema neither by name nor by position.</summary>
    public static LarderFormatException CsvSchemaDoesNotMatch(string? source, IEnumerable<string> schemaNames, IEnumerable<string> fileNames)
        => new(Describe(source, null) + $"the input's columns ({string.Join(", ", fileNames)}) match the schema's fields ({string.Join(", ", schemaNames)}) neither by name nor by position; check that this is the intended file, or give every column a field, in order, or name the fields as the header does.", source);

    /// <summary>A field type the text reader or writer cannot handle.</summary>
    public static LarderNotSupportedException TextTypeNotSupported(string field, ArrowType type, string format)
        => new($"field '{field}' has type {type}, which {format} does not support; convert the column to a supported type first.");

    /// <summary>A batch handed to a writer does not match the writer's schema.</summary>
    public static LarderUsageException TextBatchSchemaMismatch(string writer, Schema expected, Schema actual)
        => new($"the batch's columns ({string.Join(", ", actual.Fields)}) do not match the {writer}'s schema ({string.Join(", ", expected.Fields)}); write batches of one schema per writer.");

    /// <summary>A reader or writer used after disposal or enumerated twice.</summary>
    public static InvalidOperationException TextReaderState(string what)
        => new(what);

    /// <summary>A JSON line is not valid JSON.</summary>
    public static LarderFormatException JsonLineMalformed(string? source, long line, long offset, string detail, Exception? inner = null)
        => new(TextWhere(source, null, line, null) + $"invalid JSON: {detail}; every line must hold one complete JSON object.", source, offset, inner);

    /// <summary>A JSON line holds something other than an object.</summary>
    public static LarderFormatException JsonLineNotObject(string? source, long line, long offset, string found)
        => new(TextWhere(source, null, line, null) + $"the line holds a JSON {found}, not an object; JSON lines need one object per line.", source, offset);

    /// <summary>An object repeats a key.</summary>
    public static LarderFormatException JsonLineDuplicateKey(string? source, long line, long offset, string key)
        => new(TextWhere(source, null, line, key, "key") + "the key appears twice in one object; keep one of them.", source, offset);

    /// <summary>A key that type inference did not see.</summary>
    public static LarderFormatException JsonLineUnexpectedKey(string? source, long line, long offset, string key, int inferenceRows)
        => new(TextWhere(source, null, line, key, "key") + $"the key does not appear in the first {inferenceRows} lines, from which the schema was inferred; raise InferenceRows or pass an explicit Schema (keys not in an explicit schema are ignored).", source, offset);

    /// <summary>A JSON value does not fit its column's type.</summary>
    public static LarderFormatException JsonLineValueMismatch(string? source, long line, long offset, string key, string value, ArrowType type, int? inferenceRows)
    {
        string what = TextWhere(source, null, line, key, "key") + $"{Shorten(value)} is not a valid {type} value";
        what += inferenceRows is int n
            ? $" ({type} was inferred from the first {n} lines); pass an explicit Schema that gives the key a wider type (utf8 takes any value as JSON text), or raise InferenceRows."
            : " (the schema's type for the key); fix the value or give the key another type in the schema.";
        return new(what, source, offset);
    }

    /// <summary>A JSON null where the schema says the field is not nullable.</summary>
    public static LarderFormatException JsonLineNullNotAllowed(string? source, long line, long offset, string key)
        => new(TextWhere(source, null, line, key, "key") + "the value is null or missing but the schema declares the field not nullable; fill in the value or make the field nullable.", source, offset);

    private static string TextWhere(string? source, long? row, long? line, string? column, string label = "column")
    {
        var sb = new StringBuilder();
        if (source is not null)
        {
            sb.Append(source).Append(": ");
        }

        if (row is long r)
        {
            sb.Append("row ").Append(r);
            if (line is long l)
            {
                sb.Append(" (line ").Append(l).Append(')');
            }
        }
        else if (line is long l)
        {
            sb.Append("line ").Append(l);
        }

        if (column is not null)
        {
            if (row is not null || line is not null)
            {
                sb.Append(", ");
            }

            sb.Append(label).Append(" '").Append(column).Append('\'');
        }

        if (sb.Length > 0 && (row is not null || line is not null || column is not null))
        {
            sb.Append(": ");
        }

        return sb.ToString();
    }

    private static string ShowValue(ReadOnlySpan<byte> value)
    {
        string text = Encoding.UTF8.GetString(value.Length > MaxShownValueChars * 4 ? value[..(MaxShownValueChars * 4)] : value);
        return Shorten(text);
    }

    private static string Shorten(string text)
    {
        if (text.Length > MaxShownValueChars)
        {
            text = text[..MaxShownValueChars] + "…";
        }

        return "'" + text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "'";
    }

    private static string ShowByte(byte b) => b is >= 0x20 and < 0x7F ? $"'{(char)b}'" : $"byte 0x{b:X2}";
}
