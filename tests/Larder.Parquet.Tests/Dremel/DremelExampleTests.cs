using Larder.Columnar;
using Larder.Parquet.Dremel;
using Larder.TestKit;
using static Larder.Parquet.Tests.Dremel.LevelTestKit;

namespace Larder.Parquet.Tests.Dremel;

/// <summary>The Document example of the Dremel paper (Melnik et al., 2010, figures 2 and 3) with its exact level sequences.</summary>
public class DremelExampleTests
{
    private static readonly ArrowType Int64List = new ListType(new Field("element", ArrowType.Int64, nullable: false));

    private static readonly StructType LanguageType = new([new Field("Code", ArrowType.String, nullable: false), new Field("Country", ArrowType.String)]);

    private static readonly StructType NameType = new([
        new Field("Language", new ListType(new Field("element", LanguageType, nullable: false)), nullable: false),
        new Field("Url", ArrowType.String),
    ]);

    private static readonly Field Document = new("Document", new StructType([
        new Field("DocId", ArrowType.Int64, nullable: false),
        new Field("Links", new StructType([new Field("Backward", Int64List, nullable: false), new Field("Forward", Int64List, nullable: false)])),
        new Field("Name", new ListType(new Field("element", NameType, nullable: false)), nullable: false),
    ]), nullable: false);

    private static ArrayData Records() => Rows(
        Document.Type,
        Row(
            ("DocId", 10L),
            ("Links", Row(("Backward", Array.Empty<object>()), ("Forward", new object[] { 20L, 40L, 60L }))),
            ("Name", new object[]
            {
                Row(("Language", new object[] { Row(("Code", "en-us"), ("Country", "us")), Row(("Code", "en"), ("Country", null)) }), ("Url", "http://A")),
                Row(("Language", Array.Empty<object>()), ("Url", "http://B")),
                Row(("Language", new object[] { Row(("Code", "en-gb"), ("Country", "gb")) }), ("Url", null)),
            })),
        Row(
            ("DocId", 20L),
            ("Links", Row(("Backward", new object[] { 10L, 30L }), ("Forward", new object[] { 80L }))),
            ("Name", new object[] { Row(("Language", Array.Empty<object>()), ("Url", "http://C")) })));

    [Fact]
    public void For_Document_LeavesHavePaperMaxLevels()
    {
        var leaves = LeafPaths.For(Document);

        Assert.Equal(
            ["Document.DocId", "Document.Links.Backward.list.element", "Document.Links.Forward.list.element", "Document.Name.list.element.Language.list.element.Code", "Document.Name.list.element.Language.list.element.Country", "Document.Name.list.element.Url"],
            leaves.Select(l => l.Name));
        Assert.Equal([0, 2, 2, 2, 3, 2], leaves.Select(l => l.MaxDefinitionLevel));
        Assert.Equal([0, 1, 1, 2, 2, 1], leaves.Select(l => l.MaxRepetitionLevel));
    }

    [Fact]
    public void Shred_Document_GivesPaperLevels()
    {
        var shredder = new LevelShredder(Document);
        shredder.Shred(Records());
        var r = shredder.Results;

        Assert.Equal(2, r[0].LevelCount);
        Assert.True(r[0].DefinitionLevels.IsEmpty);
        Assert.True(r[0].RepetitionLevels.IsEmpty);
        Assert.Equal([10L, 20L], Longs(r[0].Values));

        Assert.Equal([1, 2, 2], r[1].DefinitionLevels.ToArray().Select(x => (int)x));
        Assert.Equal([0, 0, 1], r[1].RepetitionLevels.ToArray().Select(x => (int)x));
        Assert.Equal([10L, 30L], Longs(r[1].Values));

        Assert.Equal([2, 2, 2, 2], r[2].DefinitionLevels.ToArray().Select(x => (int)x));
        Assert.Equal([0, 1, 1, 0], r[2].RepetitionLevels.ToArray().Select(x => (int)x));
        Assert.Equal([20L, 40L, 60L, 80L], Longs(r[2].Values));

        Assert.Equal([2, 2, 1, 2, 1], r[3].DefinitionLevels.ToArray().Select(x => (int)x));
        Assert.Equal([0, 2, 1, 1, 0], r[3].RepetitionLevels.ToArray().Select(x => (int)x));
        Assert.Equal<string>(["en-us", "en", "en-gb"], Strings(r[3].Values));

        Assert.Equal([3, 2, 1, 3, 1], r[4].DefinitionLevels.ToArray().Select(x => (int)x));
        Assert.Equal([0, 2, 1, 1, 0], r[4].RepetitionLevels.ToArray().Select(x => (int)x));
        Assert.Equal<string>(["us", "gb"], Strings(r[4].Values));

        Assert.Equal([2, 2, 1, 2], r[5].DefinitionLevels.ToArray().Select(x => (int)x));
        Assert.Equal([0, 1, 1, 0], r[5].RepetitionLevels.ToArray().Select(x => (int)x));
        Assert.Equal<string>(["http://A", "http://B", "http://C"], Strings(r[5].Values));
    }

    [Fact]
    public void Assemble_DocumentLevels_RebuildsRecords()
    {
        var records = Records();
        var assembled = new LevelAssembler(Document).Assemble(Shred(Document, records));

        ArrayValidator.Validate(assembled);
        ArrowAssert.Equal(ArrowArrayFactory.Create(records), ArrowArrayFactory.Create(assembled));
    }

    [Fact]
    public void Assemble_PaperLevelsByHand_RebuildsRecords()
    {
        static LeafLevels L(short[] def, short[] rep, ArrayData values) => new(def, rep, values);
        var leaves = new List<LeafLevels>
        {
            L([], [], Rows(ArrowType.Int64, 10L, 20L)),
            L([1, 2, 2], [0, 0, 1], Rows(ArrowType.Int64, 10L, 30L)),
            L([2, 2, 2, 2], [0, 1, 1, 0], Rows(ArrowType.Int64, 20L, 40L, 60L, 80L)),
            L([2, 2, 1, 2, 1], [0, 2, 1, 1, 0], Rows(ArrowType.String, "en-us", "en", "en-gb")),
            L([3, 2, 1, 3, 1], [0, 2, 1, 1, 0], Rows(ArrowType.String, "us", "gb")),
            L([2, 2, 1, 2], [0, 1, 1, 0], Rows(ArrowType.String, "http://A", "http://B", "http://C")),
        };

        var assembled = new LevelAssembler(Document).Assemble(leaves);

        ArrowAssert.Equal(ArrowArrayFactory.Create(Records()), ArrowArrayFactory.Create(assembled));
    }

    private static long[] Longs(ArrayData data) => ((PrimitiveArray<long>)ArrowArrayFactory.Create(data)).Values.ToArray();

    private static string[] Strings(ArrayData data)
    {
        var a = (StringArray)ArrowArrayFactory.Create(data);
        return [.. Enumerable.Range(0, a.Length).Select(i => a.GetString(i) ?? "<null>")];
    }
}
