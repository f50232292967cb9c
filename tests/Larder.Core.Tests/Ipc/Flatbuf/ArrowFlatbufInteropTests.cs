using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using Larder.Ipc.Flatbuf;

namespace Larder.Core.Tests.Ipc.Flatbuf;

/// <summary>
/// apache-arrow (JS, the interop peer in tests/peers) reads streams and files whose metadata our builder wrote: schema with
/// metadata, a dictionary batch and a record batch with nested and nullable columns (bodies assembled by hand here).
/// </summary>
public class ArrowFlatbufInteropTests
{
    private const string ReadScript = """
        import { readFileSync } from 'node:fs';
        import { tableFromIPC } from 'apache-arrow';
        const table = tableFromIPC(readFileSync(process.env.LARDER_IPC_PATH));
        const out = {
          metadata: Object.fromEntries(table.schema.metadata),
          fields: table.schema.fields.map((f) => ({ name: f.name, type: String(f.type), nullable: f.nullable, metadata: Object.fromEntries(f.metadata) })),
          rows: table.toArray().map((r) => r.toJSON()),
        };
        process.stdout.write(JSON.stringify(out, (k, v) => (typeof v === 'bigint' ? v.toString() : v)));
        """;

    [Theory]
    [InlineData("stream")]
    [InlineData("file")]
    public void WriteMessage_AssembledIpc_ApacheArrowJsReadsIt(string format)
    {
        byte[] ipc = BuildIpc(format == "file");
        string path = Path.Combine(Path.GetTempPath(), $"larder-flatbuf-{Environment.ProcessId}-{format}.arrow");
        File.WriteAllBytes(path, ipc);
        try
        {
            using JsonDocument result = RunNode(path);
            JsonElement root = result.RootElement;
            Assert.Equal("larder", root.GetProperty("metadata").GetProperty("origin").GetString());

            string[] types = root.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString() + ":" + f.GetProperty("type").GetString()).ToArray();
            Assert.Equal(["a:Int32", "s:Utf8", "t:Timestamp<MICROSECOND, UTC>", "d:Dictionary<Int8, Utf8>", "l:List<Int64>"], types);
            Assert.False(root.GetProperty("fields")[0].GetProperty("nullable").GetBoolean());
            Assert.Equal("m", root.GetProperty("fields")[1].GetProperty("metadata").GetProperty("unit").GetString());

            JsonElement[] rows = root.GetProperty("rows").EnumerateArray().ToArray();
            Assert.Equal(3, rows.Length);
            Assert.Equal([1, 2, 3], rows.Select(r => r.GetProperty("a").GetInt32()));
            Assert.Equal(["x", null, "yz"], rows.Select(r => r.GetProperty("s").ValueKind == JsonValueKind.Null ? null : r.GetProperty("s").GetString()));
            Assert.Equal(["q", "p", "q"], rows.Select(r => r.GetProperty("d").GetString()));
            Assert.Equal("[\"1\",\"2\"]", rows[0].GetProperty("l").GetRawText());
            Assert.Equal("[]", rows[1].GetProperty("l").GetRawText());
            Assert.Equal(JsonValueKind.Null, rows[2].GetProperty("l").ValueKind);
            Assert.NotEqual(JsonValueKind.Null, rows[1].GetProperty("t").ValueKind);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static FbSchema Schema() => new(
        [
            new FbField("a", false, FbType.Int(32, true)),
            new FbField("s", true, FbType.Utf8, customMetadata: [new("unit", "m")]),
            new FbField("t", true, FbType.Timestamp(FbTimeUnit.Microsecond, "UTC")),
            new FbField("d", false, FbType.Utf8, new FbDictionaryEncoding(7, FbType.Int(8, true))),
            new FbField("l", true, FbType.List, children: [new FbField("item", true, FbType.Int(64, true))]),
        ],
        [new("origin", "larder")]);

    /// <summary>Schema message, dictionary batch, record batch (3 rows), end-of-stream; wrapped as a file when asked.</summary>
    private static byte[] BuildIpc(bool asFile)
    {
        var output = new List<byte>();
        if (asFile)
        {
            output.AddRange("ARROW1\0\0"u8.ToArray());
        }

        FbSchema schema = Schema();
        AppendMessage(output, new FbMessage(MetadataVersion.V5, schema, 0), []);

        // Dictionary 7: ["p", "q"].
        var dictBody = new Body();
        BufferSpec[] dictBuffers = [dictBody.Add([]), dictBody.Add(Int32s(0, 1, 2)), dictBody.Add("pq"u8.ToArray())];
        var dictBatch = new FbRecordBatch(2, new[] { new FieldNode(2, 0) }, dictBuffers);
        Block dictBlock = AppendMessage(output, new FbMessage(MetadataVersion.V5, new FbDictionaryBatch(7, dictBatch), dictBody.Length), dictBody.Bytes);

        var body = new Body();
        BufferSpec[] buffers =
        [
            body.Add([]), body.Add(Int32s(1, 2, 3)),                                      // a
            body.Add([0b101]), body.Add(Int32s(0, 1, 1, 3)), body.Add("xyz"u8.ToArray()), // s
            body.Add([]), body.Add(Int64s(0, 1_000_000, -1)),                             // t
            body.Add([]), body.Add([1, 0, 1]),                                            // d (indexes)
            body.Add([0b011]), body.Add(Int32s(0, 2, 2, 2)),                              // l
            body.Add([]), body.Add(Int64s(1, 2)),                                         // l.item
        ];
        FieldNode[] nodes = [new(3, 0), new(3, 1), new(3, 0), new(3, 0), new(3, 1), new(2, 0)];
        Block batchBlock = AppendMessage(output, new FbMessage(MetadataVersion.V5, new FbRecordBatch(3, nodes, buffers), body.Length), body.Bytes);

        output.AddRange(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0 });
        if (asFile)
        {
            byte[] footer = ArrowFlatbuf.EncodeFooter(new FbFooter(MetadataVersion.V5, schema, new[] { dictBlock }, new[] { batchBlock }));
            output.AddRange(footer);
            output.AddRange(Int32s(footer.Length));
            output.AddRange("ARROW1"u8.ToArray());
        }

        return output.ToArray();
    }

    private static Block AppendMessage(List<byte> output, FbMessage message, byte[] body)
    {
        long offset = output.Count;
        byte[] metadata = ArrowFlatbuf.EncodeMessage(message);
        Assert.Equal(0, metadata.Length % 8);
        output.AddRange(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF });
        output.AddRange(Int32s(metadata.Length));
        output.AddRange(metadata);
        output.AddRange(body);
        return new Block(offset, metadata.Length + 8, body.Length);
    }

    private sealed class Body
    {
        private readonly List<byte> _bytes = new();

        public long Length => _bytes.Count;

        public byte[] Bytes => _bytes.ToArray();

        public BufferSpec Add(byte[] data)
        {
            var spec = new BufferSpec(_bytes.Count, data.Length);
            _bytes.AddRange(data);
            while (_bytes.Count % 8 != 0)
            {
                _bytes.Add(0);
            }

            return spec;
        }
    }

    private static byte[] Int32s(params int[] values)
    {
        byte[] bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    private static byte[] Int64s(params long[] values)
    {
        byte[] bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        }

        return bytes;
    }

    private static JsonDocument RunNode(string ipcPath)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = PeersDirectory(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--input-type=module");
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(ReadScript);
        start.Environment["LARDER_IPC_PATH"] = ipcPath;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "node did not finish within 60 s");
        Assert.True(process.ExitCode == 0, $"apache-arrow failed to read the IPC bytes: {stderr.Result}");
        return JsonDocument.Parse(stdout.Result);
    }

    /// <summary>tests/peers of the repo (where apache-arrow is installed): LARDER_REPO_ROOT, else found walking up.</summary>
    private static string PeersDirectory()
    {
        string? root = Environment.GetEnvironmentVariable("LARDER_REPO_ROOT");
        if (!string.IsNullOrEmpty(root) && Directory.Exists(Path.Combine(root, "tests", "peers", "node_modules", "apache-arrow")))
        {
            return Path.Combine(root, "tests", "peers");
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "peers");
            if (Directory.Exists(Path.Combine(candidate, "node_modules", "apache-arrow")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/peers/node_modules/apache-arrow was not found; run scripts/setup.sh to install the peers.");
    }
}
