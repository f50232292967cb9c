using System.Text.Json;
using System.Text;
using Larder.Columnar;

namespace Larder.Text;

/// <summary>
/// What the JSON values seen at one place (a top-level key, a list's items, a struct's key) allow (rules:
/// <see cref="JsonLinesReadOptions"/>). Mergeable, so inference runs per block in parallel. Not thread safe.
/// </summary>
internal sealed class JsonTypeNode
{
    private const int MaxDepth = 64;

    private bool _bool;
    private bool _int;
    private bool _float;
    private bool _string;
    private bool _special;
    private bool _array;
    private bool _object;
    private bool _allTimestamps = true;
    private bool _zoned;
    private bool _naive;
    private bool _needsNanoseconds;
    private bool _outsideNanoseconds;
    private JsonTypeNode? _element;
    private List<(string Name, byte[] Utf8, JsonTypeNode Node)>? _children;

    /// <summary>The keys of an object node, in first-seen order.</summary>
    public IReadOnlyList<(string Name, byte[] Utf8, JsonTypeNode Node)> Children => _children ?? [];

    /// <summary>Observes the value whose first token is the reader's current token; leaves the reader on its last token.</summary>
    public void Observe(ref Utf8JsonReader reader, JsonAppendContext context, int depth = 0)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                break;
            case JsonTokenType.True:
            case JsonTokenType.False:
                _bool = true;
                break;
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out _))
                {
                    _int = true;
                }
                else
                {
                    _float = true;
                }

                break;
            case JsonTokenType.String:
                ObserveString(context.StringBytes(ref reader));
                break;
            case JsonTokenType.StartArray:
                _array = true;
                if (depth >= MaxDepth)
                {
                    reader.Skip();
                    break;
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    (_element ??= new JsonTypeNode()).Observe(ref reader, context, depth + 1);
                }

                break;
            case JsonTokenType.StartObject:
                _object = true;
                ObserveObject(ref reader, context, depth);
                break;
        }
    }

    /// <summary>Observes an object's keys and values (the reader on its StartObject); returns nothing, leaves the reader on EndObject.</summary>
    public void ObserveObject(ref Utf8JsonReader reader, JsonAppendContext context, int depth)
    {
        _children ??= [];
        int next = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int index = FindChild(ref reader, next);
            if (index < 0)
            {
                var bytes = context.StringBytes(ref reader).ToArray();
                _children.Add((Encoding.UTF8.GetString(bytes), bytes, new JsonTypeNode()));
                index = _children.Count - 1;
            }

            reader.Read();
            if (depth >= MaxDepth)
            {
                reader.Skip();
            }
            else
            {
                _children[index].Node.Observe(ref reader, context, depth + 1);
            }

            next = index + 1;
        }
    }

    private int FindChild(ref Utf8JsonReader reader, int expected)
    {
        var children = _children!;
        if (expected < children.Count && reader.ValueTextEquals(children[expected].Utf8))
        {
            return expected;
        }

        for (int i = 0; i < children.Count; i++)
        {
            if (i != expected && reader.ValueTextEquals(children[i].Utf8))
            {
                return i;
            }
        }

        return -1;
    }

    private void ObserveString(ReadOnlySpan<byte> value)
    {
        if (TextParse.TryParseFloatSpecial(value, out _))
        {
            _special = true;
            return;
        }

        _string = true;
        if (!_allTimestamps)
        {
            return;
        }

        if (TextParse.TryParseTimestamp(value, out var ts))
        {
            _zoned |= ts.Zoned;
            _naive |= !ts.Zoned;
            _needsNanoseconds |= ts.NeededUnit == TimeUnit.Nanosecond;
            _outsideNanoseconds |= !ts.FitsNanoseconds;
        }
        else
        {
            _allTimestamps = false;
        }
    }

    /// <summary>Adds what <paramref name="other"/> saw (which came later in the input).</summary>
    public void Merge(JsonTypeNode other)
    {
        _bool |= other._bool;
        _int |= other._int;
        _float |= other._float;
        _string |= other._string;
        _special |= other._special;
        _array |= other._array;
        _object |= other._object;
        _allTimestamps &= other._allTimestamps;
        _zoned |= other._zoned;
        _naive |= other._naive;
        _needsNanoseconds |= other._needsNanoseconds;
        _outsideNanoseconds |= other._outsideNanoseconds;
        if (other._element is not null)
        {
            if (_element is null)
            {
                _element = other._element;
            }
            else
            {
                _element.Merge(other._element);
            }
        }

        if (other._children is not null)
        {
            _children ??= [];
            foreach (var (name, utf8, node) in other._children)
            {
                int i = _children.FindIndex(c => c.Name == name);
                if (i < 0)
                {
                    _children.Add((name, utf8, node));
                }
                else
                {
                    _children[i].Node.Merge(node);
                }
            }
        }
    }

    /// <summary>The inferred type.</summary>
    public ArrowType Result()
    {
        bool number = _int || _float;
        bool text = _string || _special;
        int kinds = (_bool ? 1 : 0) + (number ? 1 : 0) + (text ? 1 : 0) + (_array ? 1 : 0) + (_object ? 1 : 0);
        if (number && _special && !_string && !_bool && !_array && !_object)
        {
            return ArrowType.Double;
        }

        if (kinds != 1)
        {
            return ArrowType.String;
        }

        if (_bool)
        {
            return ArrowType.Boolean;
        }

        if (number)
        {
            return _float ? ArrowType.Double : ArrowType.Int64;
        }

        if (text)
        {
            if (!_special && _allTimestamps && !(_zoned && _naive) && !(_needsNanoseconds && _outsideNanoseconds))
            {
                return new TimestampType(_needsNanoseconds ? TimeUnit.Nanosecond : TimeUnit.Microsecond, _zoned ? "UTC" : null);
            }

            return ArrowType.String;
        }

        if (_array)
        {
            return new ListType(_element?.Result() ?? ArrowType.String);
        }

        return _children is { Count: > 0 }
            ? new StructType(_children.Select(c => new Field(c.Name, c.Node.Result(), nullable: true)))
            : ArrowType.String;
    }
}
