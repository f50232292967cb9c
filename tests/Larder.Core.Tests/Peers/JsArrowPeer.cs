using System.Text.Json;
using System.Text.Json.Nodes;
using Larder.Columnar;
using Larder.Ipc;
using Larder.TestKit;

namespace Larder.Core.Tests.Peers;

/// <summary>
/// The interop matrix against apache-arrow (JS) 21.2.0 and the steps the peer tests share: Larder writes random data,
/// apache-arrow reads it (<c>roundtrip.mjs</c>, <c>dump.mjs</c>) and writes it back, Larder reads that.
/// </summary>
public static class JsArrowPeer
{
    /// <summary>IPC formats, as <c>roundtrip.mjs</c> names them.</summary>
    public static readonly IReadOnlyList<string> Formats = ["file", "stream"];

    /// <summary>Body compression of Larder's writer: none, LZ4_FRAME, ZSTD.</summary>
    public static readonly IReadOnlyList<string> Codecs = ["none", "lz4", "zstd"];

    /// <summary>Rows per batch of <see cref="Batches"/>: the middle batch is a slice (offset 23) of a 160-row batch.</summary>
    public static readonly IReadOnlyList<int> BatchRows = [70, 101, 45];

    /// <summary>
    /// Fields of <see cref="RandomData.AllTypesSchema"/> that apache-arrow cannot carry, each with the reason; the
    /// tests leave them out and the summary test lists them. Empty: with apache-arrow 21.2.0 every type of the schema
    /// (null, float16, large types, decimal256, all intervals, nested lists/structs/maps, dictionaries at any depth)
    /// is read and written back equal, so none needs excluding. Add one only for a documented apache-arrow limitation.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Exclusions = new Dictionary<string, string>(StringComparer.Ordinal);

    private static readonly Lazy<string> Folder = new(CreateRunFolder, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<Task<string>> Version = new(
        async () => (await NodePeer.RunCheckedAsync(NodePeer.ArrowScript("version.mjs"), [])).Stdout.Trim(),
        LazyThreadSafetyMode.ExecutionAndPublication);

    public static readonly KeyValueMetadata SchemaMetadata = KeyValueMetadata.Of("larder.test", "js-peer", "origin", "larder");

    /// <summary>A temporary folder for files several tests share, deleted when the test process exits.</summary>
    public static string RunFolder => Folder.Value;

    /// <summary>The apache-arrow version the peers use (<c>version.mjs</c>).</summary>
    public static Task<string> VersionAsync() => Version.Value;

    /// <summary>Every field of <see cref="RandomData.AllTypesSchema"/> that apache-arrow can carry.</summary>
    public static IReadOnlyList<Field> SupportedFields()
        => [.. RandomData.AllTypesSchema().Fields.Where(f => !Exclusions.ContainsKey(f.Name))];

    /// <summary>The names of <see cref="SupportedFields"/>, as theory data.</summary>
    public static TheoryData<string> SupportedFieldNames()
    {
        var data = new TheoryData<string>();
        foreach (var field in SupportedFields())
        {
            data.Add(field.Name);
        }

        return data;
    }

    /// <summary>Every (format, codec) pair; without "none" when <paramref name="includeNone"/> is false.</summary>
    public static TheoryData<string, string> FormatCodecPairs(bool includeNone)
    {
        var data = new TheoryData<string, string>();
        foreach (var format in Formats)
        {
            foreach (var codec in Codecs.Where(c => includeNone || c != "none"))
            {
                data.Add(format, codec);
            }
        }

        return data;
    }

    /// <summary><see cref="RandomData.AllTypesSchema"/> without the <see cref="Exclusions"/>, with schema and field metadata.</summary>
    public static Schema SupportedSchema()
        => new(SupportedFields().Select(WithFieldMetadata), SchemaMetadata);

    /// <summary>A schema of the one field <paramref name="name"/> of <see cref="RandomData.AllTypesSchema"/>, with schema and field metadata.</summary>
    public static Schema SingleFieldSchema(string name)
    {
        var all = RandomData.AllTypesSchema();
        return new Schema([WithFieldMetadata(all[all.GetFieldIndex(name)])], SchemaMetadata);
    }

    /// <summary>The seed of a field's data: fixed, from its position in <see cref="RandomData.AllTypesSchema"/>.</summary>
    public static int SeedOf(string name) => 1000 + (10 * RandomData.AllTypesSchema().GetFieldIndex(name));

    /// <summary>Three batches (<see cref="BatchRows"/>) of random data with nulls; the middle one is sliced.</summary>
    public static IReadOnlyList<RecordBatch> Batches(Schema schema, int seed)
    {
        var sliced = RandomData.Batch(schema, 160, seed + 1, nullFraction: 0.15);
        return
        [
            RandomData.Batch(schema, BatchRows[0], seed),
            sliced.Slice(23, BatchRows[1]),
            RandomData.Batch(schema, BatchRows[2], seed + 2, nullFraction: 0.3),
        ];
    }

    /// <summary><c>stem.arrow</c> for the file format, <c>stem.arrows</c> for the stream format.</summary>
    public static string FileName(string stem, string format) => stem + (format == "file" ? ".arrow" : ".arrows");

    /// <summary>Writes <paramref name="batches"/> with Larder's IPC writer.</summary>
    public static void Write(string path, Schema schema, IEnumerable<RecordBatch> batches, string format, string codec)
    {
        var options = new IpcWriteOptions { Compression = codec == "none" ? null : codec };
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        if (format == "file")
        {
            using var writer = new ArrowFileWriter(file, schema, options, leaveOpen: true);
            foreach (var batch in batches)
            {
                writer.Write(batch);
            }
        }
        else
        {
            using var writer = new ArrowStreamWriter(file, schema, options, leaveOpen: true);
            foreach (var batch in batches)
            {
                writer.Write(batch);
            }
        }
    }

    /// <summary>Reads an IPC file or stream with Larder.</summary>
    public static (Schema Schema, List<RecordBatch> Batches) Read(string path, string format)
    {
        if (format == "file")
        {
            using var file = ArrowFileReader.Open(path);
            return (file.Schema, file.ReadAll().ToList());
        }

        using var stream = ArrowStreamReader.Open(path);
        var schema = stream.GetSchema();
        return (schema, stream.ReadAll().ToList());
    }

    /// <summary>
    /// <c>node roundtrip.mjs IN OUT FORMAT [--compression CODEC]</c>: apache-arrow reads <paramref name="input"/> and
    /// writes it to <paramref name="output"/>; returns its summary (rows, batches, fields with null counts).
    /// </summary>
    public static async Task<JsonDocument> RoundTripAsync(string input, string output, string format, string? compression = null)
    {
        List<string> args = [input, output, format];
        if (compression is not null and not "none")
        {
            args.AddRange(["--compression", compression]);
        }

        var result = await NodePeer.RunCheckedAsync(NodePeer.ArrowScript("roundtrip.mjs"), args);
        return JsonDocument.Parse(result.Stdout);
    }

    /// <summary><c>node dump.mjs IN</c>: what apache-arrow reads from <paramref name="input"/>, values normalized.</summary>
    public static async Task<JsonNode> DumpAsync(string input)
    {
        var result = await NodePeer.RunCheckedAsync(NodePeer.ArrowScript("dump.mjs"), [input]);
        return JsonNode.Parse(result.Stdout) ?? throw new InvalidDataException($"`{result.Command}` printed JSON null");
    }

    /// <summary>
    /// Checks <c>roundtrip.mjs</c>'s summary against what Larder wrote: row and batch counts, field names, nullability
    /// and per-field null counts as apache-arrow read them.
    /// </summary>
    public static void AssertSummary(JsonDocument summary, Schema schema, IReadOnlyList<RecordBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var root = summary.RootElement;
        Assert.Equal(batches.Sum(b => (long)b.Length), root.GetProperty("rows").GetInt64());
        Assert.Equal(batches.Count, root.GetProperty("batches").GetInt32());
        var fields = root.GetProperty("fields");
        Assert.Equal(schema.Count, fields.GetArrayLength());
        for (int k = 0; k < schema.Count; k++)
        {
            var field = fields[k];
            Assert.Equal(schema[k].Name, field.GetProperty("name").GetString());
            Assert.Equal(schema[k].Nullable, field.GetProperty("nullable").GetBoolean());
            long nulls = batches.Sum(b => (long)b.Column(k).NullCount);
            long jsNulls = field.GetProperty("nullCount").GetInt64();
            Assert.True(nulls == jsNulls, $"field \"{schema[k].Name}\" ({field.GetProperty("type").GetString()}): apache-arrow counted {jsNulls} nulls, Larder wrote {nulls}");
        }
    }

    /// <summary>
    /// Checks <c>dump.mjs</c>'s view of a file Larder wrote: batch sizes, schema and field metadata, field names and
    /// nullability, and every value of every column, normalized alike on both sides.
    /// </summary>
    public static void AssertDump(JsonNode dump, Schema schema, IReadOnlyList<RecordBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(dump);
        Assert.Equal(batches.Sum(b => (long)b.Length), dump["rows"]!.GetValue<long>());
        Assert.Equal(batches.Select(b => b.Length), dump["batchRows"]!.AsArray().Select(n => n!.GetValue<int>()));
        AssertMetadata(schema.Metadata, dump["schemaMetadata"], "schema metadata");
        var fieldMetadata = dump["fieldMetadata"]!.AsObject();
        var fields = dump["fields"]!.AsArray();
        Assert.Equal(schema.Count, fields.Count);
        var columns = dump["columns"]!.AsObject();
        for (int k = 0; k < schema.Count; k++)
        {
            var field = schema[k];
            Assert.Equal(field.Name, fields[k]!["name"]!.GetValue<string>());
            Assert.Equal(field.Nullable, fields[k]!["nullable"]!.GetValue<bool>());
            AssertMetadata(field.Metadata, fieldMetadata[field.Name], $"metadata of field \"{field.Name}\"");
            var expected = PeerJson.Column(batches, k);
            string? difference = PeerJson.FirstDifference(expected, columns[field.Name], $"column \"{field.Name}\" ({fields[k]!["type"]}) row");
            Assert.True(difference is null, $"apache-arrow read different values: {difference}");
        }
    }

    /// <summary>Key/value metadata against the JSON object the peer printed (absent means empty).</summary>
    public static void AssertMetadata(KeyValueMetadata expected, JsonNode? actual, string what)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var got = actual?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) ?? [];
        Assert.True(
            got.Count == expected.Count && expected.All(kv => got.TryGetValue(kv.Key, out var v) && v == kv.Value),
            $"{what}: expected {{{string.Join(", ", expected.Select(kv => $"{kv.Key}={kv.Value}"))}}}, got {{{string.Join(", ", got.Select(kv => $"{kv.Key}={kv.Value}"))}}}");
    }

    private static string CreateRunFolder()
    {
        string path = Path.Combine(Path.GetTempPath(), $"larder-jspeer-run-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the OS cleans its temporary folder eventually.
            }
        };
        return path;
    }

    private static Field WithFieldMetadata(Field field) => field.WithMetadata(KeyValueMetadata.Of("larder.field", field.Name));
}

/// <summary>A temporary folder, deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string label)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"larder-jspeer-{label}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A memory-mapped file may still be open on some platforms; the OS cleans temp eventually.
        }
    }
}
