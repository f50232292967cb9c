using Larder.Parquet.Files;
using Larder.Parquet.Metadata;

namespace Larder.Parquet.Tests.Peers;

/// <summary>One page of a column chunk: its type and the encoding of its values.</summary>
public sealed record ParquetPage(int RowGroup, string Column, PageType Type, Encoding Encoding);

/// <summary>
/// How a Parquet file is laid out, as Larder's own footer and page header decoders see it: row groups, the codec of
/// every column chunk, and every page (walked header by header through each chunk).
/// </summary>
public sealed class ParquetLayout
{
    private ParquetLayout(FileMetaData metadata, IReadOnlyList<ParquetPage> pages)
    {
        Metadata = metadata;
        Pages = pages;
    }

    /// <summary>The decoded footer.</summary>
    public FileMetaData Metadata { get; }

    /// <summary>Every page of every column chunk, in file order.</summary>
    public IReadOnlyList<ParquetPage> Pages { get; }

    /// <summary>The number of row groups.</summary>
    public int RowGroups => Metadata.RowGroups.Count;

    /// <summary>The distinct codecs of all column chunks.</summary>
    public IReadOnlySet<CompressionCodec> Codecs => Metadata.RowGroups.SelectMany(g => g.Columns).Select(c => c.MetaData.Codec).ToHashSet();

    /// <summary>The distinct page types.</summary>
    public IReadOnlySet<PageType> PageTypes => Pages.Select(p => p.Type).ToHashSet();

    /// <summary>The distinct value encodings of the data pages (v1 and v2).</summary>
    public IReadOnlySet<Encoding> DataEncodings => Pages.Where(p => p.Type is PageType.DataPage or PageType.DataPageV2).Select(p => p.Encoding).ToHashSet();

    /// <summary>The most data pages any one column chunk has.</summary>
    public int MostDataPagesInAChunk => Pages.Where(p => p.Type is PageType.DataPage or PageType.DataPageV2).GroupBy(p => (p.RowGroup, p.Column)).Max(g => g.Count());

    /// <summary>Whether some column chunk has both RLE_DICTIONARY and PLAIN data pages (a dictionary that overflowed).</summary>
    public bool HasDictionaryFallback => Pages
        .Where(p => p.Type is PageType.DataPage or PageType.DataPageV2)
        .GroupBy(p => (p.RowGroup, p.Column))
        .Any(g => g.Any(p => p.Encoding == Encoding.RleDictionary) && g.Any(p => p.Encoding == Encoding.Plain));

    /// <summary>Reads the footer and every page header of <paramref name="path"/>.</summary>
    public static ParquetLayout Read(string path)
    {
        FileMetaData metadata;
        using (var reader = ParquetFileReader.Open(path))
        {
            metadata = reader.Metadata;
        }

        byte[] file = File.ReadAllBytes(path);
        var pages = new List<ParquetPage>();
        for (int g = 0; g < metadata.RowGroups.Count; g++)
        {
            foreach (var chunk in metadata.RowGroups[g].Columns)
            {
                var meta = chunk.MetaData;
                string column = string.Join('.', meta.PathInSchema);
                long position = meta.FirstPageOffset;
                long end = position + meta.TotalCompressedSize;
                while (position < end)
                {
                    var header = ParquetMetadataCodec.ReadPageHeader(file.AsSpan(checked((int)position), checked((int)(end - position))), path, position, out int headerLength);
                    var encoding = header.Type switch
                    {
                        PageType.DataPage => header.DataPageHeader!.Encoding,
                        PageType.DataPageV2 => header.DataPageHeaderV2!.Encoding,
                        PageType.DictionaryPage => header.DictionaryPageHeader!.Encoding,
                        _ => Encoding.Plain,
                    };
                    pages.Add(new ParquetPage(g, column, header.Type, encoding));
                    position += headerLength + header.CompressedPageSize;
                }

                if (position != end)
                {
                    throw new InvalidDataException($"{path}: the pages of chunk {column} in row group {g} end at {position}, not at {end}");
                }
            }
        }

        return new ParquetLayout(metadata, pages);
    }
}
