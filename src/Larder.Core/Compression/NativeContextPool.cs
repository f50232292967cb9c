using System.Runtime.InteropServices;

namespace Larder.Compression;

/// <summary>
/// A small lock-free pool of native contexts owned by one codec instance: <see cref="Rent"/> takes one (or creates one),
/// <see cref="Return"/> gives it back (or frees it when the pool is full or disposed). Renting and returning allocate
/// nothing, so a reused codec has no managed allocations on its hot path. Thread-safe.
/// </summary>
internal sealed class NativeContextPool<T> : IDisposable
    where T : SafeHandle
{
    private readonly T?[] _slots;
    private readonly Func<T> _factory;
    private volatile bool _disposed;

    public NativeContextPool(Func<T> factory)
    {
        _factory = factory;
        _slots = new T?[Math.Clamp(Environment.ProcessorCount, 2, 64)];
    }

    /// <summary>A context for the exclusive use of the caller until it is returned.</summary>
    public T Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        T?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            if (Volatile.Read(ref slots[i]) is not null && Interlocked.Exchange(ref slots[i], null) is T context)
            {
                return context;
            }
        }

        return _factory();
    }

    /// <summary>Gives back a context in a clean state (reset by the caller); frees it when the pool is full or disposed.</summary>
    public void Return(T context)
    {
        if (!_disposed)
        {
            T?[] slots = _slots;
            for (int i = 0; i < slots.Length; i++)
            {
                if (Interlocked.CompareExchange(ref slots[i], context, null) is null)
                {
                    if (_disposed)
                    {
                        // Lost a race with Dispose: take it back out and free it.
                        Interlocked.Exchange(ref slots[i], null)?.Dispose();
                    }

                    return;
                }
            }
        }

        context.Dispose();
    }

    /// <summary>Frees the pooled contexts; contexts rented now are freed when returned.</summary>
    public void Dispose()
    {
        _disposed = true;
        for (int i = 0; i < _slots.Length; i++)
        {
            Interlocked.Exchange(ref _slots[i], null)?.Dispose();
        }
    }
}
