namespace Larder.Storage;

/// <summary>
/// An object store (DESIGN §5): keys are <c>/</c>-separated paths, values are byte streams with user metadata. Every
/// implementation (local directory, memory, ZIP archive, S3) keeps the same contract, which one test suite checks:
/// <list type="bullet">
/// <item>No reader ever sees a partially written object: a put is visible complete or not at all.</item>
/// <item>Missing objects are <see cref="LarderNotFoundException"/> from <see cref="GetAsync"/> and
/// <see cref="GetRangeAsync"/>, and <see langword="null"/> from <see cref="HeadAsync"/>.</item>
/// <item>Keys are checked with <see cref="ObjectKey.Validate"/> before the store is touched.</item>
/// <item>Listing is in ascending ordinal key order, paged lazily.</item>
/// </list>
/// Implementations are thread safe: concurrent calls on one instance are allowed. Transient failures (timeouts,
/// throttling, connection resets) surface as <see cref="LarderTransientException"/> so callers can retry them.
/// </summary>
public interface IObjectStore : IAsyncDisposable
{
    /// <summary>The store's URL as the user would write it (e.g. <c>file:///data</c>, <c>s3://bucket/prefix</c>), for messages.</summary>
    string Url { get; }

    /// <summary>What this store supports beyond the common contract.</summary>
    ObjectStoreCapabilities Capabilities { get; }

    /// <summary>Opens the object for reading from its start. The caller disposes the stream.</summary>
    /// <exception cref="LarderNotFoundException">There is no such object.</exception>
    Task<ObjectReadStream> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens <paramref name="length"/> bytes of the object from <paramref name="offset"/> (fewer when the object ends
    /// first; none when <paramref name="offset"/> is at or past the end). The caller disposes the stream.
    /// </summary>
    /// <exception cref="LarderNotFoundException">There is no such object.</exception>
    Task<ObjectReadStream> GetRangeAsync(string key, long offset, long length, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the object from <paramref name="content"/>'s current position to its end, replacing any object of that
    /// key (unless <see cref="ObjectPutOptions.IfNoneMatch"/>). The object appears complete or not at all; the stream
    /// is read once and not disposed.
    /// </summary>
    /// <exception cref="LarderConflictException">Create-only put and the object exists (exit 4).</exception>
    Task<ObjectInfo> PutAsync(string key, Stream content, ObjectPutOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The object's size, time, ETag and metadata, or <see langword="null"/> when it does not exist.</summary>
    Task<ObjectInfo?> HeadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// The objects whose keys start with <paramref name="prefix"/>, in ascending ordinal order. With a
    /// <paramref name="delimiter"/> (normally <c>/</c>), keys that contain it after the prefix are rolled up into one
    /// <see cref="ObjectListEntry.IsPrefix"/> entry per distinct prefix (like S3's CommonPrefixes). Pages are fetched
    /// as the enumeration proceeds.
    /// </summary>
    IAsyncEnumerable<ObjectListEntry> ListAsync(string prefix, string? delimiter = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes the objects (in batches where the store has them); keys that do not exist are not an error.</summary>
    Task DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// Copies an object within the store (server-side where the store can), with its metadata unless
    /// <paramref name="metadata"/> replaces it. Atomic like a put.
    /// </summary>
    /// <exception cref="LarderNotFoundException">The source does not exist.</exception>
    Task<ObjectInfo> CopyAsync(string sourceKey, string destinationKey, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default);
}

/// <summary>Optional features of a store.</summary>
[Flags]
public enum ObjectStoreCapabilities
{
    None = 0,

    /// <summary>Create-only puts (<see cref="ObjectPutOptions.IfNoneMatch"/>) are atomic: of two racing puts, exactly one wins.</summary>
    AtomicCreateOnly = 1,

    /// <summary>Copies do not move the bytes through the client.</summary>
    ServerSideCopy = 2,

    /// <summary>Ranged reads fetch only the requested bytes.</summary>
    RangedReads = 4,

    /// <summary>The store is read-only (puts, copies and deletes fail with <see cref="LarderUsageException"/>).</summary>
    ReadOnly = 8,
}

/// <summary>What a put writes besides the bytes.</summary>
public sealed record ObjectPutOptions
{
    /// <summary>User metadata: keys are lower-case ASCII <c>[a-z0-9-_.]</c>, values printable ASCII (S3's limits). Default empty.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Create-only: fail with <see cref="LarderConflictException"/> when the key exists (S3 <c>If-None-Match: *</c>). Default false.</summary>
    public bool IfNoneMatch { get; init; }

    /// <summary>The content type to record where the store keeps one. Default <see langword="null"/> (<c>application/octet-stream</c>).</summary>
    public string? ContentType { get; init; }

    /// <summary>The content length when known (lets a store choose single or multipart upload up front). Default <see langword="null"/>: from the stream when it can seek.</summary>
    public long? Length { get; init; }
}

/// <summary>An object's description.</summary>
/// <param name="ETag">The store's version tag (S3 ETag, or a content hash), quotes removed; <see langword="null"/> when the store has none.</param>
public sealed record ObjectInfo(string Key, long Size, DateTimeOffset LastModified, string? ETag, IReadOnlyDictionary<string, string> Metadata);

/// <summary>One listing entry: an object, or (with a delimiter) a common prefix ending with the delimiter.</summary>
public sealed record ObjectListEntry(string Key, bool IsPrefix, long Size, DateTimeOffset? LastModified, string? ETag)
{
    public static ObjectListEntry ForObject(string key, long size, DateTimeOffset lastModified, string? etag) => new(key, false, size, lastModified, etag);

    public static ObjectListEntry ForPrefix(string prefix) => new(prefix, true, 0, null, null);
}

/// <summary>An object's bytes as a read-only stream, with the object's description. Dispose it.</summary>
public sealed class ObjectReadStream(Stream inner, ObjectInfo info) : Stream
{
    public ObjectInfo Info => info;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
