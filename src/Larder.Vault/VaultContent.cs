using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Larder.Vault;

/// <summary>Tells an entry's layout from its first bytes, and picks how to compress bytes about to be stored.</summary>
internal static class VaultContent
{
    /// <summary>How many leading bytes <see cref="Detect"/> looks at.</summary>
    public const int HeadLength = 1 << 16;

    private static readonly byte[] NpyMagic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>
    /// The layout of an entry whose first bytes are <paramref name="head"/> (all of it when <paramref name="complete"/>):
    /// NPY, Parquet and Arrow by their magic numbers; JSON when the bytes parse as one JSON document (for an incomplete
    /// head, when they start like one: the caller confirms); TSV when the head is UTF-8 text whose first line has a tab
    /// (data_vault's tables always do, for the index column); bytes otherwise.
    /// </summary>
    public static VaultFormat Detect(ReadOnlySpan<byte> head, bool complete, out bool jsonUnconfirmed)
    {
        jsonUnconfirmed = false;
        if (head.StartsWith(NpyMagic))
        {
            return VaultFormat.Npy;
        }

        if (head.StartsWith("PAR1"u8))
        {
            return VaultFormat.Parquet;
        }

        if (head.StartsWith("ARROW1"u8) || (head.Length >= 8 && BinaryPrimitives.ReadUInt32LittleEndian(head) == 0xFFFF_FFFFu && BinaryPrimitives.ReadInt32LittleEndian(head[4..]) > 0))
        {
            return VaultFormat.Arrow;
        }

        if (!IsText(head, complete))
        {
            return VaultFormat.Bytes;
        }

        if (LooksLikeJson(head))
        {
            if (complete)
            {
                return IsJson(head) ? VaultFormat.Json : TextLayout(head);
            }

            jsonUnconfirmed = true;
            return VaultFormat.Json;
        }

        return TextLayout(head);
    }

    /// <summary>TSV when the first line has a tab (a data_vault table always has its index column), else bytes.</summary>
    public static VaultFormat TextLayout(ReadOnlySpan<byte> head)
    {
        int lineEnd = head.IndexOf((byte)'\n');
        ReadOnlySpan<byte> header = lineEnd < 0 ? head : head[..lineEnd];
        return header.Contains((byte)'\t') ? VaultFormat.Tsv : VaultFormat.Bytes;
    }

    public static VaultEntryKind KindOf(VaultFormat format) => format switch
    {
        VaultFormat.Tsv or VaultFormat.Parquet or VaultFormat.Arrow => VaultEntryKind.Table,
        VaultFormat.Npy => VaultEntryKind.Array,
        VaultFormat.Json => VaultEntryKind.Json,
        _ => VaultEntryKind.Bytes,
    };

    public static bool IsJson(ReadOnlySpan<byte> bytes)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 });
        try
        {
            while (reader.Read())
            {
            }

            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether deflating is worth it for bytes that start with <paramref name="sample"/>: false when a fast deflate of the
    /// sample saves less than 10% (random floats, already-compressed data), so large arrays are stored at disk speed.
    /// </summary>
    public static bool WorthCompressing(ReadOnlySpan<byte> sample)
    {
        if (sample.Length < 4096)
        {
            return true;
        }

        using var counter = new CountingStream();
        using (var deflate = new DeflateStream(counter, CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(sample);
        }

        return counter.Count < sample.Length * 0.9;
    }

    private static bool LooksLikeJson(ReadOnlySpan<byte> head)
    {
        int i = 0;
        if (head.StartsWith("\uFEFF"u8))
        {
            i = 3;
        }

        while (i < head.Length && head[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            i++;
        }

        return i < head.Length && head[i] is (byte)'{' or (byte)'[' or (byte)'"' or (byte)'-' or (byte)'t' or (byte)'f' or (byte)'n' or (>= (byte)'0' and <= (byte)'9');
    }

    private static bool IsText(ReadOnlySpan<byte> head, bool complete)
    {
        if (head.Contains((byte)0))
        {
            return false;
        }

        // An incomplete head may cut the last character: allow up to 3 trailing bytes of an unfinished sequence.
        ReadOnlySpan<byte> checkable = head;
        if (!complete)
        {
            int cut = 0;
            while (cut < 3 && cut < checkable.Length && (checkable[^(cut + 1)] & 0xC0) == 0x80)
            {
                cut++;
            }

            if (cut < checkable.Length && checkable[^(cut + 1)] >= 0xC0)
            {
                cut++;
            }

            checkable = checkable[..^cut];
        }

        return System.Text.Unicode.Utf8.IsValid(checkable);
    }

    private sealed class CountingStream : Larder.Storage.Zip.WriteOnlyStreamBase
    {
        public long Count { get; private set; }

        public override long Length => Count;

        public override long Position
        {
            get => Count;
            set => throw new NotSupportedException();
        }

        public override void Write(ReadOnlySpan<byte> buffer) => Count += buffer.Length;
    }
}

/// <summary>A read-only stream that returns a buffered head and then the rest of another stream (which it disposes).</summary>
internal sealed class PrefixedStream(byte[] head, int headLength, Stream rest) : Larder.Storage.Zip.ReadOnlyStreamBase
{
    private int _position;

    public override int Read(Span<byte> buffer)
    {
        if (_position < headLength)
        {
            int n = Math.Min(buffer.Length, headLength - _position);
            head.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        return rest.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < headLength)
        {
            return Read(buffer.Span);
        }

        return await rest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            rest.Dispose();
        }

        base.Dispose(disposing);
    }
}
