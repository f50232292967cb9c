using System.IO.Compression;

namespace Larder.Arrays;

/// <summary>
/// Writes NPZ archives as numpy's <c>np.savez</c> (entries stored) or <c>np.savez_compressed</c> (entries deflated) does:
/// one NPY file per array, named <c>name.npy</c>. Entries carry a fixed timestamp (1980-01-01) so equal input gives equal
/// bytes. Not thread safe; dispose it to finish the archive (the zip central directory is written then).
/// </summary>
public sealed class NpzWriter : IDisposable, IAsyncDisposable
{
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ZipArchive _zip;
    private readonly CompressionLevel _level;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Starts an archive on <paramref name="stream"/> (seekable or not).</summary>
    /// <param name="compressed">True for deflated entries (<c>savez_compressed</c>), false for stored ones (<c>savez</c>).</param>
    /// <param name="leaveOpen">False to dispose <paramref name="stream"/> with the writer.</param>
    public NpzWriter(Stream stream, bool compressed = false, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen);
        _level = compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression;
    }

    /// <summary>Starts an archive in a new or replaced file at <paramref name="path"/>.</summary>
    /// <inheritdoc cref="NpzWriter(Stream, bool, bool)"/>
    public static NpzWriter Create(string path, bool compressed = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new NpzWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: false), compressed);
    }

    /// <summary>Writes <paramref name="arrays"/> into a new or replaced NPZ file at <paramref name="path"/>.</summary>
    /// <inheritdoc cref="NpzWriter(Stream, bool, bool)"/>
    public static void Write(string path, IEnumerable<KeyValuePair<string, NDArray>> arrays, bool compressed = false)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        using var writer = Create(path, compressed);
        foreach (var (name, array) in arrays)
        {
            writer.Add(name, array);
        }
    }

    /// <summary>Adds <paramref name="array"/> as the entry <c><paramref name="name"/>.npy</c>.</summary>
    /// <exception cref="LarderUsageException">The name is empty, has a path separator, or was already added.</exception>
    public void Add(string name, NDArray array)
    {
        var entry = NewEntry(name, array);
        using var stream = entry.Open();
        NpyWriter.Write(stream, array, leaveOpen: true);
    }

    /// <inheritdoc cref="Add(string, NDArray)"/>
    public async Task AddAsync(string name, NDArray array, CancellationToken cancellationToken = default)
    {
        var entry = NewEntry(name, array);
        var stream = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await NpyWriter.WriteAsync(stream, array, leaveOpen: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Finishes the archive.</summary>
    public void Dispose() => _zip.Dispose();

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync() => _zip.DisposeAsync();

    private ZipArchiveEntry NewEntry(string name, NDArray array)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(array);
        if (name.Length == 0 || name.Contains('/') || name.Contains('\\') || !_names.Add(name))
        {
            throw LarderErrors.NpzBadName(name);
        }

        var entry = _zip.CreateEntry(name + ".npy", _level);
        entry.LastWriteTime = EntryTime;
        return entry;
    }
}
