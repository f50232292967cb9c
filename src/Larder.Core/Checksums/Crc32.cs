using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Larder.Checksums;

/// <summary>
/// CRC-32 as used by zlib, gzip, zip and PNG (polynomial 0x04C11DB7, reflected as 0xEDB88320, initial value and final
/// xor 0xFFFFFFFF): <c>Compute("123456789") == 0xCBF43926</c>.
/// </summary>
/// <remarks>
/// On x86 with PCLMULQDQ the bulk of the input is folded 64 bytes at a time with carry-less multiplication (Intel's
/// "Fast CRC Computation Using PCLMULQDQ"), otherwise a slicing-by-8 table is used; both give identical results.
/// The static methods are pure and thread-safe. An instance accumulates state and is not thread-safe; it owns no
/// unmanaged resources.
/// </remarks>
public sealed class Crc32
{
    /// <summary>The size of the hash in bytes.</summary>
    public const int HashSizeInBytes = 4;

    private const uint Polynomial = 0xEDB88320u;

    // Slicing-by-8 tables: 8 x 256 entries, built once; immutable after construction.
    private static readonly uint[] Table = Crc32Tables.Build(Polynomial);

    private Crc32State<Variant> _state;

    /// <summary>Whether the carry-less multiplication path is used on this machine.</summary>
    public static bool IsHardwareAccelerated => Pclmulqdq.IsSupported && Sse41.IsSupported;

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Crc32State<Variant>.Compute(data);

    /// <summary>
    /// Continues a CRC-32: the CRC of <c>A + data</c> given <paramref name="crc"/> = CRC of <c>A</c>, exactly like
    /// zlib's <c>crc32(crc, buf, len)</c>. <c>Compute(0, data) == Compute(data)</c>.
    /// </summary>
    public static uint Compute(uint crc, ReadOnlySpan<byte> data) => Crc32State<Variant>.Compute(crc, data);

    /// <summary>Adds <paramref name="data"/> to the running hash.</summary>
    public void Append(ReadOnlySpan<byte> data) => _state.Append(data);

    /// <summary>The CRC-32 of everything appended since construction or the last <see cref="Reset"/>; does not reset.</summary>
    public uint GetCurrentHash() => _state.Current;

    /// <summary>The current hash, then resets to the empty state.</summary>
    public uint GetHashAndReset() => _state.GetAndReset();

    /// <summary>Forgets everything appended.</summary>
    public void Reset() => _state.Reset();

    private static uint Update(uint state, ReadOnlySpan<byte> data)
    {
        if (IsHardwareAccelerated && data.Length >= 64)
        {
            int bulk = data.Length & ~15;
            state = UpdatePclmul(state, data[..bulk]);
            data = data[bulk..];
        }

        return UpdateTable(state, data);
    }

    /// <summary>The table (slicing-by-8) path, for tests and machines without PCLMULQDQ. State is the raw register.</summary>
    internal static uint UpdateTable(uint state, ReadOnlySpan<byte> data) => Crc32Tables.Update(Table, state, data);

    /// <summary>
    /// Folds <paramref name="data"/> (length a multiple of 16, at least 64) into the raw register with PCLMULQDQ.
    /// Constants are x^(k) mod P for the reflected zlib polynomial, as in the Linux kernel's crc32-pclmul and
    /// Chromium's zlib.
    /// </summary>
    internal static uint UpdatePclmul(uint state, ReadOnlySpan<byte> data)
    {
        if (!IsHardwareAccelerated)
        {
            return UpdateTable(state, data);
        }

        ref byte p = ref MemoryMarshal.GetReference(data);
        int length = data.Length;

        Vector128<ulong> k1k2 = Vector128.Create(0x0154442bd4UL, 0x01c6e41596UL);
        Vector128<ulong> k3k4 = Vector128.Create(0x01751997d0UL, 0x00ccaa009eUL);
        Vector128<ulong> k5k0 = Vector128.Create(0x0163cd6124UL, 0UL);
        Vector128<ulong> poly = Vector128.Create(0x01db710641UL, 0x01f7011641UL);

        Vector128<ulong> x1 = Load(ref p, 0x00);
        Vector128<ulong> x2 = Load(ref p, 0x10);
        Vector128<ulong> x3 = Load(ref p, 0x20);
        Vector128<ulong> x4 = Load(ref p, 0x30);
        x1 ^= Vector128.CreateScalar(state).AsUInt64();

        int offset = 64;
        length -= 64;
        while (length >= 64)
        {
            Vector128<ulong> x5 = Pclmulqdq.CarrylessMultiply(x1, k1k2, 0x00);
            Vector128<ulong> x6 = Pclmulqdq.CarrylessMultiply(x2, k1k2, 0x00);
            Vector128<ulong> x7 = Pclmulqdq.CarrylessMultiply(x3, k1k2, 0x00);
            Vector128<ulong> x8 = Pclmulqdq.CarrylessMultiply(x4, k1k2, 0x00);
            x1 = Pclmulqdq.CarrylessMultiply(x1, k1k2, 0x11);
            x2 = Pclmulqdq.CarrylessMultiply(x2, k1k2, 0x11);
            x3 = Pclmulqdq.CarrylessMultiply(x3, k1k2, 0x11);
            x4 = Pclmulqdq.CarrylessMultiply(x4, k1k2, 0x11);
            x1 ^= x5 ^ Load(ref p, offset);
            x2 ^= x6 ^ Load(ref p, offset + 0x10);
            x3 ^= x7 ^ Load(ref p, offset + 0x20);
            x4 ^= x8 ^ Load(ref p, offset + 0x30);
            offset += 64;
            length -= 64;
        }

        // Fold the four lanes into one.
        x1 = Fold(x1, k3k4) ^ x2;
        x1 = Fold(x1, k3k4) ^ x3;
        x1 = Fold(x1, k3k4) ^ x4;

        while (length >= 16)
        {
            x1 = Fold(x1, k3k4) ^ Load(ref p, offset);
            offset += 16;
            length -= 16;
        }

        // Fold 128 bits to 64.
        Vector128<ulong> mask32 = Vector128.Create(0xFFFFFFFFu, 0u, 0xFFFFFFFFu, 0u).AsUInt64();
        Vector128<ulong> t2 = Pclmulqdq.CarrylessMultiply(x1, k3k4, 0x10);
        x1 = Sse2.ShiftRightLogical128BitLane(x1, 8) ^ t2;
        t2 = Sse2.ShiftRightLogical128BitLane(x1, 4);
        x1 &= mask32;
        x1 = Pclmulqdq.CarrylessMultiply(x1, k5k0, 0x00) ^ t2;

        // Barrett reduction to 32 bits.
        t2 = x1 & mask32;
        t2 = Pclmulqdq.CarrylessMultiply(t2, poly, 0x10);
        t2 &= mask32;
        t2 = Pclmulqdq.CarrylessMultiply(t2, poly, 0x00);
        x1 ^= t2;
        return x1.AsUInt32().GetElement(1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Fold(Vector128<ulong> x, Vector128<ulong> k)
        => Pclmulqdq.CarrylessMultiply(x, k, 0x00) ^ Pclmulqdq.CarrylessMultiply(x, k, 0x11);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Load(ref byte p, int offset)
        => Vector128.LoadUnsafe(ref p, (nuint)offset).AsUInt64();

    private readonly struct Variant : ICrc32Variant
    {
        public static uint Update(uint state, ReadOnlySpan<byte> data) => Crc32.Update(state, data);
    }
}

/// <summary>Builds slicing-by-8 tables for a reflected CRC-32 polynomial.</summary>
internal static class Crc32Tables
{
    internal static uint[] Build(uint reflectedPolynomial)
    {
        var table = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ reflectedPolynomial : c >> 1;
            }

            table[i] = c;
        }

        for (int i = 0; i < 256; i++)
        {
            for (int s = 1; s < 8; s++)
            {
                uint previous = table[((s - 1) * 256) + i];
                table[(s * 256) + i] = (previous >> 8) ^ table[previous & 0xFF];
            }
        }

        return table;
    }

    /// <summary>Runs the raw register <paramref name="state"/> over <paramref name="data"/> with a table from <see cref="Build"/>.</summary>
    internal static uint Update(uint[] table, uint state, ReadOnlySpan<byte> data)
    {
        uint[] t = table;
        uint crc = state;
        ref byte p = ref MemoryMarshal.GetReference(data);
        int length = data.Length;
        int i = 0;
        for (; length - i >= 8; i += 8)
        {
            uint one = BinaryPrimitives.ReadUInt32LittleEndian(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref p, i), 4)) ^ crc;
            uint two = BinaryPrimitives.ReadUInt32LittleEndian(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref p, i + 4), 4));
            crc = t[(7 * 256) + (one & 0xFF)]
                ^ t[(6 * 256) + ((one >> 8) & 0xFF)]
                ^ t[(5 * 256) + ((one >> 16) & 0xFF)]
                ^ t[(4 * 256) + (one >> 24)]
                ^ t[(3 * 256) + (two & 0xFF)]
                ^ t[(2 * 256) + ((two >> 8) & 0xFF)]
                ^ t[(1 * 256) + ((two >> 16) & 0xFF)]
                ^ t[two >> 24];
        }

        for (; i < length; i++)
        {
            crc = t[(crc ^ Unsafe.Add(ref p, i)) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }
}

/// <summary>A reflected CRC-32 variant (<see cref="Crc32"/>, <see cref="Crc32C"/>): how it updates the raw register.</summary>
internal interface ICrc32Variant
{
    /// <summary>The raw register after <paramref name="data"/>, from the raw register <paramref name="state"/>.</summary>
    static abstract uint Update(uint state, ReadOnlySpan<byte> data);
}

/// <summary>
/// The one-shot and incremental API shared by the reflected CRC-32 variants (initial value and final xor 0xFFFFFFFF),
/// over <typeparamref name="TVariant"/>'s register update. The default value is the empty state. Not thread-safe.
/// </summary>
internal struct Crc32State<TVariant>
    where TVariant : ICrc32Variant
{
    private uint _crc; // the CRC of what was appended: the register, inverted

    public readonly uint Current => _crc;

    public static uint Compute(ReadOnlySpan<byte> data) => ~TVariant.Update(0xFFFFFFFFu, data);

    public static uint Compute(uint crc, ReadOnlySpan<byte> data) => ~TVariant.Update(~crc, data);

    public void Append(ReadOnlySpan<byte> data) => _crc = Compute(_crc, data);

    public uint GetAndReset()
    {
        uint hash = _crc;
        _crc = 0;
        return hash;
    }

    public void Reset() => _crc = 0;
}
