using System.Runtime.CompilerServices;
using Larder.Columnar;

namespace Larder.Text;

/// <summary>
/// What the values of one column seen so far allow (see <see cref="CsvReadOptions"/> for the rules). Mergeable, so blocks
/// of the inference window are examined in parallel and combined in order. Not thread safe.
/// </summary>
internal sealed class CsvColumnInference
{
    private bool _canBool = true;
    private bool _canInt = true;
    private bool _canFloat = true;
    private bool _canTimestamp = true;
    private bool _sawValue;
    private bool _sawZoned;
    private bool _sawNaive;
    private bool _needsNanoseconds;
    private bool _outsideNanoseconds;

    private bool Undecided => _canBool || _canInt || _canFloat || _canTimestamp;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Observe(ReadOnlySpan<byte> value, bool quoted, CsvValueConfig config)
    {
        if (!quoted && config.Nulls.Contains(value))
        {
            return;
        }

        _sawValue = true;
        if (!Undecided)
        {
            return;
        }

        if (_canBool && !config.TryParseBool(value, out _))
        {
            _canBool = false;
        }

        if (_canInt && !TextParse.TryParseInt64(value, out _))
        {
            _canInt = false;
        }

        if (_canFloat && !TextParse.TryParseDouble(value, out _))
        {
            _canFloat = false;
        }

        if (_canTimestamp)
        {
            if (TextParse.TryParseTimestamp(value, out var ts))
            {
                _sawZoned |= ts.Zoned;
                _sawNaive |= !ts.Zoned;
                _needsNanoseconds |= ts.NeededUnit == TimeUnit.Nanosecond;
                _outsideNanoseconds |= !ts.FitsNanoseconds;
                if (_sawZoned && _sawNaive)
                {
                    _canTimestamp = false;
                }
            }
            else
            {
                _canTimestamp = false;
            }
        }
    }

    public void Merge(CsvColumnInference other)
    {
        _canBool &= other._canBool;
        _canInt &= other._canInt;
        _canFloat &= other._canFloat;
        _canTimestamp &= other._canTimestamp;
        _sawValue |= other._sawValue;
        _sawZoned |= other._sawZoned;
        _sawNaive |= other._sawNaive;
        _needsNanoseconds |= other._needsNanoseconds;
        _outsideNanoseconds |= other._outsideNanoseconds;
        if (_sawZoned && _sawNaive)
        {
            _canTimestamp = false;
        }
    }

    /// <summary>The inferred type: bool, int64, float64, timestamp or utf8, in that order of preference.</summary>
    public ArrowType Result()
    {
        if (!_sawValue)
        {
            return ArrowType.String;
        }

        if (_canBool)
        {
            return ArrowType.Boolean;
        }

        if (_canInt)
        {
            return ArrowType.Int64;
        }

        if (_canFloat)
        {
            return ArrowType.Double;
        }

        if (_canTimestamp && !(_needsNanoseconds && _outsideNanoseconds))
        {
            return new TimestampType(_needsNanoseconds ? TimeUnit.Nanosecond : TimeUnit.Microsecond, _sawZoned ? "UTC" : null);
        }

        return ArrowType.String;
    }
}

/// <summary>Feeds the fields of the inference window to the columns' inference states; applies the ragged-row rule.</summary>
internal struct InferenceSink : ICsvRowSink
{
    private readonly CsvColumnInference?[] _columns;
    private readonly CsvValueConfig _config;
    private readonly CsvRowContext _context;
    private readonly bool _allowRagged;

    public InferenceSink(CsvColumnInference?[] columns, CsvValueConfig config, CsvRowContext context, bool allowRagged)
    {
        _columns = columns;
        _config = config;
        _context = context;
        _allowRagged = allowRagged;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Field(int column, ReadOnlySpan<byte> value, bool quoted)
    {
        if ((uint)column < (uint)_columns.Length)
        {
            _columns[column]?.Observe(value, quoted, _config);
        }
        else if (!_allowRagged)
        {
            throw LarderErrors.CsvRaggedRow(_context.Source, _context.Row, _context.Line, _context.Offset, column + 1, _columns.Length, more: true);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void EndRow(int fieldCount)
    {
        if (fieldCount < _columns.Length && !_allowRagged)
        {
            throw LarderErrors.CsvRaggedRow(_context.Source, _context.Row, _context.Line, _context.Offset, fieldCount, _columns.Length, more: false);
        }
    }
}

/// <summary>Appends each field to its column's parser; applies the null, mismatch and ragged-row rules.</summary>
internal struct BatchSink : ICsvRowSink
{
    private readonly CsvColumnParser?[] _parsers;
    private readonly CsvRowContext _context;
    private readonly bool _allowRagged;
    private readonly int? _inferenceRows;

    public BatchSink(CsvColumnParser?[] parsers, CsvRowContext context, bool allowRagged, int? inferenceRows)
    {
        _parsers = parsers;
        _context = context;
        _allowRagged = allowRagged;
        _inferenceRows = inferenceRows;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Field(int column, ReadOnlySpan<byte> value, bool quoted)
    {
        if ((uint)column < (uint)_parsers.Length)
        {
            var p = _parsers[column];
            if (p is not null)
            {
                var status = p.Append(value, quoted);
                if (status != ParseStatus.Ok)
                {
                    throw Error(status, column, value);
                }
            }
        }
        else if (!_allowRagged)
        {
            throw LarderErrors.CsvRaggedRow(_context.Source, _context.Row, _context.Line, _context.Offset, column + 1, _parsers.Length, more: true);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void EndRow(int fieldCount)
    {
        if (fieldCount < _parsers.Length)
        {
            if (!_allowRagged)
            {
                throw LarderErrors.CsvRaggedRow(_context.Source, _context.Row, _context.Line, _context.Offset, fieldCount, _parsers.Length, more: false);
            }

            for (int c = fieldCount; c < _parsers.Length; c++)
            {
                var p = _parsers[c];
                if (p is not null && p.AppendNull() != ParseStatus.Ok)
                {
                    throw Error(ParseStatus.NullNotAllowed, c, default);
                }
            }
        }
    }

    private readonly LarderFormatException Error(ParseStatus status, int column, ReadOnlySpan<byte> value)
    {
        var c = _context;
        string name = c.ColumnName(column);
        return status == ParseStatus.NullNotAllowed
            ? LarderErrors.TextNullNotAllowed(c.Source, c.Row, c.Line, c.Offset, name)
            : LarderErrors.TextValueMismatch(c.Source, c.Row, c.Line, c.Offset, name, value, _parsers[column]!.Type, _inferenceRows);
    }
}
