using System.IO.Compression;

namespace Larder.Arrays;

/// <summary>
/// Reads NPZ archives (numpy's <c>np.savez</c>, stored entries, and <c>np.savez_compressed</c>, deflated entries): a zip
/// of NPY files, one per array, named <c>name.npy</c>. Each array is checked against its entry's uncompressed size before
/// anything is allocated for it. Not thread safe (one zip archive underneath); dispose it to release the input.
/// </summary>
public sealed class NpzReader : IDisposable, IAsyncDisposable
{
    private readonly ZipArchive _zip;
    private readonly string? _source;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    private NpzReader(ZipArchive zip, string? source)
    {
        _zip = zip;
        _source = source;
        foreach (var entry in zip.Entries)
        {
            string name = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
            if (name.Length > 0 && !name.EndsWith('/') && _entries.TryAdd(name, entry))
            {
                _names.Add(name);
            }
        }
    }

    /// <summary>Opens an archive over <paramref name="stream"/> (which must be seekable, or is copied to memory by the zip reader).</summary>
    /// <param name="leaveOpen">False to dispose <paramref name="stream"/> with the reader (or at once on failure).</param>
    /// <param name="source">A name for the input in error messages.</param>
    /// <exception cref="LarderFormatException">It is not a readable zip archive.</exception>
    public static NpzReader Open(Stream stream, bool leaveOpen = false, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            return new NpzReader(new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen), source);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or NotSupportedException or EndOfStreamException)
        {
            if (!leaveOpen)
            {
                stream.Dispose();
            }

            throw LarderErrors.NpzCorrupt(source, e);
        }
    }

    /// <inheritdoc cref="Open(Stream, bool, string?)"/>
    public static async Task<NpzReader> OpenAsync(Stream stream, bool leaveOpen = false, string? source = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            var zip = await ZipArchive.CreateAsync(stream, ZipArchiveMode.Read, leaveOpen, entryNameEncoding: null, cancellationToken).ConfigureAwait(false);
            return new NpzReader(zip, source);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or NotSupportedException or EndOfStreamException)
        {
            if (!leaveOpen)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            throw LarderErrors.NpzCorrupt(source, e);
        }
    }

    /// <summary>Opens the archive at <paramref name="path"/>.</summary>
    /// <exception cref="LarderNotFoundException">There is no such file.</exception>
    /// <inheritdoc cref="Open(Stream, bool, string?)"/>
    public static NpzReader Open(string path) => Open(OpenFile(path, useAsync: false), leaveOpen: false, path);

    /// <inheritdoc cref="Open(string)"/>
    public static Task<NpzReader> OpenAsync(string path, CancellationToken cancellationToken = default)
        => OpenAsync(OpenFile(path, useAsync: true), leaveOpen: false, path, cancellationToken);

    /// <summary>Every array in the archive as a name → array map (the caller owns and disposes the arrays).</summary>
    /// <inheritdoc cref="Read(string)"/>
    public static Dictionary<string, NDArray> ReadAll(string path)
    {
        using var reader = Open(path);
        return reader.ReadAll();
    }

    /// <summary>The array names, in archive order: entry names without their <c>.npy</c> suffix.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>True when the archive has an array named <paramref name="name"/>.</summary>
    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>Reads the array named <paramref name="name"/>; the caller owns (disposes) it.</summary>
    /// <exception cref="LarderNotFoundException">No such array.</exception>
    /// <exception cref="LarderFormatException">The entry is not a valid NPY file or the zip data is corrupt.</exception>
    public NDArray Read(string name) => ReadCoreAsync(name, useAsync: false, default).GetAwaiter().GetResult();

    /// <inheritdoc cref="Read(string)"/>
    public Task<NDArray> ReadAsync(string name, CancellationToken cancellationToken = default)
        => ReadCoreAsync(name, useAsync: true, cancellationToken).AsTask();

    /// <summary>Every array, by name (the caller owns and disposes them).</summary>
    /// <inheritdoc cref="Read(string)"/>
    public Dictionary<string, NDArray> ReadAll()
    {
        var result = new Dictionary<string, NDArray>(StringComparer.Ordinal);
        try
        {
            foreach (string name in _names)
            {
                result.Add(name, Read(name));
            }
        }
        catch
        {
            foreach (var array in result.Values)
            {
                array.Dispose();
            }

            throw;
        }

        return result;
    }

    public void Dispose() => _zip.Dispose();

    public ValueTask DisposeAsync() => _zip.DisposeAsync();

    private async ValueTask<NDArray> ReadCoreAsync(string name, bool useAsync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_entries.TryGetValue(name, out var entry))
        {
            throw LarderErrors.NpzEntryNotFound(_source, name);
        }

        string source = _source is null ? entry.FullName : $"{_source}:{entry.FullName}";
        try
        {
            var stream = useAsync ? await entry.OpenAsync(cancellationToken).ConfigureAwait(false) : entry.Open();
            await using (stream.ConfigureAwait(false))
            {
                return await NpyReader.ReadCoreAsync(stream, entry.Length, source, useAsync, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or EndOfStreamException or IOException && e is not LarderException)
        {
            throw LarderErrors.NpzCorrupt(source, e);
        }
    }

    private static FileStream OpenFile(string path, bool useAsync)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw LarderErrors.FileNotFound(path);
        }
    }
}
