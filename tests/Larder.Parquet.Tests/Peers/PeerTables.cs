using Larder.TestKit;
namespace Larder.Parquet.Tests.Peers;

/// <summary>SQL of the tables the peer tests write (DuckDB dialect). Row index <c>i</c> = 0..99.</summary>
public static class PeerTables
{
    /// <summary>The number of rows of <see cref="ManyTypesSql"/>.</summary>
    public const int ManyTypesRows = 100;

    /// <summary>
    /// One column per type the peers must agree on: integers of every width (signed and unsigned), float and double
    /// (with NaN and ±Infinity), decimal(18,3), decimal(38,10) (unscaled values beyond 64 bits), varchar (with non-ASCII
    /// text), blob, bool, date (before 1970 too), time, timestamp, timestamptz, timestamp_ns, timestamp_ms, list&lt;int&gt;
    /// (with null items), struct (with a nested list), map&lt;varchar, bigint&gt; (with null values), an all-null column,
    /// and nulls scattered through most columns.
    /// </summary>
    public const string ManyTypesSql = """
        SELECT i AS id,
          CASE WHEN i % 7 = 3 THEN NULL ELSE (i % 256 - 128)::TINYINT END AS i8,
          (i * 37 - 20000)::SMALLINT AS i16,
          CASE WHEN i % 11 = 5 THEN NULL ELSE (i * 3 - 1000)::INTEGER END AS i32,
          CASE WHEN i = 99 THEN 9223372036854775807 WHEN i = 98 THEN -9223372036854775808 ELSE (i::BIGINT - 50) * 1000000000000000 + i END AS i64,
          (i % 256)::UTINYINT AS u8,
          (i * 65)::USMALLINT AS u16,
          (i::BIGINT * 40000000 + 7)::UINTEGER AS u32,
          (i::UBIGINT * 100000000000000000 + 1) AS u64,
          CASE WHEN i = 1 THEN 'nan'::FLOAT WHEN i = 2 THEN 'inf'::FLOAT WHEN i = 4 THEN NULL ELSE (i * 0.1 - 5)::FLOAT END AS f32,
          CASE WHEN i = 1 THEN 'nan'::DOUBLE WHEN i = 2 THEN '-inf'::DOUBLE WHEN i = 4 THEN NULL ELSE i / 3 END AS f64,
          CASE WHEN i % 13 = 0 THEN NULL ELSE ((i - 50) * 1234.567)::DECIMAL(18,3) END AS dec18,
          CASE WHEN i % 13 = 1 THEN NULL ELSE (((i::HUGEINT - 50) * 1234567890123456789)::VARCHAR || '.' || lpad(((i::BIGINT * 987654321) % 10000000000)::VARCHAR, 10, '0'))::DECIMAL(38,10) END AS dec38,
          CASE WHEN i % 5 = 0 THEN NULL ELSE 'row-' || i || CASE WHEN i % 3 = 0 THEN '-αβ' ELSE '' END END AS s,
          CASE WHEN i % 4 = 0 THEN NULL WHEN i % 4 = 1 THEN ''::BLOB ELSE ('\x00\xFF' || i::VARCHAR)::BLOB END AS b,
          CASE WHEN i % 10 = 9 THEN NULL ELSE i % 3 = 0 END AS flag,
          CASE WHEN i % 17 = 0 THEN NULL ELSE DATE '1970-01-01' + (i * 30 - 1500) END AS d,
          CASE WHEN i % 17 = 1 THEN NULL ELSE TIME '00:00:00' + INTERVAL (i::BIGINT * 1000000007) MICROSECOND END AS t,
          CASE WHEN i % 17 = 2 THEN NULL ELSE TIMESTAMP '1969-12-31 23:00:00' + INTERVAL (i::BIGINT * 3600000001) MICROSECOND END AS ts,
          CASE WHEN i % 17 = 3 THEN NULL ELSE TIMESTAMPTZ '2024-01-01 00:00:00+00' + INTERVAL (i::BIGINT * 86400000003) MICROSECOND END AS tstz,
          CASE WHEN i % 17 = 4 THEN NULL ELSE make_timestamp_ns(1709208000000000000 + (i::BIGINT - 50) * 100000000000007) END AS tsns,
          CASE WHEN i % 17 = 5 THEN NULL ELSE (TIMESTAMP '2001-02-03 04:05:06' + INTERVAL (i::BIGINT * 1001) MILLISECOND)::TIMESTAMP_MS END AS tsms,
          CASE WHEN i % 6 = 0 THEN NULL ELSE list_transform(range(i % 4), x -> CASE WHEN x = 2 THEN NULL ELSE (i + x)::INTEGER END) END AS li,
          CASE WHEN i % 9 = 0 THEN NULL ELSE {'a': i * 2, 'b': 's' || i, 'c': CASE WHEN i % 2 = 0 THEN NULL ELSE [i, i + 1] END} END AS st,
          CASE WHEN i % 8 = 0 THEN NULL ELSE map_from_entries(list_transform(range(i % 3), k -> {'key': 'k' || k, 'value': CASE WHEN k = 1 THEN NULL ELSE i::BIGINT * 10 + k END})) END AS m,
          NULL::INTEGER AS nothing
        FROM (SELECT range::INTEGER AS i FROM range(100))
        ORDER BY i
        """;
}
