using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Larder.Text;

/// <summary>
/// Fast, exact conversions between float64 and decimal text: parsing with the Eisel-Lemire algorithm (as in the
/// fast_float library; correctly rounded, falling back to <see cref="double.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider?, out double)"/>
/// for more than 19 significant digits or extreme exponents), and shortest round-trip formatting with the Ryu algorithm
/// (U. Adams, 2018), printed as .NET prints <c>double.ToString("R")</c>. Pure functions.
/// </summary>
internal static class FastFloat
{
    private const int MantissaBits = 52;
    private const int ExponentBias = 1023;
    private const int Pow5InvBitCount = 125;
    private const int Pow5BitCount = 125;

    private static ReadOnlySpan<double> ExactPowersOfTen =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// Parses <c>[+-]digits[.digits][(e|E)[+-]digits]</c> (at least one mantissa digit; no spaces) into the nearest
    /// float64, ties to even. Returns false for anything else.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        int i = 0;
        int len = s.Length;
        bool negative = false;
        if (i < len && s[i] is (byte)'-' or (byte)'+')
        {
            negative = s[i] == (byte)'-';
            i++;
        }

        ulong mantissa = 0;
        int digits = 0;
        int significant = 0;
        long exponent = 0;
        int start = i;
        while (i < len && (uint)(s[i] - '0') <= 9)
        {
            if (significant is > 0 and <= 11 && TryEightDigits(s, i, out uint eight))
            {
                mantissa = (mantissa * 100_000_000) + eight;
                significant += 8;
                i += 8;
                continue;
            }

            uint d = (uint)(s[i] - '0');
            if (significant > 0 || d != 0)
            {
                if (significant < 19)
                {
                    mantissa = (mantissa * 10) + d;
                }
                else
                {
                    exponent++;
                }

                significant++;
            }

            i++;
        }

        digits = i - start;
        if (i < len && s[i] == (byte)'.')
        {
            i++;
            int fracStart = i;
            while (i < len && (uint)(s[i] - '0') <= 9)
            {
                if (significant is > 0 and <= 11 && TryEightDigits(s, i, out uint eight))
                {
                    mantissa = (mantissa * 100_000_000) + eight;
                    significant += 8;
                    exponent -= 8;
                    i += 8;
                    continue;
                }

                uint d = (uint)(s[i] - '0');
                if (significant > 0 || d != 0)
                {
                    if (significant < 19)
                    {
                        mantissa = (mantissa * 10) + d;
                        exponent--;
                    }

                    significant++;
                }
                else
                {
                    exponent--;
                }

                i++;
            }

            digits += i - fracStart;
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < len && s[i] is (byte)'e' or (byte)'E')
        {
            i++;
            bool expNegative = false;
            if (i < len && s[i] is (byte)'-' or (byte)'+')
            {
                expNegative = s[i] == (byte)'-';
                i++;
            }

            int expStart = i;
            long e = 0;
            while (i < len && (uint)(s[i] - '0') <= 9)
            {
                if (e < 100_000)
                {
                    e = (e * 10) + (s[i] - '0');
                }

                i++;
            }

            if (i == expStart)
            {
                return false;
            }

            exponent += expNegative ? -e : e;
        }

        if (i != len)
        {
            return false;
        }

        if (significant > 19)
        {
            // Digits were dropped: only the exact slow path is correct.
            return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }

        if (mantissa == 0)
        {
            value = negative ? -0.0 : 0.0;
            return true;
        }

        if (exponent is >= -22 and <= 22 && mantissa <= (1UL << 53))
        {
            // Clinger's fast path: both operands are exact, so one IEEE operation rounds correctly.
            double m = mantissa;
            value = exponent < 0 ? m / ExactPowersOfTen[(int)-exponent] : m * ExactPowersOfTen[(int)exponent];
            value = negative ? -value : value;
            return true;
        }

        if (exponent is < -300 or > 288)
        {
            return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }

        ulong bits = EiselLemire(mantissa, (int)exponent);
        value = BitConverter.UInt64BitsToDouble(bits | (negative ? 1UL << 63 : 0));
        return true;
    }

    /// <summary>Reads eight ASCII digits at once (SWAR, as in fast_float); false when fewer than eight digits follow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryEightDigits(ReadOnlySpan<byte> s, int i, out uint value)
    {
        value = 0;
        if (i > s.Length - 8)
        {
            return false;
        }

        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(i, 8));
        if ((((v + 0x4646464646464646UL) | (v - 0x3030303030303030UL)) & 0x8080808080808080UL) != 0)
        {
            return false;
        }

        v -= 0x3030303030303030UL;
        v = (v * 10) + (v >> 8);
        v = (((v & 0x000000FF000000FFUL) * 0x000F424000000064UL) + (((v >> 16) & 0x000000FF000000FFUL) * 0x0000271000000001UL)) >> 32;
        value = (uint)v;
        return true;
    }

    /// <summary>The float64 bits (sign clear) of w × 10^q, for w != 0 and q in [-300, 288] (results are normal numbers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong EiselLemire(ulong w, int q)
    {
        int lz = BitOperations.LeadingZeroCount(w);
        w <<= lz;
        var table = FloatTables.Pow5For128;
        int index = 2 * (q - FloatTables.Pow5MinExponent);
        ulong high = Math.BigMul(w, table[index], out ulong low);
        const ulong precisionMask = 0xFFFFFFFFFFFFFFFFUL >> (MantissaBits + 3);
        if ((high & precisionMask) == precisionMask)
        {
            ulong secondHigh = Math.BigMul(w, table[index + 1], out _);
            ulong newLow = low + secondHigh;
            if (secondHigh > newLow)
            {
                high++;
            }

            low = newLow;
        }

        int upperBit = (int)(high >> 63);
        int shift = upperBit + 64 - MantissaBits - 3;
        ulong mantissa = high >> shift;
        int power2 = (int)((((152_170L + 65_536L) * q) >> 16) + 63) + upperBit - lz + ExponentBias;
        if (low <= 1 && q is >= -4 and <= 23 && (mantissa & 3) == 1 && (mantissa << shift) == high)
        {
            // Exactly halfway: round to even instead of up.
            mantissa &= ~1UL;
        }

        mantissa += mantissa & 1;
        mantissa >>= 1;
        if (mantissa >= (2UL << MantissaBits))
        {
            mantissa = 1UL << MantissaBits;
            power2++;
        }

        mantissa &= ~(1UL << MantissaBits);
        return ((ulong)power2 << MantissaBits) | mantissa;
    }

    /// <summary>
    /// Writes the shortest text that parses back to <paramref name="value"/> (finite), formatted as .NET's
    /// <c>double.ToString("R", InvariantCulture)</c>: fixed notation for decimal exponents -5 &lt; e &lt; 17, otherwise
    /// <c>d.dddE+XX</c>. <paramref name="dst"/> needs 25 bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Format(double value, Span<byte> dst)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(value);
        bool sign = (bits >> 63) != 0;
        ulong ieeeMantissa = bits & ((1UL << MantissaBits) - 1);
        uint ieeeExponent = (uint)(bits >> MantissaBits) & 0x7FF;
        int pos = 0;
        if (sign)
        {
            dst[pos++] = (byte)'-';
        }

        if (ieeeExponent == 0 && ieeeMantissa == 0)
        {
            dst[pos++] = (byte)'0';
            return pos;
        }

        ulong output;
        int exponent;
        if (!SmallInteger(ieeeMantissa, ieeeExponent, out output, out exponent))
        {
            (output, exponent) = Shortest(ieeeMantissa, ieeeExponent);
        }

        return pos + Print(output, exponent, dst[pos..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool SmallInteger(ulong ieeeMantissa, uint ieeeExponent, out ulong output, out int exponent)
    {
        output = 0;
        exponent = 0;
        ulong m2 = (1UL << MantissaBits) | ieeeMantissa;
        int e2 = (int)ieeeExponent - ExponentBias - MantissaBits;
        if (e2 > 0 || e2 < -52)
        {
            return false;
        }

        ulong mask = (1UL << -e2) - 1;
        if ((m2 & mask) != 0)
        {
            return false;
        }

        output = m2 >> -e2;
        while (true)
        {
            ulong q = output / 10;
            if (output - (q * 10) != 0)
            {
                break;
            }

            output = q;
            exponent++;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (ulong Output, int Exponent) Shortest(ulong ieeeMantissa, uint ieeeExponent)
    {
        int e2;
        ulong m2;
        if (ieeeExponent == 0)
        {
            e2 = 1 - ExponentBias - MantissaBits - 2;
            m2 = ieeeMantissa;
        }
        else
        {
            e2 = (int)ieeeExponent - ExponentBias - MantissaBits - 2;
            m2 = (1UL << MantissaBits) | ieeeMantissa;
        }

        bool acceptBounds = (m2 & 1) == 0;
        ulong mv = 4 * m2;
        uint mmShift = ieeeMantissa != 0 || ieeeExponent <= 1 ? 1u : 0u;
        ulong vr, vp, vm;
        int e10;
        bool vmIsTrailingZeros = false;
        bool vrIsTrailingZeros = false;
        if (e2 >= 0)
        {
            int q = Log10Pow2(e2) - (e2 > 3 ? 1 : 0);
            e10 = q;
            int k = Pow5InvBitCount + Pow5Bits(q) - 1;
            int i = -e2 + q + k;
            var split = FloatTables.Pow5InvSplit;
            ulong lo = split[2 * q];
            ulong hi = split[(2 * q) + 1];
            vr = MulShift64(4 * m2, lo, hi, i);
            vp = MulShift64((4 * m2) + 2, lo, hi, i);
            vm = MulShift64((4 * m2) - 1 - mmShift, lo, hi, i);
            if (q <= 21)
            {
                if (mv % 5 == 0)
                {
                    vrIsTrailingZeros = MultipleOfPowerOf5(mv, q);
                }
                else if (acceptBounds)
                {
                    vmIsTrailingZeros = MultipleOfPowerOf5(mv - 1 - mmShift, q);
                }
                else
                {
                    vp -= MultipleOfPowerOf5(mv + 2, q) ? 1UL : 0UL;
                }
            }
        }
        else
        {
            int q = Log10Pow5(-e2) - (-e2 > 1 ? 1 : 0);
            e10 = q + e2;
            int i = -e2 - q;
            int k = Pow5Bits(i) - Pow5BitCount;
            int j = q - k;
            var split = FloatTables.Pow5Split;
            ulong lo = split[2 * i];
            ulong hi = split[(2 * i) + 1];
            vr = MulShift64(4 * m2, lo, hi, j);
            vp = MulShift64((4 * m2) + 2, lo, hi, j);
            vm = MulShift64((4 * m2) - 1 - mmShift, lo, hi, j);
            if (q <= 1)
            {
                vrIsTrailingZeros = true;
                if (acceptBounds)
                {
                    vmIsTrailingZeros = mmShift == 1;
                }
                else
                {
                    vp--;
                }
            }
            else if (q < 63)
            {
                vrIsTrailingZeros = (mv & ((1UL << q) - 1)) == 0;
            }
        }

        int removed = 0;
        uint lastRemovedDigit = 0;
        ulong output;
        if (vmIsTrailingZeros || vrIsTrailingZeros)
        {
            while (true)
            {
                ulong vpDiv10 = vp / 10;
                ulong vmDiv10 = vm / 10;
                if (vpDiv10 <= vmDiv10)
                {
                    break;
                }

                uint vmMod10 = (uint)(vm - (vmDiv10 * 10));
                ulong vrDiv10 = vr / 10;
                uint vrMod10 = (uint)(vr - (vrDiv10 * 10));
                vmIsTrailingZeros &= vmMod10 == 0;
                vrIsTrailingZeros &= lastRemovedDigit == 0;
                lastRemovedDigit = vrMod10;
                vr = vrDiv10;
                vp = vpDiv10;
                vm = vmDiv10;
                removed++;
            }

            if (vmIsTrailingZeros)
            {
                while (true)
                {
                    ulong vmDiv10 = vm / 10;
                    uint vmMod10 = (uint)(vm - (vmDiv10 * 10));
                    if (vmMod10 != 0)
                    {
                        break;
                    }

                    ulong vpDiv10 = vp / 10;
                    ulong vrDiv10 = vr / 10;
                    uint vrMod10 = (uint)(vr - (vrDiv10 * 10));
                    vrIsTrailingZeros &= lastRemovedDigit == 0;
                    lastRemovedDigit = vrMod10;
                    vr = vrDiv10;
                    vp = vpDiv10;
                    vm = vmDiv10;
                    removed++;
                }
            }

            if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0)
            {
                lastRemovedDigit = 4;
            }

            output = vr + ((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5 ? 1UL : 0UL);
        }
        else
        {
            bool roundUp = false;
            ulong vpDiv100 = vp / 100;
            ulong vmDiv100 = vm / 100;
            if (vpDiv100 > vmDiv100)
            {
                ulong vrDiv100 = vr / 100;
                uint vrMod100 = (uint)(vr - (vrDiv100 * 100));
                roundUp = vrMod100 >= 50;
                vr = vrDiv100;
                vp = vpDiv100;
                vm = vmDiv100;
                removed += 2;
            }

            while (true)
            {
                ulong vpDiv10 = vp / 10;
                ulong vmDiv10 = vm / 10;
                if (vpDiv10 <= vmDiv10)
                {
                    break;
                }

                ulong vrDiv10 = vr / 10;
                uint vrMod10 = (uint)(vr - (vrDiv10 * 10));
                roundUp = vrMod10 >= 5;
                vr = vrDiv10;
                vp = vpDiv10;
                vm = vmDiv10;
                removed++;
            }

            output = vr + (vr == vm || roundUp ? 1UL : 0UL);
        }

        return (output, e10 + removed);
    }

    /// <summary>Prints digits × 10^exponent as .NET's "R" format does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Print(ulong digits, int exponent, Span<byte> dst)
    {
        Span<byte> text = stackalloc byte[20];
        int n = 0;
        do
        {
            ulong q = digits / 10;
            text[19 - n] = (byte)('0' + (int)(digits - (q * 10)));
            digits = q;
            n++;
        }
        while (digits != 0);

        var d = text[(20 - n)..];
        int sci = n - 1 + exponent;
        int pos = 0;
        if (sci is > -5 and < 17)
        {
            if (exponent >= 0)
            {
                d.CopyTo(dst);
                pos = n;
                dst.Slice(pos, exponent).Fill((byte)'0');
                return pos + exponent;
            }

            int intDigits = n + exponent;
            if (intDigits > 0)
            {
                d[..intDigits].CopyTo(dst);
                pos = intDigits;
                dst[pos++] = (byte)'.';
                d[intDigits..].CopyTo(dst[pos..]);
                return pos + (n - intDigits);
            }

            dst[pos++] = (byte)'0';
            dst[pos++] = (byte)'.';
            dst.Slice(pos, -intDigits).Fill((byte)'0');
            pos += -intDigits;
            d.CopyTo(dst[pos..]);
            return pos + n;
        }

        dst[pos++] = d[0];
        if (n > 1)
        {
            dst[pos++] = (byte)'.';
            d[1..].CopyTo(dst[pos..]);
            pos += n - 1;
        }

        dst[pos++] = (byte)'E';
        dst[pos++] = sci < 0 ? (byte)'-' : (byte)'+';
        int a = Math.Abs(sci);
        if (a >= 100)
        {
            dst[pos++] = (byte)('0' + (a / 100));
            a %= 100;
        }

        dst[pos++] = (byte)('0' + (a / 10));
        dst[pos++] = (byte)('0' + (a % 10));
        return pos;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulShift64(ulong m, ulong mulLow, ulong mulHigh, int j)
    {
        ulong b0High = Math.BigMul(m, mulLow, out _);
        ulong b2High = Math.BigMul(m, mulHigh, out ulong b2Low);
        UInt128 sum = new UInt128(b2High, b2Low) + b0High;
        return (ulong)(sum >> (j - 64));
    }

    private static int Pow5Bits(int e) => (int)(((uint)e * 1_217_359) >> 19) + 1;

    private static int Log10Pow2(int e) => (int)(((uint)e * 78_913) >> 18);

    private static int Log10Pow5(int e) => (int)(((uint)e * 732_923) >> 20);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool MultipleOfPowerOf5(ulong value, int p)
    {
        int count = 0;
        while (value != 0 && value % 5 == 0)
        {
            value /= 5;
            count++;
        }

        return count >= p;
    }
}
