using System.Diagnostics.CodeAnalysis;
using Larder.Columnar;
using Larder.Ipc;
using Larder.TestKit;
using Xunit.Abstractions;

namespace Larder.Core.Tests.Ipc.Conformance;

/// <summary>
/// DESIGN §4: Larder reads <c>testdata/arrow-ipc/integration/*</c> (files and streams written by Arrow C++/Java) equal
/// to their JSON gold files: schema with metadata, and every batch. Files whose gold uses a type Larder's model lacks
/// (union) must be refused with <see cref="LarderNotSupportedException"/> naming the type.
/// </summary>
public sealed class IntegrationConformanceTests(ITestOutputHelper output)
{
    private static readonly string[] Folders = ["1.0.0-littleendian", "2.0.0-compression", "4.0.0-shareddict"];

    /// <summary>
    /// Files whose bytes knowingly differ from their gold. Each quirk is checked against the raw bytes before it is
    /// applied, so a corrected file, or a reader that invents names, is noticed.
    /// </summary>
    private static readonly Dictionary<string, string> CanonicalMapNameFiles = new(StringComparer.Ordinal)
    {
        // Written by a producer that restores the canonical map field names: the stream's schema says
        // entries/key/value where the gold (and the .arrow_file) say some_entries/some_key/some_value.
        ["1.0.0-littleendian/generated_map_non_canonical.stream"] = "some_entries",
    };

    public enum Verdict
    {
        Equal,
        Refused,
        Failed,
    }

    /// <summary>Every <c>.arrow_file</c> and <c>.stream</c> next to a <c>.json.gz</c> gold file, as "folder/name.ext".</summary>
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in AllFiles())
        {
            data.Add(file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Read_IntegrationFile_EqualsJsonGold(string file)
    {
        var (verdict, message) = Check(file);
        output.WriteLine($"{file}: {verdict}: {message}");
        Assert.True(verdict != Verdict.Failed, $"{file}: {message}");
    }

    [Fact]
    public void Read_AllIntegrationFiles_EqualOrRefusedUnion()
    {
        var files = AllFiles().ToList();
        var results = files.Select(f => (File: f, Outcome: Check(f))).ToList();
        foreach (var (file, (verdict, message)) in results)
        {
            output.WriteLine($"{verdict,-8} {file}: {message}");
        }

        int equal = results.Count(r => r.Outcome.Verdict == Verdict.Equal);
        int refused = results.Count(r => r.Outcome.Verdict == Verdict.Refused);
        var failed = results.Where(r => r.Outcome.Verdict == Verdict.Failed).Select(r => $"{r.File}: {r.Outcome.Message}").ToList();
        string summary = $"{equal} of {files.Count} integration files read equal; {refused} refused (union)";
        output.WriteLine(summary);

        Assert.NotEmpty(files);
        Assert.True(failed.Count == 0, $"{summary}; {failed.Count} failed:{Environment.NewLine}{string.Join(Environment.NewLine, failed)}");
    }

    private static IEnumerable<string> AllFiles()
    {
        foreach (var folder in Folders)
        {
            var golds = Directory.GetFiles(TestData.Path("arrow-ipc", "integration", folder), "*.json.gz")
                .Select(Path.GetFileName)
                .Order(StringComparer.Ordinal);
            foreach (var gold in golds)
            {
                string name = gold![..^".json.gz".Length];
                foreach (var ext in new[] { ".arrow_file", ".stream" })
                {
                    if (File.Exists(TestData.Path("arrow-ipc", "integration", folder, name + ext)))
                    {
                        yield return $"{folder}/{name}{ext}";
                    }
                }
            }
        }
    }

    /// <summary>Reads one IPC file or stream and compares it with its gold; never throws.</summary>
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Any reader exception is a conformance failure to report, with its type and message.")]
    private static (Verdict Verdict, string Message) Check(string file)
    {
        string path = TestData.Path(["arrow-ipc", "integration", .. file.Split('/')]);
        string gold = path[..path.LastIndexOf('.')] + ".json.gz";

        (Schema Schema, IReadOnlyList<RecordBatch> Batches) expected;
        try
        {
            expected = IntegrationJson.Read(gold);
        }
        catch (NotSupportedException e)
        {
            // The gold uses a type outside the model: the reader must refuse the file, naming that type.
            string type = e.Message.Split(' ', 2)[0];
            try
            {
                ReadIpc(path, null);
                return (Verdict.Failed, $"the gold uses {type}, which Larder does not model, but the reader accepted the file");
            }
            catch (LarderNotSupportedException refusal) when (refusal.Message.Contains(type, StringComparison.OrdinalIgnoreCase))
            {
                return (Verdict.Refused, refusal.Message);
            }
            catch (Exception other)
            {
                return (Verdict.Failed, $"expected a LarderNotSupportedException naming \"{type}\", got {other.GetType().Name}: {other.Message}");
            }
        }

        string note = string.Empty;
        if (CanonicalMapNameFiles.TryGetValue(file, out var goldName))
        {
            byte[] raw = File.ReadAllBytes(path);
            if (raw.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(goldName)) >= 0 || raw.AsSpan().IndexOf("entries"u8) < 0)
            {
                return (Verdict.Failed, $"the known quirk (canonical map names instead of \"{goldName}\") is no longer in the file; remove it from the quirk list");
            }

            expected = CanonicalMapNames(expected);
            note = " (the file stores the canonical map field names entries/key/value where the gold has custom ones; compared with canonical names)";
        }

        try
        {
            ReadIpc(path, expected);
            return (Verdict.Equal, $"{expected.Batches.Count} batches, {expected.Batches.Sum(b => b.Length)} rows{note}");
        }
        catch (ArrowAssertException difference)
        {
            return (Verdict.Failed, $"first difference: {difference.Message}");
        }
        catch (Exception e)
        {
            return (Verdict.Failed, $"{e.GetType().Name}: {e.Message} (at {FirstFrame(e)})");
        }
    }

    /// <summary>Reads the file (both access paths) and, when <paramref name="expected"/> is given, compares everything with it.</summary>
    private static void ReadIpc(string path, (Schema Schema, IReadOnlyList<RecordBatch> Batches)? expected)
    {
        if (path.EndsWith(".arrow_file", StringComparison.Ordinal))
        {
            using var reader = ArrowFileReader.Open(path);
            var schema = reader.Schema;
            var all = reader.ReadAll().ToList();
            if (expected is not { } gold)
            {
                return;
            }

            Within("schema", () => ArrowAssert.Equal(gold.Schema, schema));
            if (reader.RecordBatchCount != gold.Batches.Count)
            {
                throw new ArrowAssertException("RecordBatchCount", $"expected {gold.Batches.Count}, got {reader.RecordBatchCount}");
            }

            Within("ReadAll", () => ArrowAssert.Equal(gold.Batches, all));

            // Random access, last batch first, so that dictionaries must not depend on reading order.
            for (int i = gold.Batches.Count - 1; i >= 0; i--)
            {
                var batch = reader.ReadRecordBatch(i);
                Within($"ReadRecordBatch({i})", () => ArrowAssert.Equal(gold.Batches[i], batch));
            }
        }
        else
        {
            using var reader = new ArrowStreamReader(File.OpenRead(path), source: path);
            var schema = reader.GetSchema();
            var all = new List<RecordBatch>();
            while (reader.ReadNext() is { } batch)
            {
                all.Add(batch);
            }

            if (expected is not { } gold)
            {
                return;
            }

            Within("schema", () => ArrowAssert.Equal(gold.Schema, schema));
            Within("ReadNext", () => ArrowAssert.Equal(gold.Batches, all));
        }
    }

    /// <summary>Runs a comparison, prefixing any difference's path with <paramref name="what"/>.</summary>
    private static void Within(string what, Action compare)
    {
        try
        {
            compare();
        }
        catch (ArrowAssertException e)
        {
            throw new ArrowAssertException(e.Path.Length == 0 ? what : $"{what} / {e.Path}", e.Detail);
        }
    }

    /// <summary>The gold with every map's fields renamed entries/key/value (values untouched).</summary>
    private static (Schema Schema, IReadOnlyList<RecordBatch> Batches) CanonicalMapNames((Schema Schema, IReadOnlyList<RecordBatch> Batches) gold)
    {
        var schema = new Schema(gold.Schema.Fields.Select(f => f.WithType(Canonical(f.Type))), gold.Schema.Metadata);
        var batches = gold.Batches
            .Select(b => new RecordBatch(schema, b.Columns.Select((c, i) => ArrowArrayFactory.Create(Retype(c.Data, schema[i].Type))), b.Length))
            .ToList();
        return (schema, batches);
    }

    private static ArrowType Canonical(ArrowType type) => type switch
    {
        MapType m => new MapType(
            new Field("entries", new StructType([m.KeyField.WithName("key").WithType(Canonical(m.KeyField.Type)), m.ValueField.WithName("value").WithType(Canonical(m.ValueField.Type))]), m.EntriesField.Nullable, m.EntriesField.Metadata),
            m.KeysSorted),
        ListType l => new ListType(l.ValueField.WithType(Canonical(l.ValueType)), l.IsLarge),
        FixedSizeListType f => new FixedSizeListType(f.ValueField.WithType(Canonical(f.ValueType)), f.ListSize),
        StructType s => new StructType(s.Fields.Select(f => f.WithType(Canonical(f.Type)))),
        DictionaryType d => new DictionaryType(d.IndexType, Canonical(d.ValueType), d.Ordered),
        _ => type,
    };

    private static ArrayData Retype(ArrayData data, ArrowType type)
    {
        ArrowType[] childTypes = type switch
        {
            ListType l => [l.ValueType],
            FixedSizeListType f => [f.ValueType],
            MapType m => [m.EntriesField.Type],
            StructType s => [.. s.Fields.Select(f => f.Type)],
            _ => [],
        };
        var children = data.Children.Select((c, i) => Retype(c, childTypes[i])).ToArray();
        var dictionary = data.Dictionary is { } d ? Retype(d, ((DictionaryType)type).ValueType) : null;
        return new ArrayData(type, data.Length, data.NullCount, data.Offset, [.. data.Buffers], children, dictionary);
    }

    private static string FirstFrame(Exception e)
        => e.StackTrace?.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "unknown";
}
