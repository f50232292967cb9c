using System.Text;

namespace Larder.Storage.Zip;

/// <summary>Record signatures, field limits and small encodings of the ZIP format (PKWARE APPNOTE 6.3).</summary>
internal static class ZipFormat
{
    public const uint LocalHeaderSignature = 0x04034b50;
    public const uint CentralHeaderSignature = 0x02014b50;
    public const uint EndOfCentralDirectorySignature = 0x06054b50;
    public const uint Zip64EndOfCentralDirectorySignature = 0x06064b50;
    public const uint Zip64LocatorSignature = 0x07064b50;
    public const uint DataDescriptorSignature = 0x08074b50;

    public const int LocalHeaderSize = 30;
    public const int CentralHeaderSize = 46;
    public const int EndOfCentralDirectorySize = 22;
    public const int Zip64EndOfCentralDirectorySize = 56;
    public const int Zip64LocatorSize = 20;

    public const ushort Zip64ExtraId = 0x0001;
    public const ushort ExtendedTimestampExtraId = 0x5455;
    public const ushort AesExtraId = 0x9901;

    public const ushort FlagEncrypted = 1 << 0;
    public const ushort FlagDataDescriptor = 1 << 3;
    public const ushort FlagStrongEncryption = 1 << 6;
    public const ushort FlagUtf8 = 1 << 11;
    public const ushort FlagMaskedHeaders = 1 << 13;

    public const ushort MethodStored = 0;
    public const ushort MethodDeflate = 8;
    public const ushort MethodAes = 99;

    /// <summary>Deflate cannot expand data by more than this factor (258 bytes from one 1-bit code, rounded up).</summary>
    public const long MaxDeflateRatio = 1032;

    private const string Cp437High =
        "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes an entry name: UTF-8 when flag bit 11 is set, else code page 437 (as Python's zipfile does).</summary>
    /// <returns><see langword="null"/> when the bytes are not valid UTF-8 although the flag says so.</returns>
    public static string? DecodeName(ReadOnlySpan<byte> bytes, bool utf8)
    {
        if (utf8)
        {
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }

        return string.Create(bytes.Length, bytes.ToArray(), static (chars, raw) =>
        {
            for (int i = 0; i < raw.Length; i++)
            {
                chars[i] = raw[i] < 0x80 ? (char)raw[i] : Cp437High[raw[i] - 0x80];
            }
        });
    }

    /// <summary>Encodes a name for writing: plain ASCII without the UTF-8 flag, anything else as UTF-8 with it.</summary>
    public static byte[] EncodeName(string name, out bool utf8)
    {
        utf8 = !Ascii.IsValid(name);
        return utf8 ? StrictUtf8.GetBytes(name) : Encoding.ASCII.GetBytes(name);
    }

    /// <summary>The UTF-8 bytes of a password (what WinZip AES and 7-Zip use).</summary>
    public static byte[] PasswordBytes(string password) => Encoding.UTF8.GetBytes(password);

    /// <summary>Converts MS-DOS date and time fields to a <see cref="DateTime"/> of unspecified kind; invalid fields give 1980-01-01.</summary>
    public static DateTime FromDosTime(ushort time, ushort date)
    {
        int year = 1980 + (date >> 9);
        int month = (date >> 5) & 0xF;
        int day = date & 0x1F;
        int hour = time >> 11;
        int minute = (time >> 5) & 0x3F;
        int second = (time & 0x1F) * 2;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return new DateTime(1980, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        }

        return new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
    }

    /// <summary>Converts a wall-clock time to MS-DOS fields (2-second resolution, clamped to 1980..2107).</summary>
    public static (ushort Time, ushort Date) ToDosTime(DateTime value)
    {
        if (value.Year < 1980)
        {
            return (0, (1 << 5) | 1);
        }

        if (value.Year > 2107)
        {
            value = new DateTime(2107, 12, 31, 23, 59, 58, DateTimeKind.Unspecified);
        }

        ushort time = (ushort)((value.Hour << 11) | (value.Minute << 5) | (value.Second / 2));
        ushort date = (ushort)(((value.Year - 1980) << 9) | (value.Month << 5) | value.Day);
        return (time, date);
    }
}
