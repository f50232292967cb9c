using System.Globalization;
using System.Text;
using System.Text.Json;
using Larder.Parquet.Metadata;

namespace Larder.Cli;

/// <summary>Which row groups and leaf columns <c>larder inspect</c> details for a Parquet file.</summary>
/// <param name="RowGroups">Row group indexes in ascending order; null for all.</param>
/// <param name="Columns">Leaf column paths (or their dotted prefixes) to keep; null for all.</param>
internal sealed record ParquetInspectSelection(IReadOnlyList<int>? RowGroups, IReadOnlyList<string>? Columns)
{
    /// <summary>How many row groups the text output details when <c>--row-groups</c> is not given.</summary>
    public const int DefaultTextRowGroups = 5;

    /// <summary>
    /// Parses <c>--row-groups</c>: <c>all</c>, <c>none</c>, or comma-separated indexes and inclusive ranges
    /// (<c>0,3,5-7</c>); null input gives null (the caller's default).
    /// </summary>
    /// <exception cref="LarderUsageException">The text is not of that form.</exception>
    public static IReadOnlyList<int>? ParseRowGroups(string? text)
    {
        if (text is null || text.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var indexes = new SortedSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length is < 1 or > 2
                || !int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)
                || !int.TryParse(bounds[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int last)
                || last < first
                || last - first > 1_000_000)
            {
                throw LarderErrors.Usage($"--row-groups: '{part}' is not a row group index or range; use e.g. 0, 3-7, 0,2,5-9, all or none.");
            }

            for (int i = first; i <= last; i++)
            {
                indexes.Add(i);
            }
        }

        return indexes.Count == 0
            ? throw LarderErrors.Usage("--row-groups needs at least one index; use e.g. 0, 3-7, all or none.")
            : [.. indexes];
    }
}

/// <summary>
/// The Parquet part of <c>larder inspect</c>: what the footer says (writer, format version, key-value metadata keys, the
/// Parquet schema, and per row group and column chunk the codec, encodings, sizes, offsets, statistics and index
/// locations), as aligned text or as a JSON object. Reads nothing but the decoded footer.
/// </summary>
internal sealed class ParquetInspector
{
    private const int LabelWidth = 16;
    private const int MaxValueText = 80;

    private readonly FileMetaData _metadata;
    private readonly IReadOnlyList<SchemaElement> _leaves;
    private readonly IReadOnlyList<string> _leafPaths;
    private readonly bool[] _columnShown;
    private readonly IReadOnlyList<int> _rowGroups;
    private readonly bool _rowGroupsLimitedByDefault;

    /// <param name="metadata">The decoded footer.</param>
    /// <param name="selection">What to detail; null row groups mean all (JSON) or the first <see cref="ParquetInspectSelection.DefaultTextRowGroups"/> (text).</param>
    /// <param name="forText">Whether the output is text (which limits row groups by default).</param>
    /// <exception cref="LarderUsageException">A selected row group does not exist.</exception>
    /// <exception cref="LarderNotFoundException">A selected column does not exist.</exception>
    public ParquetInspector(FileMetaData metadata, ParquetInspectSelection selection, bool forText)
    {
        _metadata = metadata;
        (_leaves, _leafPaths) = Leaves(metadata.Schema);
        int count = metadata.RowGroups.Count;
        if (selection.RowGroups is { } chosen)
        {
            if (chosen.FirstOrDefault(i => i >= count, -1) is int missing and >= 0)
            {
                throw LarderErrors.Usage(count == 0
                    ? $"--row-groups: row group {missing} does not exist; the file has no row groups."
                    : $"--row-groups: row group {missing} does not exist; the file has {count} (0-{count - 1}).");
            }

            _rowGroups = chosen;
        }
        else
        {
            _rowGroupsLimitedByDefault = forText && count > ParquetInspectSelection.DefaultTextRowGroups;
            _rowGroups = [.. Enumerable.Range(0, _rowGroupsLimitedByDefault ? ParquetInspectSelection.DefaultTextRowGroups : count)];
        }

        _columnShown = new bool[_leaves.Count];
        if (selection.Columns is { } columns)
        {
            foreach (var name in columns)
            {
                bool any = false;
                for (int c = 0; c < _leafPaths.Count; c++)
                {
                    if (_leafPaths[c] == name || _leafPaths[c].StartsWith(name + ".", StringComparison.Ordinal))
                    {
                        _columnShown[c] = true;
                        any = true;
                    }
                }

                if (!any)
                {
                    throw LarderErrors.ColumnNotFound(name, _leafPaths);
                }
            }
        }
        else
        {
            Array.Fill(_columnShown, true);
        }
    }

    /// <summary>The text section, every line ending in a newline.</summary>
    public string ToText()
    {
        var o = new StringBuilder();
        var m = _metadata;
        o.AppendLine("parquet:");
        Line(o, 1, "created by", m.CreatedBy ?? "(not recorded)");
        Line(o, 1, "format version", m.Version.ToString(CultureInfo.InvariantCulture));
        Line(o, 1, "rows", $"{m.NumRows:N0} in {m.RowGroups.Count:N0} row group{(m.RowGroups.Count == 1 ? "" : "s")}");
        Line(o, 1, "key-value keys", m.KeyValueMetadata is { Count: > 0 } kv
            ? string.Join(", ", kv.Select(p => p.Value is null ? $"{p.Key} (no value)" : $"{p.Key} ({System.Text.Encoding.UTF8.GetByteCount(p.Value):N0} bytes)"))
            : "(none)");
        Line(o, 1, "column orders", m.ColumnOrders is { } orders
            ? string.Join(", ", orders.GroupBy(c => c.Kind).Select(g => $"{ParquetText.Name(g.Key)} x{g.Count()}"))
            : "(not recorded: min/max follow each writer's own order)");

        o.AppendLine("parquet schema:");
        foreach (var line in SchemaLines(m.Schema))
        {
            o.Append("  ").AppendLine(ParquetText.Clean(line));
        }

        AppendColumnTotals(o);
        foreach (int g in _rowGroups)
        {
            AppendRowGroup(o, g, m.RowGroups[g]);
        }

        if (_rowGroupsLimitedByDefault)
        {
            int more = m.RowGroups.Count - _rowGroups.Count;
            o.AppendLine($"… {more:N0} more row group{(more == 1 ? "" : "s")} not shown; choose them with --row-groups (e.g. --row-groups all, or {_rowGroups.Count}-{Math.Min(m.RowGroups.Count - 1, (2 * _rowGroups.Count) - 1)}).");
        }

        return o.ToString();
    }

    /// <summary>Writes the footer as the value of the current JSON property (an object).</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        var m = _metadata;
        w.WriteStartObject();
        w.WriteString("createdBy", m.CreatedBy);
        w.WriteNumber("formatVersion", m.Version);
        w.WriteNumber("rows", m.NumRows);
        w.WriteNumber("rowGroupCount", m.RowGroups.Count);
        w.WriteStartArray("keyValueMetadata");
        foreach (var kv in m.KeyValueMetadata ?? [])
        {
            w.WriteStartObject();
            w.WriteString("key", kv.Key);
            if (kv.Value is null)
            {
                w.WriteNull("valueBytes");
            }
            else
            {
                w.WriteNumber("valueBytes", System.Text.Encoding.UTF8.GetByteCount(kv.Value));
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("schemaText", string.Join('\n', SchemaLines(m.Schema)));
        w.WriteStartArray("schema");
        foreach (var (element, path, depth) in SchemaNodes(m.Schema))
        {
            w.WriteStartObject();
            w.WriteString("name", element.Name);
            w.WriteString("path", path);
            w.WriteNumber("depth", depth);
            w.WriteString("repetition", element.RepetitionType is { } r ? ParquetText.Name(r).ToUpperInvariant() : null);
            w.WriteString("physicalType", element.Type is { } t ? ParquetText.Name(t) : null);
            NumberOrNull(w, "typeLength", element.TypeLength);
            w.WriteString("logicalType", element.LogicalType is { } l ? ParquetText.Name(l) : null);
            w.WriteString("convertedType", element.ConvertedType is { } c ? ParquetText.Name(c) : null);
            NumberOrNull(w, "precision", element.Precision);
            NumberOrNull(w, "scale", element.Scale);
            NumberOrNull(w, "fieldId", element.FieldId);
            NumberOrNull(w, "numChildren", element.NumChildren);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("rowGroups");
        foreach (int g in _rowGroups)
        {
            var rg = m.RowGroups[g];
            w.WriteStartObject();
            w.WriteNumber("index", g);
            w.WriteNumber("rows", rg.NumRows);
            w.WriteNumber("totalByteSize", rg.TotalByteSize);
            NumberOrNull(w, "totalCompressedSize", rg.TotalCompressedSize);
            NumberOrNull(w, "fileOffset", rg.FileOffset);
            NumberOrNull(w, "ordinal", rg.Ordinal);
            w.WriteStartArray("sortingColumns");
            foreach (var s in rg.SortingColumns ?? [])
            {
                w.WriteStartObject();
                w.WriteString("column", LeafPath(s.ColumnIndex));
                w.WriteBoolean("descending", s.Descending);
                w.WriteBoolean("nullsFirst", s.NullsFirst);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("columns");
            for (int c = 0; c < rg.Columns.Count; c++)
            {
                if (c < _columnShown.Length && !_columnShown[c])
                {
                    continue;
                }

                WriteChunkJson(w, c, rg.Columns[c]);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private void WriteChunkJson(Utf8JsonWriter w, int c, ColumnChunk chunk)
    {
        var meta = chunk.MetaData;
        w.WriteStartObject();
        w.WriteNumber("index", c);
        w.WriteString("path", string.Join('.', meta.PathInSchema));
        w.WriteString("physicalType", ParquetText.Name(meta.Type));
        w.WriteString("codec", ParquetText.Name(meta.Codec));
        w.WriteStartArray("encodings");
        foreach (var e in meta.Encodings)
        {
            w.WriteStringValue(ParquetText.Name(e));
        }

        w.WriteEndArray();
        if (meta.EncodingStats is { } stats)
        {
            w.WriteStartArray("encodingStats");
            foreach (var s in stats)
            {
                w.WriteStartObject();
                w.WriteString("pageType", ParquetText.Name(s.PageType));
                w.WriteString("encoding", ParquetText.Name(s.Encoding));
                w.WriteNumber("count", s.Count);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }
        else
        {
            w.WriteNull("encodingStats");
        }

        w.WriteNumber("values", meta.NumValues);
        w.WriteNumber("compressedSize", meta.TotalCompressedSize);
        w.WriteNumber("uncompressedSize", meta.TotalUncompressedSize);
        w.WriteNumber("dataPageOffset", meta.DataPageOffset);
        NumberOrNull(w, "dictionaryPageOffset", meta.DictionaryPageOffset);
        NumberOrNull(w, "indexPageOffset", meta.IndexPageOffset);
        w.WriteString("filePath", chunk.FilePath);
        w.WriteString("columnOrder", _metadata.ColumnOrders is { } orders && c < orders.Count ? ParquetText.Name(orders[c].Kind) : null);
        w.WritePropertyName("statistics");
        if (meta.Statistics is { } st)
        {
            w.WriteStartObject();
            NumberOrNull(w, "nullCount", st.NullCount);
            NumberOrNull(w, "distinctCount", st.DistinctCount);
            NumberOrNull(w, "nanCount", st.NanCount);
            var (min, max, legacy) = Bounds(st);
            w.WriteBoolean("legacyMinMax", legacy);
            WriteBound(w, "min", min, c);
            WriteBound(w, "max", max, c);
            if (st.IsMinValueExact is bool minExact)
            {
                w.WriteBoolean("minExact", minExact);
            }
            else
            {
                w.WriteNull("minExact");
            }

            if (st.IsMaxValueExact is bool maxExact)
            {
                w.WriteBoolean("maxExact", maxExact);
            }
            else
            {
                w.WriteNull("maxExact");
            }

            w.WriteEndObject();
        }
        else
        {
            w.WriteNullValue();
        }

        Region(w, "bloomFilter", meta.BloomFilterOffset, meta.BloomFilterLength);
        Region(w, "columnIndex", chunk.ColumnIndexOffset, chunk.ColumnIndexLength);
        Region(w, "offsetIndex", chunk.OffsetIndexOffset, chunk.OffsetIndexLength);
        w.WriteStartArray("keyValueMetadata");
        foreach (var kv in meta.KeyValueMetadata ?? [])
        {
            w.WriteStartObject();
            w.WriteString("key", kv.Key);
            w.WriteString("value", kv.Value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private void WriteBound(Utf8JsonWriter w, string name, byte[]? bytes, int column)
    {
        if (bytes is null)
        {
            w.WriteNull(name);
            w.WriteNull(name + "Raw");
            return;
        }

        var value = Decode(bytes, column);
        w.WritePropertyName(name);
        switch (value.Value)
        {
            case long l:
                w.WriteNumberValue(l);
                break;
            case ulong u:
                w.WriteNumberValue(u);
                break;
            case double d when double.IsFinite(d):
                w.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                w.WriteNumberValue(f);
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            default:
                w.WriteStringValue(value.Quoted ? (string)value.Value : value.ToDisplay());
                break;
        }

        w.WriteString(name + "Raw", ParquetText.Hex(bytes));
    }

    private static void Region(Utf8JsonWriter w, string name, long? offset, int? length)
    {
        if (offset is long o)
        {
            w.WriteStartObject(name);
            w.WriteNumber("offset", o);
            NumberOrNull(w, "length", length);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void NumberOrNull(Utf8JsonWriter w, string name, long? value)
    {
        if (value is long v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    /// <summary>One line per leaf column with its sizes, codecs and encodings summed over every row group.</summary>
    private void AppendColumnTotals(StringBuilder o)
    {
        var m = _metadata;
        var rows = new List<string[]>();
        for (int c = 0; c < _leafPaths.Count; c++)
        {
            if (!_columnShown[c])
            {
                continue;
            }

            var chunks = m.RowGroups.Where(g => c < g.Columns.Count).Select(g => g.Columns[c].MetaData).ToList();
            long compressed = Sum(chunks.Select(x => x.TotalCompressedSize));
            long uncompressed = Sum(chunks.Select(x => x.TotalUncompressedSize));
            rows.Add(
            [
                ParquetText.Clean(_leafPaths[c]),
                _leaves[c].Type is { } t ? ParquetText.Name(t) : "?",
                string.Join(",", chunks.Select(x => ParquetText.Name(x.Codec)).Distinct()),
                Sum(chunks.Select(x => x.NumValues)).ToString("N0", CultureInfo.InvariantCulture),
                compressed.ToString("N0", CultureInfo.InvariantCulture),
                uncompressed.ToString("N0", CultureInfo.InvariantCulture),
                compressed > 0 ? (uncompressed / (double)compressed).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "-",
                string.Join(",", chunks.SelectMany(x => x.Encodings).Select(ParquetText.Name).Distinct()),
            ]);
        }

        o.AppendLine($"column chunks, summed over {m.RowGroups.Count:N0} row group{(m.RowGroups.Count == 1 ? "" : "s")} (sizes in bytes):");
        string[] header = ["column", "type", "codec", "values", "compressed", "uncompressed", "ratio", "encodings"];
        bool[] right = [false, false, false, true, true, true, true, false];
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            var cells = row.Select((cell, i) => i == row.Length - 1 ? cell : right[i] ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
            o.Append("  ").AppendLine(string.Join("  ", cells).TrimEnd());
        }
    }

    private void AppendRowGroup(StringBuilder o, int index, RowGroup rg)
    {
        var header = new StringBuilder($"row group {index}: {rg.NumRows:N0} rows, total byte size {Size(rg.TotalByteSize)}");
        if (rg.TotalCompressedSize is long tcs)
        {
            header.Append($", compressed {Size(tcs)}");
        }

        if (rg.FileOffset is long fo)
        {
            header.Append($", file offset {fo:N0}");
        }

        if (rg.Ordinal is short ordinal)
        {
            header.Append($", ordinal {ordinal}");
        }

        o.AppendLine(header.ToString());
        if (rg.SortingColumns is { Count: > 0 } sorting)
        {
            Line(o, 1, "sorted by", string.Join(", ", sorting.Select(s => $"{LeafPath(s.ColumnIndex)} {(s.Descending ? "DESC" : "ASC")} NULLS {(s.NullsFirst ? "FIRST" : "LAST")}")));
        }

        for (int c = 0; c < rg.Columns.Count; c++)
        {
            if (c < _columnShown.Length && !_columnShown[c])
            {
                continue;
            }

            var chunk = rg.Columns[c];
            var meta = chunk.MetaData;
            o.Append("  ").AppendLine(ParquetText.Clean($"{string.Join('.', meta.PathInSchema)}: {ParquetText.Name(meta.Type)}, {ParquetText.Name(meta.Codec)}"));
            Line(o, 2, "encodings", meta.Encodings.Count > 0 ? string.Join(", ", meta.Encodings.Select(ParquetText.Name)) : "(none listed)");
            if (meta.EncodingStats is { Count: > 0 } stats)
            {
                Line(o, 2, "encoding stats", string.Join(", ", stats.Select(s => $"{ParquetText.Name(s.PageType)} {ParquetText.Name(s.Encoding)} x{s.Count}")));
            }

            Line(o, 2, "values", meta.NumValues.ToString("N0", CultureInfo.InvariantCulture));
            Line(o, 2, "sizes", $"{Size(meta.TotalCompressedSize)} compressed, {Size(meta.TotalUncompressedSize)} uncompressed");
            var offsets = new List<string>();
            if (meta.DictionaryPageOffset is long dict)
            {
                offsets.Add($"dictionary {dict:N0}");
            }

            offsets.Add($"data {meta.DataPageOffset:N0}");
            if (meta.IndexPageOffset is long ip)
            {
                offsets.Add($"index {ip:N0}");
            }

            Line(o, 2, "offsets", string.Join(", ", offsets));
            if (chunk.FilePath is { } external)
            {
                Line(o, 2, "file path", external);
            }

            Line(o, 2, "statistics", meta.Statistics is { } st ? StatisticsText(st, c) : "(none)");
            var indexes = new List<string>();
            if (meta.BloomFilterOffset is not null)
            {
                indexes.Add($"bloom filter {RegionText(meta.BloomFilterOffset, meta.BloomFilterLength)}");
            }

            if (chunk.ColumnIndexOffset is not null)
            {
                indexes.Add($"column index {RegionText(chunk.ColumnIndexOffset, chunk.ColumnIndexLength)}");
            }

            if (chunk.OffsetIndexOffset is not null)
            {
                indexes.Add($"offset index {RegionText(chunk.OffsetIndexOffset, chunk.OffsetIndexLength)}");
            }

            Line(o, 2, "indexes", indexes.Count > 0 ? string.Join(", ", indexes) : "(none)");
            if (meta.KeyValueMetadata is { Count: > 0 } kv)
            {
                Line(o, 2, "key-value", string.Join(", ", kv.Select(p => p.Value is null ? p.Key : $"{p.Key} = {Shorten(p.Value)}")));
            }
        }
    }

    private string StatisticsText(Statistics st, int column)
    {
        var parts = new List<string>
        {
            $"nulls {(st.NullCount is long n ? n.ToString("N0", CultureInfo.InvariantCulture) : "unknown")}",
        };
        if (st.DistinctCount is long distinct)
        {
            parts.Add($"distinct {distinct:N0}");
        }

        if (st.NanCount is long nans)
        {
            parts.Add($"NaNs {nans:N0}");
        }

        var (min, max, legacy) = Bounds(st);
        if (min is not null)
        {
            parts.Add($"min {BoundText(min, column, st.IsMinValueExact)}");
        }

        if (max is not null)
        {
            parts.Add($"max {BoundText(max, column, st.IsMaxValueExact)}");
        }

        return string.Join(", ", parts) + (legacy ? " (legacy min/max: signed order)" : "");
    }

    private string BoundText(byte[] bytes, int column, bool? exact)
    {
        var value = Decode(bytes, column);
        string text = Shorten(value.ToDisplay());
        if (!value.Decoded)
        {
            text += " (raw)";
        }

        return exact == false ? text + " (truncated)" : text;
    }

    private ParquetValue Decode(byte[] bytes, int column)
        => column < _leaves.Count ? ParquetText.Decode(bytes, _leaves[column]) : new(ParquetText.Hex(bytes), false, false);

    /// <summary>min_value/max_value when written, else the deprecated min/max (flagged legacy).</summary>
    private static (byte[]? Min, byte[]? Max, bool Legacy) Bounds(Statistics st)
        => st.MinValue is not null || st.MaxValue is not null
            ? (st.MinValue, st.MaxValue, false)
            : (st.Min, st.Max, st.Min is not null || st.Max is not null);

    /// <summary>A sum that stops at the long range instead of throwing (a hostile footer may hold any sizes).</summary>
    private static long Sum(IEnumerable<long> values)
    {
        Int128 total = 0;
        foreach (long v in values)
        {
            total += v;
        }

        return (long)Int128.Clamp(total, long.MinValue, long.MaxValue);
    }

    private string LeafPath(int index) => index >= 0 && index < _leafPaths.Count ? _leafPaths[index] : $"#{index}";

    private static string RegionText(long? offset, int? length)
        => offset is long o ? (length is int l ? $"at {o:N0} ({l:N0} bytes)" : $"at {o:N0}") : "(none)";

    private static string Size(long bytes)
        => bytes >= 1024 ? $"{bytes:N0} bytes ({InspectCommand.FormatBytes(bytes)})" : $"{bytes:N0} bytes";

    private static string Shorten(string text) => text.Length <= MaxValueText ? text : text[..(MaxValueText - 1)] + "…";

    private static void Line(StringBuilder o, int indent, string label, string value)
        => o.Append(' ', indent * 2).Append((label + ":").PadRight(LabelWidth)).Append(' ').AppendLine(ParquetText.Clean(value));

    /// <summary>The leaves in depth-first order (the order of column chunks) and their dotted paths.</summary>
    private static (IReadOnlyList<SchemaElement> Leaves, IReadOnlyList<string> Paths) Leaves(IReadOnlyList<SchemaElement> schema)
    {
        var leaves = new List<SchemaElement>();
        var paths = new List<string>();
        foreach (var (element, path, _) in SchemaNodes(schema))
        {
            if (!IsGroup(element))
            {
                leaves.Add(element);
                paths.Add(path);
            }
        }

        return (leaves, paths);
    }

    private static bool IsGroup(SchemaElement e) => e.NumChildren is int n && (n > 0 || e.Type is null);

    /// <summary>Every element below the root, depth first, with its dotted path and depth (1 for the root's children).</summary>
    private static IEnumerable<(SchemaElement Element, string Path, int Depth)> SchemaNodes(IReadOnlyList<SchemaElement> schema)
    {
        if (schema.Count == 0)
        {
            yield break;
        }

        var remaining = new Stack<int>();
        var names = new Stack<string>();
        remaining.Push(schema[0].NumChildren ?? 0);
        for (int i = 1; i < schema.Count && remaining.Count > 0;)
        {
            if (remaining.Peek() <= 0)
            {
                remaining.Pop();
                if (names.Count > 0)
                {
                    names.Pop();
                }

                continue;
            }

            remaining.Push(remaining.Pop() - 1);
            var element = schema[i++];
            string path = string.Join('.', names.Reverse().Append(element.Name));
            yield return (element, path, remaining.Count);
            if (IsGroup(element))
            {
                remaining.Push(element.NumChildren ?? 0);
                names.Push(element.Name);
            }
        }
    }

    /// <summary>The schema as a parquet-mr message, one line per element, groups indented.</summary>
    private static IEnumerable<string> SchemaLines(IReadOnlyList<SchemaElement> schema)
    {
        if (schema.Count == 0)
        {
            yield break;
        }

        yield return $"message {schema[0].Name} {{";
        var open = new Stack<int>();
        foreach (var (element, _, depth) in SchemaNodes(schema))
        {
            while (open.Count > 0 && open.Peek() >= depth)
            {
                yield return new string(' ', 2 * open.Pop()) + "}";
            }

            bool group = IsGroup(element);
            yield return new string(' ', 2 * depth) + ParquetText.Declaration(element, group);
            if (group)
            {
                open.Push(depth);
            }
        }

        while (open.Count > 0)
        {
            yield return new string(' ', 2 * open.Pop()) + "}";
        }

        yield return "}";
    }
}
