using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;
using Larder.Columnar;
using Larder.Text;

namespace Larder.Vault.Tables;

/// <summary>
/// Reads a table stored the data_vault way (pandas <c>to_csv(sep='\t')</c> text, as <see cref="VaultTsvWriter"/> writes
/// it) as record batches, dropping the leading index column as pandas <c>read_csv(sep='\t', index_col=0)</c> does.
/// </summary>
/// <remarks>
/// <para>A thin layer over <see cref="CsvReader"/> (tab separated, header, RFC 4180 quoting, streaming) with pandas'
/// default null tokens (<see cref="PandasNullValues"/>): an empty field is null. Column types are inferred from the
/// first <see cref="CsvReadOptions.InferenceRows"/> rows as <see cref="CsvReadOptions"/> describes: bool
/// (<c>True</c>/<c>False</c>), int64, float64 (incl. <c>inf</c>/<c>-inf</c>), timestamp (the layouts pandas writes,
/// unit <c>us</c> or <c>ns</c> as needed; zoned values become UTC instants), otherwise utf8. Unlike pandas, an integer
/// column with nulls stays int64 (nullable) rather than becoming float64, but pandas writes such columns as floats
/// (<c>1.0</c>), so they read back as float64 anyway. The first column is always taken for the index and dropped,
/// whatever its name.</para>
/// <para><b>Use:</b> read once; <see cref="ReadBatchesAsync"/> or <see cref="ReadBatches"/> may be enumerated once.
/// Malformed text fails with <see cref="LarderFormatException"/>. Owns the stream unless <c>leaveOpen</c>; not thread safe.</para>
/// </remarks>
public sealed class VaultTsvReader : IAsyncDisposable, IDisposable
{
    private readonly CsvReader _csv;
    private Schema? _schema;

    /// <summary>Creates a reader over <paramref name="stream"/>; nothing is read until the schema or batches are asked for.</summary>
    /// <param name="stream">UTF-8 text, read forward only.</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open when the reader is disposed.</param>
    /// <param name="source">Name of the input in error messages (an archive entry name); null for none.</param>
    /// <param name="batchSize">Rows per batch; default 65,536.</param>
    public VaultTsvReader(Stream stream, bool leaveOpen = false, string? source = null, int batchSize = 65_536)
    {
        _csv = new CsvReader(stream, CsvReadOptions.Tsv with { NullValues = PandasNullValues, BatchSize = batchSize }, leaveOpen, source);
    }

    /// <summary>pandas' default <c>na_values</c>: the unquoted field texts read as null.</summary>
    public static IReadOnlyList<string> PandasNullValues { get; } = new ReadOnlyCollection<string>(
        ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"]);

    /// <summary>The schema of the batches (the columns after the index column); reads the header and inference rows on the first call.</summary>
    /// <exception cref="LarderFormatException">The header or the inference rows are malformed.</exception>
    public async ValueTask<Schema> GetSchemaAsync(CancellationToken cancellationToken = default)
        => _schema ??= DropIndex(await _csv.GetSchemaAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>The synchronous twin of <see cref="GetSchemaAsync"/>.</summary>
    public Schema GetSchema() => _schema ??= DropIndex(_csv.GetSchema());

    /// <summary>The rows as record batches without the index column, in input order.</summary>
    /// <exception cref="LarderFormatException">The input is malformed (raised when the affected batch is due).</exception>
    public async IAsyncEnumerable<RecordBatch> ReadBatchesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var schema = await GetSchemaAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var batch in _csv.ReadBatchesAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return WithoutIndex(schema, batch);
        }
    }

    /// <summary>The synchronous twin of <see cref="ReadBatchesAsync"/>.</summary>
    public IEnumerable<RecordBatch> ReadBatches()
    {
        var schema = GetSchema();
        foreach (var batch in _csv.ReadBatches())
        {
            yield return WithoutIndex(schema, batch);
        }
    }

    /// <summary>Releases buffers and, unless <c>leaveOpen</c>, disposes the stream. Idempotent.</summary>
    public void Dispose() => _csv.Dispose();

    /// <summary>Releases buffers and, unless <c>leaveOpen</c>, disposes the stream asynchronously. Idempotent.</summary>
    public ValueTask DisposeAsync() => _csv.DisposeAsync();

    private static Schema DropIndex(Schema schema) => schema.Count == 0 ? schema : new Schema(schema.Fields.Skip(1), schema.Metadata);

    private static RecordBatch WithoutIndex(Schema schema, RecordBatch batch)
        => batch.ColumnCount == 0 ? batch : new RecordBatch(schema, batch.Columns.Skip(1), batch.Length);
}
