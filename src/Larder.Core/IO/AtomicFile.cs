namespace Larder.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content, never a partial file: the
/// bytes go to a temporary file beside the target (with disk blocks reserved ahead, see
/// <see cref="PreallocatingFileStream"/>), are flushed (to the device when durable), and the temporary file is renamed
/// over the target on <see cref="CommitAsync"/>. Disposing without committing deletes the temporary file. Not thread safe.
/// </summary>
public sealed class AtomicFile : IAsyncDisposable, IDisposable
{
    private readonly PreallocatingFileStream _stream;
    private readonly bool _durable;
    private bool _committed;

    private AtomicFile(string path, string tempPath, PreallocatingFileStream stream, bool durable)
    {
        Path = path;
        TempPath = tempPath;
        _stream = stream;
        _durable = durable;
    }

    /// <summary>The final path.</summary>
    public string Path { get; }

    /// <summary>The temporary file written until commit (same directory, hidden name).</summary>
    public string TempPath { get; }

    /// <summary>The stream to write to; owned by this object (do not dispose it yourself).</summary>
    public Stream Stream => _stream;

    /// <summary>Starts writing <paramref name="path"/>; its directory must exist.</summary>
    /// <param name="durable">
    /// When true (default), commit waits until the bytes are on the device (fsync) before the rename, so the new content
    /// survives a power loss; when false, the rename alone guarantees readers never see a partial file after a crash of
    /// the process.
    /// </param>
    /// <exception cref="LarderNotFoundException">The directory does not exist.</exception>
    public static AtomicFile Create(string path, bool durable = true)
    {
        string full = System.IO.Path.GetFullPath(path);
        string dir = System.IO.Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(dir))
        {
            throw LarderErrors.DirectoryNotFound(dir);
        }

        string temp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            return new AtomicFile(full, temp, new PreallocatingFileStream(temp, FileMode.CreateNew) { EarlyWriteBack = durable }, durable);
        }
        catch (UnauthorizedAccessException e)
        {
            throw LarderErrors.IO($"cannot write {full}", e);
        }
        catch (IOException e)
        {
            throw LarderErrors.IO($"cannot write {full}", e);
        }
    }

    /// <summary>Flushes (to the device when durable) and renames the temporary file over the target.</summary>
    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _stream.TrimReservation();
        if (_durable)
        {
            _stream.Flush(flushToDisk: true);
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        File.Move(TempPath, Path, overwrite: true);
        _committed = true;
    }

    public void Commit() => CommitAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        Cleanup();
    }

    public void Dispose()
    {
        _stream.Dispose();
        Cleanup();
    }

    private void Cleanup()
    {
        if (!_committed)
        {
            try
            {
                File.Delete(TempPath);
            }
            catch (IOException)
            {
                // Best effort: a leftover hidden temp file is harmless and never mistaken for the target.
            }
        }
    }
}
