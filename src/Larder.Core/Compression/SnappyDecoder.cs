using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Larder.Compression;

/// <summary>
/// Decodes the tags of a raw snappy block (after its length varint) into a destination of exactly the declared size.
/// Away from the ends of input and output, literals and copies move 16 bytes at a time and may write past their own
/// length (what they overwrite is written again by the next tags); every tag is bounds-checked first, so corrupt input
/// ends in a <see cref="LarderFormatException"/> and never reads or writes outside the spans. Stateless.
/// </summary>
internal static class SnappyDecoder
{
    /// <summary>Decodes <paramref name="tags"/> into all of <paramref name="destination"/>; false when the data is corrupt.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> tags, Span<byte> destination)
    {
        ref byte src = ref MemoryMarshal.GetReference(tags);
        ref byte dst = ref MemoryMarshal.GetReference(destination);
        nint ip = 0;
        nint op = 0;
        nint srcEnd = tags.Length;
        nint dstEnd = destination.Length;
        while (ip < srcEnd)
        {
            uint tag = Unsafe.Add(ref src, ip++);
            if ((tag & 3) == 0)
            {
                nint length = (nint)(tag >> 2) + 1;
                if (length <= 16 && ip + 16 <= srcEnd && op + 16 <= dstEnd)
                {
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, op), Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref src, ip)));
                    ip += length;
                    op += length;
                    continue;
                }

                if (length > 60)
                {
                    int extra = (int)length - 60;
                    if (ip + extra > srcEnd)
                    {
                        return false;
                    }

                    uint value = 0;
                    for (int i = 0; i < extra; i++)
                    {
                        value |= (uint)Unsafe.Add(ref src, ip + i) << (8 * i);
                    }

                    ip += extra;
                    length = (nint)value + 1;
                    if (length <= 0)
                    {
                        return false;
                    }
                }

                if (length > srcEnd - ip || length > dstEnd - op)
                {
                    return false;
                }

                Unsafe.CopyBlockUnaligned(ref Unsafe.Add(ref dst, op), ref Unsafe.Add(ref src, ip), (uint)length);
                ip += length;
                op += length;
                continue;
            }

            nint count;
            nint offset;
            switch (tag & 3)
            {
                case 1:
                    if (ip >= srcEnd)
                    {
                        return false;
                    }

                    count = (nint)((tag >> 2) & 7) + 4;
                    offset = (nint)(((tag >> 5) << 8) | Unsafe.Add(ref src, ip));
                    ip += 1;
                    break;
                case 2:
                    if (ip + 2 > srcEnd)
                    {
                        return false;
                    }

                    count = (nint)(tag >> 2) + 1;
                    offset = BinaryPrimitives.ReadUInt16LittleEndian(tags.Slice((int)ip, 2));
                    ip += 2;
                    break;
                default:
                    if (ip + 4 > srcEnd)
                    {
                        return false;
                    }

                    count = (nint)(tag >> 2) + 1;
                    offset = (nint)BinaryPrimitives.ReadUInt32LittleEndian(tags.Slice((int)ip, 4));
                    ip += 4;
                    break;
            }

            if (offset == 0 || offset > op || count > dstEnd - op)
            {
                return false;
            }

            ref byte from = ref Unsafe.Add(ref dst, op - offset);
            ref byte to = ref Unsafe.Add(ref dst, op);
            if (offset >= 16 && op + count + 16 <= dstEnd)
            {
                // Chunks of 16 never overlap what they read (offset >= 16); the last may run past count.
                for (nint i = 0; i < count; i += 16)
                {
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, i), Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref from, i)));
                }
            }
            else if (offset >= 8 && op + count + 8 <= dstEnd)
            {
                for (nint i = 0; i < count; i += 8)
                {
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, i), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref from, i)));
                }
            }
            else
            {
                // A short offset repeats a pattern: byte by byte, each reading what the copy itself just wrote.
                for (nint i = 0; i < count; i++)
                {
                    Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i);
                }
            }

            op += count;
        }

        return op == dstEnd;
    }
}
