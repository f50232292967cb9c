using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Larder.Checksums;

/// <summary>
/// CRC-32C (Castagnoli; polynomial 0x1EDC6F41, reflected as 0x82F63B78, initial value and final xor 0xFFFFFFFF), as used
/// by iSCSI, ext4, Snappy framing and Google Cloud Storage: <c>Compute("123456789") == 0xE3069283</c>.
/// </summary>
/// <remarks>
/// Uses the SSE4.2 <c>crc32</c> instruction 8 bytes at a time when the CPU has it, otherwise a slicing-by-8 table; both
/// give identical results. The static methods are pure and thread-safe. An instance accumulates state and is not
/// thread-safe; it owns no unmanaged resources.
/// </remarks>
public sealed class Crc32C
{
    /// <summary>The size of the hash in bytes.</summary>
    public const int HashSizeInBytes = 4;

    private const uint Polynomial = 0x82F63B78u;

    private static readonly uint[] Table = Crc32Tables.Build(Polynomial);

    private Crc32State<Variant> _state;

    /// <summary>Whether the SSE4.2 instruction path is used on this machine.</summary>
    public static bool IsHardwareAccelerated => Sse42.IsSupported;

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Crc32State<Variant>.Compute(data);

    /// <summary>Continues a CRC-32C: the CRC of <c>A + data</c> given <paramref name="crc"/> = CRC of <c>A</c>.</summary>
    public static uint Compute(uint crc, ReadOnlySpan<byte> data) => Crc32State<Variant>.Compute(crc, data);

    /// <summary>Adds <paramref name="data"/> to the running hash.</summary>
    public void Append(ReadOnlySpan<byte> data) => _state.Append(data);

    /// <summary>The CRC-32C of everything appended since construction or the last <see cref="Reset"/>; does not reset.</summary>
    public uint GetCurrentHash() => _state.Current;

    /// <summary>The current hash, then resets to the empty state.</summary>
    public uint GetHashAndReset() => _state.GetAndReset();

    /// <summary>Forgets everything appended.</summary>
    public void Reset() => _state.Reset();

    private static uint Update(uint state, ReadOnlySpan<byte> data)
        => IsHardwareAccelerated ? UpdateSse42(state, data) : UpdateTable(state, data);

    /// <summary>The SSE4.2 path (falls back to the table when unsupported). State is the raw register.</summary>
    internal static uint UpdateSse42(uint state, ReadOnlySpan<byte> data)
    {
        if (!Sse42.IsSupported)
        {
            return UpdateTable(state, data);
        }

        ref byte p = ref MemoryMarshal.GetReference(data);
        int length = data.Length;
        int i = 0;
        if (Sse42.X64.IsSupported)
        {
            ulong crc = state;
            for (; length - i >= 32; i += 32)
            {
                crc = Sse42.X64.Crc32(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i)));
                crc = Sse42.X64.Crc32(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i + 8)));
                crc = Sse42.X64.Crc32(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i + 16)));
                crc = Sse42.X64.Crc32(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i + 24)));
            }

            for (; length - i >= 8; i += 8)
            {
                crc = Sse42.X64.Crc32(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i)));
            }

            state = (uint)crc;
        }

        for (; length - i >= 4; i += 4)
        {
            state = Sse42.Crc32(state, Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, i)));
        }

        for (; i < length; i++)
        {
            state = Sse42.Crc32(state, Unsafe.Add(ref p, i));
        }

        return state;
    }

    /// <summary>The table (slicing-by-8) path, for tests and machines without SSE4.2. State is the raw register.</summary>
    internal static uint UpdateTable(uint state, ReadOnlySpan<byte> data) => Crc32Tables.Update(Table, state, data);

    private readonly struct Variant : ICrc32Variant
    {
        public static uint Update(uint state, ReadOnlySpan<byte> data) => Crc32C.Update(state, data);
    }
}
