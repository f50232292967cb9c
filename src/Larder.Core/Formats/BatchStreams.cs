using System.Runtime.CompilerServices;
using Larder.Columnar;

namespace Larder.Formats;

/// <summary>Transformations of batch streams (projection, row limits) that keep memory bounded. Pure functions.</summary>
public static class BatchStreams
{
    /// <summary>The schema with only <paramref name="columns"/>, in that order.</summary>
    /// <exception cref="LarderNotFoundException">A column does not exist.</exception>
    public static Schema Select(Schema schema, IReadOnlyList<string> columns)
        => new(columns.Select(c => schema.Fields.ElementAtOrDefault(IndexOf(schema, c))!), schema.Metadata);

    /// <summary>Each batch reduced to <paramref name="columns"/> (zero-copy).</summary>
    public static async IAsyncEnumerable<RecordBatch> Select(IAsyncEnumerable<RecordBatch> batches, Schema schema, IReadOnlyList<string> columns, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var indices = columns.Select(c => IndexOf(schema, c)).ToArray();
        var projected = new Schema(indices.Select(i => schema[i]), schema.Metadata);
        await foreach (var b in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return new RecordBatch(projected, indices.Select(b.Column), b.Length);
        }
    }

    /// <summary>At most <paramref name="rows"/> rows; stops pulling from the source once they are reached.</summary>
    public static async IAsyncEnumerable<RecordBatch> Limit(IAsyncEnumerable<RecordBatch> batches, long rows, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (rows <= 0)
        {
            yield break;
        }

        long remaining = rows;
        await foreach (var b in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (b.Length >= remaining)
            {
                yield return b.Length == remaining ? b : b.Slice(0, (int)remaining);
                yield break;
            }

            remaining -= b.Length;
            yield return b;
        }
    }

    private static int IndexOf(Schema schema, string column)
    {
        int i = schema.GetFieldIndex(column);
        return i >= 0 ? i : throw LarderErrors.ColumnNotFound(column, schema.Fields.Select(f => f.Name));
    }
}
