using System.Text;
using Larder.Arrays;

namespace Larder.Core.Tests.Arrays;

/// <summary>Malformed, truncated and hostile NPY/NPZ input fails with <see cref="LarderFormatException"/>, never another exception.</summary>
public sealed class NpyHostileInputTests
{
    private const string MutationChars = "{}(),:' 0123456789-LTFx<>|[]\n";

    [Theory]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), ")]
    [InlineData("'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }")]
    [InlineData("{'descr': '<f8', 'shape': (2, 3), }")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), 'extra': 1, }")]
    [InlineData("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }")]
    [InlineData("{descr: '<f8', 'fortran_order': False, 'shape': (2, 3), }")]
    [InlineData("{'descr': '<f8', 'fortran_order': false, 'shape': (2, 3), }")]
    [InlineData("{'descr': '<f8', 'fortran_order': Falsey, 'shape': (2, 3), }")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (6), }")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 3), }")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2,, 3), }")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': [2, 3], }")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (02, 3), }")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), } x")]
    [InlineData("{'descr': '<f\\x38', 'fortran_order': False, 'shape': (2, 3), }")]
    [InlineData("{'descr': '<f8, 'fortran_order': False, 'shape': (2, 3), }")]
    [InlineData("{'descr': '<f8' 'fortran_order': False, 'shape': (2, 3), }")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999, 3), }")]
    [InlineData("")]
    public void Read_MalformedHeaderDictionary_ThrowsFormat(string dict)
    {
        var e = Assert.ThrowsAny<LarderFormatException>(() => NpyReader.Read(Npy(dict, new byte[48])));
        Assert.IsNotType<LarderNotSupportedException>(e);
    }

    [Theory]
    [InlineData("<U5")]
    [InlineData("|O")]
    [InlineData("<M8[ns]")]
    [InlineData("<f3")]
    [InlineData("<f16")]
    [InlineData("|b2")]
    [InlineData("|i4")]
    [InlineData("f8")]
    [InlineData("")]
    public void Read_UnknownDescr_ThrowsNotSupported(string descr)
        => Assert.Throws<LarderNotSupportedException>(() => NpyReader.Read(Npy($"{{'descr': '{descr}', 'fortran_order': False, 'shape': (1,), }}", new byte[16])));

    [Fact]
    public void Read_StructuredDescr_ThrowsNotSupported()
        => Assert.Throws<LarderNotSupportedException>(() => NpyReader.Read(Npy("{'descr': [('a', '<i4'), ('b', '<f8')], 'fortran_order': False, 'shape': (1,), }", new byte[16])));

    [Theory]
    [InlineData("(9223372036854775807, 2)")]
    [InlineData("(4294967296, 4294967296)")]
    [InlineData("(3037000500, 3037000500)")]
    [InlineData("(268435456,)")]
    public void Read_ShapeOverflowsOrTooLarge_ThrowsFormat(string shape)
        => Assert.ThrowsAny<LarderFormatException>(() => NpyReader.Read(Npy($"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}", new byte[64])));

    [Fact]
    public void Read_ShapeWithZeroAfterHugeDimensions_ReadsEmpty()
    {
        using var array = NpyReader.Read(Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (9223372036854775807, 9223372036854775807, 0), }", []));
        Assert.Equal(0, array.Length);
    }

    [Fact]
    public void Read_HugeShapeClaimOnSeekableInput_ThrowsBeforeAllocating()
    {
        byte[] file = Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (250000000,), }", new byte[80]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.ThrowsAny<LarderFormatException>(() => NpyReader.Read(new MemoryStream(file)));
        Assert.Contains("2000000000 bytes", e.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the reader allocated for the claimed shape");
    }

    [Fact]
    public void Read_HugeShapeClaimOnNonSeekableInput_FailsHavingStagedOnlyWhatArrived()
    {
        byte[] file = Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (250000000,), }", new byte[80]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.ThrowsAny<LarderFormatException>(() => NpyReader.Read(new ForwardOnlyStream(file)));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8 << 20, "the reader allocated for the claimed shape");
    }

    [Fact]
    public void Read_HeaderLengthBeyondInput_ThrowsFormat()
    {
        byte[] file = Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", new byte[8], major: 2);
        file[8] = 0xFF;
        file[9] = 0xFF;
        file[10] = 0xFF;
        file[11] = 0x7F;
        Assert.ThrowsAny<LarderFormatException>(() => NpyReader.Read(file));
        Assert.ThrowsAny<LarderFormatException>(() => NpyReader.Read(new ForwardOnlyStream(file)));
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M' })]
    [InlineData(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1 })]
    [InlineData(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 0x40 })]
    [InlineData(new byte[] { (byte)'P', (byte)'K', 3, 4, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'X', 1, 0, 0, 0 })]
    public void Read_TruncatedOrBadMagic_ThrowsFormat(byte[] file)
        => Assert.ThrowsAny<LarderFormatException>(() => NpyReader.Read(file));

    [Theory]
    [InlineData(4, 0)]
    [InlineData(1, 1)]
    [InlineData(0, 0)]
    public void Read_UnknownVersion_ThrowsNotSupported(byte major, byte minor)
    {
        byte[] file = Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", new byte[8]);
        file[6] = major;
        file[7] = minor;
        Assert.Throws<LarderNotSupportedException>(() => NpyReader.Read(file));
    }

    [Fact]
    public void Read_Version3HeaderNotUtf8_ThrowsFormat()
    {
        byte[] file = Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", new byte[8], major: 3);
        file[13] = 0xFF;
        Assert.ThrowsAny<LarderFormatException>(() => NpyReader.Read(file));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(47)]
    public void Read_DataTruncated_ThrowsFormat(int dataBytes)
    {
        byte[] file = Npy("{'descr': '<i8', 'fortran_order': True, 'shape': (2, 3), }", new byte[dataBytes]);
        Assert.ThrowsAny<LarderFormatException>(() => NpyReader.Read(file));
        Assert.ThrowsAny<LarderFormatException>(() => NpyReader.Read(new ForwardOnlyStream(file)));
    }

    [Fact]
    public void Read_SeededMutationsOfValidFiles_ReadOrThrowFormat()
    {
        var rng = new Random(2024);
        var seeds = new List<byte[]>();
        foreach (var (dtype, shape, order) in new (NpyDType, long[], NDArrayOrder)[]
        {
            (NpyDType.Float64, [3, 4], NDArrayOrder.C),
            (NpyDType.Int16, [2, 3, 2], NDArrayOrder.Fortran),
            (NpyDType.Bool, [5], NDArrayOrder.C),
            (NpyDType.Complex64, [], NDArrayOrder.C),
            (NpyDType.UInt64, [0, 3], NDArrayOrder.Fortran),
        })
        {
            using var array = ArrayTestData.Random(dtype, shape, order, rng);
            seeds.Add(NpyWriter.ToBytes(array));
        }

        seeds.Add(Npy("{\"shape\": (2, 2),\"fortran_order\":True,\"descr\":\">f4\"}", new byte[16], major: 2));
        var failures = new List<string>();
        int read = 0, rejected = 0;
        for (int i = 0; i < 2000; i++)
        {
            byte[] file = Mutate(seeds[i % seeds.Count], rng);
            try
            {
                using var array = i % 4 == 0 ? NpyReader.Read(new ForwardOnlyStream(file)) : NpyReader.Read(file);
                read++;
            }
            catch (LarderFormatException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                failures.Add($"mutation {i}: {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
        Assert.True(read > 0 && rejected > 0, $"read {read}, rejected {rejected}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NpzRead_SeededMutations_ReadOrThrowFormat(bool compressed)
    {
        var rng = new Random(compressed ? 31 : 30);
        var buffer = new MemoryStream();
        using (var writer = new NpzWriter(buffer, compressed, leaveOpen: true))
        {
            foreach (var dtype in new[] { NpyDType.Float32, NpyDType.Int64, NpyDType.Bool })
            {
                using var array = ArrayTestData.Random(dtype, [4, 5], NDArrayOrder.C, rng);
                writer.Add(dtype.ToString()[1..], array);
            }
        }

        byte[] seed = buffer.ToArray();
        var failures = new List<string>();
        for (int i = 0; i < 500; i++)
        {
            byte[] file = Mutate(seed, rng);
            try
            {
                using var reader = NpzReader.Open(new MemoryStream(file));
                foreach (var array in reader.ReadAll().Values)
                {
                    array.Dispose();
                }
            }
            catch (LarderFormatException)
            {
            }
            catch (Exception e)
            {
                failures.Add($"mutation {i}: {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
    }

    /// <summary>An NPY file with <paramref name="dict"/> as its header (padded as numpy pads) followed by <paramref name="data"/>.</summary>
    internal static byte[] Npy(string dict, byte[] data, int major = 1)
    {
        byte[] text = Encoding.UTF8.GetBytes(dict);
        int sizeBytes = major == 1 ? 2 : 4;
        int pad = 64 - ((8 + sizeBytes + text.Length + 1) % 64);
        int headerLength = text.Length + pad + 1;
        var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0]);
        ms.Write(sizeBytes == 2 ? BitConverter.GetBytes((ushort)headerLength) : BitConverter.GetBytes(headerLength));
        ms.Write(text);
        ms.Write(Enumerable.Repeat((byte)' ', pad).ToArray());
        ms.WriteByte((byte)'\n');
        ms.Write(data);
        return ms.ToArray();
    }

    /// <summary>One to four random edits: byte changes (mostly in the first 128 bytes), truncation, insertion, deletion.</summary>
    private static byte[] Mutate(byte[] seed, Random rng)
    {
        var bytes = new List<byte>(seed);
        int edits = rng.Next(1, 5);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = rng.Next(2) == 0 ? rng.Next(Math.Min(bytes.Count, 128)) : rng.Next(bytes.Count);
            switch (rng.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << rng.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)rng.Next(256);
                    break;
                case 2:
                    bytes[at] = (byte)MutationChars[rng.Next(MutationChars.Length)];
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 4:
                    bytes.Insert(at, (byte)rng.Next(256));
                    break;
                default:
                    bytes.RemoveAt(at);
                    break;
            }
        }

        return [.. bytes];
    }
}
