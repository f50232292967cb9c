using System.Runtime.CompilerServices;
using Larder.Columnar.RecordMapping;

namespace Larder.Columnar;

/// <summary>
/// Converts between .NET objects ("records") and record batches: each public instance property with a public getter is a
/// column. Stateless apart from a process-wide cache of compiled mappers per type, so it is thread safe; mapping runs
/// through compiled expression trees and typed builders, not per-value reflection.
/// </summary>
/// <remarks>
/// <para><b>Columns.</b> Public readable instance properties (no indexers), base-class properties first, then in declaration
/// order. <see cref="ArrowFieldAttribute"/> renames a column, <see cref="ArrowIgnoreAttribute"/> skips a property,
/// <see cref="ArrowDecimalAttribute"/> sets the decimal precision and scale.</para>
/// <para><b>Type mapping</b> (.NET → Arrow):</para>
/// <list type="table">
/// <item><term>bool</term><description>bool</description></item>
/// <item><term>sbyte, short, int, long</term><description>int8, int16, int32, int64</description></item>
/// <item><term>byte, ushort, uint, ulong</term><description>uint8, uint16, uint32, uint64</description></item>
/// <item><term>Half, float, double</term><description>float16, float32, float64</description></item>
/// <item><term>decimal</term><description>decimal128(38, 10), or [ArrowDecimal(p, s)]. Exact: a value with more fractional
/// digits than the scale, or more integer digits than precision − scale (with the default: |value| ≥ 10^28), throws
/// <see cref="LarderUsageException"/>; nothing is rounded.</description></item>
/// <item><term>string</term><description>utf8</description></item>
/// <item><term>byte[], ReadOnlyMemory&lt;byte&gt;</term><description>binary (read back as a zero-copy view for ReadOnlyMemory)</description></item>
/// <item><term>Guid</term><description>fixed_size_binary(16), RFC 4122 (big-endian) byte order</description></item>
/// <item><term>DateTime</term><description>timestamp[us] without time zone. Kind Local is converted to UTC first; Utc and
/// Unspecified are stored as their wall-clock value. Reads back with Kind Unspecified (Utc from a column with a time zone).
/// Sub-microsecond ticks are truncated.</description></item>
/// <item><term>DateTimeOffset</term><description>timestamp[us, tz=UTC]: the instant; reads back with offset +00:00.</description></item>
/// <item><term>DateOnly</term><description>date32</description></item>
/// <item><term>TimeOnly</term><description>time64[us]</description></item>
/// <item><term>TimeSpan</term><description>duration[us] (sub-microsecond ticks truncated toward zero)</description></item>
/// <item><term>enums</term><description>dictionary&lt;int32, utf8&gt; of the value names (Enum.ToString; read back with Enum.TryParse)</description></item>
/// <item><term>Nullable&lt;T&gt;</term><description>a nullable field of T's type</description></item>
/// <item><term>T[], List&lt;T&gt;, IList&lt;T&gt;, ICollection&lt;T&gt;, IReadOnlyList&lt;T&gt;, IReadOnlyCollection&lt;T&gt;, IEnumerable&lt;T&gt;</term>
/// <description>list&lt;item: T&gt; (read back as T[] for arrays, List&lt;T&gt; otherwise)</description></item>
/// <item><term>Dictionary&lt;K, V&gt;, IDictionary&lt;K, V&gt;, IReadOnlyDictionary&lt;K, V&gt;</term><description>map&lt;K, V&gt; (read back as Dictionary&lt;K, V&gt;)</description></item>
/// <item><term>other classes, records and structs</term><description>struct of their mapped properties (a type that contains
/// itself is rejected)</description></item>
/// </list>
/// <para><b>Nullability.</b> Non-nullable value types give not-null fields; Nullable&lt;T&gt; gives nullable ones. Reference
/// types follow their nullable annotation (read with <see cref="System.Reflection.NullabilityInfoContext"/>): <c>string?</c>
/// is nullable, <c>string</c> in a nullable-enabled context is not null (writing a null there throws
/// <see cref="LarderUsageException"/>), and un-annotated code gives nullable fields. Map keys are never null.</para>
/// <para><b>Reading back</b> matches columns (and struct fields) by name, so column order does not matter and extra columns are
/// ignored. A type is created with its public parameterless constructor (or a struct's default) and its public setters or
/// init accessors, or else with the public constructor whose parameters all match mapped properties by name
/// (case-insensitive) and type, as a positional record's primary constructor does. Get-only properties that no constructor
/// sets are skipped. A null read into a non-nullable value type throws <see cref="LarderUsageException"/>; reference-type
/// properties receive null whatever their annotation. Reading also accepts large_utf8/large_binary/large_list, any timestamp/time/duration unit, any decimal128
/// scale up to 28, and dictionary-encoded columns of any value type.</para>
/// <para>Unsupported property types (char, object, interfaces other than the collections above, other framework types)
/// throw <see cref="LarderUsageException"/> naming the property and type.</para>
/// </remarks>
public static class RecordMapper
{
    /// <summary>The default number of rows per batch for <see cref="ToRecordBatches{T}"/>.</summary>
    public const int DefaultBatchSize = 65536;

    /// <summary>The schema that records of <typeparamref name="T"/> map to.</summary>
    /// <exception cref="LarderUsageException"><typeparamref name="T"/> or one of its properties cannot be mapped.</exception>
    public static Schema InferSchema<T>() => RecordPlanner.GetRootPlan(typeof(T)).Schema;

    /// <summary>All <paramref name="records"/> as one record batch with the schema of <see cref="InferSchema{T}"/> (0 rows when empty).</summary>
    /// <exception cref="LarderUsageException">
    /// The type cannot be mapped, a record is null, or a value does not fit its column (a null in a non-nullable
    /// reference property, a decimal with too many digits).
    /// </exception>
    public static RecordBatch ToRecordBatch<T>(IEnumerable<T> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var plan = RecordPlanner.GetRootPlan(typeof(T));
        int capacity = records.TryGetNonEnumeratedCount(out int count) ? count : 0;
        var writer = new RecordBatchWriter<T>(plan, capacity);
        foreach (var record in records)
        {
            writer.Append(record);
        }

        return writer.Build();
    }

    /// <summary>
    /// <paramref name="records"/> as a lazy sequence of record batches of at most <paramref name="batchSize"/> rows (the last
    /// may be shorter; no batch when there is no record). Records are read as the batches are enumerated.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    /// <exception cref="LarderUsageException">As for <see cref="ToRecordBatch{T}"/>.</exception>
    public static IEnumerable<RecordBatch> ToRecordBatches<T>(IEnumerable<T> records, int batchSize = DefaultBatchSize)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var plan = RecordPlanner.GetRootPlan(typeof(T));
        return Batches(plan, records, batchSize);
    }

    /// <summary>
    /// An asynchronous stream of records as record batches of at most <paramref name="batchSize"/> rows (the last may be
    /// shorter; no batch when there is no record): the form in which tables flow through Larder.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    /// <exception cref="LarderUsageException">As for <see cref="ToRecordBatch{T}"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async IAsyncEnumerable<RecordBatch> ToRecordBatchesAsync<T>(
        IAsyncEnumerable<T> records,
        int batchSize = DefaultBatchSize,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var plan = RecordPlanner.GetRootPlan(typeof(T));
        var writer = new RecordBatchWriter<T>(plan, Math.Min(batchSize, DefaultBatchSize));
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            writer.Append(record);
            if (writer.Count == batchSize)
            {
                yield return writer.Build();
            }
        }

        if (writer.Count > 0)
        {
            yield return writer.Build();
        }
    }

    /// <summary>All <paramref name="records"/> as a table of batches of at most <paramref name="batchSize"/> rows.</summary>
    /// <exception cref="LarderUsageException">As for <see cref="ToRecordBatch{T}"/>.</exception>
    public static Table ToTable<T>(IEnumerable<T> records, int batchSize = DefaultBatchSize)
        => new(InferSchema<T>(), ToRecordBatches(records, batchSize));

    /// <summary>
    /// The rows of <paramref name="batch"/> as new instances of <typeparamref name="T"/>, lazily, in row order. Columns are
    /// matched to properties by name (see <see cref="RecordMapper"/> for how instances are created). The batch's columns
    /// are checked before this returns.
    /// </summary>
    /// <remarks>
    /// <typeparamref name="T"/> needs a public parameterless constructor or a constructor whose parameters match its
    /// properties (positional records); that is checked at run time rather than with a <c>new()</c> constraint so that
    /// positional records can be read.
    /// </remarks>
    /// <exception cref="LarderUsageException">
    /// The type cannot be mapped or created, a property has no column or a column of a type it cannot read; while
    /// enumerating: a null for a non-nullable value-type property, or a value the property's type cannot hold.
    /// </exception>
    public static IEnumerable<T> FromRecordBatch<T>(RecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var plan = RecordPlanner.GetRootPlan(typeof(T));
        var readers = BindReaders(plan, batch);
        return Rows<T>(plan, readers, batch.Length);
    }

    /// <summary>The rows of every batch in order, as <see cref="FromRecordBatch{T}"/> reads them (each batch checked when reached).</summary>
    /// <exception cref="LarderUsageException">As for <see cref="FromRecordBatch{T}"/>.</exception>
    public static IEnumerable<T> FromRecordBatches<T>(IEnumerable<RecordBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var plan = RecordPlanner.GetRootPlan(typeof(T));
        _ = plan.ReadPlan;
        return RowsOfBatches<T>(plan, batches);
    }

    /// <summary>The rows of an asynchronous stream of batches, as <see cref="FromRecordBatch{T}"/> reads them.</summary>
    /// <exception cref="LarderUsageException">As for <see cref="FromRecordBatch{T}"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async IAsyncEnumerable<T> FromRecordBatchesAsync<T>(
        IAsyncEnumerable<RecordBatch> batches,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var plan = RecordPlanner.GetRootPlan(typeof(T));
        var factory = (Func<ColumnReader[], int, T>)plan.ReadPlan.Factory;
        await foreach (var batch in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var readers = BindReaders(plan, batch);
            for (int row = 0; row < batch.Length; row++)
            {
                yield return factory(readers, row);
            }
        }
    }

    private static IEnumerable<RecordBatch> Batches<T>(RecordTypePlan plan, IEnumerable<T> records, int batchSize)
    {
        int capacity = Math.Min(batchSize, records.TryGetNonEnumeratedCount(out int count) ? Math.Max(count, 1) : DefaultBatchSize);
        var writer = new RecordBatchWriter<T>(plan, capacity);
        foreach (var record in records)
        {
            writer.Append(record);
            if (writer.Count == batchSize)
            {
                yield return writer.Build();
            }
        }

        if (writer.Count > 0)
        {
            yield return writer.Build();
        }
    }

    private static ColumnReader[] BindReaders(RecordTypePlan plan, RecordBatch batch)
        => plan.BindReaders(
            name =>
            {
                int i = batch.Schema.GetFieldIndex(name);
                return i < 0 ? null : batch.Column(i).Data;
            },
            () => batch.Schema.Fields.Select(f => f.Name));

    private static IEnumerable<T> Rows<T>(RecordTypePlan plan, ColumnReader[] readers, int length)
    {
        var factory = (Func<ColumnReader[], int, T>)plan.ReadPlan.Factory;
        for (int row = 0; row < length; row++)
        {
            yield return factory(readers, row);
        }
    }

    private static IEnumerable<T> RowsOfBatches<T>(RecordTypePlan plan, IEnumerable<RecordBatch> batches)
    {
        var factory = (Func<ColumnReader[], int, T>)plan.ReadPlan.Factory;
        foreach (var batch in batches)
        {
            var readers = BindReaders(plan, batch);
            for (int row = 0; row < batch.Length; row++)
            {
                yield return factory(readers, row);
            }
        }
    }
}
