using System.Numerics;
using System.Text;
using Larder.Columnar;
using Larder.Memory;

namespace Larder.TestKit;

/// <summary>
/// Deterministic random data for every type of the columnar model, for round-trip tests (IPC, Parquet, Flight, …).
/// The same schema, row count, seed and null fraction always give the same data. Non-nullable fields (at any depth,
/// e.g. map keys) get no nulls; dictionary values are never null; values stay in ranges every format can carry
/// (dates in years 1–9999, timestamps in 1900–2200, decimals within their precision).
/// </summary>
public static class RandomData
{
    private static readonly string[] Alphabet =
    [
        "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w",
        "x", "y", "z", "A", "Q", "Z", "0", "1", "5", "9", " ", "_", "-", ",", "\"", "é", "ü", "ß", "€", "矢", "😀",
    ];

    /// <summary>A batch of <paramref name="rows"/> random rows for <paramref name="schema"/>.</summary>
    /// <param name="nullFraction">Probability that a row of a nullable field (or nested child) is null; 0 for none.</param>
    public static RecordBatch Batch(Schema schema, int rows, int seed, double nullFraction = 0.1)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (nullFraction is < 0 or > 1 || double.IsNaN(nullFraction))
        {
            throw new ArgumentOutOfRangeException(nameof(nullFraction), nullFraction, "the null fraction must be in [0, 1]");
        }

        var columns = new IArrowArray[schema.Count];
        for (int c = 0; c < columns.Length; c++)
        {
            // Each column has its own stream, so adding a column does not change the others.
            var generator = new Generator(new Random(unchecked((seed * 1_000_003) + c)), nullFraction);
            columns[c] = ArrowArrayFactory.Create(generator.Generate(schema[c].Type, rows, schema[c].Nullable));
        }

        return new RecordBatch(schema, columns, rows);
    }

    /// <summary>A random array of <paramref name="type"/>.</summary>
    public static IArrowArray Array(ArrowType type, int length, int seed, double nullFraction = 0.1, bool nullable = true)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return ArrowArrayFactory.Create(new Generator(new Random(seed), nullFraction).Generate(type, length, nullable));
    }

    /// <summary>
    /// One field of every type of the model (every integer, float and temporal unit, decimal128 and decimal256,
    /// every interval, string and binary in both sizes, fixed-size binary, null), plus nested combinations:
    /// <c>list&lt;struct&lt;…&gt;&gt;</c>, <c>map&lt;utf8, list&lt;int64&gt;&gt;</c>, <c>dictionary&lt;int16, utf8&gt;</c>,
    /// a struct with a dictionary child, <c>fixed_size_list&lt;float64&gt;[3]</c>, <c>large_list&lt;large_utf8&gt;</c>, and a
    /// few non-nullable fields. Field names are unique.
    /// </summary>
    public static Schema AllTypesSchema()
    {
        var fields = new List<Field>
        {
            new("null", ArrowType.Null),
            new("bool", ArrowType.Boolean),
            new("int8", ArrowType.Int8),
            new("int16", ArrowType.Int16),
            new("int32", ArrowType.Int32),
            new("int64", ArrowType.Int64),
            new("uint8", ArrowType.UInt8),
            new("uint16", ArrowType.UInt16),
            new("uint32", ArrowType.UInt32),
            new("uint64", ArrowType.UInt64),
            new("float16", ArrowType.HalfFloat),
            new("float32", ArrowType.Float),
            new("float64", ArrowType.Double),
            new("utf8", ArrowType.String),
            new("large_utf8", ArrowType.LargeString),
            new("binary", ArrowType.Binary),
            new("large_binary", ArrowType.LargeBinary),
            new("fixed_size_binary_5", new FixedSizeBinaryType(5)),
            new("decimal128_10_2", new DecimalType(10, 2)),
            new("decimal128_38_9", new DecimalType(38, 9)),
            new("decimal256_76_20", new DecimalType(76, 20, 256)),
            new("decimal256_40_0", new DecimalType(40, 0, 256)),
            new("date32", ArrowType.Date32),
            new("date64", ArrowType.Date64),
            new("time32_s", new TimeType(TimeUnit.Second)),
            new("time32_ms", new TimeType(TimeUnit.Millisecond)),
            new("time64_us", new TimeType(TimeUnit.Microsecond)),
            new("time64_ns", new TimeType(TimeUnit.Nanosecond)),
            new("timestamp_s", new TimestampType(TimeUnit.Second)),
            new("timestamp_ms", new TimestampType(TimeUnit.Millisecond)),
            new("timestamp_us_utc", new TimestampType(TimeUnit.Microsecond, "UTC")),
            new("timestamp_ns_paris", new TimestampType(TimeUnit.Nanosecond, "Europe/Paris")),
            new("duration_s", new DurationType(TimeUnit.Second)),
            new("duration_ms", new DurationType(TimeUnit.Millisecond)),
            new("duration_us", new DurationType(TimeUnit.Microsecond)),
            new("duration_ns", new DurationType(TimeUnit.Nanosecond)),
            new("interval_year_month", new IntervalType(IntervalUnit.YearMonth)),
            new("interval_day_time", new IntervalType(IntervalUnit.DayTime)),
            new("interval_month_day_nano", new IntervalType(IntervalUnit.MonthDayNano)),
            new("list_int32", new ListType(ArrowType.Int32)),
            new("large_list_large_utf8", new ListType(ArrowType.LargeString, large: true)),
            new("fixed_size_list_float64_3", new FixedSizeListType(ArrowType.Double, 3)),
            new("struct", new StructType([new Field("a", ArrowType.Int32), new Field("b", ArrowType.String), new Field("c", ArrowType.Boolean, nullable: false)])),
            new("list_struct", new ListType(new StructType([new Field("x", ArrowType.Int64), new Field("y", ArrowType.String)]))),
            new("map_utf8_list_int64", new MapType(ArrowType.String, new ListType(ArrowType.Int64))),
            new("map_int32_float64_sorted", new MapType(ArrowType.Int32, ArrowType.Double, valueNullable: true, keysSorted: true)),
            new("dictionary_int16_utf8", new DictionaryType(ArrowType.Int16, ArrowType.String)),
            new("dictionary_uint8_int64_ordered", new DictionaryType(ArrowType.UInt8, ArrowType.Int64, ordered: true)),
            new("dictionary_int32_binary", new DictionaryType(ArrowType.Int32, ArrowType.Binary)),
            new("struct_with_dictionary", new StructType([new Field("code", new DictionaryType(ArrowType.Int8, ArrowType.String)), new Field("value", ArrowType.Double)])),
            new("list_dictionary", new ListType(new DictionaryType(ArrowType.Int32, ArrowType.String))),
            new("list_list_int16", new ListType(new ListType(ArrowType.Int16))),
            new("int64_not_null", ArrowType.Int64, nullable: false),
            new("utf8_not_null", ArrowType.String, nullable: false),
            new("list_not_null", new ListType(new Field("item", ArrowType.Int32, nullable: false)), nullable: false),
        };
        return new Schema(fields);
    }

    private sealed class Generator(Random rng, double nullFraction)
    {
        public ArrayData Generate(ArrowType type, int length, bool nullable)
        {
            if (type.Id == ArrowTypeId.Null)
            {
                return new ArrayData(type, length, length, 0, []);
            }

            var validity = Validity(length, nullable, out int nulls);
            switch (type.Id)
            {
                case ArrowTypeId.Boolean:
                    {
                        var bits = new byte[BitUtil.BytesForBits(length)];
                        rng.NextBytes(bits);
                        return Data(type, length, nulls, validity, ArrowBuffer.CopyOf<byte>(bits));
                    }

                case ArrowTypeId.Int8:
                    return Values<sbyte>(type, length, nulls, validity, _ => (sbyte)rng.Next(sbyte.MinValue, sbyte.MaxValue + 1));
                case ArrowTypeId.Int16:
                    return Values<short>(type, length, nulls, validity, _ => (short)rng.Next(short.MinValue, short.MaxValue + 1));
                case ArrowTypeId.Int32:
                    return Values<int>(type, length, nulls, validity, _ => (int)rng.NextInt64(int.MinValue, int.MaxValue + 1L));
                case ArrowTypeId.Int64:
                    return Values<long>(type, length, nulls, validity, _ => RandomLong());
                case ArrowTypeId.UInt8:
                    return Values<byte>(type, length, nulls, validity, _ => (byte)rng.Next(0, 256));
                case ArrowTypeId.UInt16:
                    return Values<ushort>(type, length, nulls, validity, _ => (ushort)rng.Next(0, 65536));
                case ArrowTypeId.UInt32:
                    return Values<uint>(type, length, nulls, validity, _ => (uint)rng.NextInt64(0, uint.MaxValue + 1L));
                case ArrowTypeId.UInt64:
                    return Values<ulong>(type, length, nulls, validity, _ => unchecked((ulong)RandomLong()));
                case ArrowTypeId.HalfFloat:
                    return Values<Half>(type, length, nulls, validity, _ => (Half)Math.Round((rng.NextDouble() * 200) - 100, 2));
                case ArrowTypeId.Float:
                    return Values<float>(type, length, nulls, validity, _ => (float)Math.Round(((rng.NextDouble() * 2) - 1) * 1e4, 3));
                case ArrowTypeId.Double:
                    return Values<double>(type, length, nulls, validity, _ => rng.Next(50) == 0 ? rng.NextDouble() * 1e300 : Math.Round(((rng.NextDouble() * 2) - 1) * 1e6, 6));
                case ArrowTypeId.Date32:
                    return Values<int>(type, length, nulls, validity, _ => rng.Next(-719162, 2932897));
                case ArrowTypeId.Date64:
                    return Values<long>(type, length, nulls, validity, _ => rng.Next(-719162, 2932897) * 86_400_000L);
                case ArrowTypeId.Time32:
                    {
                        int max = ((TimeType)type).Unit == TimeUnit.Second ? 86_400 : 86_400_000;
                        return Values<int>(type, length, nulls, validity, _ => rng.Next(0, max));
                    }

                case ArrowTypeId.Time64:
                    {
                        long max = ((TimeType)type).Unit == TimeUnit.Microsecond ? 86_400_000_000L : 86_400_000_000_000L;
                        return Values<long>(type, length, nulls, validity, _ => rng.NextInt64(0, max));
                    }

                case ArrowTypeId.Timestamp:
                    {
                        long perSecond = Temporal.PerSecond(((TimestampType)type).Unit);

                        // 1900-01-01 .. 2200-01-01: inside the int64 nanosecond range and every format's calendar.
                        return Values<long>(type, length, nulls, validity, _ => (rng.NextInt64(-2_208_988_800L, 7_258_118_400L) * perSecond) + rng.NextInt64(0, perSecond));
                    }

                case ArrowTypeId.Duration:
                    return Values<long>(type, length, nulls, validity, _ => rng.NextInt64(-1_000_000_000_000_000L, 1_000_000_000_000_000L));
                case ArrowTypeId.Interval:
                    return ((IntervalType)type).Unit switch
                    {
                        // Non-negative: every format these batches go to must hold them, and Parquet INTERVAL counts
                        // months, days and milliseconds unsigned (its writer refuses negative parts).
                        IntervalUnit.YearMonth => Values<int>(type, length, nulls, validity, _ => rng.Next(0, 120_001)),
                        IntervalUnit.DayTime => Values<IntervalDayTime>(type, length, nulls, validity, _ => new IntervalDayTime(rng.Next(0, 3_660_001), rng.Next(0, 86_400_001))),
                        _ => Values<IntervalMonthDayNano>(type, length, nulls, validity, _ => new IntervalMonthDayNano(rng.Next(-120_000, 120_001), rng.Next(-3_660_000, 3_660_001), RandomLong())),
                    };
                case ArrowTypeId.Decimal128:
                    return Values<Int128>(type, length, nulls, validity, _ => (Int128)RandomUnscaled(((DecimalType)type).Precision));
                case ArrowTypeId.Decimal256:
                    {
                        var bytes = new byte[checked(length * 32)];
                        for (int i = 0; i < length; i++)
                        {
                            var v = RandomUnscaled(((DecimalType)type).Precision);
                            var slot = bytes.AsSpan(i * 32, 32);
                            slot.Fill(v.Sign < 0 ? (byte)0xFF : (byte)0);
                            v.TryWriteBytes(slot, out _, isUnsigned: false, isBigEndian: false);
                        }

                        return Data(type, length, nulls, validity, ArrowBuffer.CopyOf<byte>(bytes));
                    }

                case ArrowTypeId.FixedSizeBinary:
                    {
                        var bytes = new byte[checked(length * ((FixedSizeBinaryType)type).ByteWidth)];
                        rng.NextBytes(bytes);
                        return Data(type, length, nulls, validity, ArrowBuffer.CopyOf<byte>(bytes));
                    }

                case ArrowTypeId.String or ArrowTypeId.LargeString or ArrowTypeId.Binary or ArrowTypeId.LargeBinary:
                    return VariableBinary(type, length, nulls, validity);
                case ArrowTypeId.List or ArrowTypeId.LargeList or ArrowTypeId.Map:
                    {
                        var itemField = type switch
                        {
                            ListType l => l.ValueField,
                            MapType m => m.EntriesField,
                            _ => throw new ArgumentException($"unexpected type {type}", nameof(type)),
                        };
                        bool large = type.Id == ArrowTypeId.LargeList;
                        var offsets = new long[length + 1];
                        for (int i = 0; i < length; i++)
                        {
                            offsets[i + 1] = offsets[i] + (IsValid(validity, i) ? rng.Next(0, 5) : 0);
                        }

                        var child = Generate(itemField.Type, checked((int)offsets[length]), itemField.Nullable);
                        var offsetBuffer = large ? ArrowBuffer.CopyOf<long>(offsets) : ArrowBuffer.CopyOf<int>(offsets.Select(o => (int)o).ToArray());
                        return new ArrayData(type, length, nulls, 0, [validity, offsetBuffer], [child]);
                    }

                case ArrowTypeId.FixedSizeList:
                    {
                        var t = (FixedSizeListType)type;
                        var child = Generate(t.ValueType, checked(length * t.ListSize), t.ValueField.Nullable);
                        return new ArrayData(type, length, nulls, 0, [validity], [child]);
                    }

                case ArrowTypeId.Struct:
                    {
                        var children = ((StructType)type).Fields.Select(f => Generate(f.Type, length, f.Nullable)).ToArray();
                        return new ArrayData(type, length, nulls, 0, [validity], children);
                    }

                case ArrowTypeId.Dictionary:
                    {
                        var t = (DictionaryType)type;
                        long maxIndex = t.IndexType.Id is ArrowTypeId.Int8 ? sbyte.MaxValue : 255;
                        int size = (int)Math.Min(maxIndex + 1, 1 + rng.Next(0, Math.Max(1, Math.Min(length, 40))));
                        var dictionary = Generate(t.ValueType, size, nullable: false);
                        var indexBuffer = IndexBuffer(t.IndexType, length, size);
                        return new ArrayData(type, length, nulls, 0, [validity, indexBuffer], null, dictionary);
                    }

                default:
                    throw new NotSupportedException($"RandomData cannot generate {type}");
            }
        }

        private ArrowBuffer IndexBuffer(ArrowType indexType, int length, int size)
        {
            var values = new long[length];
            for (int i = 0; i < length; i++)
            {
                values[i] = rng.Next(0, size);
            }

            return indexType.Id switch
            {
                ArrowTypeId.Int8 => ArrowBuffer.CopyOf<sbyte>(values.Select(v => (sbyte)v).ToArray()),
                ArrowTypeId.UInt8 => ArrowBuffer.CopyOf<byte>(values.Select(v => (byte)v).ToArray()),
                ArrowTypeId.Int16 => ArrowBuffer.CopyOf<short>(values.Select(v => (short)v).ToArray()),
                ArrowTypeId.UInt16 => ArrowBuffer.CopyOf<ushort>(values.Select(v => (ushort)v).ToArray()),
                ArrowTypeId.Int32 => ArrowBuffer.CopyOf<int>(values.Select(v => (int)v).ToArray()),
                ArrowTypeId.UInt32 => ArrowBuffer.CopyOf<uint>(values.Select(v => (uint)v).ToArray()),
                ArrowTypeId.Int64 => ArrowBuffer.CopyOf<long>(values),
                _ => ArrowBuffer.CopyOf<ulong>(values.Select(v => (ulong)v).ToArray()),
            };
        }

        private ArrayData VariableBinary(ArrowType type, int length, int nulls, ArrowBuffer validity)
        {
            bool large = type.Id is ArrowTypeId.LargeString or ArrowTypeId.LargeBinary;
            var data = new BufferBuilder();
            var offsets = new long[length + 1];
            var text = new StringBuilder();
            for (int i = 0; i < length; i++)
            {
                if (IsValid(validity, i))
                {
                    int n = rng.Next(0, 13);
                    if (type.IsString)
                    {
                        text.Clear();
                        for (int c = 0; c < n; c++)
                        {
                            text.Append(Alphabet[rng.Next(Alphabet.Length)]);
                        }

                        string s = text.ToString();
                        Encoding.UTF8.GetBytes(s, data.Extend(Encoding.UTF8.GetByteCount(s)));
                    }
                    else
                    {
                        rng.NextBytes(data.Extend(n));
                    }
                }

                offsets[i + 1] = data.Length;
            }

            var offsetBuffer = large ? ArrowBuffer.CopyOf<long>(offsets) : ArrowBuffer.CopyOf<int>(offsets.Select(o => (int)o).ToArray());
            return new ArrayData(type, length, nulls, 0, [validity, offsetBuffer, data.Build()]);
        }

        private ArrayData Values<T>(ArrowType type, int length, int nulls, ArrowBuffer validity, Func<int, T> next)
            where T : unmanaged
        {
            var values = new T[length];
            for (int i = 0; i < length; i++)
            {
                // Slots under nulls are zeroed, as builders do.
                var v = next(i);
                values[i] = IsValid(validity, i) ? v : default;
            }

            return Data(type, length, nulls, validity, ArrowBuffer.CopyOf<T>(values));
        }

        private static ArrayData Data(ArrowType type, int length, int nulls, ArrowBuffer validity, ArrowBuffer values)
            => new(type, length, nulls, 0, [validity, values]);

        private static bool IsValid(ArrowBuffer validity, int i) => validity.IsEmpty || BitUtil.GetBit(validity.Span, i);

        private ArrowBuffer Validity(int length, bool nullable, out int nulls)
        {
            nulls = 0;
            if (!nullable || nullFraction <= 0 || length == 0)
            {
                return ArrowBuffer.Empty;
            }

            var bits = new byte[BitUtil.BytesForBits(length)];
            for (int i = 0; i < length; i++)
            {
                if (rng.NextDouble() >= nullFraction)
                {
                    BitUtil.SetBit(bits, i);
                }
                else
                {
                    nulls++;
                }
            }

            return nulls == 0 ? ArrowBuffer.Empty : ArrowBuffer.CopyOf<byte>(bits);
        }

        private long RandomLong()
        {
            // Mostly small-ish values, sometimes the extremes, so that writers' edge cases are exercised.
            return rng.Next(20) switch
            {
                0 => long.MinValue,
                1 => long.MaxValue,
                < 10 => rng.NextInt64(-1_000_000, 1_000_000),
                _ => rng.NextInt64(long.MinValue, long.MaxValue),
            };
        }

        /// <summary>A random unscaled decimal of up to <paramref name="precision"/> digits, sign included.</summary>
        private BigInteger RandomUnscaled(int precision)
        {
            int digits = rng.Next(1, precision + 1);
            var value = BigInteger.Zero;
            for (int d = 0; d < digits; d++)
            {
                value = (value * 10) + rng.Next(0, 10);
            }

            return rng.Next(2) == 0 ? -value : value;
        }
    }
}
