namespace Larder.Formats;

/// <summary>
/// The table formats a front end knows, looked up by name or file extension. Immutable: <see cref="With"/> returns a
/// new registry, so feature projects (Parquet) add their formats without shared mutable state. Thread safe.
/// </summary>
public sealed class TableFormatRegistry
{
    private readonly ITableFormat[] _formats;

    public TableFormatRegistry(IEnumerable<ITableFormat> formats) => _formats = [.. formats];

    /// <summary>The formats of Larder.Core: csv, tsv, jsonl, arrow (file) and arrows (stream).</summary>
    public static TableFormatRegistry CreateDefault()
        => new([new CsvTableFormat(tab: false), new CsvTableFormat(tab: true), new JsonLinesTableFormat(), new ArrowTableFormat(stream: false), new ArrowTableFormat(stream: true)]);

    public IReadOnlyList<ITableFormat> Formats => _formats;

    /// <summary>A registry with <paramref name="format"/> added (replacing one of the same name).</summary>
    public TableFormatRegistry With(ITableFormat format) => new(_formats.Where(f => f.Name != format.Name).Append(format));

    /// <summary>The format for <paramref name="path"/>'s extension.</summary>
    /// <exception cref="LarderUsageException">No format has that extension.</exception>
    public ITableFormat ForPath(string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return _formats.FirstOrDefault(f => f.Extensions.Contains(ext))
            ?? throw LarderErrors.UnknownFormat(path, _formats.SelectMany(f => f.Extensions));
    }

    /// <summary>The format named <paramref name="name"/>.</summary>
    /// <exception cref="LarderUsageException">No format has that name.</exception>
    public ITableFormat ForName(string name)
        => _formats.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw LarderErrors.UnknownFormat(name, _formats.Select(f => f.Name));
}
