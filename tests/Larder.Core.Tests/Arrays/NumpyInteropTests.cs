using System.Text.Json;
using Larder.Arrays;

namespace Larder.Core.Tests.Arrays;

/// <summary>
/// NPY/NPZ interop with numpy through /usr/bin/python3 (DESIGN §9): we read what <c>np.save</c>, <c>np.savez</c> and
/// <c>np.savez_compressed</c> write, and <c>np.load</c> reads what we write, for every dtype, both byte orders on read,
/// C and Fortran order, 0-d, 1-d, 3-d and empty shapes. Values are compared as their C-order little-endian bytes.
/// </summary>
public sealed class NumpyInteropTests : IDisposable
{
    /// <summary>
    /// Writes one NPY file per case and two NPZ archives into argv[1]; prints a manifest: per file its descr, shape,
    /// whether numpy recorded Fortran order, and the hex of the values' C-order little-endian bytes.
    /// </summary>
    private const string NumpyWrites = """
        import sys, json, os
        import numpy as np
        out = sys.argv[1]
        rng = np.random.default_rng(20240611)
        types = ['?', 'i1', 'i2', 'i4', 'i8', 'u1', 'u2', 'u4', 'u8', 'f2', 'f4', 'f8', 'c8', 'c16']
        shapes = [(), (7,), (2, 3, 4), (0,), (3, 0, 2)]
        def values(t, shape):
            dt = np.dtype(t)
            n = int(np.prod(shape))
            if dt.kind == 'b':
                a = rng.integers(0, 2, n).astype(bool)
            elif dt.kind in 'iu':
                info = np.iinfo(dt)
                a = rng.integers(info.min, info.max, n, dtype=dt, endpoint=True)
            else:
                r = (rng.standard_normal(n) * 10.0 ** rng.integers(-5, 6, n))
                special = [np.nan, np.inf, -np.inf, 0.0, -0.0]
                for i in range(min(n, len(special))):
                    r[i] = special[i]
                if dt.kind == 'c':
                    a = (r + 1j * rng.standard_normal(n)).astype(dt)
                else:
                    a = r.astype(dt)
            return a.reshape(shape)
        manifest = []
        archive = {}
        for t in types:
            for order in ['>', '<']:
                dt = np.dtype(t)
                if dt.itemsize == 1 and order == '>':
                    continue
                for shape in shapes:
                    for fortran in [False, True]:
                        a = values(t, shape).astype(dt.newbyteorder(order))
                        a = np.asfortranarray(a) if fortran else np.ascontiguousarray(a)
                        name = 'a%d' % len(manifest)
                        np.save(os.path.join(out, name + '.npy'), a)
                        archive[name] = a
                        manifest.append({'name': name, 'descr': a.dtype.str, 'shape': list(a.shape),
                                         'fortran': bool(a.flags.f_contiguous and not a.flags.c_contiguous),
                                         'hex': a.astype(a.dtype.newbyteorder('<')).tobytes(order='C').hex()})
        np.savez(os.path.join(out, 'plain.npz'), **archive)
        np.savez_compressed(os.path.join(out, 'compressed.npz'), **archive)
        print(json.dumps(manifest))
        """;

    /// <summary>
    /// Loads every file the manifest argv[2] (in directory argv[1]) lists and checks descr, shape, order, values and
    /// that np.save writes the same bytes; then the two NPZ archives and their zip compression methods. Prints the
    /// count checked and every mismatch as JSON.
    /// </summary>
    private const string NumpyLoads = """
        import sys, json, os, io, zipfile
        import numpy as np
        out = sys.argv[1]
        manifest = json.load(open(sys.argv[2]))
        errors = []
        checked = 0
        def check(where, a, m):
            if a.dtype.str != m['descr']: errors.append('%s: dtype %s, expected %s' % (where, a.dtype.str, m['descr']))
            if list(a.shape) != m['shape']: errors.append('%s: shape %s' % (where, a.shape))
            if m['fortran'] and not a.flags.f_contiguous: errors.append('%s: not Fortran order' % where)
            if a.tobytes(order='C').hex() != m['hex']: errors.append('%s: values differ' % where)
        for m in manifest:
            path = os.path.join(out, m['name'] + '.npy')
            a = np.load(path)
            check(path, a, m)
            buf = io.BytesIO()
            np.save(buf, a)
            if buf.getvalue() != open(path, 'rb').read(): errors.append('%s: np.save writes different bytes' % path)
            checked += 1
        for npz, method in [('plain.npz', zipfile.ZIP_STORED), ('compressed.npz', zipfile.ZIP_DEFLATED)]:
            path = os.path.join(out, npz)
            with zipfile.ZipFile(path) as z:
                for info in z.infolist():
                    if info.compress_type != method: errors.append('%s/%s: compression %d' % (npz, info.filename, info.compress_type))
            with np.load(path) as f:
                if sorted(f.files) != sorted(m['name'] for m in manifest): errors.append('%s: names %s' % (npz, f.files))
                for m in manifest:
                    check(npz + '/' + m['name'], f[m['name']], m)
                    checked += 1
        print(json.dumps({'checked': checked, 'errors': errors[:50]}))
        """;

    private static readonly long[][] Shapes = [[], [7], [2, 3, 4], [0], [3, 0, 2], [5, 1]];

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "larder-npy-" + Guid.NewGuid().ToString("N"));

    public NumpyInteropTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task NpyReader_ReadsWhatNumpySaves_EqualValues()
    {
        var manifest = await NumpyManifestAsync();
        Assert.Equal((14 + 11) * 10, manifest.Count);
        foreach (var m in manifest)
        {
            using var array = NpyReader.Read(Path.Combine(_dir, m.Name + ".npy"));
            AssertMatches(m, array, m.Name);
        }
    }

    [Fact]
    public async Task NpyReader_ReadsNumpyFilesFromNonSeekableStreams_EqualValues()
    {
        var manifest = await NumpyManifestAsync();
        foreach (var m in manifest.Where((_, i) => i % 7 == 0))
        {
            using var stream = new ForwardOnlyStream(File.ReadAllBytes(Path.Combine(_dir, m.Name + ".npy")));
            using var array = await NpyReader.ReadAsync(stream, leaveOpen: true);
            AssertMatches(m, array, m.Name);
        }
    }

    [Theory]
    [InlineData("plain.npz")]
    [InlineData("compressed.npz")]
    public async Task NpzReader_ReadsWhatNumpySavezWrites_EqualValues(string file)
    {
        var manifest = await NumpyManifestAsync();
        using var reader = NpzReader.Open(Path.Combine(_dir, file));
        Assert.Equal(manifest.Select(m => m.Name).Order(), reader.Names.Order());
        foreach (var m in manifest)
        {
            using var array = await reader.ReadAsync(m.Name);
            AssertMatches(m, array, file + "/" + m.Name);
        }
    }

    [Fact]
    public async Task NumpyLoad_ReadsWhatWeWrite_EqualValuesAndIdenticalBytes()
    {
        var rng = new Random(7);
        var manifest = new List<object>();
        var plain = new NpzWriter(File.Create(Path.Combine(_dir, "plain.npz")), compressed: false);
        var compressed = new NpzWriter(File.Create(Path.Combine(_dir, "compressed.npz")), compressed: true);
        foreach (var dtype in NpyDType.All)
        {
            foreach (var shape in Shapes)
            {
                foreach (var order in new[] { NDArrayOrder.C, NDArrayOrder.Fortran })
                {
                    string name = "a" + manifest.Count;
                    using var array = ArrayTestData.Random(dtype, shape, order, rng);
                    if (manifest.Count % 2 == 0)
                    {
                        NpyWriter.Write(Path.Combine(_dir, name + ".npy"), array);
                        plain.Add(name, array);
                        await compressed.AddAsync(name, array);
                    }
                    else
                    {
                        await NpyWriter.WriteAsync(Path.Combine(_dir, name + ".npy"), array);
                        await plain.AddAsync(name, array);
                        compressed.Add(name, array);
                    }

                    using var c = array.ToOrder(NDArrayOrder.C);
                    manifest.Add(new
                    {
                        name,
                        descr = dtype.ToString(),
                        shape,
                        fortran = order == NDArrayOrder.Fortran && !array.IsOrderFree,
                        hex = Convert.ToHexStringLower(c.Bytes),
                    });
                }
            }
        }

        plain.Dispose();
        await compressed.DisposeAsync();
        string manifestPath = Path.Combine(_dir, "manifest.json");
        await File.WriteAllTextAsync(manifestPath, JsonSerializer.Serialize(manifest));

        string output = await NumpyPeer.RunAsync(NumpyLoads, _dir, manifestPath);
        using var result = JsonDocument.Parse(output);
        var errors = result.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        Assert.Equal(manifest.Count * 3, result.RootElement.GetProperty("checked").GetInt32());
    }

    private static void AssertMatches(Entry m, NDArray array, string where)
    {
        Assert.True(NpyDType.Parse(m.Descr).ToLittleEndian() == array.DType, $"{where}: dtype {array.DType}, numpy wrote {m.Descr}");
        Assert.Equal(m.Shape, array.Shape);
        Assert.Equal(m.Fortran ? NDArrayOrder.Fortran : NDArrayOrder.C, array.Order);
        using var c = array.ToOrder(NDArrayOrder.C);
        Assert.True(m.Hex == Convert.ToHexStringLower(c.Bytes), $"{where} ({m.Descr}, {NDArray.FormatShape(m.Shape)}): values differ");
    }

    private async Task<List<Entry>> NumpyManifestAsync()
    {
        string output = await NumpyPeer.RunAsync(NumpyWrites, _dir);
        using var doc = JsonDocument.Parse(output);
        return [.. doc.RootElement.EnumerateArray().Select(e => new Entry(
            e.GetProperty("name").GetString()!,
            e.GetProperty("descr").GetString()!,
            [.. e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())],
            e.GetProperty("fortran").GetBoolean(),
            e.GetProperty("hex").GetString()!))];
    }

    private sealed record Entry(string Name, string Descr, long[] Shape, bool Fortran, string Hex);
}
