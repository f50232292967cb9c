using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Larder.Text;

/// <summary>Receives the fields of the rows of a block, in order. Implementations are structs so that calls inline.</summary>
internal interface ICsvRowSink
{
    /// <summary>Field <paramref name="column"/> of the current row. The value span is valid only during the call.</summary>
    void Field(int column, ReadOnlySpan<byte> value, bool quoted);

    /// <summary>The current row ended after <paramref name="fieldCount"/> fields.</summary>
    void EndRow(int fieldCount);
}

/// <summary>Where a sink's error happened: the tokenizer's position, readable by the sink that throws.</summary>
internal sealed class CsvRowContext
{
    private readonly IReadOnlyList<string> _names;

    public CsvRowContext(TextBlock block, string? source, IReadOnlyList<string> names)
    {
        Block = block;
        Source = source;
        _names = names;
    }

    public TextBlock Block { get; }

    public string? Source { get; }

    /// <summary>0-based index of the current row within the block.</summary>
    public int RowIndex { get; set; }

    /// <summary>Start of the current row within the block.</summary>
    public int RowStart { get; set; }

    /// <summary>1-based row number of the current row in the input (header excluded).</summary>
    public long Row => Block.FirstRow + RowIndex + 1;

    public long Line => Block.LineAt(RowStart);

    public long Offset => Block.StreamOffset + RowStart;

    /// <summary>The name of the input column at <paramref name="index"/>, or "#n" (1-based) past the known columns.</summary>
    public string ColumnName(int index) => index < _names.Count ? _names[index] : "#" + (index + 1);
}

/// <summary>
/// Splits the records of a block into fields (RFC 4180) and hands them to a sink. A vectorised first pass records the
/// position of every delimiter, quote and line-end byte of the block; the second pass walks those positions, so a field
/// costs a few instructions however long it is. Quoted fields are unescaped into a scratch buffer only when they contain
/// a doubled quote. Not thread safe: one per parsing task.
/// </summary>
internal sealed class CsvTokenizer
{
    private readonly byte _delimiter;
    private readonly byte _quote;
    private readonly int _maxField;
    private byte[] _scratch = new byte[256];

    public CsvTokenizer(byte delimiter, byte quote, int maxFieldBytes)
    {
        _delimiter = delimiter;
        _quote = quote;
        _maxField = maxFieldBytes;
    }

    /// <summary>Tokenises the first <paramref name="rows"/> non-blank records of <paramref name="data"/>.</summary>
    public void Run<TSink>(ReadOnlySpan<byte> data, int rows, CsvRowContext context, ref TSink sink)
        where TSink : struct, ICsvRowSink
    {
        int[] positions = ArrayPool<int>.Shared.Rent(Math.Max(256, data.Length / 8));
        try
        {
            int count = BuildIndex(data, _delimiter, _quote, ref positions);
            Walk(data, positions.AsSpan(0, count), rows, context, ref sink);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(positions);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Walk<TSink>(ReadOnlySpan<byte> data, ReadOnlySpan<int> positions, int rows, CsvRowContext context, ref TSink sink)
        where TSink : struct, ICsvRowSink
    {
        int len = data.Length;
        int count = positions.Length;
        byte delimiter = _delimiter;
        byte quote = _quote;
        int maxField = _maxField;

        // Invariant: pi is the index of the first structural position >= pos.
        int pos = 0;
        int pi = 0;
        for (int r = 0; r < rows; r++)
        {
            while (pos < len && data[pos] is (byte)'\n' or (byte)'\r')
            {
                pos++;
                pi++;
            }

            context.RowIndex = r;
            context.RowStart = pos;
            if (pos >= len)
            {
                // The block holds fewer records than its scan counted: never silently invent rows.
                throw LarderErrors.Format(context.Source, context.Offset, $"row {context.Row}: the record structure is inconsistent (a quote or line end is misplaced); check the quoting of the rows before it.");
            }

            int field = 0;
            while (true)
            {
                ReadOnlySpan<byte> value;
                bool quoted = pos < len && data[pos] == quote;
                if (quoted)
                {
                    value = ReadQuoted(data, positions, ref pos, ref pi, context, field);
                }
                else
                {
                    int p = len;
                    while (pi < count)
                    {
                        int candidate = positions[pi];
                        if (data[candidate] != quote)
                        {
                            p = candidate;
                            break;
                        }

                        pi++;
                    }

                    value = data[pos..p];
                    pos = p;
                }

                if (value.Length > maxField)
                {
                    throw LarderErrors.TextFieldTooLong(context.Source, context.Row, context.Line, context.Offset, maxField, nameof(CsvReadOptions.MaxFieldBytes));
                }

                sink.Field(field, value, quoted);
                field++;
                if (pos >= len)
                {
                    break;
                }

                byte b = data[pos];
                pos++;
                pi++;
                if (b == delimiter)
                {
                    continue;
                }

                if (b == (byte)'\r' && pos < len && data[pos] == (byte)'\n')
                {
                    pos++;
                    pi++;
                }

                break;
            }

            sink.EndRow(field);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<byte> ReadQuoted(ReadOnlySpan<byte> data, ReadOnlySpan<int> positions, scoped ref int pos, scoped ref int pi, CsvRowContext context, int field)
    {
        int len = data.Length;
        int start = pos + 1;
        bool escaped = false;
        int close = -1;

        // positions[pi] is the opening quote.
        pi++;
        while (pi < positions.Length)
        {
            int p = positions[pi++];
            if (data[p] != _quote)
            {
                continue;
            }

            if (p + 1 < len && data[p + 1] == _quote)
            {
                escaped = true;
                pi++;
                continue;
            }

            close = p;
            break;
        }

        if (close < 0)
        {
            throw LarderErrors.CsvUnterminatedQuote(context.Source, context.Row, context.Line, context.Offset);
        }

        var value = data[start..close];
        pos = close + 1;
        if (pos < len && data[pos] != _delimiter && data[pos] is not ((byte)'\n' or (byte)'\r'))
        {
            throw LarderErrors.CsvTextAfterQuote(context.Source, context.Row, context.Line, context.Offset, context.ColumnName(field), data[pos]);
        }

        return escaped ? Unescape(value) : value;
    }

    private ReadOnlySpan<byte> Unescape(ReadOnlySpan<byte> value)
    {
        if (_scratch.Length < value.Length)
        {
            _scratch = new byte[Math.Max(value.Length, _scratch.Length * 2)];
        }

        int n = 0;
        for (int i = 0; i < value.Length; i++)
        {
            byte b = value[i];
            _scratch[n++] = b;
            if (b == _quote)
            {
                i++;
            }
        }

        return _scratch.AsSpan(0, n);
    }

    /// <summary>Records the positions of every delimiter, quote, CR and LF byte of <paramref name="data"/>; returns their count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int BuildIndex(ReadOnlySpan<byte> data, byte delimiter, byte quote, ref int[] positions)
    {
        int n = 0;
        int i = 0;
        int len = data.Length;
        ref byte start = ref MemoryMarshal.GetReference(data);
        if (Vector256.IsHardwareAccelerated && len >= Vector256<byte>.Count)
        {
            var vd = Vector256.Create(delimiter);
            var vq = Vector256.Create(quote);
            var vlf = Vector256.Create((byte)'\n');
            var vcr = Vector256.Create((byte)'\r');
            for (; i <= len - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                uint bits = (Vector256.Equals(v, vd) | Vector256.Equals(v, vq) | Vector256.Equals(v, vlf) | Vector256.Equals(v, vcr)).ExtractMostSignificantBits();
                if (bits == 0)
                {
                    continue;
                }

                if (n + 32 > positions.Length)
                {
                    Grow(ref positions, n);
                }

                do
                {
                    positions[n++] = i + BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                }
                while (bits != 0);
            }
        }
        else if (Vector128.IsHardwareAccelerated && len >= Vector128<byte>.Count)
        {
            var vd = Vector128.Create(delimiter);
            var vq = Vector128.Create(quote);
            var vlf = Vector128.Create((byte)'\n');
            var vcr = Vector128.Create((byte)'\r');
            for (; i <= len - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                var v = Vector128.LoadUnsafe(ref start, (nuint)i);
                uint bits = (Vector128.Equals(v, vd) | Vector128.Equals(v, vq) | Vector128.Equals(v, vlf) | Vector128.Equals(v, vcr)).ExtractMostSignificantBits();
                if (bits == 0)
                {
                    continue;
                }

                if (n + 16 > positions.Length)
                {
                    Grow(ref positions, n);
                }

                do
                {
                    positions[n++] = i + BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                }
                while (bits != 0);
            }
        }

        for (; i < len; i++)
        {
            byte b = data[i];
            if (b == delimiter || b == quote || b is (byte)'\n' or (byte)'\r')
            {
                if (n == positions.Length)
                {
                    Grow(ref positions, n);
                }

                positions[n++] = i;
            }
        }

        return n;
    }

    private static void Grow(ref int[] positions, int used)
    {
        var bigger = ArrayPool<int>.Shared.Rent(Math.Max(positions.Length * 2, 64));
        positions.AsSpan(0, used).CopyTo(bigger);
        ArrayPool<int>.Shared.Return(positions);
        positions = bigger;
    }
}

/// <summary>Counts the fields of the first row (for inputs without a header).</summary>
internal struct FieldCountSink : ICsvRowSink
{
    public int Count;

    public void Field(int column, ReadOnlySpan<byte> value, bool quoted)
    {
    }

    public void EndRow(int fieldCount) => Count = fieldCount;
}

/// <summary>Collects the fields of one row as strings (the header).</summary>
internal struct HeaderSink : ICsvRowSink
{
    public List<string> Names;
    public bool Invalid;

    public void Field(int column, ReadOnlySpan<byte> value, bool quoted)
    {
        if (!System.Text.Unicode.Utf8.IsValid(value))
        {
            Invalid = true;
        }

        Names.Add(System.Text.Encoding.UTF8.GetString(value));
    }

    public void EndRow(int fieldCount)
    {
    }
}
