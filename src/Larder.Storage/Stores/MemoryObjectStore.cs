using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Larder.Storage.Stores;

/// <summary>
/// An object store in memory (<c>memory://name</c>): objects are immutable byte arrays replaced whole under a lock, so
/// every read sees a complete object. For tests and scratch work; nothing survives the instance. Thread safe.
/// </summary>
public sealed class MemoryObjectStore : IObjectStore
{
    private readonly SortedDictionary<string, Entry> _objects = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TimeProvider _clock;

    /// <param name="name">The name in <c>memory://name</c> (for messages).</param>
    /// <param name="clock">The clock for modification times. Default <see cref="TimeProvider.System"/>.</param>
    public MemoryObjectStore(string name = "default", TimeProvider? clock = null)
    {
        Url = "memory://" + name;
        _clock = clock ?? TimeProvider.System;
    }

    public string Url { get; }

    public ObjectStoreCapabilities Capabilities => ObjectStoreCapabilities.AtomicCreateOnly | ObjectStoreCapabilities.ServerSideCopy | ObjectStoreCapabilities.RangedReads;

    /// <summary>How many objects the store holds.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _objects.Count;
            }
        }
    }

    public Task<ObjectReadStream> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        Entry entry = Find(key);
        return Task.FromResult(new ObjectReadStream(new MemoryStream(entry.Bytes, writable: false), entry.Info));
    }

    public Task<ObjectReadStream> GetRangeAsync(string key, long offset, long length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Entry entry = Find(key);
        int start = (int)Math.Min(offset, entry.Bytes.Length);
        int count = (int)Math.Min(length, entry.Bytes.Length - start);
        return Task.FromResult(new ObjectReadStream(new MemoryStream(entry.Bytes, start, count, writable: false), entry.Info));
    }

    public async Task<ObjectInfo> PutAsync(string key, Stream content, ObjectPutOptions? options = null, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        ArgumentNullException.ThrowIfNull(content);
        options ??= new ObjectPutOptions();
        ObjectMetadata.Validate(options.Metadata);
        var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        byte[] bytes = buffer.ToArray();
        var info = new ObjectInfo(key, bytes.Length, _clock.GetUtcNow(), ETagOf(bytes), Copy(options.Metadata));
        lock (_lock)
        {
            if (options.IfNoneMatch && _objects.ContainsKey(key))
            {
                throw LarderErrors.StoreObjectExists(Url, key);
            }

            _objects[key] = new Entry(bytes, info);
        }

        return info;
    }

    public Task<ObjectInfo?> HeadAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        lock (_lock)
        {
            return Task.FromResult(_objects.TryGetValue(key, out Entry? entry) ? entry.Info : null);
        }
    }

    public async IAsyncEnumerable<ObjectListEntry> ListAsync(string prefix, string? delimiter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectKey.ValidatePrefix(prefix);
        List<ObjectInfo> snapshot;
        lock (_lock)
        {
            snapshot = _objects.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(o => o.Value.Info).ToList();
        }

        string? lastPrefix = null;
        foreach (ObjectInfo info in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int cut = string.IsNullOrEmpty(delimiter) ? -1 : info.Key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
            if (cut >= 0)
            {
                string common = info.Key[..(cut + delimiter!.Length)];
                if (common != lastPrefix)
                {
                    lastPrefix = common;
                    yield return ObjectListEntry.ForPrefix(common);
                }

                continue;
            }

            yield return ObjectListEntry.ForObject(info.Key, info.Size, info.LastModified, info.ETag);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (string key in keys)
        {
            ObjectKey.Validate(key);
        }

        lock (_lock)
        {
            foreach (string key in keys)
            {
                _objects.Remove(key);
            }
        }

        return Task.CompletedTask;
    }

    public Task<ObjectInfo> CopyAsync(string sourceKey, string destinationKey, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(destinationKey);
        ObjectMetadata.Validate(metadata);
        Entry source = Find(sourceKey);
        var info = new ObjectInfo(destinationKey, source.Bytes.Length, _clock.GetUtcNow(), source.Info.ETag, metadata is null ? source.Info.Metadata : Copy(metadata));
        lock (_lock)
        {
            _objects[destinationKey] = new Entry(source.Bytes, info);
        }

        return Task.FromResult(info);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Entry Find(string key)
    {
        ObjectKey.Validate(key);
        lock (_lock)
        {
            return _objects.TryGetValue(key, out Entry? entry) ? entry : throw LarderErrors.StoreObjectNotFound(Url, key);
        }
    }

    private static IReadOnlyDictionary<string, string> Copy(IReadOnlyDictionary<string, string>? metadata)
        => metadata is null || metadata.Count == 0 ? ObjectMetadata.Empty : new Dictionary<string, string>(metadata, StringComparer.Ordinal);

    /// <summary>An MD5 hex digest, as S3 gives single-part objects (an identifier of the content, not a security measure).</summary>
    private static string ETagOf(byte[] bytes)
#pragma warning disable CA5351 // MD5 is what S3 uses for ETags; it identifies content, it protects nothing.
        => Convert.ToHexStringLower(MD5.HashData(bytes));
#pragma warning restore CA5351

    private sealed record Entry(byte[] Bytes, ObjectInfo Info);
}
