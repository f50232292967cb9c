using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Larder.Columnar;
using Larder.Parquet.Files;
using Larder.Parquet.Metadata;
using Xunit.Abstractions;
using Encoding = Larder.Parquet.Metadata.Encoding;
using TimeUnit = Larder.Parquet.Metadata.TimeUnit;

namespace Larder.Parquet.Tests.Files;

/// <summary>
/// Seeded mutations of valid conformance files (truncations, bit flips, byte overwrites, huge or negative 4-byte and
/// varint fields), aimed at the footer, the page headers or anywhere. Every mutated file must read or fail with
/// <see cref="LarderFormatException"/> (or a subclass): no other exception, no case over the time cap, none allocating
/// more than the allocation cap. Each case is reproducible from (file, seed, case index) with <see cref="Mutate"/>.
/// </summary>
public class ParquetHostileFileTests(ITestOutputHelper output)
{
    private const long AllocationCap = 1L << 30;

    private static readonly TimeSpan TimeCap = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Flat, nested, dictionary, delta, v2 pages, every codec: each file's footer and page headers are mutated in turn.
    /// </summary>
    private static readonly string[] Files =
    [
        "alltypes_plain.parquet",                    // flat, PLAIN_DICTIONARY, INT96
        "alltypes_plain.snappy.parquet",             // snappy
        "alltypes_dictionary.parquet",               // dictionary
        "plain-dict-uncompressed-checksum.parquet",  // PLAIN_DICTIONARY with CRCs
        "rle-dict-snappy-checksum.parquet",          // RLE_DICTIONARY, snappy, CRCs
        "nested_lists.snappy.parquet",               // nested lists
        "nested_maps.snappy.parquet",                // maps
        "nonnullable.impala.parquet",                // deep nesting
        "nullable.impala.parquet",                   // deep nesting with nulls
        "repeated_primitive_no_list.parquet",        // repeated leaves without LIST
        "old_list_structure.parquet",                // legacy two-level lists
        "map_no_value.parquet",                      // key-only maps
        "null_list.parquet",                         // ARROW:schema restore
        "delta_length_byte_array.parquet",           // DELTA_LENGTH_BYTE_ARRAY
        "delta_encoding_required_column.parquet",    // DELTA_BINARY_PACKED + DELTA_BYTE_ARRAY
        "delta_byte_array.parquet",                  // DELTA_BYTE_ARRAY with nulls
        "datapage_v2.snappy.parquet",                // v2 pages
        "page_v2_empty_compressed.parquet",          // v2 page, zstd, empty values
        "concatenated_gzip_members.parquet",         // gzip
        "byte_stream_split.zstd.parquet",            // BYTE_STREAM_SPLIT, zstd
        "lz4_raw_compressed.parquet",                // LZ4_RAW
        "hadoop_lz4_compressed.parquet",             // hadoop LZ4
        "byte_array_decimal.parquet",                // decimals
        "fixed_length_decimal.parquet",              // FIXED_LEN_BYTE_ARRAY decimals
        "int96_from_spark.parquet",                  // INT96 out of the nanosecond range
        "float16_nonzeros_and_nans.parquet",         // float16
    ];

    private enum Region
    {
        Anywhere,
        Footer,
        PageHeaders,

        /// <summary>The stored bytes of a page (levels and values when uncompressed: straight into the decoders).</summary>
        PageBodies,
    }

    private enum Kind
    {
        Truncate,
        BitFlip,
        MultiBitFlip,
        ByteOverwrite,
        Int32Overwrite,
        VarintOverwrite,

        /// <summary>One field of the decoded footer set to a hostile value, the footer re-encoded.</summary>
        FooterField,

        /// <summary>One field of a decoded page header set to a hostile value, re-encoded and spliced in (offsets fixed up).</summary>
        PageHeaderField,
    }

    private static readonly int[] HugeValues =
    [
        int.MaxValue, int.MinValue, -1, -2, 1 << 30, -(1 << 30), 0x7FFFFFF8, 0x10000000, 0x00FFFFFF, 65536, 0,
    ];

    /// <summary>A file this library writes: fixed-size lists (read back through <c>ARROW:schema</c>), structs, maps, gzip, CRCs.</summary>
    private const string LarderWritten = "(larder-written nested, gzip)";

    private static readonly Lazy<Dictionary<string, Target>> Targets = new(
        () => Files.Append(LarderWritten).ToDictionary(n => n, n => n == LarderWritten ? Target.Parse(n, WriteNestedFile()) : Target.Load(n), StringComparer.Ordinal));

    [Fact]
    public void Read_MutatedConformanceFiles_ReadOrFailWithFormatErrorWithinBudgets()
        => Run(seed: 20240917, cases: 2000);

    [Fact]
    [Trait("Category", "Slow")]
    public void Read_ManyMoreMutatedConformanceFiles_ReadOrFailWithFormatErrorWithinBudgets()
        => Run(seed: 917, cases: 100_000);

    [Theory]
    [InlineData("byte_stream_split.zstd.parquet", 0)]
    [InlineData("page_v2_empty_compressed.parquet", 0)]
    [InlineData("alltypes_plain.snappy.parquet", 0)]
    public void Read_CompressedPageClaimingTwoGiB_FailsWithoutAllocatingIt(string name, int page)
    {
        // A header is a few bytes: its uncompressed_page_size must not decide alone what the reader allocates.
        var target = Targets.Value[name];
        var bytes = Splice(target, page, target.Headers[page] with { UncompressedPageSize = 0x7F000000 })!;
        string path = Path.Combine(Path.GetTempPath(), $"larder-hostile-{Guid.NewGuid():N}.parquet");
        try
        {
            File.WriteAllBytes(path, bytes);
            var outcome = RunCase(path, new ParquetReadOptions { VerifyChecksums = false });
            Assert.NotNull(outcome);
            Assert.IsAssignableFrom<LarderFormatException>(outcome.Error);
            Assert.True(outcome.Allocated < 64L << 20, $"{name}: allocated {outcome.Allocated:N0} bytes for a {bytes.Length:N0}-byte file");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_ArrowSchemaClaimsHugeFixedSizeLists_FailsFastWithFormatError()
    {
        // 20,000 null lists written as a list column; the footer's ARROW:schema then says each is a fixed-size list of a
        // million items, which asks the assembler for 2e10 child slots from a few bytes of levels.
        var schema = new Schema([new Field("v", new ListType(ArrowType.Int8))]);
        var builder = ArrayBuilderFactory.Create(schema[0].Type);
        for (int i = 0; i < 20_000; i++)
        {
            builder.AppendValue(null);
        }

        using var stream = new MemoryStream();
        using (var writer = new ParquetFileWriter(stream, schema, new ParquetWriteOptions { Compression = "none" }, leaveOpen: true))
        {
            writer.Write(new RecordBatch(schema, [builder.Build()], 20_000));
            writer.Finish();
        }

        var target = Target.Parse("null lists", stream.ToArray());
        var huge = new Schema([new Field("v", new FixedSizeListType(ArrowType.Int8, 1_000_000))]);
        var metadata = target.Metadata with
        {
            KeyValueMetadata = [new KeyValue("ARROW:schema", Convert.ToBase64String(Larder.Ipc.ArrowSchemaSerializer.Serialize(huge)))],
        };
        var footer = new System.Buffers.ArrayBufferWriter<byte>();
        ParquetMetadataCodec.WriteFileMetaData(metadata, footer);
        string path = Path.Combine(Path.GetTempPath(), $"larder-hostile-{Guid.NewGuid():N}.parquet");
        try
        {
            File.WriteAllBytes(path, Assemble(target.Bytes.AsSpan(0, target.FooterStart), footer.WrittenSpan));
            using (var reader = ParquetFileReader.Open(path))
            {
                Assert.Equal(new FixedSizeListType(ArrowType.Int8, 1_000_000), reader.Schema[0].Type);
            }

            var outcome = RunCase(path, ParquetReadOptions.Default);
            Assert.NotNull(outcome);
            var e = Assert.IsAssignableFrom<LarderFormatException>(outcome.Error);
            Assert.Contains("fixed-size lists", e.Message, StringComparison.Ordinal);
            Assert.True(outcome.Allocated < 256L << 20, $"allocated {outcome.Allocated:N0} bytes");
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static TheoryData<string> TargetNames() => [.. Files.Append(LarderWritten)];

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void Read_UnmutatedTarget_ReadsFully(string name)
    {
        // The mutations start from valid files: each must read as it is (the Larder-written one with its fixed-size lists).
        var target = Targets.Value[name];
        string path = Path.Combine(Path.GetTempPath(), $"larder-hostile-{Guid.NewGuid():N}.parquet");
        try
        {
            File.WriteAllBytes(path, target.Bytes);
            ReadEverything(path, ParquetReadOptions.Default);
            using var reader = ParquetFileReader.Open(path);
            if (name == LarderWritten)
            {
                Assert.IsType<FixedSizeListType>(reader.Schema[1].Type);
                Assert.Equal(3, reader.RowGroupCount);
                Assert.Equal(34, reader.ReadRowGroup(0).Column(1).NullCount);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Mutate_SameSeedAndCase_SameBytes()
    {
        var target = Targets.Value["alltypes_plain.parquet"];
        for (int i = 0; i < 50; i++)
        {
            var (a, da) = Mutate(target, 3, i);
            var (b, db) = Mutate(target, 3, i);
            Assert.Equal(da, db);
            Assert.Equal(a, b);
        }
    }

    /// <summary>The mutated bytes of case <paramref name="caseIndex"/> of <paramref name="seed"/> and what was done.</summary>
    private static (byte[] Bytes, string Description) Mutate(Target target, int seed, int caseIndex)
    {
        var random = new Random(unchecked((seed * 1_000_003) + caseIndex));
        var bytes = (byte[])target.Bytes.Clone();
        var region = (Region)random.Next(4);
        var kind = (Kind)random.Next(8);
        if (kind is Kind.FooterField or Kind.PageHeaderField)
        {
            var field = new StringBuilder($"{target.Name} seed {seed} case {caseIndex}: {kind}");
            byte[]? mutated = kind == Kind.FooterField ? MutateFooterField(target, random, field) : MutatePageHeaderField(target, random, field);
            if (mutated is not null)
            {
                return (mutated, field.ToString());
            }

            kind = Kind.BitFlip;
        }

        int Position(int width = 1)
        {
            var (start, end) = region switch
            {
                Region.Footer => (target.FooterStart, bytes.Length),
                Region.PageHeaders when target.PageHeaders.Count > 0 => target.PageHeaders[random.Next(target.PageHeaders.Count)],
                Region.PageBodies when target.PageHeaders.Count > 0 => Body(target, random.Next(target.PageHeaders.Count)),
                _ => (0, bytes.Length),
            };
            start = Math.Min(start, bytes.Length - width);
            end = Math.Max(start + 1, Math.Min(end, bytes.Length - width + 1));
            return random.Next(start, end);
        }

        var what = new StringBuilder($"{target.Name} seed {seed} case {caseIndex}: {kind} in {region}");
        switch (kind)
        {
            case Kind.Truncate:
                {
                    int length = Position();
                    what.Append(CultureInfo.InvariantCulture, $" to {length} of {bytes.Length} bytes");
                    return (bytes[..length], what.ToString());
                }

            case Kind.BitFlip:
            case Kind.MultiBitFlip:
                {
                    int flips = kind == Kind.BitFlip ? 1 : random.Next(2, 17);
                    for (int f = 0; f < flips; f++)
                    {
                        int at = Position();
                        int bit = random.Next(8);
                        bytes[at] ^= (byte)(1 << bit);
                        what.Append(CultureInfo.InvariantCulture, $" {at}.{bit}");
                    }

                    break;
                }

            case Kind.ByteOverwrite:
                {
                    for (int k = random.Next(1, 5); k > 0; k--)
                    {
                        int at = Position();
                        byte value = (byte)random.Next(256);
                        bytes[at] = value;
                        what.Append(CultureInfo.InvariantCulture, $" {at}={value}");
                    }

                    break;
                }

            case Kind.Int32Overwrite:
                {
                    // The footer length is the one fixed-width field of the framing; v1 level runs and PLAIN lengths are others.
                    int at = region == Region.Footer && random.Next(4) == 0 ? bytes.Length - 8 : Position(4);
                    int value = random.Next(3) == 0 ? random.Next(int.MinValue, int.MaxValue) : HugeValues[random.Next(HugeValues.Length)];
                    BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at, 4), value);
                    what.Append(CultureInfo.InvariantCulture, $" {at}={value}");
                    break;
                }

            default:
                {
                    // Thrift compact integers are zigzag varints: replace the bytes at a position with a huge or negative one.
                    long value = random.Next(2) == 0 ? HugeValues[random.Next(HugeValues.Length)] : random.Next(3) switch
                    {
                        0 => long.MaxValue,
                        1 => long.MinValue,
                        _ => (long)random.Next() << random.Next(1, 32),
                    };
                    ulong zigzag = (ulong)((value << 1) ^ (value >> 63));
                    var varint = new List<byte>();
                    do
                    {
                        byte b = (byte)(zigzag & 0x7F);
                        zigzag >>= 7;
                        varint.Add(zigzag != 0 ? (byte)(b | 0x80) : b);
                    }
                    while (zigzag != 0);

                    int at = Position(varint.Count);
                    varint.CopyTo(bytes, at);
                    what.Append(CultureInfo.InvariantCulture, $" {at}=varint({value})");
                    break;
                }
        }

        return (bytes, what.ToString());
    }

    /// <summary>The stored body of page <paramref name="index"/> (at least one byte, so a position exists).</summary>
    private static (int Start, int End) Body(Target target, int index)
    {
        int start = target.PageHeaders[index].End;
        return (start, start + Math.Max(1, target.Headers[index].CompressedPageSize));
    }

    /// <summary>A hostile replacement for an integer field holding <paramref name="current"/>.</summary>
    private static long HostileValue(Random random, long current)
        => random.Next(8) switch
        {
            0 => current + 1,
            1 => current - 1,
            2 => current * 2,
            3 => current / 2,
            4 => -current,
            5 => random.Next(2) == 0 ? long.MaxValue : long.MinValue,
            _ => HugeValues[random.Next(HugeValues.Length)],
        };

    private static int HostileInt(Random random, long current) => unchecked((int)HostileValue(random, current));

    private static IReadOnlyList<T> Replace<T>(IReadOnlyList<T> list, int index, Func<T, T> change)
        => [.. list.Select((x, i) => i == index ? change(x) : x)];

    /// <summary>Sets one footer field to a hostile value; null when the model cannot be encoded that way.</summary>
    private static byte[]? MutateFooterField(Target target, Random random, StringBuilder what)
    {
        var m = target.Metadata;
        FileMetaData mutated;
        int g = random.Next(Math.Max(1, m.RowGroups.Count));
        int c = m.RowGroups.Count == 0 ? 0 : random.Next(Math.Max(1, m.RowGroups[g].Columns.Count));
        int e = random.Next(m.Schema.Count);
        ColumnMetaData? column = m.RowGroups.Count == 0 || m.RowGroups[g].Columns.Count == 0 ? null : m.RowGroups[g].Columns[c].MetaData;
        FileMetaData WithColumn(Func<ColumnMetaData, ColumnMetaData> change)
            => m with { RowGroups = Replace(m.RowGroups, g, rg => rg with { Columns = Replace(rg.Columns, c, cc => cc with { MetaData = change(cc.MetaData) }) }) };
        FileMetaData WithElement(Func<SchemaElement, SchemaElement> change) => m with { Schema = Replace(m.Schema, e, change) };
        int choice = random.Next(17);
        what.Append(CultureInfo.InvariantCulture, $" #{choice} (row group {g}, column {c}, schema element {e})");
        mutated = choice switch
        {
            0 => m with { NumRows = HostileValue(random, m.NumRows) },
            1 when m.RowGroups.Count > 0 => m with { RowGroups = Replace(m.RowGroups, g, rg => rg with { NumRows = HostileValue(random, rg.NumRows) }) },
            2 when column is not null => WithColumn(cm => cm with { NumValues = HostileValue(random, cm.NumValues) }),
            3 when column is not null => WithColumn(cm => cm with { TotalCompressedSize = HostileValue(random, cm.TotalCompressedSize) }),
            4 when column is not null => WithColumn(cm => cm with { TotalUncompressedSize = HostileValue(random, cm.TotalUncompressedSize) }),
            5 when column is not null => WithColumn(cm => cm with { DataPageOffset = HostileValue(random, cm.DataPageOffset) }),
            6 when column is not null => WithColumn(cm => cm with { DictionaryPageOffset = HostileValue(random, cm.DictionaryPageOffset ?? cm.DataPageOffset) }),
            7 when column is not null => WithColumn(cm => cm with { Type = (PhysicalType)random.Next(-1, 9) }),
            8 when column is not null => WithColumn(cm => cm with { Codec = (CompressionCodec)random.Next(-1, 9) }),
            9 => WithElement(se => se with { Type = (PhysicalType)random.Next(-1, 9) }),
            10 => WithElement(se => se with { TypeLength = HostileInt(random, se.TypeLength ?? 4) }),
            11 => WithElement(se => se with { RepetitionType = (FieldRepetitionType)random.Next(-1, 4) }),
            12 => WithElement(se => se with { NumChildren = HostileInt(random, se.NumChildren ?? 0) }),
            13 => WithElement(se => se with { ConvertedType = (ConvertedType)random.Next(-1, 23) }),
            14 => WithElement(se => se with { Scale = HostileInt(random, se.Scale ?? 2), Precision = HostileInt(random, se.Precision ?? 9) }),
            15 => WithElement(se => se with
            {
                LogicalType = random.Next(5) switch
                {
                    0 => LogicalType.Decimal(HostileInt(random, 2), HostileInt(random, 9)),
                    1 => LogicalType.Timestamp(random.Next(2) == 0, (TimeUnit)random.Next(1, 4)),
                    2 => LogicalType.Integer(new[] { 1, 8, 16, 32, 64, 127 }[random.Next(6)], random.Next(2) == 0),
                    3 => new[] { LogicalType.String, LogicalType.List, LogicalType.Map, LogicalType.Date, LogicalType.Uuid, LogicalType.Float16, LogicalType.Null, LogicalType.Json }[random.Next(8)],
                    _ => LogicalType.Time(random.Next(2) == 0, (TimeUnit)random.Next(1, 4)),
                },
            }),
            _ when m.KeyValueMetadata is { Count: > 0 } kv => m with
            {
                KeyValueMetadata = Replace(kv, random.Next(kv.Count), pair => pair with { Value = MutateText(random, pair.Value ?? "") }),
            },
            _ => m with { Version = HostileInt(random, m.Version) },
        };

        var footer = new System.Buffers.ArrayBufferWriter<byte>();
        try
        {
            ParquetMetadataCodec.WriteFileMetaData(mutated, footer);
        }
        catch (LarderUsageException)
        {
            return null;
        }

        return Assemble(target.Bytes.AsSpan(0, target.FooterStart), footer.WrittenSpan);
    }

    /// <summary>Flips, drops or replaces a few characters (of base64 <c>ARROW:schema</c> or other metadata text).</summary>
    private static string MutateText(Random random, string text)
    {
        var chars = new StringBuilder(text);
        for (int k = random.Next(1, 4); k > 0 && chars.Length > 0; k--)
        {
            int at = random.Next(chars.Length);
            switch (random.Next(3))
            {
                case 0:
                    chars.Remove(at, 1);
                    break;
                case 1:
                    chars[at] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="[random.Next(65)];
                    break;
                default:
                    chars.Length = at;
                    break;
            }
        }

        return chars.ToString();
    }

    /// <summary>Sets one field of a page header to a hostile value and splices it in, shifting the footer's offsets.</summary>
    private static byte[]? MutatePageHeaderField(Target target, Random random, StringBuilder what)
    {
        int index = random.Next(target.PageHeaders.Count);
        int start = target.PageHeaders[index].Start;
        var h = target.Headers[index];
        int choice = random.Next(12);
        what.Append(CultureInfo.InvariantCulture, $" #{choice} of the header at {start} ({h.Type})");
        var mutated = choice switch
        {
            0 => h with { UncompressedPageSize = HostileInt(random, h.UncompressedPageSize) },
            1 => h with { CompressedPageSize = HostileInt(random, h.CompressedPageSize) },
            2 => h with { Type = (PageType)random.Next(-1, 5) },
            3 when h.DataPageHeader is { } v1 => h with { DataPageHeader = v1 with { NumValues = HostileInt(random, v1.NumValues) } },
            4 when h.DataPageHeader is { } v1 => h with { DataPageHeader = v1 with { Encoding = (Encoding)random.Next(-1, 11) } },
            5 when h.DataPageHeader is { } v1 => h with
            {
                DataPageHeader = v1 with { DefinitionLevelEncoding = (Encoding)random.Next(-1, 11), RepetitionLevelEncoding = (Encoding)random.Next(-1, 11) },
            },
            3 or 4 or 5 when h.DataPageHeaderV2 is { } v2 => h with { DataPageHeaderV2 = v2 with { NumValues = HostileInt(random, v2.NumValues) } },
            6 when h.DataPageHeaderV2 is { } v2 => h with { DataPageHeaderV2 = v2 with { NumNulls = HostileInt(random, v2.NumNulls) } },
            7 when h.DataPageHeaderV2 is { } v2 => h with { DataPageHeaderV2 = v2 with { NumRows = HostileInt(random, v2.NumRows) } },
            8 when h.DataPageHeaderV2 is { } v2 => h with { DataPageHeaderV2 = v2 with { Encoding = (Encoding)random.Next(-1, 11) } },
            9 when h.DataPageHeaderV2 is { } v2 => h with
            {
                DataPageHeaderV2 = random.Next(3) switch
                {
                    0 => v2 with { DefinitionLevelsByteLength = HostileInt(random, v2.DefinitionLevelsByteLength) },
                    1 => v2 with { RepetitionLevelsByteLength = HostileInt(random, v2.RepetitionLevelsByteLength) },
                    _ => v2 with { IsCompressed = !v2.IsCompressed },
                },
            },
            3 or 4 or 5 or 6 or 7 or 8 or 9 when h.DictionaryPageHeader is { } d => h with
            {
                DictionaryPageHeader = random.Next(2) == 0
                    ? d with { NumValues = HostileInt(random, d.NumValues) }
                    : d with { Encoding = (Encoding)random.Next(-1, 11) },
            },
            10 => h with { Crc = random.Next() },
            _ => h with { UncompressedPageSize = HostileInt(random, h.UncompressedPageSize) },
        };

        return Splice(target, index, mutated);
    }

    /// <summary>The file with page header <paramref name="index"/> replaced by <paramref name="header"/>; null when it cannot be encoded.</summary>
    private static byte[]? Splice(Target target, int index, PageHeader header)
    {
        var (start, end) = target.PageHeaders[index];
        var encoded = new System.Buffers.ArrayBufferWriter<byte>();
        var footer = new System.Buffers.ArrayBufferWriter<byte>();
        try
        {
            ParquetMetadataCodec.WritePageHeader(header, encoded);
            ParquetMetadataCodec.WriteFileMetaData(Shift(target.Metadata, start, encoded.WrittenCount - (end - start)), footer);
        }
        catch (LarderUsageException)
        {
            return null;
        }

        byte[] data = [.. target.Bytes.AsSpan(0, start), .. encoded.WrittenSpan, .. target.Bytes.AsSpan(end, target.FooterStart - end)];
        return Assemble(data, footer.WrittenSpan);
    }

    /// <summary>The footer with every offset past <paramref name="at"/> moved by <paramref name="delta"/>, and the chunk holding it resized.</summary>
    private static FileMetaData Shift(FileMetaData m, long at, int delta)
    {
        long Move(long offset) => offset > at ? offset + delta : offset;
        long? MoveOptional(long? offset) => offset is long o ? Move(o) : null;
        return m with
        {
            RowGroups =
            [
                .. m.RowGroups.Select(rg => rg with
                {
                    FileOffset = MoveOptional(rg.FileOffset),
                    Columns =
                    [
                        .. rg.Columns.Select(cc => cc with
                        {
                            FileOffset = Move(cc.FileOffset),
                            ColumnIndexOffset = MoveOptional(cc.ColumnIndexOffset),
                            OffsetIndexOffset = MoveOptional(cc.OffsetIndexOffset),
                            MetaData = cc.MetaData with
                            {
                                DataPageOffset = Move(cc.MetaData.DataPageOffset),
                                DictionaryPageOffset = MoveOptional(cc.MetaData.DictionaryPageOffset),
                                IndexPageOffset = MoveOptional(cc.MetaData.IndexPageOffset),
                                BloomFilterOffset = MoveOptional(cc.MetaData.BloomFilterOffset),
                                TotalCompressedSize = cc.MetaData.FirstPageOffset <= at && at < cc.MetaData.FirstPageOffset + cc.MetaData.TotalCompressedSize
                                    ? cc.MetaData.TotalCompressedSize + delta
                                    : cc.MetaData.TotalCompressedSize,
                            },
                        }),
                    ],
                }),
            ],
        };
    }

    /// <summary>A file of <paramref name="data"/> (from the leading magic to the footer) and <paramref name="footer"/>.</summary>
    private static byte[] Assemble(ReadOnlySpan<byte> data, ReadOnlySpan<byte> footer)
    {
        var file = new byte[data.Length + footer.Length + 8];
        data.CopyTo(file);
        footer.CopyTo(file.AsSpan(data.Length));
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(data.Length + footer.Length), footer.Length);
        "PAR1"u8.CopyTo(file.AsSpan(file.Length - 4));
        return file;
    }

    private void Run(int seed, int cases)
    {
        var targets = Files.Append(LarderWritten).Select(n => Targets.Value[n]).ToArray();
        string path = Path.Combine(Path.GetTempPath(), $"larder-hostile-{Guid.NewGuid():N}.parquet");
        int read = 0;
        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<string>();
        long maxAllocated = 0;
        string maxAllocatedCase = "";
        TimeSpan slowest = TimeSpan.Zero;
        string slowestCase = "";
        try
        {
            for (int i = 0; i < cases; i++)
            {
                var target = targets[i % targets.Length];
                var (bytes, description) = Mutate(target, seed, i);
                File.WriteAllBytes(path, bytes);
                var options = new ParquetReadOptions { VerifyChecksums = i % 4 == 0 };
                var outcome = RunCase(path, options);
                if (outcome is null)
                {
                    problems.Add($"{description}: did not finish within {TimeCap.TotalSeconds} s");

                    // The case's thread cannot be stopped; further cases would compete with it.
                    break;
                }

                if (outcome.Allocated > maxAllocated)
                {
                    maxAllocated = outcome.Allocated;
                    maxAllocatedCase = description;
                }

                if (outcome.Elapsed > slowest)
                {
                    slowest = outcome.Elapsed;
                    slowestCase = description;
                }

                if (outcome.Allocated > AllocationCap)
                {
                    problems.Add($"{description}: allocated {outcome.Allocated:N0} bytes");
                }

                switch (outcome.Error)
                {
                    case null:
                        read++;
                        break;
                    case LarderFormatException e:
                        string key = e.InnerException is { } inner && inner is not LarderException
                            ? $"{e.GetType().Name} (wrapping {inner.GetType().Name})"
                            : e.GetType().Name;
                        failures[key] = failures.GetValueOrDefault(key) + 1;
                        break;
                    default:
                        problems.Add($"{description}: {outcome.Error.GetType().Name}: {outcome.Error}");
                        break;
                }
            }
        }
        finally
        {
            File.Delete(path);
        }

        output.WriteLine($"{cases} mutated files from {targets.Length} conformance files, seed {seed}: {read} read, {cases - read - problems.Count} failed with a format error, {problems.Count} problems");
        foreach (var (type, count) in failures.OrderByDescending(kv => kv.Value))
        {
            output.WriteLine($"  {count,6}  {type}");
        }

        output.WriteLine($"most allocated: {maxAllocated:N0} bytes ({maxAllocatedCase})");
        output.WriteLine($"slowest: {slowest.TotalMilliseconds:N0} ms ({slowestCase})");
        foreach (var p in problems)
        {
            output.WriteLine(p);
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Take(20)));
        Assert.True(cases - read > cases / 10, $"only {cases - read} of {cases} mutations were rejected: the mutator is not biting");
    }

    /// <summary>Reads the file fully on a thread of its own; null when it does not finish within the time cap.</summary>
    private static Outcome? RunCase(string path, ParquetReadOptions options)
    {
        Outcome? outcome = null;
        var thread = new Thread(() =>
        {
            var watch = Stopwatch.StartNew();
            long before = GC.GetAllocatedBytesForCurrentThread();
            Exception? error = null;
            try
            {
                ReadEverything(path, options);
            }
#pragma warning disable CA1031 // Every exception is the test's verdict, not an error of the harness.
            catch (Exception e)
#pragma warning restore CA1031
            {
                error = e;
            }

            outcome = new Outcome(error, GC.GetAllocatedBytesForCurrentThread() - before, watch.Elapsed);
        })
        {
            IsBackground = true,
            Name = "hostile case",
        };
        thread.Start();
        return thread.Join(TimeCap) ? outcome : null;
    }

    private static void ReadEverything(string path, ParquetReadOptions options)
    {
        using var reader = ParquetFileReader.Open(path, options);
        foreach (var batch in reader.ReadAll())
        {
            foreach (var column in batch.Columns)
            {
                for (int i = 0; i < column.Length; i++)
                {
                    _ = column.GetValue(i);
                }
            }
        }
    }

    /// <summary>300 rows in 3 row groups of small pages, with null fixed-size lists, structs, maps and lists.</summary>
    private static byte[] WriteNestedFile()
    {
        var schema = new Schema(
        [
            new Field("id", ArrowType.Int64, nullable: false),
            new Field("vec", new FixedSizeListType(ArrowType.Float, 4)),
            new Field("s", new StructType([new Field("a", ArrowType.Int32), new Field("b", ArrowType.String)])),
            new Field("m", new MapType(ArrowType.String, ArrowType.Int32)),
            new Field("tags", new ListType(ArrowType.String)),
        ]);
        var builders = schema.Fields.Select(f => ArrayBuilderFactory.Create(f.Type)).ToArray();
        var random = new Random(11);
        for (int i = 0; i < 300; i++)
        {
            builders[0].AppendValue((long)i * 7);
            builders[1].AppendValue(i % 3 == 0 ? null : new object?[] { 1f * i, null, -2.5f, (float)random.NextDouble() });
            builders[2].AppendValue(i % 5 == 0 ? null : new Dictionary<string, object?> { ["a"] = i % 7 == 0 ? null : i, ["b"] = "s" + (i % 11) });
            builders[3].AppendValue(i % 4 == 0 ? null : Enumerable.Range(0, i % 3).Select(k => new KeyValuePair<object?, object?>("k" + k, k * i)).ToArray());
            builders[4].AppendValue(i % 6 == 0 ? null : Enumerable.Range(0, i % 4).Select(k => (object?)("t" + (k + i))).ToArray());
        }

        var batch = new RecordBatch(schema, [.. builders.Select(b => b.Build())], 300);
        using var stream = new MemoryStream();
        using (var writer = new ParquetFileWriter(stream, schema, new ParquetWriteOptions { Compression = "gzip", RowGroupRows = 100, DataPageSize = 512 }, leaveOpen: true))
        {
            writer.Write(batch);
            writer.Finish();
        }

        return stream.ToArray();
    }

    private sealed record Outcome(Exception? Error, long Allocated, TimeSpan Elapsed);

    /// <summary>A valid file and where its footer and page headers are.</summary>
    private sealed record Target(string Name, byte[] Bytes, int FooterStart, FileMetaData Metadata, IReadOnlyList<(int Start, int End)> PageHeaders, IReadOnlyList<PageHeader> Headers)
    {
        public static Target Load(string name) => Parse(name, File.ReadAllBytes(Path.Combine(ParquetTestFiles.DataDirectory, name)));

        public static Target Parse(string name, byte[] bytes)
        {
            var (footer, _) = ParquetTestFiles.FindFooter(bytes, name);
            var metadata = ParquetTestFiles.ReadMetadata(bytes, name);
            var headers = new List<(int, int)>();
            var models = new List<PageHeader>();
            foreach (var meta in metadata.RowGroups.SelectMany(g => g.Columns).Select(c => c.MetaData).Where(m => m.NumValues > 0))
            {
                long position = meta.FirstPageOffset;
                long end = Math.Min(position + meta.TotalCompressedSize, footer);
                while (position < end)
                {
                    var header = ParquetMetadataCodec.ReadPageHeader(bytes.AsSpan((int)position, (int)(end - position)), name, position, out int length);
                    headers.Add(((int)position, (int)position + length));
                    models.Add(header);
                    position += length + (long)header.CompressedPageSize;
                }
            }

            return new Target(name, bytes, footer, metadata, headers, models);
        }
    }
}
