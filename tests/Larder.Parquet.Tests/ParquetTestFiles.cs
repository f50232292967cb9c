using System.Buffers.Binary;
using Larder.Parquet.Metadata;
using Larder.TestKit;

namespace Larder.Parquet.Tests;

/// <summary>
/// The shared Parquet conformance files (<c>&lt;testdata&gt;/parquet/data</c> and <c>bad_data</c>) and helpers to take
/// them apart: footer location, metadata decoding, schema leaf counting and a page walk.
/// </summary>
public static class ParquetTestFiles
{
    public static string DataDirectory => TestData.Path("parquet", "data");

    /// <summary>Writes <paramref name="batches"/> to a Parquet file at <paramref name="path"/> and finishes it.</summary>
    public static void Write(string path, Larder.Columnar.Schema schema, IEnumerable<Larder.Columnar.RecordBatch> batches, Larder.Parquet.Files.ParquetWriteOptions? options = null)
    {
        using var writer = Larder.Parquet.Files.ParquetFileWriter.Create(path, schema, options);
        foreach (var batch in batches)
        {
            writer.Write(batch);
        }

        writer.Finish();
    }

    public static string BadDataDirectory => TestData.Path("parquet", "bad_data");

    /// <summary>The <c>.parquet</c> files of a folder (other files, e.g. <c>.bin</c>, <c>.md</c>, <c>.csv</c>, skipped), sorted.</summary>
    public static IReadOnlyList<string> ParquetFiles(string directory)
        => Directory.GetFiles(directory, "*.parquet").Order(StringComparer.Ordinal).ToList();

    /// <summary>File names of <paramref name="directory"/>'s Parquet files, as theory data.</summary>
    public static TheoryData<string> Names(string directory)
    {
        var data = new TheoryData<string>();
        foreach (var f in ParquetFiles(directory))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    /// <summary>
    /// Locates the footer metadata: the file starts with <c>PAR1</c> and ends with an int32 metadata length and
    /// <c>PAR1</c>. Throws <see cref="LarderFormatException"/> when the framing is wrong and
    /// <see cref="LarderNotSupportedException"/> for an encrypted footer (<c>PARE</c>).
    /// </summary>
    public static (int Offset, int Length) FindFooter(ReadOnlySpan<byte> file, string name)
    {
        if (file.Length < 12 || !file[..4].SequenceEqual("PAR1"u8))
        {
            throw new LarderFormatException($"{name}: not a Parquet file (no leading PAR1).", name, 0);
        }

        var magic = file[^4..];
        if (magic.SequenceEqual("PARE"u8))
        {
            throw new LarderNotSupportedException($"{name}: encrypted footer.", name, file.Length - 4);
        }

        if (!magic.SequenceEqual("PAR1"u8))
        {
            throw new LarderFormatException($"{name}: no trailing PAR1.", name, file.Length - 4);
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(file[^8..]);
        if (length <= 0 || length > file.Length - 12)
        {
            throw new LarderFormatException($"{name}: footer length {length} does not fit the file.", name, file.Length - 8);
        }

        return (file.Length - 8 - length, length);
    }

    /// <summary>Decodes the footer of a whole file held in memory.</summary>
    public static FileMetaData ReadMetadata(byte[] file, string name)
    {
        var (offset, length) = FindFooter(file, name);
        return ParquetMetadataCodec.ReadFileMetaData(file.AsSpan(offset, length), name, offset);
    }

    /// <summary>Counts the leaves of the depth-first schema list, checking that <c>num_children</c> describe one tree.</summary>
    public static int LeafCount(IReadOnlyList<SchemaElement> schema)
    {
        int index = 0;
        int leaves = 0;
        Visit(schema, ref index, ref leaves, depth: 0);
        Assert.True(index == schema.Count, $"the schema tree covers {index} of {schema.Count} elements");
        return leaves;
    }

    /// <summary>
    /// Walks every column chunk's pages (from <see cref="ColumnMetaData.FirstPageOffset"/>, header after header, skipping
    /// <c>compressed_page_size</c> bytes each) until the data pages hold the chunk's <c>num_values</c>; returns the pages seen.
    /// Asserts that the values add up and that the pages stay within the chunk's compressed size.
    /// </summary>
    public static int WalkPages(byte[] file, FileMetaData metadata, string name)
    {
        int pages = 0;
        foreach (var group in metadata.RowGroups)
        {
            foreach (var chunk in group.Columns)
            {
                var meta = chunk.MetaData;
                long position = meta.FirstPageOffset;
                long end = position + meta.TotalCompressedSize;
                long values = 0;
                while (values < meta.NumValues)
                {
                    Assert.True(position < end && position < file.Length, $"{name}: {string.Join('.', meta.PathInSchema)} runs out of pages at {position} with {values} of {meta.NumValues} values");
                    var span = file.AsSpan((int)position, (int)Math.Min(end, file.Length) - (int)position);
                    var header = ParquetMetadataCodec.ReadPageHeader(span, name, position, out int headerLength);
                    pages++;
                    values += header.Type switch
                    {
                        PageType.DataPage => header.DataPageHeader!.NumValues,
                        PageType.DataPageV2 => header.DataPageHeaderV2!.NumValues,
                        _ => 0,
                    };
                    position += headerLength + (long)header.CompressedPageSize;
                }

                Assert.True(values == meta.NumValues, $"{name}: {string.Join('.', meta.PathInSchema)} pages hold {values} values, the metadata says {meta.NumValues}");
                Assert.True(position <= end, $"{name}: {string.Join('.', meta.PathInSchema)} pages end at {position}, past the chunk end {end}");
            }
        }

        return pages;
    }

    private static void Visit(IReadOnlyList<SchemaElement> schema, ref int index, ref int leaves, int depth)
    {
        Assert.True(index < schema.Count, "the schema's num_children announce more elements than it holds");
        Assert.True(depth < 100, "the schema nests too deeply");
        var element = schema[index++];
        if (element.NumChildren is int children && (children > 0 || element.Type is null))
        {
            for (int i = 0; i < children; i++)
            {
                Visit(schema, ref index, ref leaves, depth + 1);
            }
        }
        else
        {
            leaves++;
        }
    }
}
