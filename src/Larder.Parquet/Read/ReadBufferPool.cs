namespace Larder.Parquet.Read;

/// <summary>
/// Work buffers of one reader (read blocks, decompressed pages, level and index scratch), kept between column chunks
/// and row groups so that reading a file allocates them once rather than per chunk: fresh large arrays cost page faults
/// and garbage collections that reusing them avoids. Keeps at most <see cref="MaxKeptBytes"/>, no single buffer over
/// <see cref="MaxKeptBuffer"/> bytes. Not thread safe (one per reader, used from one thread at a time).
/// </summary>
internal sealed class ReadBufferPool
{
    /// <summary>Largest buffer kept for reuse; larger ones (unusually large pages) are left to the garbage collector.</summary>
    public const int MaxKeptBuffer = 16 << 20;

    /// <summary>Most bytes kept in all.</summary>
    public const long MaxKeptBytes = 128L << 20;

    /// <summary>
    /// Where the value buffers of batches are recycled from, when the reader's batches are valid only until the next
    /// one (<c>ParquetReadOptions.ReuseBuffers</c>); null otherwise.
    /// </summary>
    public Larder.Memory.BufferRecycler? Recycler { get; init; }

    private readonly List<byte[]> _bytes = [];
    private readonly List<int[]> _ints = [];
    private long _kept;

    /// <summary>An array of at least <paramref name="minimum"/> bytes (contents undefined).</summary>
    public byte[] RentBytes(int minimum) => Rent(_bytes, minimum, sizeof(byte), n => GC.AllocateUninitializedArray<byte>(n));

    /// <summary>An array of at least <paramref name="minimum"/> ints (contents undefined).</summary>
    public int[] RentInts(int minimum) => Rent(_ints, minimum, sizeof(int), n => GC.AllocateUninitializedArray<int>(n));

    /// <summary>Gives back an array from <see cref="RentBytes"/> (or drops it when the pool is full); empty arrays are ignored.</summary>
    public void Return(byte[] array) => Keep(_bytes, array, sizeof(byte));

    /// <summary>Gives back an array from <see cref="RentInts"/>.</summary>
    public void Return(int[] array) => Keep(_ints, array, sizeof(int));

    private T[] Rent<T>(List<T[]> kept, int minimum, int size, Func<int, T[]> allocate)
    {
        int best = -1;
        for (int i = 0; i < kept.Count; i++)
        {
            if (kept[i].Length >= minimum && (best < 0 || kept[i].Length < kept[best].Length))
            {
                best = i;
            }
        }

        if (best >= 0)
        {
            var array = kept[best];
            kept.RemoveAt(best);
            _kept -= (long)array.Length * size;
            return array;
        }

        // Round up so that pages of slightly different sizes share buffers.
        long length = Math.Max(4096, minimum);
        length = length <= (1 << 30) ? (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)length) : length;
        return allocate((int)Math.Min(length, Array.MaxLength));
    }

    private void Keep<T>(List<T[]> kept, T[] array, int size)
    {
        long bytes = (long)array.Length * size;
        if (array.Length == 0 || bytes > MaxKeptBuffer || _kept + bytes > MaxKeptBytes)
        {
            return;
        }

        kept.Add(array);
        _kept += bytes;
    }
}
