using System.Runtime.InteropServices;
using Larder.Columnar;
using Larder.Ipc;
using Larder.TestKit;

namespace Larder.Core.Tests.Ipc;

public class IpcRoundTripTests
{
    public static TheoryData<bool, string?> FormatsAndCodecs()
    {
        var data = new TheoryData<bool, string?>();
        foreach (bool stream in new[] { false, true })
        {
            foreach (string? codec in new[] { null, "lz4", "zstd" })
            {
                data.Add(stream, codec);
            }
        }

        return data;
    }

    internal static byte[] Write(Schema schema, IEnumerable<RecordBatch> batches, bool stream, string? codec, bool deltas = true)
    {
        using var ms = new MemoryStream();
        var options = new IpcWriteOptions { Compression = codec, EmitDictionaryDeltas = deltas };
        if (stream)
        {
            using var w = new ArrowStreamWriter(ms, schema, options, leaveOpen: true);
            foreach (var b in batches)
            {
                w.Write(b);
            }
        }
        else
        {
            using var w = new ArrowFileWriter(ms, schema, options, leaveOpen: true);
            foreach (var b in batches)
            {
                w.Write(b);
            }
        }

        return ms.ToArray();
    }

    internal static (Schema Schema, List<RecordBatch> Batches) Read(byte[] bytes, bool stream)
    {
        if (stream)
        {
            using var r = new ArrowStreamReader(new MemoryStream(bytes));
            var schema = r.GetSchema();
            return (schema, r.ReadAll().ToList());
        }

        using var f = ArrowFileReader.Open(bytes);
        return (f.Schema, f.ReadAll().ToList());
    }

    [Theory]
    [MemberData(nameof(FormatsAndCodecs))]
    public void WriteRead_AllTypes_RoundTripsEqual(bool stream, string? codec)
    {
        var schema = RandomData.AllTypesSchema();
        var batches = new[] { RandomData.Batch(schema, 100, seed: 1), RandomData.Batch(schema, 0, seed: 2), RandomData.Batch(schema, 257, seed: 3) };
        var bytes = Write(schema, batches, stream, codec, deltas: true);
        var (readSchema, read) = Read(bytes, stream);
        ArrowAssert.Equal(schema, readSchema);
        ArrowAssert.Equal(batches, read);
    }

    [Theory]
    [MemberData(nameof(FormatsAndCodecs))]
    public void WriteRead_SlicedBatches_RoundTripsEqual(bool stream, string? codec)
    {
        var schema = RandomData.AllTypesSchema();
        var full = RandomData.Batch(schema, 300, seed: 11);
        var slices = new[] { full.Slice(3, 100), full.Slice(101, 0), full.Slice(117, 183) };
        var bytes = Write(schema, slices, stream, codec, deltas: true);
        var (_, read) = Read(bytes, stream);
        ArrowAssert.Equal(slices, read);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WriteRead_NoBatches_KeepsSchema(bool stream)
    {
        var schema = new Schema([new Field("a", ArrowType.Int64, false), new Field("b", ArrowType.String)], KeyValueMetadata.Of("k", "v"));
        var bytes = Write(schema, [], stream, null);
        var (readSchema, read) = Read(bytes, stream);
        ArrowAssert.Equal(schema, readSchema);
        Assert.Empty(read);
    }

    [Fact]
    public void StreamWriter_GrowingDictionary_SendsDeltaAndReadsEqual()
    {
        var type = new DictionaryType(ArrowType.Int32, ArrowType.String);
        var schema = new Schema([new Field("c", type)]);
        var dict1 = Strings("a", "b");
        var dict2 = Strings("a", "b", "c");
        var b1 = DictBatch(schema, type, dict1, [0, 1, 1]);
        var b2 = DictBatch(schema, type, dict2, [2, 0, 2]);
        var bytes = Write(schema, [b1, b2], stream: true, codec: null, deltas: true);
        var (_, read) = Read(bytes, stream: true);
        ArrowAssert.Equal(new[] { b1, b2 }, read);
        Assert.Equal(3, ((DictionaryArray)read[1].Column(0)).Dictionary.Length);
    }

    [Fact]
    public void StreamWriter_ReplacedDictionary_ReadsEqual()
    {
        var type = new DictionaryType(ArrowType.Int8, ArrowType.String);
        var schema = new Schema([new Field("c", type)]);
        var b1 = DictBatch(schema, type, Strings("x", "y"), [0, 1]);
        var b2 = DictBatch(schema, type, Strings("z"), [0, 0, 0]);
        var bytes = Write(schema, [b1, b2], stream: true, codec: "zstd");
        var (_, read) = Read(bytes, stream: true);
        ArrowAssert.Equal(new[] { b1, b2 }, read);
    }

    [Fact]
    public void FileWriter_ChangingDictionary_MergesIntoOneDictionaryWithEqualValues()
    {
        var type = new DictionaryType(ArrowType.Int8, ArrowType.String);
        var schema = new Schema([new Field("c", type)]);
        var b1 = DictBatch(schema, type, Strings("x", "y"), [0, 1]);
        var b2 = DictBatch(schema, type, Strings("z", "x"), [0, 1, 0]);
        var bytes = Write(schema, [b1, b2], stream: false, codec: null);
        var (_, read) = Read(bytes, stream: false);
        ArrowAssert.Equal(new[] { b1, b2 }, read);
        Assert.Equal(3, ((DictionaryArray)read[1].Column(0)).Dictionary.Length);
    }

    [Fact]
    public void FileWriter_MergedDictionaryOverflowsIndexType_ThrowsUsageError()
    {
        var type = new DictionaryType(ArrowType.Int8, ArrowType.String);
        var schema = new Schema([new Field("c", type)]);
        var first = DictBatch(schema, type, Strings([.. Enumerable.Range(0, 100).Select(i => $"a{i}")]), [0]);
        var second = DictBatch(schema, type, Strings([.. Enumerable.Range(0, 100).Select(i => $"b{i}")]), [99]);
        var e = Assert.Throws<LarderUsageException>(() => Write(schema, [first, second], stream: false, codec: null));
        Assert.Contains("'c'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileReader_FromPath_DoesNotCopyColumnData()
    {
        var schema = new Schema([new Field("v", ArrowType.Int64, false)]);
        var b = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        for (long i = 0; i < 10_000; i++)
        {
            b.Append(i);
        }

        var batch = new RecordBatch(schema, [b.Build()], 10_000);
        string path = Path.Combine(Path.GetTempPath(), $"larder-{Guid.NewGuid():N}.arrow");
        try
        {
            File.WriteAllBytes(path, Write(schema, [batch], stream: false, codec: null));
            RecordBatch read;
            using (var reader = ArrowFileReader.Open(path))
            {
                read = reader.ReadRecordBatch(0);
            }

            // Memory-mapped: the values are not backed by a managed array, and stay readable after the reader is gone.
            Assert.False(MemoryMarshal.TryGetArray(read.Column(0).Data.Buffers[1].Memory, out _));
            GC.Collect();
            GC.WaitForPendingFinalizers();
            ArrowAssert.Equal(batch, read);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Create_FinishedWriter_PutsCompleteFileInPlace(bool stream)
    {
        string dir = Directory.CreateTempSubdirectory("larder-ipc-").FullName;
        try
        {
            string path = Path.Combine(dir, stream ? "t.arrows" : "t.arrow");
            var schema = RandomData.AllTypesSchema();
            var batch = RandomData.Batch(schema, 50, seed: 8);
            await using (ArrowIpcWriter w = stream ? ArrowStreamWriter.Create(path, schema) : ArrowFileWriter.Create(path, schema))
            {
                await w.WriteAsync(batch);
                Assert.False(File.Exists(path));
                await w.FinishAsync();
            }

            ArrowAssert.Equal(batch, Read(await File.ReadAllBytesAsync(path), stream).Batches.Single());
            Assert.Single(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Create_UnfinishedWriterDisposed_LeavesPreviousFileAndNoTemporary()
    {
        string dir = Directory.CreateTempSubdirectory("larder-ipc-").FullName;
        try
        {
            string path = Path.Combine(dir, "t.arrow");
            await File.WriteAllTextAsync(path, "previous");
            var schema = RandomData.AllTypesSchema();
            await using (var w = ArrowFileWriter.Create(path, schema, durable: true))
            {
                await w.WriteAsync(RandomData.Batch(schema, 20, seed: 9));
            }

            Assert.Equal("previous", await File.ReadAllTextAsync(path));
            Assert.Single(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void FileReader_FromBytes_SlicesInputWithoutCopy()
    {
        var schema = new Schema([new Field("v", ArrowType.Double, false)]);
        var b = new PrimitiveArrayBuilder<double>(ArrowType.Double);
        b.AppendRange([1.5, 2.5, 3.5]);
        var bytes = Write(schema, [new RecordBatch(schema, [b.Build()], 3)], stream: false, codec: null);
        using var reader = ArrowFileReader.Open(bytes);
        var values = reader.ReadRecordBatch(0).Column(0).Data.Buffers[1].Memory;
        Assert.True(MemoryMarshal.TryGetArray(values, out var segment));
        Assert.Same(bytes, segment.Array);
    }

    [Theory]
    [InlineData("lz4")]
    [InlineData("zstd")]
    public void Writer_Compression_ShrinksRepetitiveData(string codec)
    {
        var schema = new Schema([new Field("v", ArrowType.Int64, false)]);
        var b = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        for (int i = 0; i < 100_000; i++)
        {
            b.Append(i % 10);
        }

        var batch = new RecordBatch(schema, [b.Build()], 100_000);
        var plain = Write(schema, [batch], stream: false, codec: null);
        var compressed = Write(schema, [batch], stream: false, codec: codec);
        Assert.True(compressed.Length < plain.Length / 4, $"{codec}: {compressed.Length} vs {plain.Length}");
        ArrowAssert.Equal(batch, Read(compressed, stream: false).Batches[0]);
    }

    [Fact]
    public void Writer_UnknownCodec_ThrowsUsageError()
    {
        var schema = new Schema([new Field("v", ArrowType.Int64)]);
        Assert.Throws<LarderUsageException>(() => new ArrowFileWriter(new MemoryStream(), schema, new IpcWriteOptions { Compression = "gzip" }));
    }

    [Fact]
    public void StreamReader_FileBytes_ThrowsClearFormatError()
    {
        var schema = new Schema([new Field("v", ArrowType.Int64)]);
        var bytes = Write(schema, [], stream: false, codec: null);
        var e = Assert.ThrowsAny<LarderFormatException>(() => Read(bytes, stream: true));
        Assert.Contains("ArrowFileReader", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileReader_StreamBytes_ThrowsClearFormatError()
    {
        var schema = new Schema([new Field("v", ArrowType.Int64)]);
        var bytes = Write(schema, [], stream: true, codec: null);
        var e = Assert.ThrowsAny<LarderFormatException>(() => Read(bytes, stream: false));
        Assert.Contains("ArrowStreamReader", e.Message, StringComparison.Ordinal);
    }

    internal static IArrowArray Strings(params string[] values)
    {
        var b = new BinaryArrayBuilder(ArrowType.String);
        foreach (var v in values)
        {
            b.Append(v);
        }

        return b.Build();
    }

    private static RecordBatch DictBatch(Schema schema, DictionaryType type, IArrowArray dictionary, int[] indices)
    {
        var idx = ArrayBuilderFactory.Create(type.IndexType);
        foreach (int i in indices)
        {
            idx.AppendValue(i);
        }

        var indexData = idx.Build().Data;
        var data = new ArrayData(type, indices.Length, 0, 0, [.. indexData.Buffers], null, dictionary.Data);
        return new RecordBatch(schema, [new DictionaryArray(data)], indices.Length);
    }
}
