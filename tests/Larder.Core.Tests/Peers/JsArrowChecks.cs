using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Larder.Columnar;
using Larder.TestKit;

namespace Larder.Core.Tests.Peers;

/// <summary>
/// The checks of Larder against apache-arrow (JS), each run at most once per test run: a test and the summary test
/// that ask for the same check share its one run (and its failure). Every check returns a one-line account.
/// </summary>
public static class JsArrowChecks
{
    /// <summary>Seed of the whole-schema data.</summary>
    public const int AllTypesSeed = 77;

    private static readonly ConcurrentDictionary<string, object> Runs = new(StringComparer.Ordinal);

    /// <summary>
    /// Larder writes one field of <see cref="RandomData.AllTypesSchema"/> (uncompressed), apache-arrow reads it and
    /// writes it back, Larder reads that: equal schema (with metadata) and batches.
    /// </summary>
    public static Task<string> SingleTypeAsync(string field, string format)
        => Once($"single-type {field} {format} none", () => RoundTripAsync(JsArrowPeer.SingleFieldSchema(field), JsArrowPeer.SeedOf(field), format, "none"));

    /// <summary>
    /// Larder writes every supported type in one file or stream with <paramref name="codec"/>; apache-arrow's view of
    /// it (<c>dump.mjs</c>) must hold the same batches, metadata and every value, row by row.
    /// </summary>
    public static Task<string> ApacheArrowReadsAllTypesAsync(string format, string codec)
        => Once($"apache-arrow-reads all-types {format} {codec}", async () =>
        {
            var written = await LarderAllTypesAsync(format, codec);
            JsArrowPeer.AssertDump(await JsArrowPeer.DumpAsync(written.Path), written.Schema, written.Batches);
            return $"{written.Schema.Count} types, {format}, {codec}: apache-arrow read {written.Batches.Sum(b => b.Length)} rows in {written.Batches.Count} batches with every value equal ({new FileInfo(written.Path).Length} B)";
        });

    /// <summary>
    /// The same file or stream as <see cref="ApacheArrowReadsAllTypesAsync"/>: apache-arrow reads it and writes it
    /// back uncompressed, and Larder must read that equal to what it wrote.
    /// </summary>
    public static Task<string> AllTypesAsync(string format, string codec)
        => Once($"all-types {format} {codec}", async () =>
        {
            var written = await LarderAllTypesAsync(format, codec);
            string js = Path.Combine(Path.GetDirectoryName(written.Path)!, JsArrowPeer.FileName("js", format));
            return await RoundTripAsync(written.Path, js, written.Schema, written.Batches, format, codec);
        });

    /// <summary>
    /// apache-arrow writes every supported type with body compression <paramref name="codec"/>; after
    /// <see cref="JsCompressedPrefixes.RepairAsync"/> (apache-arrow's wrong length prefixes), Larder reads it equal.
    /// </summary>
    public static Task<string> ApacheArrowCompressedAsync(string format, string codec)
        => Once($"apache-arrow-compressed {format} {codec}", async () =>
        {
            var output = await ApacheArrowCompressedOutputAsync(format, codec);
            string repaired = output.Compressed + ".repaired";
            File.Copy(output.Compressed, repaired);
            var (compressed, corrected) = await JsCompressedPrefixes.RepairAsync(repaired);
            Assert.True(compressed > 0, $"apache-arrow stored no buffer of {repaired} compressed: the test proves nothing");
            Assert.True(corrected > 0, "apache-arrow now writes the uncompressed length in the prefixes (apache/arrow-js#470 is in this version): drop JsCompressedPrefixes.RepairAsync and read its output as is");

            var (schema, batches) = JsArrowPeer.Read(repaired, format);
            ArrowAssert.Equal(output.Schema, schema);
            ArrowAssert.Equal(output.Batches, batches);
            return $"apache-arrow {codec} {format}: {compressed} compressed buffers ({corrected} wrong length prefixes repaired), {batches.Sum(b => b.Length)} rows of {schema.Count} types read equal ({new FileInfo(output.Plain).Length} B plain, {new FileInfo(output.Compressed).Length} B {codec})";
        });

    /// <summary>
    /// apache-arrow's compressed output as it is (wrong length prefixes, see <see cref="JsCompressedPrefixes"/>):
    /// Larder must refuse it with a format error that says what is wrong, never misread it.
    /// </summary>
    public static Task<string> ApacheArrowCompressedUnrepairedAsync(string format, string codec)
        => Once($"apache-arrow-compressed-unrepaired {format} {codec}", async () =>
        {
            var output = await ApacheArrowCompressedOutputAsync(format, codec);
            var e = Assert.ThrowsAny<LarderFormatException>(() => JsArrowPeer.Read(output.Compressed, format));
            Assert.True(e.Message.Contains("decompresses to more than", StringComparison.Ordinal), $"expected the error about the length prefix (\"decompresses to more than …\"), got: {e.Message}");
            return $"apache-arrow {codec} {format} with compressed lengths in the prefixes: refused ({e.Message})";
        });

    /// <summary>
    /// apache-arrow compresses highly compressible columns (<paramref name="codec"/>): far smaller than plain, and
    /// equal in Larder after <see cref="JsCompressedPrefixes.RepairAsync"/>.
    /// </summary>
    public static Task<string> ApacheArrowCompressedRepetitiveAsync(string format, string codec)
        => Once($"apache-arrow-compressed-repetitive {format} {codec}", async () =>
        {
            var schema = new Schema(
            [
                new Field("id", ArrowType.Int64, nullable: false),
                new Field("label", ArrowType.String),
                new Field("score", ArrowType.Double),
            ], KeyValueMetadata.Of("larder.test", "repetitive"));
            var batches = Enumerable.Range(0, 2).Select(b => Repetitive(schema, 20_000, b)).ToList();
            using var dir = new TempFolder($"repetitive-{format}-{codec}");
            string larder = dir.File(JsArrowPeer.FileName("larder", format));
            string js = dir.File(JsArrowPeer.FileName($"js-{codec}", format));
            JsArrowPeer.Write(larder, schema, batches, format, "none");
            using (var summary = await JsArrowPeer.RoundTripAsync(larder, js, format, codec))
            {
                JsArrowPeer.AssertSummary(summary, schema, batches);
            }

            long plainLength = new FileInfo(larder).Length;
            long compressedLength = new FileInfo(js).Length;
            Assert.True(compressedLength < plainLength / 2, $"apache-arrow's {codec} {format} is {compressedLength} B, the plain one {plainLength} B: not compressed?");
            var (compressed, corrected) = await JsCompressedPrefixes.RepairAsync(js);
            var (readSchema, read) = JsArrowPeer.Read(js, format);
            ArrowAssert.Equal(schema, readSchema);
            ArrowAssert.Equal(batches, read);
            return $"apache-arrow {codec} {format}, repetitive columns: {plainLength} B plain → {compressedLength} B, {compressed} compressed buffers ({corrected} prefixes repaired), read equal";
        });

    /// <summary>
    /// Larder reads <paramref name="name"/> (<c>js.arrow</c> or <c>js.arrows</c>) written by <c>generate.mjs</c>:
    /// schema (types, nullability, metadata), 3 batches of 400/400/200 rows, and every value equal to
    /// <c>js.expected.json</c>.
    /// </summary>
    public static Task<string> GeneratedAsync(string name)
        => Once($"generated {name}", async () =>
        {
            var (dir, version) = await GeneratedFolderAsync();
            var expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "js.expected.json")))!;
            var (schema, batches) = JsArrowPeer.Read(Path.Combine(dir, name), name.EndsWith(".arrows", StringComparison.Ordinal) ? "stream" : "file");

            ArrowAssert.Equal(JsGenerated.ExpectedSchema(), schema);
            Assert.Equal("apache-arrow-js", schema.Metadata["origin"]);
            JsArrowPeer.AssertMetadata(schema.Metadata, expected["schemaMetadata"], "schema metadata");
            Assert.Equal(3, batches.Count);
            Assert.Equal(expected["batchRows"]!.AsArray().Select(n => n!.GetValue<int>()), batches.Select(b => b.Length));
            Assert.Equal([400, 400, 200], batches.Select(b => b.Length));
            Assert.Equal(expected["rows"]!.GetValue<long>(), batches.Sum(b => (long)b.Length));

            var fields = expected["fields"]!.AsArray();
            var fieldMetadata = expected["fieldMetadata"]!.AsObject();
            var columns = expected["columns"]!.AsObject();
            Assert.Equal(fields.Count, schema.Count);
            Assert.Equal(columns.Count, schema.Count);
            for (int k = 0; k < schema.Count; k++)
            {
                var field = schema[k];
                Assert.Equal(fields[k]!["name"]!.GetValue<string>(), field.Name);
                Assert.Equal(fields[k]!["nullable"]!.GetValue<bool>(), field.Nullable);
                JsArrowPeer.AssertMetadata(field.Metadata, fieldMetadata[field.Name], $"metadata of field \"{field.Name}\"");
                string? difference = PeerJson.FirstDifference(columns[field.Name], PeerJson.Column(batches, k), $"{name}: column \"{field.Name}\" ({field.Type}) row");
                Assert.True(difference is null, $"Larder read a value different from apache-arrow's: {difference}");
            }

            return $"{name} (apache-arrow {version}): {schema.Count} columns × {batches.Sum(b => b.Length)} rows in {batches.Count} batches equal to js.expected.json";
        });

    private static Task<T> Once<T>(string key, Func<Task<T>> check)
        => ((Lazy<Task<T>>)Runs.GetOrAdd(key, _ => new Lazy<Task<T>>(check, LazyThreadSafetyMode.ExecutionAndPublication))).Value;

    private static async Task<string> RoundTripAsync(Schema schema, int seed, string format, string codec)
    {
        var batches = JsArrowPeer.Batches(schema, seed);
        using var dir = new TempFolder($"{format}-{codec}");
        string larder = dir.File(JsArrowPeer.FileName("larder", format));
        JsArrowPeer.Write(larder, schema, batches, format, codec);
        return await RoundTripAsync(larder, dir.File(JsArrowPeer.FileName("js", format)), schema, batches, format, codec);
    }

    /// <summary>apache-arrow reads <paramref name="larder"/> and writes <paramref name="js"/>, which Larder must read equal.</summary>
    private static async Task<string> RoundTripAsync(string larder, string js, Schema schema, IReadOnlyList<RecordBatch> batches, string format, string codec)
    {
        using (var summary = await JsArrowPeer.RoundTripAsync(larder, js, format))
        {
            JsArrowPeer.AssertSummary(summary, schema, batches);
        }

        var (readSchema, read) = JsArrowPeer.Read(js, format);
        ArrowAssert.Equal(schema, readSchema);
        ArrowAssert.Equal(batches, read);
        string what = schema.Count == 1 ? $"{schema[0].Name} ({schema[0].Type})" : $"{schema.Count} types";
        return $"{what}, {format}, {codec}: {batches.Sum(b => b.Length)} rows in {batches.Count} batches written back by apache-arrow and read equal ({new FileInfo(larder).Length} B → {new FileInfo(js).Length} B)";
    }

    /// <summary>Larder writes every supported type (seed <see cref="AllTypesSeed"/>) once per format and codec.</summary>
    private static Task<LarderOutput> LarderAllTypesAsync(string format, string codec)
        => Once($"larder-writes all-types {format} {codec}", () =>
        {
            var schema = JsArrowPeer.SupportedSchema();
            var batches = JsArrowPeer.Batches(schema, AllTypesSeed);
            string dir = Path.Combine(JsArrowPeer.RunFolder, $"larder-{format}-{codec}");
            Directory.CreateDirectory(dir);
            string path = Path.Combine(dir, JsArrowPeer.FileName("larder", format));
            JsArrowPeer.Write(path, schema, batches, format, codec);
            return Task.FromResult(new LarderOutput(path, schema, batches));
        });

    /// <summary>Larder writes the supported types plainly; apache-arrow writes them plainly and with <paramref name="codec"/>.</summary>
    private static Task<ApacheArrowOutput> ApacheArrowCompressedOutputAsync(string format, string codec)
        => Once($"apache-arrow-compressed-output {format} {codec}", async () =>
        {
            var schema = JsArrowPeer.SupportedSchema();
            var batches = JsArrowPeer.Batches(schema, AllTypesSeed + 1);
            string dir = Path.Combine(JsArrowPeer.RunFolder, $"apache-arrow-{format}-{codec}");
            Directory.CreateDirectory(dir);
            string larder = Path.Combine(dir, JsArrowPeer.FileName("larder", format));
            string plain = Path.Combine(dir, JsArrowPeer.FileName("js-plain", format));
            string compressed = Path.Combine(dir, JsArrowPeer.FileName($"js-{codec}", format));
            JsArrowPeer.Write(larder, schema, batches, format, "none");
            (await JsArrowPeer.RoundTripAsync(larder, plain, format)).Dispose();
            using (var summary = await JsArrowPeer.RoundTripAsync(larder, compressed, format, codec))
            {
                JsArrowPeer.AssertSummary(summary, schema, batches);
            }

            Assert.NotEqual(await File.ReadAllBytesAsync(plain), await File.ReadAllBytesAsync(compressed));
            return new ApacheArrowOutput(plain, compressed, schema, batches);
        });

    /// <summary>Runs <c>generate.mjs</c> once; returns its output folder and apache-arrow's version.</summary>
    private static Task<(string Dir, string Version)> GeneratedFolderAsync()
        => Once("generate.mjs", async () =>
        {
            string dir = Path.Combine(JsArrowPeer.RunFolder, "generated");
            await NodePeer.RunCheckedAsync(NodePeer.ArrowScript("generate.mjs"), [dir]);
            return (dir, await JsArrowPeer.VersionAsync());
        });

    private static RecordBatch Repetitive(Schema schema, int rows, int batch)
    {
        var ids = new PrimitiveArrayBuilder<long>(ArrowType.Int64);
        var labels = new BinaryArrayBuilder(ArrowType.String);
        var scores = new PrimitiveArrayBuilder<double>(ArrowType.Double);
        for (int i = 0; i < rows; i++)
        {
            ids.Append(((long)batch * rows) + i);
            if (i % 11 == 0)
            {
                labels.AppendNull();
                scores.AppendNull();
            }
            else
            {
                labels.Append($"label-{i % 13}");
                scores.Append((i % 17) * 0.25);
            }
        }

        return new RecordBatch(schema, [ids.Build(), labels.Build(), scores.Build()], rows);
    }

    /// <summary>A file or stream Larder wrote, with what it holds.</summary>
    public sealed record LarderOutput(string Path, Schema Schema, IReadOnlyList<RecordBatch> Batches);

    /// <summary>apache-arrow's plain and compressed rewrite of a file Larder wrote.</summary>
    public sealed record ApacheArrowOutput(string Plain, string Compressed, Schema Schema, IReadOnlyList<RecordBatch> Batches);
}
