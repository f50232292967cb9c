using System.IO.Compression;
using System.Text.Json;
using Larder.Ipc.Flatbuf;
using Xunit.Abstractions;

namespace Larder.Core.Tests.Ipc.Flatbuf;

/// <summary>Reads the metadata of the Arrow integration files (written by Arrow C++/Java) and checks it against the JSON gold.</summary>
public class ArrowFlatbufRealFileTests
{
    private static readonly string[] Directories =
    [
        "arrow-ipc/integration/1.0.0-littleendian",
        "arrow-ipc/integration/2.0.0-compression",
        "arrow-ipc/integration/4.0.0-shareddict",
    ];

    private readonly ITestOutputHelper _output;

    public ArrowFlatbufRealFileTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> ArrowFiles() => FilesWithExtension(".arrow_file");

    public static TheoryData<string> StreamFiles() => FilesWithExtension(".stream");

    private static TheoryData<string> FilesWithExtension(string extension)
    {
        var data = new TheoryData<string>();
        foreach (string file in RelativePaths(extension))
        {
            data.Add(file);
        }

        return data;
    }

    private static string[] RelativePaths(string extension)
        => Directories
            .SelectMany(directory => FlatbufTestData.Files(directory, "*" + extension).Select(file => Path.Combine(directory, Path.GetFileName(file))))
            .ToArray();

    [Fact]
    public void TestData_IntegrationDirectories_HoldFiles()
    {
        string[] files = RelativePaths(".arrow_file");
        Assert.True(files.Length >= 25, $"only {files.Length} .arrow_file files under {FlatbufTestData.Directory}");
        Assert.Equal(files.Length, RelativePaths(".stream").Length);
    }

    [Theory]
    [MemberData(nameof(ArrowFiles))]
    public void ReadFooter_IntegrationFile_SchemaMatchesJsonGold(string relative)
    {
        string path = FlatbufTestData.PathOf(relative);
        byte[] data = File.ReadAllBytes(path);
        (FbFooter footer, List<IpcMessageWalker.Framed> messages) = IpcMessageWalker.WalkFile(data, path);

        using JsonDocument gold = ReadGold(path);
        JsonElement goldSchema = gold.RootElement.GetProperty("schema");
        AssertFieldsMatch(goldSchema.GetProperty("fields"), footer.Schema.Fields, "schema");

        // The schema message at the start of the file carries the same schema as the footer.
        Assert.Equal(footer.Schema, Assert.IsType<FbSchema>(messages[0].Message.Header));
        Assert.Equal(gold.RootElement.GetProperty("batches").GetArrayLength(), footer.RecordBatches.Length);
        Assert.All(messages.Skip(1 + footer.Dictionaries.Length), m => Assert.IsType<FbRecordBatch>(m.Message.Header));
        Assert.All(messages.Skip(1).Take(footer.Dictionaries.Length), m => Assert.IsType<FbDictionaryBatch>(m.Message.Header));
        Assert.True(footer.Version >= MetadataVersion.V4);
        _output.WriteLine($"{relative}: {footer.Schema.Fields.Count} fields, {footer.Dictionaries.Length} dictionaries, {footer.RecordBatches.Length} batches, {footer.Version}");
    }

    [Theory]
    [MemberData(nameof(StreamFiles))]
    public void ReadMessage_EveryMessageOfIntegrationStream_Decodes(string relative)
    {
        string path = FlatbufTestData.PathOf(relative);
        byte[] data = File.ReadAllBytes(path);
        List<IpcMessageWalker.Framed> messages = IpcMessageWalker.WalkStream(data, path);

        Assert.NotEmpty(messages);
        FbSchema schema = Assert.IsType<FbSchema>(messages[0].Message.Header);
        Assert.All(messages.Skip(1), m => Assert.IsNotType<FbSchema>(m.Message.Header));

        using JsonDocument gold = ReadGold(path);
        AssertFieldsMatch(gold.RootElement.GetProperty("schema").GetProperty("fields"), schema.Fields, "schema");
        Assert.Equal(gold.RootElement.GetProperty("batches").GetArrayLength(), messages.Count(m => m.Message.Header is FbRecordBatch));

        bool compressed = relative.Contains("compression", StringComparison.Ordinal);
        foreach (var framed in messages.Skip(1))
        {
            FbRecordBatch batch = framed.Message.Header switch
            {
                FbRecordBatch b => b,
                FbDictionaryBatch d => d.Data,
                _ => throw new InvalidOperationException("unexpected header"),
            };
            Assert.Equal(compressed, batch.Compression is not null);
            foreach (BufferSpec buffer in batch.Buffers.Span)
            {
                Assert.InRange(buffer.Offset + buffer.Length, 0, framed.Message.BodyLength);
            }
        }
    }

    [Theory]
    [MemberData(nameof(StreamFiles))]
    public void WriteMessage_ReencodeIntegrationMessages_ReadsBackEqual(string relative)
    {
        string path = FlatbufTestData.PathOf(relative);
        byte[] data = File.ReadAllBytes(path);
        foreach (var framed in IpcMessageWalker.WalkStream(data, path))
        {
            byte[] encoded = ArrowFlatbuf.EncodeMessage(framed.Message);
            Assert.Equal(framed.Message, ArrowFlatbuf.ReadMessage(encoded, relative, 0));
        }
    }

    [Theory]
    [MemberData(nameof(ArrowFiles))]
    public void WriteFooter_ReencodeIntegrationFooter_ReadsBackEqual(string relative)
    {
        string path = FlatbufTestData.PathOf(relative);
        FbFooter footer = IpcMessageWalker.ReadFooter(File.ReadAllBytes(path), path);
        Assert.Equal(footer, ArrowFlatbuf.ReadFooter(ArrowFlatbuf.EncodeFooter(footer)));
    }

    [Fact]
    public void ReadFooter_CustomMetadataFile_DecodesSchemaAndFieldMetadata()
    {
        string path = FlatbufTestData.PathOf("arrow-ipc/integration/1.0.0-littleendian/generated_custom_metadata.arrow_file");
        FbFooter footer = IpcMessageWalker.ReadFooter(File.ReadAllBytes(path), path);
        using JsonDocument gold = ReadGold(path);
        JsonElement schema = gold.RootElement.GetProperty("schema");

        Assert.Equal(GoldMetadata(schema), footer.Schema.CustomMetadata ?? []);
        JsonElement[] goldFields = schema.GetProperty("fields").EnumerateArray().ToArray();
        for (int i = 0; i < goldFields.Length; i++)
        {
            Assert.Equal(GoldMetadata(goldFields[i]), footer.Schema.Fields[i].CustomMetadata ?? []);
        }
    }

    private static KeyValuePair<string, string>[] GoldMetadata(JsonElement element)
        => element.TryGetProperty("metadata", out JsonElement metadata)
            ? metadata.EnumerateArray().Select(kv => new KeyValuePair<string, string>(kv.GetProperty("key").GetString()!, kv.GetProperty("value").GetString()!)).ToArray()
            : [];

    private static JsonDocument ReadGold(string arrowPath)
    {
        string json = Path.ChangeExtension(arrowPath, ".json.gz");
        using var file = File.OpenRead(json);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        return JsonDocument.Parse(gzip);
    }

    /// <summary>
    /// Compares names, type names, nullability, int widths and dictionary index types, recursively. Two known writer
    /// liberties are allowed: the children of a map may carry the canonical names (entries/key/value) in place of the
    /// JSON's, and dictionary ids may be renumbered.
    /// </summary>
    private static void AssertFieldsMatch(JsonElement goldFields, IReadOnlyList<FbField> fields, string path, bool namesMayBeCanonical = false)
    {
        JsonElement[] gold = goldFields.EnumerateArray().ToArray();
        Assert.True(gold.Length == fields.Count, $"{path}: {gold.Length} fields in the JSON, {fields.Count} decoded");
        for (int i = 0; i < gold.Length; i++)
        {
            FbField field = fields[i];
            string name = gold[i].GetProperty("name").GetString()!;
            string where = $"{path}.{name}";
            if (!namesMayBeCanonical || field.Name is not ("entries" or "key" or "value"))
            {
                Assert.Equal(name, field.Name ?? string.Empty);
            }

            JsonElement type = gold[i].GetProperty("type");
            Assert.True(type.GetProperty("name").GetString() == JsonTypeName(field.Type.Kind), $"{where}: JSON type {type} vs decoded {field.Type}");
            Assert.True(gold[i].GetProperty("nullable").GetBoolean() == field.Nullable, $"{where}: nullable");
            if (field.Type.Kind == FbTypeKind.Int)
            {
                Assert.Equal(type.GetProperty("bitWidth").GetInt32(), field.Type.BitWidth);
                Assert.Equal(type.GetProperty("isSigned").GetBoolean(), field.Type.IsSigned);
            }

            if (gold[i].TryGetProperty("dictionary", out JsonElement dictionary))
            {
                Assert.NotNull(field.Dictionary);
                JsonElement index = dictionary.GetProperty("indexType");
                Assert.Equal(index.GetProperty("bitWidth").GetInt32(), field.Dictionary.IndexType.BitWidth);
                Assert.Equal(index.GetProperty("isSigned").GetBoolean(), field.Dictionary.IndexType.IsSigned);
                Assert.Equal(dictionary.GetProperty("isOrdered").GetBoolean(), field.Dictionary.IsOrdered);
            }
            else
            {
                Assert.Null(field.Dictionary);
            }

            JsonElement children = gold[i].TryGetProperty("children", out JsonElement c) ? c : default;
            if (children.ValueKind == JsonValueKind.Array)
            {
                AssertFieldsMatch(children, field.Children, where, namesMayBeCanonical || field.Type.Kind == FbTypeKind.Map);
            }
            else
            {
                Assert.Empty(field.Children);
            }
        }
    }

    private static string JsonTypeName(FbTypeKind kind) => kind switch
    {
        FbTypeKind.Null => "null",
        FbTypeKind.Int => "int",
        FbTypeKind.FloatingPoint => "floatingpoint",
        FbTypeKind.Binary => "binary",
        FbTypeKind.Utf8 => "utf8",
        FbTypeKind.Bool => "bool",
        FbTypeKind.Decimal => "decimal",
        FbTypeKind.Date => "date",
        FbTypeKind.Time => "time",
        FbTypeKind.Timestamp => "timestamp",
        FbTypeKind.Interval => "interval",
        FbTypeKind.List => "list",
        FbTypeKind.Struct => "struct",
        FbTypeKind.Union => "union",
        FbTypeKind.FixedSizeBinary => "fixedsizebinary",
        FbTypeKind.FixedSizeList => "fixedsizelist",
        FbTypeKind.Map => "map",
        FbTypeKind.Duration => "duration",
        FbTypeKind.LargeBinary => "largebinary",
        FbTypeKind.LargeUtf8 => "largeutf8",
        FbTypeKind.LargeList => "largelist",
        FbTypeKind.RunEndEncoded => "runendencoded",
        FbTypeKind.BinaryView => "binaryview",
        FbTypeKind.Utf8View => "utf8view",
        FbTypeKind.ListView => "listview",
        FbTypeKind.LargeListView => "largelistview",
        _ => "?",
    };
}
