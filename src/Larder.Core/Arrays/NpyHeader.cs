using System.Globalization;
using System.Text;

namespace Larder.Arrays;

/// <summary>
/// The parsed header of an NPY file: the dtype as stored (possibly big-endian), order and shape. Immutable.
/// </summary>
/// <param name="DType">The dtype in the file's byte order.</param>
/// <param name="FortranOrder">True when the data is in column-major order.</param>
/// <param name="Shape">The dimensions (empty for a 0-d array); each non-negative.</param>
/// <param name="Version">The format version's major number (1, 2 or 3).</param>
/// <param name="DataOffset">Bytes from the start of the file to the first element.</param>
public sealed record NpyHeader(NpyDType DType, bool FortranOrder, IReadOnlyList<long> Shape, int Version, long DataOffset)
{
    /// <summary>The six bytes every NPY file starts with.</summary>
    internal static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Bytes of the magic plus the two version bytes.</summary>
    internal const int PrefixLength = 8;

    /// <summary>
    /// Parses the header dictionary, a Python literal such as <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (3, 4), }</c>:
    /// exactly the keys <c>descr</c>, <c>fortran_order</c> and <c>shape</c>, each once, in any order; string literals in
    /// single or double quotes without escapes; <c>True</c>/<c>False</c>; a tuple of non-negative decimal integers
    /// (an optional Python 2 <c>L</c> suffix is accepted). Whitespace between tokens and after the closing brace is allowed.
    /// </summary>
    /// <exception cref="LarderFormatException">Anything else.</exception>
    /// <exception cref="LarderNotSupportedException">The descr is well formed but not a supported numeric dtype.</exception>
    internal static (NpyDType DType, bool FortranOrder, long[] Shape) ParseDictionary(string text, string? source, long offset)
    {
        var p = new Parser(text, source, offset);
        return p.Parse();
    }

    private ref struct Parser(string text, string? source, long offset)
    {
        private readonly string _text = text;
        private int _pos;

        public (NpyDType, bool, long[]) Parse()
        {
            string? descr = null;
            bool? fortran = null;
            long[]? shape = null;
            SkipSpace();
            Expect('{');
            SkipSpace();
            while (Peek() != '}')
            {
                int keyAt = _pos;
                string key = ReadString();
                SkipSpace();
                Expect(':');
                SkipSpace();
                switch (key)
                {
                    case "descr" when descr is null:
                        if (Peek() is '[' or '(' or '{')
                        {
                            throw LarderErrors.NpyUnsupportedDType(source, "structured or subarray dtype");
                        }

                        descr = ReadString();
                        break;
                    case "fortran_order" when fortran is null:
                        fortran = ReadBool();
                        break;
                    case "shape" when shape is null:
                        shape = ReadTuple();
                        break;
                    case "descr" or "fortran_order" or "shape":
                        throw Fail(keyAt, $"the key '{key}' appears twice");
                    default:
                        throw Fail(keyAt, $"unexpected key '{Printable(key)}'");
                }

                SkipSpace();
                if (Peek() == ',')
                {
                    _pos++;
                    SkipSpace();
                }
                else if (Peek() != '}')
                {
                    throw Fail(_pos, "expected ',' or '}'");
                }
            }

            _pos++;
            SkipSpace();
            if (_pos != _text.Length)
            {
                throw Fail(_pos, "text after the closing '}'");
            }

            if (descr is null || fortran is null || shape is null)
            {
                throw Fail(0, "it needs the keys 'descr', 'fortran_order' and 'shape'");
            }

            if (!NpyDType.TryParse(descr, out var dtype))
            {
                throw LarderErrors.NpyUnsupportedDType(source, Printable(descr));
            }

            return (dtype, fortran.Value, shape);
        }

        private readonly char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

        private void SkipSpace()
        {
            while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\n' or '\r')
            {
                _pos++;
            }
        }

        private void Expect(char c)
        {
            if (Peek() != c || _pos >= _text.Length)
            {
                throw Fail(_pos, $"expected '{c}'");
            }

            _pos++;
        }

        private string ReadString()
        {
            char quote = Peek();
            if (quote is not ('\'' or '"'))
            {
                throw Fail(_pos, "expected a quoted string");
            }

            int start = ++_pos;
            while (_pos < _text.Length && _text[_pos] != quote)
            {
                if (_text[_pos] is '\\' or '\n' or '\r')
                {
                    throw Fail(_pos, "escapes and line breaks are not allowed in strings");
                }

                _pos++;
            }

            if (_pos >= _text.Length)
            {
                throw Fail(start, "unterminated string");
            }

            return _text[start.._pos++];
        }

        private bool ReadBool()
        {
            if (Matches("True"))
            {
                return true;
            }

            if (Matches("False"))
            {
                return false;
            }

            throw Fail(_pos, "'fortran_order' must be True or False");
        }

        private bool Matches(string word)
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) == 0
                && (_pos + word.Length == _text.Length || !char.IsAsciiLetterOrDigit(_text[_pos + word.Length]) && _text[_pos + word.Length] != '_'))
            {
                _pos += word.Length;
                return true;
            }

            return false;
        }

        private long[] ReadTuple()
        {
            Expect('(');
            SkipSpace();
            var dims = new List<long>();
            bool sawComma = false;
            while (Peek() != ')')
            {
                if (dims.Count > NDArray.MaxRank)
                {
                    throw Fail(_pos, $"the shape has more than {NDArray.MaxRank} dimensions");
                }

                dims.Add(ReadInt());
                SkipSpace();
                if (Peek() == ',')
                {
                    _pos++;
                    sawComma = true;
                    SkipSpace();
                }
                else if (Peek() != ')')
                {
                    throw Fail(_pos, "expected ',' or ')' in the shape");
                }
                else
                {
                    sawComma = false;
                }
            }

            // (3) is an int in Python, not a tuple.
            if (dims.Count == 1 && !sawComma)
            {
                throw Fail(_pos, "a one-dimensional shape needs a trailing comma, as in (3,)");
            }

            _pos++;
            return [.. dims];
        }

        private long ReadInt()
        {
            int start = _pos;
            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
            {
                _pos++;
            }

            var digits = _text.AsSpan(start, _pos - start);
            if (digits.IsEmpty || (digits.Length > 1 && digits[0] == '0')
                || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            {
                throw Fail(start, "a dimension is not a non-negative decimal integer that fits in 64 bits");
            }

            if (Peek() is 'L' or 'l')
            {
                _pos++;
            }

            return value;
        }

        private readonly LarderFormatException Fail(int at, string detail)
            => LarderErrors.NpyBadHeader(source, offset + at, $"{detail} at character {at}");

        private static string Printable(string s)
        {
            var sb = new StringBuilder(Math.Min(s.Length, 40));
            foreach (char c in s.Length > 40 ? s[..40] : s)
            {
                sb.Append(char.IsControl(c) ? '?' : c);
            }

            return sb.ToString();
        }
    }
}
