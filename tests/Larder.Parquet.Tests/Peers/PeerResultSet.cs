using Larder.TestKit;
using System.Text.Json;

namespace Larder.Parquet.Tests.Peers;

/// <summary>One column of a peer's result set: its name and type (a DuckDB type name, or hyparquet's schema description).</summary>
public sealed record PeerColumn(string Name, string Type);

/// <summary>
/// One result set as the peers print it (tests/peers/README.md): a header line
/// <c>{"columns":[{"name","type"}],"rowCount":N, …}</c> and then one JSON array of normalised values per row.
/// </summary>
public sealed class PeerResultSet
{
    public PeerResultSet(JsonElement header, IReadOnlyList<PeerColumn> columns, IReadOnlyList<JsonElement> rows)
    {
        Header = header;
        Columns = columns;
        Rows = rows;
    }

    /// <summary>The whole header object (also <c>file</c>, <c>sql</c>, <c>request</c> where the script gives them).</summary>
    public JsonElement Header { get; }

    public IReadOnlyList<PeerColumn> Columns { get; }

    /// <summary>Each row: a JSON array with one normalised value per column.</summary>
    public IReadOnlyList<JsonElement> Rows { get; }

    public IReadOnlyList<string> ColumnNames => [.. Columns.Select(c => c.Name)];

    public IReadOnlyList<string> ColumnTypes => [.. Columns.Select(c => c.Type)];

    /// <summary>The header's <c>file</c>, if any.</summary>
    public string? File => Header.TryGetProperty("file", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;

    /// <summary>The index of the column named <paramref name="name"/> (the first, if names repeat).</summary>
    public int ColumnIndex(string name)
    {
        for (int i = 0; i < Columns.Count; i++)
        {
            if (Columns[i].Name == name)
            {
                return i;
            }
        }

        throw new KeyNotFoundException($"no column '{name}' among {string.Join(", ", ColumnNames)}");
    }

    /// <summary>The value of column <paramref name="column"/> in row <paramref name="row"/>.</summary>
    public JsonElement Value(int row, int column) => Rows[row][column];

    /// <summary>The value of the column named <paramref name="column"/> in row <paramref name="row"/>.</summary>
    public JsonElement Value(int row, string column) => Rows[row][ColumnIndex(column)];

    /// <summary>
    /// Splits a peer's stdout (JSON lines: header objects, each followed by its row arrays) into result sets, checking
    /// each header's <c>rowCount</c>.
    /// </summary>
    /// <exception cref="PeerException">The output breaks that contract; the message quotes the offending line.</exception>
    public static IReadOnlyList<PeerResultSet> ParseAll(string stdout, string command)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var sets = new List<PeerResultSet>();
        JsonElement? header = null;
        List<PeerColumn> columns = [];
        List<JsonElement> rows = [];
        int lineNumber = 0;

        void Close()
        {
            if (header is { } h)
            {
                if (h.TryGetProperty("rowCount", out var count) && count.GetInt32() != rows.Count)
                {
                    throw new PeerException($"`{ChildProcess.Truncate(command, 300)}`: a result set announced {count.GetInt32()} rows but {rows.Count} followed");
                }

                sets.Add(new PeerResultSet(h, columns, rows));
            }
        }

        foreach (string rawLine in stdout.Split('\n'))
        {
            lineNumber++;
            string line = rawLine.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            JsonElement element;
            try
            {
                using var document = JsonDocument.Parse(line);
                element = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new PeerException($"`{ChildProcess.Truncate(command, 300)}` printed a line that is not JSON (line {lineNumber}): {ChildProcess.Truncate(line, 300)}", e);
            }

            if (element.ValueKind == JsonValueKind.Object)
            {
                Close();
                header = element;
                columns = [.. element.GetProperty("columns").EnumerateArray().Select(c => new PeerColumn(c.GetProperty("name").GetString() ?? "", c.GetProperty("type").GetString() ?? ""))];
                rows = [];
            }
            else if (element.ValueKind == JsonValueKind.Array && header is not null)
            {
                if (element.GetArrayLength() != columns.Count)
                {
                    throw new PeerException($"`{ChildProcess.Truncate(command, 300)}`: row (line {lineNumber}) has {element.GetArrayLength()} values for {columns.Count} columns: {ChildProcess.Truncate(line, 300)}");
                }

                rows.Add(element);
            }
            else
            {
                throw new PeerException($"`{ChildProcess.Truncate(command, 300)}` printed an unexpected line {lineNumber}: {ChildProcess.Truncate(line, 300)}");
            }
        }

        Close();
        return sets;
    }

    /// <summary>Like <see cref="ParseAll"/>, for output that holds exactly one result set.</summary>
    public static PeerResultSet ParseSingle(string stdout, string command)
    {
        var sets = ParseAll(stdout, command);
        return sets.Count == 1
            ? sets[0]
            : throw new PeerException($"`{ChildProcess.Truncate(command, 300)}` printed {sets.Count} result sets where one was expected");
    }
}
