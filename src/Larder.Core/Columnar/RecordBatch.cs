namespace Larder.Columnar;

/// <summary>
/// A chunk of a table: equally long columns matching a schema. Immutable and thread safe; the unit in which tables
/// stream through Larder (<c>IAsyncEnumerable&lt;RecordBatch&gt;</c>).
/// </summary>
public sealed class RecordBatch
{
    private readonly IArrowArray[] _columns;

    /// <exception cref="ArgumentException">A column's length or type does not match.</exception>
    public RecordBatch(Schema schema, IEnumerable<IArrowArray> columns, int length)
    {
        Schema = schema ?? throw new ArgumentNullException(nameof(schema));
        _columns = columns?.ToArray() ?? throw new ArgumentNullException(nameof(columns));
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (_columns.Length != schema.Count)
        {
            throw LarderErrors.SchemaMismatch($"{_columns.Length} columns for a schema of {schema.Count} fields");
        }

        for (int i = 0; i < _columns.Length; i++)
        {
            if (_columns[i].Length != length)
            {
                throw LarderErrors.ColumnLengthMismatch(schema[i].Name, _columns[i].Length, length);
            }

            if (!_columns[i].Type.Equals(schema[i].Type))
            {
                throw LarderErrors.ColumnTypeMismatch(schema[i].Name, _columns[i].Type, schema[i].Type);
            }
        }

        Length = length;
    }

    /// <summary>A batch from named columns; fields are nullable when the column has nulls.</summary>
    public static RecordBatch FromColumns(params (string Name, IArrowArray Column)[] columns)
    {
        var schema = new Schema(columns.Select(c => new Field(c.Name, c.Column.Type, nullable: true)));
        return new RecordBatch(schema, columns.Select(c => c.Column), columns.Length == 0 ? 0 : columns[0].Column.Length);
    }

    public Schema Schema { get; }

    public IReadOnlyList<IArrowArray> Columns => _columns;

    /// <summary>Number of rows.</summary>
    public int Length { get; }

    public int ColumnCount => _columns.Length;

    public IArrowArray Column(int index) => _columns[index];

    /// <exception cref="LarderNotFoundException">No column has that name.</exception>
    public IArrowArray Column(string name)
    {
        int i = Schema.GetFieldIndex(name);
        return i >= 0 ? _columns[i] : throw LarderErrors.ColumnNotFound(name, Schema.Fields.Select(f => f.Name));
    }

    /// <summary>A zero-copy view of rows [offset, offset+length).</summary>
    public RecordBatch Slice(int offset, int length)
        => new(Schema, _columns.Select(c => c.Slice(offset, length)), length);

    /// <summary>The same columns under another schema with identical types (e.g. renamed fields, other metadata).</summary>
    public RecordBatch WithSchema(Schema schema) => new(schema, _columns, Length);

    public override string ToString() => $"RecordBatch({Length} rows, {ColumnCount} columns)";
}

/// <summary>A schema and the record batches of a table held in memory. Immutable and thread safe.</summary>
public sealed class Table
{
    public Table(Schema schema, IEnumerable<RecordBatch> batches)
    {
        Schema = schema ?? throw new ArgumentNullException(nameof(schema));
        Batches = batches?.ToArray() ?? throw new ArgumentNullException(nameof(batches));
        foreach (var b in Batches)
        {
            if (b.Schema.Fields.Count != schema.Fields.Count || !b.Schema.Fields.Select(f => f.Type).SequenceEqual(schema.Fields.Select(f => f.Type)))
            {
                throw LarderErrors.SchemaMismatch($"a batch has columns ({string.Join(", ", b.Schema.Fields)}) but the table has ({string.Join(", ", schema.Fields)})");
            }
        }
    }

    public Schema Schema { get; }

    public IReadOnlyList<RecordBatch> Batches { get; }

    public long RowCount => Batches.Sum(b => (long)b.Length);

    /// <summary>Reads a whole stream of batches into memory.</summary>
    public static async Task<Table> FromBatchesAsync(Schema schema, IAsyncEnumerable<RecordBatch> batches, CancellationToken cancellationToken = default)
    {
        var list = new List<RecordBatch>();
        await foreach (var b in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            list.Add(b);
        }

        return new Table(schema, list);
    }

    /// <summary>The batches as an async stream.</summary>
    public async IAsyncEnumerable<RecordBatch> ToAsyncEnumerable([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var b in Batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return b;
            await Task.CompletedTask.ConfigureAwait(false);
        }
    }
}
