namespace Larder.Memory;

/// <summary>
/// Memory blocks that a producer of batches may write again because the batches that used them are gone (by its own
/// contract, e.g. "a batch is valid until the next one is requested"). A <see cref="BufferBuilder"/> with a recycler
/// takes its new blocks from it when it grows and gives its old block back. Keeps at most
/// <see cref="MaxKeptBytes"/>; blocks come from <see cref="BufferAllocator"/> (64-byte aligned). Not thread safe.
/// </summary>
public sealed class BufferRecycler
{
    /// <summary>Most bytes kept for reuse.</summary>
    public const long MaxKeptBytes = 256L << 20;

    private readonly List<Memory<byte>> _blocks = [];
    private long _kept;

    /// <summary>A block of at least <paramref name="minimum"/> bytes: a kept one (the smallest that fits) or a new one.</summary>
    public Memory<byte> Rent(long minimum)
    {
        int best = -1;
        for (int i = 0; i < _blocks.Count; i++)
        {
            if (_blocks[i].Length >= minimum && (best < 0 || _blocks[i].Length < _blocks[best].Length))
            {
                best = i;
            }
        }

        if (best < 0)
        {
            return BufferAllocator.Allocate(minimum);
        }

        var block = _blocks[best];
        _blocks.RemoveAt(best);
        _kept -= block.Length;
        return block;
    }

    /// <summary>Gives a block back; nothing may read or write it afterwards. Empty blocks are ignored.</summary>
    public void Return(Memory<byte> block)
    {
        if (block.IsEmpty || _kept + block.Length > MaxKeptBytes)
        {
            return;
        }

        _blocks.Add(block);
        _kept += block.Length;
    }
}
