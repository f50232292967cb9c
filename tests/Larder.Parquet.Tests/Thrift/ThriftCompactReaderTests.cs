using System.Buffers;
using Larder.Parquet.Thrift;

namespace Larder.Parquet.Tests.Thrift;

public class ThriftCompactReaderTests
{
    [Theory]
    [InlineData(new byte[] { 0x00 }, 0)]
    [InlineData(new byte[] { 0x01 }, -1)]
    [InlineData(new byte[] { 0x02 }, 1)]
    [InlineData(new byte[] { 0x03 }, -2)]
    [InlineData(new byte[] { 0x04 }, 2)]
    [InlineData(new byte[] { 0xFE, 0xFF, 0xFF, 0xFF, 0x0F }, int.MaxValue)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, int.MinValue)]
    public void ReadI32_ZigZagVarint_DecodesValue(byte[] bytes, int expected)
    {
        var r = new ThriftCompactReader(bytes, "t", 0);
        Assert.Equal(expected, r.ReadI32());
        Assert.Equal(bytes.Length, r.Position);
    }

    [Theory]
    [InlineData(new byte[] { 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, long.MaxValue)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, long.MinValue)]
    [InlineData(new byte[] { 0xBE, 0x93, 0x06 }, 50399)]
    public void ReadI64_ZigZagVarint_DecodesValue(byte[] bytes, long expected)
    {
        var r = new ThriftCompactReader(bytes, "t", 0);
        Assert.Equal(expected, r.ReadI64());
        Assert.Equal(bytes.Length, r.Position);
    }

    [Fact]
    public void WriteVarint_SpecExample_MatchesSpec()
    {
        // thrift-compact-protocol.md: 50399 is DF 89 03.
        var output = new ArrayBufferWriter<byte>();
        var w = new ThriftCompactWriter(output);
        w.WriteVarint(50399);
        Assert.Equal(new byte[] { 0xDF, 0x89, 0x03 }, output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x81, 0x00 })]
    public void ReadI64_VarintOverflowingOrLongerThanTenBytes_ThrowsFormatError(byte[] bytes)
    {
        var e = Assert.Throws<LarderFormatException>(() => new ThriftCompactReader(bytes, "t.bin", 100).ReadI64());
        Assert.IsNotType<ThriftTruncatedException>(e);
        Assert.Equal(100, e.Offset);
        Assert.Contains("t.bin", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadI32_VarintBeyond32Bits_ThrowsFormatError()
    {
        byte[] bytes = [0x80, 0x80, 0x80, 0x80, 0x10];
        var e = Assert.Throws<LarderFormatException>(() => new ThriftCompactReader(bytes, "t", 0).ReadI32());
        Assert.Contains("32 bits", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadI16_ValueBeyond16Bits_ThrowsFormatError()
    {
        byte[] bytes = [0x80, 0x80, 0x04]; // zigzag 65536 → 32768
        Assert.Throws<LarderFormatException>(() => new ThriftCompactReader(bytes, "t", 0).ReadI16());
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF })]
    public void ReadI64_TruncatedVarint_ThrowsTruncated(byte[] bytes)
        => Assert.Throws<ThriftTruncatedException>(() => new ThriftCompactReader(bytes, "t", 0).ReadI64());

    [Fact]
    public void ReadFieldHeader_ShortAndLongForms_DecodeIdsAndTypes()
    {
        // id 1 i32 (short), id 100 i64 (long form, zigzag 200 = C8 01), id 101 bool true (short delta 1),
        // id 3 binary (long form: negative delta), id 4 bool false, stop.
        byte[] bytes = [0x15, 0x02, 0x06, 0xC8, 0x01, 0x04, 0x11, 0x08, 0x06, 0x00, 0x12, 0x00];
        var r = new ThriftCompactReader(bytes, "t", 0);
        short saved = r.BeginStruct("S");
        Assert.True(r.ReadFieldHeader(out var t, out short id));
        Assert.Equal((CompactType.I32, (short)1), (t, id));
        Assert.Equal(1, r.ReadI32());
        Assert.True(r.ReadFieldHeader(out t, out id));
        Assert.Equal((CompactType.I64, (short)100), (t, id));
        Assert.Equal(2, r.ReadI64());
        Assert.True(r.ReadFieldHeader(out t, out id));
        Assert.Equal((CompactType.BoolTrue, (short)101), (t, id));
        Assert.True(r.ReadBoolField(t, "b"));
        Assert.True(r.ReadFieldHeader(out t, out id));
        Assert.Equal((CompactType.Binary, (short)3), (t, id));
        Assert.Equal(0, r.ReadBinary("s").Length);
        Assert.True(r.ReadFieldHeader(out t, out id));
        Assert.Equal((CompactType.BoolFalse, (short)4), (t, id));
        Assert.False(r.ReadBoolField(t, "b"));
        Assert.False(r.ReadFieldHeader(out _, out _));
        r.EndStruct(saved);
        Assert.Equal(0, r.Remaining);
    }

    [Fact]
    public void ReadFieldHeader_WriterOutput_RoundTripsEveryDeltaAndLongForm()
    {
        short[] ids = [1, 2, 17, 16, 32, 47, 48, 300, -5, 32767];
        var output = new ArrayBufferWriter<byte>();
        var w = new ThriftCompactWriter(output);
        short saved = w.BeginStruct();
        foreach (short id in ids)
        {
            w.WriteI32Field(id, id * 3);
        }

        w.EndStruct(saved);
        var r = new ThriftCompactReader(output.WrittenSpan, "t", 0);
        saved = r.BeginStruct("S");
        foreach (short expected in ids)
        {
            Assert.True(r.ReadFieldHeader(out var t, out short id));
            Assert.Equal(CompactType.I32, t);
            Assert.Equal(expected, id);
            Assert.Equal(expected * 3, r.ReadI32());
        }

        Assert.False(r.ReadFieldHeader(out _, out _));
        r.EndStruct(saved);
    }

    [Theory]
    [InlineData(new byte[] { 0x1E })]
    [InlineData(new byte[] { 0x1F })]
    [InlineData(new byte[] { 0x10 })]
    public void ReadFieldHeader_UnknownTypeId_ThrowsFormatError(byte[] bytes)
    {
        var e = Assert.Throws<LarderFormatException>(() =>
        {
            var r = new ThriftCompactReader(bytes, "t", 0);
            r.BeginStruct("S");
            r.ReadFieldHeader(out _, out _);
        });
        Assert.Contains("type id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFieldHeader_DeltaPastMaxFieldId_ThrowsFormatError()
    {
        byte[] bytes = [0x05, 0xFE, 0xFF, 0x03, 0x00, 0x15];   // id 32767 (long form), value 0, then delta 1
        Assert.Throws<LarderFormatException>(() =>
        {
            var r = new ThriftCompactReader(bytes, "t", 0);
            r.BeginStruct("S");
            r.ReadFieldHeader(out _, out _);
            r.ReadI32();
            r.ReadFieldHeader(out _, out _);
        });
    }

    [Fact]
    public void ReadBoolField_NonBoolType_ThrowsFormatError()
        => Assert.Throws<LarderFormatException>(() => new ThriftCompactReader([], "t", 0).ReadBoolField(CompactType.I32, "f"));

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(1000)]
    public void BeginList_ShortAndLongSizeForms_RoundTrip(int count)
    {
        var output = new ArrayBufferWriter<byte>();
        var w = new ThriftCompactWriter(output);
        w.WriteListHeader(CompactType.I64, count);
        for (int i = 0; i < count; i++)
        {
            w.WriteI64((i * 7919L) - 500);
        }

        Assert.Equal(count < 15 ? 1 : 2 + (count >= 128 ? 1 : 0), output.WrittenCount - ListPayload(count));
        var r = new ThriftCompactReader(output.WrittenSpan, "t", 0);
        var header = r.BeginList("l");
        Assert.Equal(new ThriftListHeader(CompactType.I64, count), header);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal((i * 7919L) - 500, r.ReadI64());
        }

        r.EndCollection();
        Assert.Equal(0, r.Remaining);
    }

    [Fact]
    public void BeginList_BoolElements_ReadAsBytes()
    {
        // Element type 1 and 2 both mean bool in collections.
        byte[] bytes = [0x31, 0x01, 0x00, 0x01, 0x22, 0x00, 0x01];
        var r = new ThriftCompactReader(bytes, "t", 0);
        var header = r.BeginList("l");
        Assert.Equal(3, header.Count);
        Assert.Equal([true, false, true], new[] { r.ReadBoolElement(), r.ReadBoolElement(), r.ReadBoolElement() });
        r.EndCollection();
        header = r.BeginList("l");
        Assert.Equal(2, header.Count);
        r.SkipElement(header.ElementType);
        r.SkipElement(header.ElementType);
        r.EndCollection();
        Assert.Equal(0, r.Remaining);
    }

    [Fact]
    public void BeginList_HugeCountInSmallInput_ThrowsWithoutAllocating()
    {
        var bytes = new byte[100];
        bytes[0] = 0xF5;                                       // long form, i32 elements
        new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x07 }.CopyTo(bytes, 1); // 2^31 - 1 elements
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ThriftTruncatedException>(() => new ThriftCompactReader(bytes, "t", 0).BeginList("l"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("2147483647", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes");
    }

    [Theory]
    [InlineData(new byte[] { 0xF5, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]   // size beyond int32
    [InlineData(new byte[] { 0x10 })]                                 // element type 0
    [InlineData(new byte[] { 0x1E })]                                 // element type 14
    public void BeginList_InvalidHeader_ThrowsFormatError(byte[] bytes)
        => Assert.Throws<LarderFormatException>(() => new ThriftCompactReader(bytes, "t", 0).BeginList("l"));

    [Fact]
    public void BeginMap_WriterOutput_RoundTrips()
    {
        var output = new ArrayBufferWriter<byte>();
        var w = new ThriftCompactWriter(output);
        w.WriteMapHeader(CompactType.Binary, CompactType.I32, 2);
        w.WriteString("a");
        w.WriteI32(-1);
        w.WriteString("bé");
        w.WriteI32(300);
        w.WriteMapHeader(CompactType.Binary, CompactType.I32, 0);

        var r = new ThriftCompactReader(output.WrittenSpan, "t", 0);
        var map = r.BeginMap("m");
        Assert.Equal(new ThriftMapHeader(CompactType.Binary, CompactType.I32, 2), map);
        Assert.Equal("a", r.ReadString("k"));
        Assert.Equal(-1, r.ReadI32());
        Assert.Equal("bé", r.ReadString("k"));
        Assert.Equal(300, r.ReadI32());
        r.EndCollection();
        Assert.Equal(0, r.BeginMap("m").Count);
        r.EndCollection();
        Assert.Equal(0, r.Remaining);
    }

    [Fact]
    public void BeginMap_CountBeyondInput_ThrowsTruncated()
    {
        byte[] bytes = [0xFF, 0xFF, 0x03, 0x88, 0x00];
        Assert.Throws<ThriftTruncatedException>(() => new ThriftCompactReader(bytes, "t", 0).BeginMap("m"));
    }

    [Fact]
    public void ReadBinary_LengthBeyondInput_ThrowsTruncated()
    {
        byte[] bytes = [0x0A, 0x61, 0x62];
        Assert.Throws<ThriftTruncatedException>(() => new ThriftCompactReader(bytes, "t", 0).ReadBinary("b"));
    }

    [Fact]
    public void ReadString_InvalidUtf8_ThrowsFormatError()
    {
        byte[] bytes = [0x02, 0xC3, 0x28];
        var e = Assert.Throws<LarderFormatException>(() => new ThriftCompactReader(bytes, "t", 0).ReadString("name"));
        Assert.Contains("UTF-8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Skip_UnknownFieldsOfEveryType_ReachesKnownField()
    {
        var output = new ArrayBufferWriter<byte>();
        var w = new ThriftCompactWriter(output);
        short saved = w.BeginStruct();
        w.WriteBoolField(1, true);
        w.WriteBoolField(2, false);
        w.WriteI8Field(3, -7);
        w.WriteI16Field(4, -300);
        w.WriteI32Field(5, 123456);
        w.WriteI64Field(6, long.MinValue);
        w.WriteDoubleField(7, Math.PI);
        w.WriteBinaryField(8, [1, 2, 3]);
        w.WriteFieldHeader(9, CompactType.List);                // list<struct{1: string}>
        w.WriteListHeader(CompactType.Struct, 20);
        for (int i = 0; i < 20; i++)
        {
            short s = w.BeginStruct();
            w.WriteStringField(1, $"item {i}");
            w.EndStruct(s);
        }

        w.WriteFieldHeader(10, CompactType.Set);                // set<bool>
        w.WriteListHeader(CompactType.BoolTrue, 3);
        w.WriteBoolElement(true);
        w.WriteBoolElement(false);
        w.WriteBoolElement(true);
        w.WriteFieldHeader(11, CompactType.Map);                // map<string, list<i64>>
        w.WriteMapHeader(CompactType.Binary, CompactType.List, 2);
        for (int i = 0; i < 2; i++)
        {
            w.WriteString($"k{i}");
            w.WriteListHeader(CompactType.I64, 2);
            w.WriteI64(i);
            w.WriteI64(-i);
        }

        w.WriteFieldHeader(12, CompactType.Struct);             // struct { struct { double, uuid } }
        short outer = w.BeginStruct();
        w.WriteFieldHeader(1, CompactType.Struct);
        short inner = w.BeginStruct();
        w.WriteDoubleField(1, 2.5);
        w.WriteFieldHeader(2, CompactType.Uuid);
        w.EndStruct(inner);
        output.Write(new byte[16]);                              // the uuid's 16 bytes, written raw (after its header)
        w.EndStruct(outer);
        w.WriteFieldHeader(13, CompactType.Uuid);
        output.Write(Enumerable.Range(0, 16).Select(i => (byte)i).ToArray());
        w.WriteFieldHeader(14, CompactType.Map);                // empty map
        w.WriteMapHeader(CompactType.Stop, CompactType.Stop, 0);
        w.WriteFieldHeader(15, CompactType.List);               // list<double>
        w.WriteListHeader(CompactType.Double, 2);
        w.WriteDouble(1);
        w.WriteDouble(2);
        w.WriteI32Field(300, 42);                               // the one known field
        w.EndStruct(saved);

        var bytes = FixUuidInNestedStruct(output.WrittenSpan.ToArray());
        var r = new ThriftCompactReader(bytes, "t", 0);
        saved = r.BeginStruct("S");
        int? known = null;
        int skipped = 0;
        while (r.ReadFieldHeader(out var t, out short id))
        {
            if (id == 300)
            {
                known = r.ReadI32();
            }
            else
            {
                r.Skip(t);
                skipped++;
            }
        }

        r.EndStruct(saved);
        Assert.Equal(42, known);
        Assert.Equal(15, skipped);
        Assert.Equal(0, r.Remaining);
    }

    [Fact]
    public void Skip_StructsNestedBeyondLimit_ThrowsFormatErrorNotStackOverflow()
    {
        // 10,000 nested struct fields: 0x1C (field 1, struct) repeated.
        var bytes = Enumerable.Repeat((byte)0x1C, 10_000).Concat(Enumerable.Repeat((byte)0, 10_001)).ToArray();
        var e = Assert.Throws<LarderFormatException>(() => new ThriftCompactReader(bytes, "t", 0).Skip(CompactType.Struct));
        Assert.Contains("nested more than 64", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Skip_ListsNestedBeyondLimit_ThrowsFormatError()
    {
        // list<list<list<...>>>: each header 0x19 = one element of type list.
        var bytes = Enumerable.Repeat((byte)0x19, 5_000).ToArray();
        var e = Assert.Throws<LarderFormatException>(() => new ThriftCompactReader(bytes, "t", 0).Skip(CompactType.List));
        Assert.Contains("nested more than 64", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Skip_ListsNestedWithinLimit_Succeeds()
    {
        var bytes = Enumerable.Repeat((byte)0x19, 40).Append((byte)0x05).ToArray(); // innermost: 0 i32s
        var r = new ThriftCompactReader(bytes, "t", 0);
        r.Skip(CompactType.List);
        Assert.Equal(0, r.Remaining);
    }

    [Fact]
    public void BeginStruct_ObjectBudgetExhausted_ThrowsFormatError()
    {
        // A list of 50 empty structs under a budget of 10 objects.
        var bytes = new byte[] { 0xFC, 50 }.Concat(new byte[50]).ToArray();
        var e = Assert.Throws<LarderFormatException>(() =>
        {
            var r = new ThriftCompactReader(bytes, "t", 0, new ThriftLimits(64, 10));
            r.Skip(CompactType.List);
        });
        Assert.Contains("limit of 10", e.Message, StringComparison.Ordinal);
    }

    private static int ListPayload(int count)
    {
        int total = 0;
        var output = new ArrayBufferWriter<byte>();
        var w = new ThriftCompactWriter(output);
        for (int i = 0; i < count; i++)
        {
            w.WriteI64((i * 7919L) - 500);
        }

        total += output.WrittenCount;
        return total;
    }

    // The nested struct's uuid field header was written before the inner stop byte; move the 16 uuid bytes right after
    // the header (the writer has no uuid helper: Parquet has no uuid fields).
    private static byte[] FixUuidInNestedStruct(byte[] bytes)
    {
        // Locate the inner struct's uuid header: 0x1D (delta 1, type 13) followed by the inner stop (0) and then 16 zeros
        // and the outer stop (0). Reorder to header, 16 zeros, inner stop, outer stop.
        int at = Array.IndexOf(bytes, (byte)0x1D);
        var list = bytes.ToList();
        list.RemoveAt(at + 1);              // the inner stop written before the uuid bytes
        list.Insert(at + 1 + 16, 0);        // after the uuid
        return list.ToArray();
    }
}
