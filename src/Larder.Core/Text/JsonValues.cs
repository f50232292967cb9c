using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text;
using Larder.Columnar;

namespace Larder.Text;

/// <summary>Per-task state of <see cref="JsonValueAppender"/>: scratch memory and encoded struct field names. Not thread safe.</summary>
internal sealed class JsonAppendContext
{
    private readonly Dictionary<StructType, byte[][]> _names = new(ReferenceEqualityComparer.Instance);

    public JsonAppendContext(bool strictKeys) => StrictKeys = strictKeys;

    /// <summary>Whether an object key that is not a struct field fails the value (inferred schemas) or is skipped (explicit schemas).</summary>
    public bool StrictKeys { get; }

    public byte[] Scratch { get; set; } = new byte[256];

    public byte[][] NamesOf(StructType type)
    {
        if (!_names.TryGetValue(type, out var names))
        {
            names = [.. type.Fields.Select(f => Encoding.UTF8.GetBytes(f.Name))];
            _names.Add(type, names);
        }

        return names;
    }

    /// <summary>The unescaped UTF-8 bytes of the current string token (valid until the next call).</summary>
    public ReadOnlySpan<byte> StringBytes(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            return reader.ValueSpan;
        }

        int max = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        if (Scratch.Length < max)
        {
            Scratch = new byte[Math.Max(max, Scratch.Length * 2)];
        }

        int n = reader.CopyString(Scratch);
        return Scratch.AsSpan(0, n);
    }
}

/// <summary>
/// Appends JSON values to array builders of a given Arrow type (the JSON-lines reader, and nested CSV cells). Stateless;
/// per-call state lives in a <see cref="JsonAppendContext"/>.
/// </summary>
internal static class JsonValueAppender
{
    /// <summary>Whether values of <paramref name="type"/> can be read from JSON.</summary>
    public static bool IsSupported(ArrowType type) => type switch
    {
        IntervalType => false,
        DictionaryType d => d.ValueType.IsString,
        ListType l => IsSupported(l.ValueType),
        FixedSizeListType f => IsSupported(f.ValueType),
        StructType s => s.Fields.All(f => IsSupported(f.Type)),
        MapType m => (m.KeyField.Type.IsString || m.KeyField.Type.IsInteger) && IsSupported(m.ValueField.Type),
        _ => true,
    };

    /// <summary>Parses <paramref name="json"/> as one JSON value into <paramref name="builder"/>; false when it is not valid JSON or does not fit.</summary>
    public static bool TryAppendDocument(ReadOnlySpan<byte> json, IArrayBuilder builder, JsonAppendContext context)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || !TryAppend(ref reader, json, builder, context))
            {
                return false;
            }

            return !reader.Read();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Appends the value whose first token is the reader's current token; on success the reader is on the value's last
    /// token. False when the value does not fit the builder's type (the builder may then hold a partial value).
    /// </summary>
    /// <param name="input">The whole text the reader reads (to copy raw JSON into utf8 columns).</param>
    public static bool TryAppend(ref Utf8JsonReader reader, ReadOnlySpan<byte> input, IArrayBuilder builder, JsonAppendContext context)
    {
        var token = reader.TokenType;
        if (token == JsonTokenType.Null)
        {
            builder.AppendNull();
            return true;
        }

        var type = builder.Type;
        switch (type.Id)
        {
            case ArrowTypeId.String:
            case ArrowTypeId.LargeString:
                var sb = (BinaryArrayBuilder)builder;
                if (token == JsonTokenType.String)
                {
                    sb.Append(context.StringBytes(ref reader));
                }
                else
                {
                    sb.Append(RawValue(ref reader, input));
                }

                return true;
            case ArrowTypeId.Int64:
            case ArrowTypeId.Duration:
                if (token == JsonTokenType.Number && reader.TryGetInt64(out long l))
                {
                    ((PrimitiveArrayBuilder<long>)builder).Append(l);
                    return true;
                }

                return false;
            case ArrowTypeId.Double:
                if (TryGetDouble(ref reader, context, out double d))
                {
                    ((PrimitiveArrayBuilder<double>)builder).Append(d);
                    return true;
                }

                return false;
            case ArrowTypeId.Boolean:
                if (token is JsonTokenType.True or JsonTokenType.False)
                {
                    ((BooleanArrayBuilder)builder).Append(token == JsonTokenType.True);
                    return true;
                }

                return false;
            case ArrowTypeId.Timestamp:
                return AppendTimestamp(ref reader, (PrimitiveArrayBuilder<long>)builder, ((TimestampType)type).Unit, context);
            case ArrowTypeId.Int8:
                return AppendInteger<sbyte>(ref reader, builder);
            case ArrowTypeId.Int16:
                return AppendInteger<short>(ref reader, builder);
            case ArrowTypeId.Int32:
                return AppendInteger<int>(ref reader, builder);
            case ArrowTypeId.UInt8:
                return AppendInteger<byte>(ref reader, builder);
            case ArrowTypeId.UInt16:
                return AppendInteger<ushort>(ref reader, builder);
            case ArrowTypeId.UInt32:
                return AppendInteger<uint>(ref reader, builder);
            case ArrowTypeId.UInt64:
                if (token == JsonTokenType.Number && reader.TryGetUInt64(out ulong u))
                {
                    ((PrimitiveArrayBuilder<ulong>)builder).Append(u);
                    return true;
                }

                return false;
            case ArrowTypeId.Float:
                if (TryGetDouble(ref reader, context, out double f))
                {
                    float single = token == JsonTokenType.Number && reader.TryGetSingle(out float exact) ? exact : (float)f;
                    ((PrimitiveArrayBuilder<float>)builder).Append(single);
                    return true;
                }

                return false;
            case ArrowTypeId.HalfFloat:
                if (token == JsonTokenType.Number && TextParse.TryParseHalf(reader.ValueSpan, out Half h))
                {
                    ((PrimitiveArrayBuilder<Half>)builder).Append(h);
                    return true;
                }

                if (TryGetDouble(ref reader, context, out double hd))
                {
                    ((PrimitiveArrayBuilder<Half>)builder).Append((Half)hd);
                    return true;
                }

                return false;
            case ArrowTypeId.Date32:
                if (token == JsonTokenType.String && TextParse.TryParseDate(context.StringBytes(ref reader), out int days))
                {
                    ((PrimitiveArrayBuilder<int>)builder).Append(days);
                    return true;
                }

                return false;
            case ArrowTypeId.Date64:
                if (token == JsonTokenType.String && TextParse.TryParseDate(context.StringBytes(ref reader), out int days64))
                {
                    ((PrimitiveArrayBuilder<long>)builder).Append(days64 * 86_400_000L);
                    return true;
                }

                return false;
            case ArrowTypeId.Time32:
            case ArrowTypeId.Time64:
                return AppendTime(ref reader, builder, ((TimeType)type).Unit, context);
            case ArrowTypeId.Decimal128:
            case ArrowTypeId.Decimal256:
                return AppendDecimal(ref reader, builder, (DecimalType)type, context);
            case ArrowTypeId.Binary:
            case ArrowTypeId.LargeBinary:
            case ArrowTypeId.FixedSizeBinary:
                return AppendBase64(ref reader, builder, context);
            case ArrowTypeId.Dictionary:
                var dictionary = (DictionaryArrayBuilder)builder;
                try
                {
                    dictionary.AppendValue(token == JsonTokenType.String
                        ? Encoding.UTF8.GetString(context.StringBytes(ref reader))
                        : Encoding.UTF8.GetString(RawValue(ref reader, input)));
                }
                catch (InvalidCastException)
                {
                    // More distinct values than the index type can number.
                    return false;
                }

                return true;
            case ArrowTypeId.List:
            case ArrowTypeId.LargeList:
                return AppendList(ref reader, input, (ListArrayBuilder)builder, context);
            case ArrowTypeId.FixedSizeList:
                return AppendFixedSizeList(ref reader, input, (FixedSizeListArrayBuilder)builder, context);
            case ArrowTypeId.Struct:
                return AppendStruct(ref reader, input, (StructArrayBuilder)builder, context);
            case ArrowTypeId.Map:
                return AppendMap(ref reader, input, (ListArrayBuilder)builder, context);
            default:
                return false;
        }
    }

    /// <summary>The raw JSON text of the current value (the whole object or array when on its start).</summary>
    public static ReadOnlySpan<byte> RawValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> input)
    {
        int start = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }

        return input[start..(int)reader.BytesConsumed];
    }

    /// <summary>A float from a number or one of the strings NaN, Infinity, -Infinity (also nan, inf, -inf in any case).</summary>
    public static bool TryGetDouble(ref Utf8JsonReader reader, JsonAppendContext context, out double value)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetDouble(out value);
        }

        value = 0;
        return reader.TokenType == JsonTokenType.String && TextParse.TryParseFloatSpecial(context.StringBytes(ref reader), out value);
    }

    private static bool AppendInteger<T>(ref Utf8JsonReader reader, IArrayBuilder builder)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long v)
            && v >= long.CreateTruncating(T.MinValue) && v <= long.CreateTruncating(T.MaxValue))
        {
            ((PrimitiveArrayBuilder<T>)builder).Append(T.CreateTruncating(v));
            return true;
        }

        return false;
    }

    private static bool TryAppendInteger(IArrayBuilder builder, long value)
    {
        try
        {
            builder.AppendValue(value);
            return true;
        }
        catch (InvalidCastException)
        {
            return false;
        }
    }

    private static bool AppendTimestamp(ref Utf8JsonReader reader, PrimitiveArrayBuilder<long> builder, TimeUnit unit, JsonAppendContext context)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (TextParse.TryParseTimestamp(context.StringBytes(ref reader), out var ts) && ts.TryToUnit(unit, out long v))
            {
                builder.Append(v);
                return true;
            }

            return false;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long raw))
        {
            builder.Append(raw);
            return true;
        }

        return false;
    }

    private static bool AppendTime(ref Utf8JsonReader reader, IArrayBuilder builder, TimeUnit unit, JsonAppendContext context)
    {
        long value;
        if (reader.TokenType == JsonTokenType.String)
        {
            long divisor = 1_000_000_000 / Temporal.PerSecond(unit);
            if (!TextParse.TryParseTimeOfDay(context.StringBytes(ref reader), out long nanos) || nanos % divisor != 0)
            {
                return false;
            }

            value = nanos / divisor;
        }
        else if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out value))
        {
            return false;
        }

        if (builder is PrimitiveArrayBuilder<int> b32)
        {
            if (value is < int.MinValue or > int.MaxValue)
            {
                return false;
            }

            b32.Append((int)value);
        }
        else
        {
            ((PrimitiveArrayBuilder<long>)builder).Append(value);
        }

        return true;
    }

    private static bool AppendDecimal(ref Utf8JsonReader reader, IArrayBuilder builder, DecimalType type, JsonAppendContext context)
    {
        ReadOnlySpan<byte> text = reader.TokenType switch
        {
            JsonTokenType.Number => reader.HasValueSequence ? context.StringBytes(ref reader) : reader.ValueSpan,
            JsonTokenType.String => context.StringBytes(ref reader),
            _ => default,
        };
        if (text.IsEmpty || !DecimalText.TryParse(text, type, out var unscaled))
        {
            return false;
        }

        if (builder is PrimitiveArrayBuilder<Int128> b128)
        {
            b128.Append((Int128)unscaled);
        }
        else
        {
            builder.AppendValue(unscaled);
        }

        return true;
    }

    private static bool AppendBase64(ref Utf8JsonReader reader, IArrayBuilder builder, JsonAppendContext context)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        var text = context.StringBytes(ref reader).ToArray();
        byte[] scratch = context.Scratch;
        if (!TextParse.TryDecodeBase64(text, ref scratch, out int length))
        {
            return false;
        }

        context.Scratch = scratch;
        var bytes = scratch.AsSpan(0, length);
        if (builder is BinaryArrayBuilder b)
        {
            b.Append(bytes);
            return true;
        }

        var fixedBuilder = (FixedSizeBinaryArrayBuilder)builder;
        if (length != builder.Type.BitWidth / 8)
        {
            return false;
        }

        fixedBuilder.Append(bytes);
        return true;
    }

    private static bool AppendList(ref Utf8JsonReader reader, ReadOnlySpan<byte> input, ListArrayBuilder builder, JsonAppendContext context)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        builder.Append();
        var child = builder.ValueBuilder;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!TryAppend(ref reader, input, child, context))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AppendFixedSizeList(ref Utf8JsonReader reader, ReadOnlySpan<byte> input, FixedSizeListArrayBuilder builder, JsonAppendContext context)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        int size = ((FixedSizeListType)builder.Type).ListSize;
        int count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (++count > size || !TryAppend(ref reader, input, builder.ValueBuilder, context))
            {
                return false;
            }
        }

        if (count != size)
        {
            return false;
        }

        builder.Append();
        return true;
    }

    private static bool AppendStruct(ref Utf8JsonReader reader, ReadOnlySpan<byte> input, StructArrayBuilder builder, JsonAppendContext context)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var type = (StructType)builder.Type;
        var names = context.NamesOf(type);
        var children = builder.FieldBuilders;
        Span<bool> seen = names.Length <= 256 ? stackalloc bool[names.Length] : new bool[names.Length];
        int next = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int index = FindName(ref reader, names, next);
            reader.Read();
            if (index < 0)
            {
                if (context.StrictKeys)
                {
                    return false;
                }

                reader.Skip();
                continue;
            }

            if (seen[index] || !TryAppend(ref reader, input, children[index], context))
            {
                return false;
            }

            seen[index] = true;
            next = index + 1;
        }

        for (int i = 0; i < seen.Length; i++)
        {
            if (!seen[i])
            {
                children[i].AppendNull();
            }
        }

        builder.Append();
        return true;
    }

    /// <summary>Index of the current property name among <paramref name="names"/>, trying <paramref name="expected"/> first; -1 when absent.</summary>
    public static int FindName(ref Utf8JsonReader reader, byte[][] names, int expected)
    {
        if (expected < names.Length && reader.ValueTextEquals(names[expected]))
        {
            return expected;
        }

        for (int i = 0; i < names.Length; i++)
        {
            if (i != expected && reader.ValueTextEquals(names[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool AppendMap(ref Utf8JsonReader reader, ReadOnlySpan<byte> input, ListArrayBuilder builder, JsonAppendContext context)
    {
        var entries = (StructArrayBuilder)builder.ValueBuilder;
        var keys = entries.FieldBuilders[0];
        var values = entries.FieldBuilders[1];
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            builder.Append();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = context.StringBytes(ref reader);
                if (keys is BinaryArrayBuilder kb)
                {
                    kb.Append(key);
                }
                else if (!TextParse.TryParseInt64(key, out long k) || !TryAppendInteger(keys, k))
                {
                    return false;
                }

                reader.Read();
                if (!TryAppend(ref reader, input, values, context))
                {
                    return false;
                }

                entries.Append();
            }

            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        builder.Append();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray || !reader.Read() || reader.TokenType == JsonTokenType.Null
                || !TryAppend(ref reader, input, keys, context) || !reader.Read() || !TryAppend(ref reader, input, values, context)
                || !reader.Read() || reader.TokenType != JsonTokenType.EndArray)
            {
                return false;
            }

            entries.Append();
        }

        return true;
    }
}

/// <summary>
/// Writes the values of one array as JSON (the JSON-lines writer, and nested CSV cells): timestamps as ISO-8601 strings
/// (<c>Z</c> suffix when the type has a time zone), dates as <c>YYYY-MM-DD</c>, times as <c>hh:mm:ss[.f…]</c>, integers and
/// durations as numbers, decimals as numbers with their exact digits, floats as the shortest round-trip number (with
/// <c>.0</c> on whole numbers) and NaN/±∞ as the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>, binary as
/// base64 strings, lists as arrays, structs as objects, maps with string keys as objects and other maps as arrays of
/// <c>[key, value]</c>, intervals as objects, dictionary arrays as their values. Created per array; not thread safe.
/// </summary>
internal abstract class JsonColumnWriter
{
    private readonly ArrayData _data;
    private readonly bool _mayHaveNulls;

    private protected JsonColumnWriter(IArrowArray array)
    {
        _data = array.Data;
        _mayHaveNulls = array.Type.Id == ArrowTypeId.Null || array.NullCount > 0;
    }

    /// <summary>The encoder the writers use: keeps non-ASCII text as is (diffable output), escapes what JSON requires.</summary>
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public void Write(Utf8JsonWriter writer, int index)
    {
        if (_mayHaveNulls && _data.IsNull(index))
        {
            writer.WriteNullValue();
        }
        else
        {
            WriteValue(writer, index);
        }
    }

    public bool IsNull(int index) => _mayHaveNulls && _data.IsNull(index);

    private protected abstract void WriteValue(Utf8JsonWriter writer, int index);

    /// <summary>A writer for <paramref name="array"/>'s type.</summary>
    public static JsonColumnWriter Create(IArrowArray array) => array.Type.Id switch
    {
        ArrowTypeId.Null => new NullWriter(array),
        ArrowTypeId.Boolean => new BoolWriter((BooleanArray)array),
        ArrowTypeId.Int8 => new IntegerWriter<sbyte>(array),
        ArrowTypeId.Int16 => new IntegerWriter<short>(array),
        ArrowTypeId.Int32 => new IntegerWriter<int>(array),
        ArrowTypeId.Int64 or ArrowTypeId.Duration => new IntegerWriter<long>(array),
        ArrowTypeId.UInt8 => new IntegerWriter<byte>(array),
        ArrowTypeId.UInt16 => new IntegerWriter<ushort>(array),
        ArrowTypeId.UInt32 => new IntegerWriter<uint>(array),
        ArrowTypeId.UInt64 => new IntegerWriter<ulong>(array),
        ArrowTypeId.HalfFloat or ArrowTypeId.Float or ArrowTypeId.Double => new FloatWriter(array),
        ArrowTypeId.String or ArrowTypeId.LargeString => new StringWriter((BinaryArray)array),
        ArrowTypeId.Binary or ArrowTypeId.LargeBinary => new BinaryWriter((BinaryArray)array),
        ArrowTypeId.FixedSizeBinary => new FixedBinaryWriter((FixedSizeBinaryArray)array),
        ArrowTypeId.Decimal128 or ArrowTypeId.Decimal256 => new DecimalWriter(array),
        ArrowTypeId.Date32 or ArrowTypeId.Date64 or ArrowTypeId.Time32 or ArrowTypeId.Time64 or ArrowTypeId.Timestamp => new TemporalWriter(array),
        ArrowTypeId.Interval => new IntervalWriter(array),
        ArrowTypeId.List or ArrowTypeId.LargeList => new ListWriter((ListArray)array),
        ArrowTypeId.FixedSizeList => new FixedListWriter((FixedSizeListArray)array),
        ArrowTypeId.Struct => new StructWriter((StructArray)array),
        ArrowTypeId.Map => new MapWriter((MapArray)array),
        ArrowTypeId.Dictionary => new DictionaryWriter((DictionaryArray)array),
        _ => throw LarderErrors.TextTypeNotSupported("(column)", array.Type, "JSON"),
    };

    private sealed class NullWriter(IArrowArray array) : JsonColumnWriter(array)
    {
        private protected override void WriteValue(Utf8JsonWriter writer, int index) => writer.WriteNullValue();
    }

    private sealed class BoolWriter(BooleanArray array) : JsonColumnWriter(array)
    {
        private protected override void WriteValue(Utf8JsonWriter writer, int index) => writer.WriteBooleanValue(array.GetBit(index));
    }

    private sealed class IntegerWriter<T>(IArrowArray array) : JsonColumnWriter(array)
        where T : unmanaged, IBinaryInteger<T>
    {
        private readonly ReadOnlyMemory<byte> _values = array.Data.Buffers[1].Memory;
        private readonly int _offset = array.Data.Offset;

        private protected override void WriteValue(Utf8JsonWriter writer, int index)
        {
            T v = MemoryMarshal.Cast<byte, T>(_values.Span)[_offset + index];
            if (typeof(T) == typeof(ulong))
            {
                writer.WriteNumberValue(ulong.CreateTruncating(v));
            }
            else
            {
                writer.WriteNumberValue(long.CreateTruncating(v));
            }
        }
    }

    private sealed class FloatWriter(IArrowArray array) : JsonColumnWriter(array)
    {
        private readonly IArrowArray _array = array;

        private protected override void WriteValue(Utf8JsonWriter writer, int index)
        {
            Span<byte> buffer = stackalloc byte[TextFormat.MaxFloatLength];
            int n = _array switch
            {
                PrimitiveArray<double> d => TextFormat.FormatDouble(d.Values[index], buffer, "NaN"u8, "Infinity"u8, "-Infinity"u8),
                PrimitiveArray<float> f => TextFormat.FormatSingle(f.Values[index], buffer, "NaN"u8, "Infinity"u8, "-Infinity"u8),
                _ => TextFormat.FormatHalf(((PrimitiveArray<Half>)_array).Values[index], buffer, "NaN"u8, "Infinity"u8, "-Infinity"u8),
            };
            var text = buffer[..n];
            if ((uint)(text[^1] - '0') <= 9)
            {
                writer.WriteRawValue(text, skipInputValidation: true);
            }
            else
            {
                writer.WriteStringValue(text);
            }
        }
    }

    private sealed class StringWriter(BinaryArray array) : JsonColumnWriter(array)
    {
        private protected override void WriteValue(Utf8JsonWriter writer, int index) => writer.WriteStringValue(array.GetBytes(index));
    }

    private sealed class BinaryWriter(BinaryArray array) : JsonColumnWriter(array)
    {
        private protected override void WriteValue(Utf8JsonWriter writer, int index) => writer.WriteBase64StringValue(array.GetBytes(index));
    }

    private sealed class FixedBinaryWriter(FixedSizeBinaryArray array) : JsonColumnWriter(array)
    {
        private protected override void WriteValue(Utf8JsonWriter writer, int index) => writer.WriteBase64StringValue(array.GetBytes(index));
    }

    private sealed class DecimalWriter(IArrowArray array) : JsonColumnWriter(array)
    {
        private readonly IArrowArray _array = array;

        private protected override void WriteValue(Utf8JsonWriter writer, int index)
        {
            Span<byte> buffer = stackalloc byte[DecimalFormat.Max128Length];
            if (_array is PrimitiveArray<Int128> d128 && DecimalFormat.Format128(d128.Values[index], ((DecimalType)_array.Type).Scale, buffer, out int n))
            {
                writer.WriteRawValue(buffer[..n], skipInputValidation: true);
            }
            else
            {
                writer.WriteRawValue(DecimalFormat.Text(_array, index), skipInputValidation: true);
            }
        }
    }

    private sealed class TemporalWriter(IArrowArray array) : JsonColumnWriter(array)
    {
        private readonly IArrowArray _array = array;

        private protected override void WriteValue(Utf8JsonWriter writer, int index)
        {
            Span<byte> buffer = stackalloc byte[TextFormat.MaxTemporalLength];
            int n = TemporalFormat.Format(_array, index, (byte)'T', buffer);
            writer.WriteStringValue(buffer[..n]);
        }
    }

    private sealed class IntervalWriter(IArrowArray array) : JsonColumnWriter(array)
    {
        private readonly IArrowArray _array = array;

        private protected override void WriteValue(Utf8JsonWriter writer, int index)
        {
            writer.WriteStartObject();
            switch (_array)
            {
                case PrimitiveArray<int> ym:
                    writer.WriteNumber("months"u8, ym.Values[index]);
                    break;
                case PrimitiveArray<IntervalDayTime> dt:
                    writer.WriteNumber("days"u8, dt.Values[index].Days);
                    writer.WriteNumber("milliseconds"u8, dt.Values[index].Milliseconds);
                    break;
                case PrimitiveArray<IntervalMonthDayNano> mdn:
                    writer.WriteNumber("months"u8, mdn.Values[index].Months);
                    writer.WriteNumber("days"u8, mdn.Values[index].Days);
                    writer.WriteNumber("nanoseconds"u8, mdn.Values[index].Nanoseconds);
                    break;
            }

            writer.WriteEndObject();
        }
    }

    private sealed class ListWriter(ListArray array) : JsonColumnWriter(array)
    {
        private readonly JsonColumnWriter _items = Create(array.Values);

        private protected override void WriteValue(Utf8JsonWriter writer, int index)
        {
            writer.WriteStartArray();
            int end = (int)array.GetValueOffset(index + 1);
            for (int i = (int)array.GetValueOffset(index); i < end; i++)
            {
                _items.Write(writer, i);
            }

            writer.WriteEndArray();
        }
    }

    private sealed class FixedListWriter(FixedSizeListArray array) : JsonColumnWriter(array)
    {
        private readonly JsonColumnWriter _items = Create(array.Values);

        private protected override void WriteValue(Utf8JsonWriter writer, int index)
        {
            writer.WriteStartArray();
            int start = (array.Data.Offset + index) * array.ListSize;
            for (int i = 0; i < array.ListSize; i++)
            {
                _items.Write(writer, start + i);
            }

            writer.WriteEndArray();
        }
    }

    private sealed class StructWriter(StructArray array) : JsonColumnWriter(array)
    {
        private readonly JsonColumnWriter[] _fields = [.. array.Fields.Select(Create)];
        private readonly JsonEncodedText[] _names = [.. ((StructType)array.Type).Fields.Select(f => JsonEncodedText.Encode(f.Name, Encoder))];

        private protected override void WriteValue(Utf8JsonWriter writer, int index)
        {
            writer.WriteStartObject();
            for (int f = 0; f < _fields.Length; f++)
            {
                writer.WritePropertyName(_names[f]);
                _fields[f].Write(writer, index);
            }

            writer.WriteEndObject();
        }
    }

    private sealed class MapWriter(MapArray array) : JsonColumnWriter(array)
    {
        private readonly JsonColumnWriter _keys = Create(array.Keys);
        private readonly JsonColumnWriter _items = Create(array.Items);
        private readonly BinaryArray? _stringKeys = array.Keys.Type.IsString ? (BinaryArray)array.Keys : null;

        private protected override void WriteValue(Utf8JsonWriter writer, int index)
        {
            int start = (int)array.GetValueOffset(index);
            int end = (int)array.GetValueOffset(index + 1);
            if (_stringKeys is not null)
            {
                writer.WriteStartObject();
                for (int i = start; i < end; i++)
                {
                    writer.WritePropertyName(_stringKeys.GetBytes(i));
                    _items.Write(writer, i);
                }

                writer.WriteEndObject();
                return;
            }

            writer.WriteStartArray();
            for (int i = start; i < end; i++)
            {
                writer.WriteStartArray();
                _keys.Write(writer, i);
                _items.Write(writer, i);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }
    }

    private sealed class DictionaryWriter(DictionaryArray array) : JsonColumnWriter(array)
    {
        private readonly JsonColumnWriter _values = Create(array.Dictionary);

        private protected override void WriteValue(Utf8JsonWriter writer, int index) => _values.Write(writer, (int)array.GetIndex(index));
    }
}

/// <summary>Temporal values as ISO-8601 text. Pure functions.</summary>
internal static class TemporalFormat
{
    /// <summary>
    /// Formats the date, time or timestamp at <paramref name="index"/> (not null) into <paramref name="dst"/>
    /// (<see cref="TextFormat.MaxTemporalLength"/> bytes); timestamps with a time zone get a <c>Z</c>.
    /// </summary>
    public static int Format(IArrowArray array, int index, byte separator, Span<byte> dst)
    {
        switch (array.Type)
        {
            case TimestampType ts:
                return TextFormat.FormatTimestamp(((PrimitiveArray<long>)array).Values[index], ts.Unit, separator, ts.TimeZone is not null, dst);
            case TimeType t when t.Id == ArrowTypeId.Time32:
                return TextFormat.FormatTimeOfDay(((PrimitiveArray<int>)array).Values[index], t.Unit, dst);
            case TimeType t:
                return TextFormat.FormatTimeOfDay(((PrimitiveArray<long>)array).Values[index], t.Unit, dst);
            default:
                long days = array.Type.Id == ArrowTypeId.Date32
                    ? ((PrimitiveArray<int>)array).Values[index]
                    : Temporal.FloorDiv(((PrimitiveArray<long>)array).Values[index], 86_400_000);
                return TextFormat.FormatDate(days, dst);
        }
    }
}

/// <summary>Decimal values as exact text.</summary>
internal static class DecimalFormat
{
    /// <summary>Room <see cref="Format128"/> needs at most.</summary>
    public const int Max128Length = 48;

    /// <summary>
    /// Writes the exact text of a decimal128 (<paramref name="unscaled"/> × 10^-<paramref name="scale"/>) as
    /// <see cref="DecimalMath.ToString"/> does, without allocating; false when <paramref name="dst"/> is too small
    /// (a negative scale beyond the buffer).
    /// </summary>
    public static bool Format128(Int128 unscaled, int scale, Span<byte> dst, out int written)
    {
        written = 0;
        bool negative = unscaled < 0;
        UInt128 magnitude = negative ? (UInt128)(~unscaled) + 1 : (UInt128)unscaled;
        Span<byte> digits = stackalloc byte[40];
        magnitude.TryFormat(digits, out int n, default, System.Globalization.CultureInfo.InvariantCulture);
        int pos = 0;
        if (negative)
        {
            dst[pos++] = (byte)'-';
        }

        if (scale <= 0)
        {
            int zeros = magnitude == 0 ? 0 : -scale;
            if (pos + n + zeros > dst.Length)
            {
                return false;
            }

            digits[..n].CopyTo(dst[pos..]);
            pos += n;
            dst.Slice(pos, zeros).Fill((byte)'0');
            written = pos + zeros;
            return true;
        }

        int width = Math.Max(n, scale + 1);
        if (pos + width + 1 > dst.Length)
        {
            return false;
        }

        int pad = width - n;
        Span<byte> padded = stackalloc byte[width];
        padded[..pad].Fill((byte)'0');
        digits[..n].CopyTo(padded[pad..]);
        int intDigits = width - scale;
        padded[..intDigits].CopyTo(dst[pos..]);
        pos += intDigits;
        dst[pos++] = (byte)'.';
        padded[intDigits..].CopyTo(dst[pos..]);
        written = pos + scale;
        return true;
    }

    /// <summary>The exact decimal text of row <paramref name="index"/> (not null) of a decimal128 or decimal256 array.</summary>
    public static string Text(IArrowArray array, int index)
    {
        var type = (DecimalType)array.Type;
        BigInteger unscaled = array is PrimitiveArray<Int128> d128
            ? (BigInteger)d128.Values[index]
            : new BigInteger(((FixedSizeBinaryArray)array).GetBytes(index), isUnsigned: false, isBigEndian: false);
        return DecimalMath.ToString(unscaled, type.Scale);
    }
}
