namespace Larder.Storage.Zip;

/// <summary>
/// The decoded data of one entry: yields exactly the recorded length, and checks the CRC-32 (when the entry records one)
/// as soon as the last byte is read. Damage surfaces as <see cref="LarderFormatException"/> (or, for ZipCrypto entries,
/// which cannot tell damage from a wrong password, as <see cref="LarderAuthException"/>).
/// </summary>
internal sealed class ZipEntryReadStream : ReadOnlyStreamBase
{
    private readonly Stream _decoded;
    private readonly string? _source;
    private readonly ZipEntry _entry;
    private readonly bool _checkCrc;
    private readonly bool _zipCrypto;
    private uint _crc;
    private long _read;
    private bool _verified;

    public ZipEntryReadStream(Stream decoded, string? source, ZipEntry entry)
    {
        _decoded = decoded;
        _source = source;
        _entry = entry;
        _checkCrc = entry.HasCrc32;
        _zipCrypto = entry.Encryption == ZipEncryption.ZipCrypto;
        if (entry.Length == 0)
        {
            Verify();
        }
    }

    public override int Read(Span<byte> buffer)
    {
        long remaining = _entry.Length - _read;
        if (remaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        int want = (int)Math.Min(buffer.Length, remaining);
        int n;
        try
        {
            n = _decoded.Read(buffer[..want]);
        }
        catch (InvalidDataException e)
        {
            throw Corrupt("the deflate data is invalid", e);
        }

        if (n == 0)
        {
            throw Corrupt($"its data ends after {_read} of the {_entry.Length} bytes recorded", null);
        }

        if (_checkCrc)
        {
            _crc = Larder.Checksums.Crc32.Compute(_crc, buffer[..n]);
        }

        _read += n;
        if (_read == _entry.Length)
        {
            Verify();
        }

        return n;
    }

    private void Verify()
    {
        if (_verified)
        {
            return;
        }

        _verified = true;
        Span<byte> extra = stackalloc byte[1];
        int more;
        try
        {
            more = _decoded.Read(extra);
        }
        catch (InvalidDataException e)
        {
            throw Corrupt("the deflate data is invalid", e);
        }

        if (more != 0)
        {
            throw Corrupt($"its data is longer than the {_entry.Length} bytes recorded", null);
        }

        if (_checkCrc && _crc != _entry.Crc32)
        {
            if (_zipCrypto)
            {
                throw LarderErrors.ZipWrongPasswordOrCorrupt(_source, _entry.Name, "CRC-32 mismatch");
            }

            throw LarderErrors.ZipCrcMismatch(_source, _entry.Name, _entry.Crc32, _crc);
        }
    }

    private LarderException Corrupt(string what, Exception? inner)
        => _zipCrypto
            ? LarderErrors.ZipWrongPasswordOrCorrupt(_source, _entry.Name, what)
            : LarderErrors.ZipEntryCorrupt(_source, _entry.Name, what, inner);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _decoded.Dispose();
        }

        base.Dispose(disposing);
    }
}
