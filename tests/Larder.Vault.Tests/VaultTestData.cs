using System.Text;
using Larder.Columnar;

namespace Larder.Vault.Tests;

/// <summary>A clock that always says the same instant (timestamps of printed lines and log records).</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static readonly DateTimeOffset DataVaultExample = new(2019, 12, 8, 11, 58, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Seeded tables for the vault tests.</summary>
internal static class VaultTestData
{
    /// <summary>2019-12-08 11:58:00 UTC in seconds.</summary>
    private const long Base = 1_575_806_280L;

    /// <summary>data_vault's example, <c>DataFrame([{'a':1,'b':1},{'a':1,'b':2}])</c>: stored as CRC-32 3FDAA797.</summary>
    public static Table SalariesTable()
    {
        var batch = RecordBatch.FromColumns(("a", Int64s(1, 1)), ("b", Int64s(1, 2)));
        return new Table(batch.Schema, [batch]);
    }

    /// <summary>
    /// Ints (one nullable), floats with nulls and ±∞, -0.0, 5e-324, bools, strings with tabs, newlines, quotes and
    /// non-ASCII (and nulls), naive nanosecond timestamps and UTC microsecond timestamps (with nulls); in batches of
    /// <paramref name="batchRows"/>.
    /// </summary>
    public static Table MixedTable(int rows, int seed, int batchRows = 64)
    {
        var random = new Random(seed);
        var i = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        var iNull = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        var f = new PrimitiveArrayBuilder<double>(ArrowType.Double);
        var b = new BooleanArrayBuilder();
        var s = new BinaryArrayBuilder(ArrowType.String);
        var t = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Nanosecond));
        var tUtc = new PrimitiveArrayBuilder<long>(new TimestampType(TimeUnit.Microsecond, "UTC"));
        double[] specials = [double.PositiveInfinity, double.NegativeInfinity, 5e-324, -0.0, 0.1, 1e16, -4.2e200];
        string[] pieces = ["a", "\t", "\"", "\n", "\r\n", ",", "σ", "€", " ", "x", "1", "'"];
        bool Null() => random.NextDouble() < 0.1;
        for (int r = 0; r < rows; r++)
        {
            i.Append(random.NextInt64(long.MinValue, long.MaxValue));
            AppendOrNull(iNull, random.NextInt64(-1000, 1000));
            if (r < specials.Length)
            {
                f.Append(specials[r]);
            }
            else if (Null())
            {
                f.AppendNull();
            }
            else
            {
                f.Append((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 20)));
            }

            b.Append(random.Next(2) == 1);
            if (Null())
            {
                s.AppendNull();
            }
            else
            {
                var text = new StringBuilder("v");
                int n = random.Next(0, 7);
                for (int k = 0; k < n; k++)
                {
                    text.Append(pieces[random.Next(pieces.Length)]);
                }

                s.Append(text.ToString());
            }

            AppendOrNull(t, (Base * 1_000_000_000) + random.NextInt64(-1_000_000_000_000_000, 1_000_000_000_000_000));
            AppendOrNull(tUtc, (Base * 1_000_000) + random.NextInt64(-1_000_000_000_000, 1_000_000_000_000));
        }

        void AppendOrNull(PrimitiveArrayBuilder<long> builder, long value)
        {
            if (Null())
            {
                builder.AppendNull();
            }
            else
            {
                builder.Append(value);
            }
        }

        var whole = RecordBatch.FromColumns(("i", i.Build()), ("i_null", iNull.Build()), ("f", f.Build()), ("b", b.Build()), ("s", s.Build()), ("t", t.Build()), ("t_utc", tUtc.Build()));
        return Batched(whole, batchRows);
    }

    /// <summary>A few-valued string column (dictionary-worthy) and a small integer column (int8-worthy).</summary>
    public static Table CitiesTable(int rows, int seed)
    {
        var random = new Random(seed);
        string[] cities = ["Oslo", "Zürich", "Bergen", "Åre"];
        var city = new BinaryArrayBuilder(ArrowType.String);
        var n = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        for (int r = 0; r < rows; r++)
        {
            city.Append(cities[random.Next(cities.Length)]);
            n.Append(random.Next(0, 100));
        }

        return Batched(RecordBatch.FromColumns(("city", city.Build()), ("n", n.Build())), 256);
    }

    /// <summary>Rows 0..rows-1 with an <c>i</c> column equal to the row number and a text column.</summary>
    public static Table NumberedTable(int rows)
    {
        var i = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        var text = new BinaryArrayBuilder(ArrowType.String);
        for (int r = 0; r < rows; r++)
        {
            i.Append(r);
            text.Append(r % 7 == 0 ? $"seven-{r}" : $"row-{r}");
        }

        return Batched(RecordBatch.FromColumns(("i", i.Build()), ("text", text.Build())), 16);
    }

    public static IArrowArray Int64s(params long[] values)
    {
        var builder = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        builder.AppendRange(values);
        return builder.Build();
    }

    public static Table Batched(RecordBatch whole, int batchRows)
    {
        var batches = new List<RecordBatch>();
        for (int offset = 0; offset < whole.Length; offset += batchRows)
        {
            batches.Add(whole.Slice(offset, Math.Min(batchRows, whole.Length - offset)));
        }

        return new Table(whole.Schema, batches);
    }
}
