using Larder.TestKit;
using Xunit.Abstractions;

namespace Larder.Core.Tests.Peers;

/// <summary>
/// DESIGN §4: apache-arrow (JS) reads every Arrow IPC file Larder writes, with equal values. For one type at a time:
/// Larder writes three batches of random data (nulls, one sliced batch, schema and field metadata), the real
/// apache-arrow reads them and writes them back (<c>roundtrip.mjs</c>), and Larder must read apache-arrow's output
/// equal to what it wrote. File and stream are separate classes so that xunit runs them in parallel.
/// </summary>
public sealed class JsArrowFileRoundTripTests(ITestOutputHelper output)
{
    public static TheoryData<string> Fields() => JsArrowPeer.SupportedFieldNames();

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task RoundTrip_SingleTypeIpcFile_ApacheArrowWritesBackEqualValues(string field)
        => output.WriteLine(await JsArrowChecks.SingleTypeAsync(field, "file"));
}

/// <summary>As <see cref="JsArrowFileRoundTripTests"/>, for Arrow IPC streams.</summary>
public sealed class JsArrowStreamRoundTripTests(ITestOutputHelper output)
{
    public static TheoryData<string> Fields() => JsArrowPeer.SupportedFieldNames();

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task RoundTrip_SingleTypeIpcStream_ApacheArrowWritesBackEqualValues(string field)
        => output.WriteLine(await JsArrowChecks.SingleTypeAsync(field, "stream"));
}

/// <summary>
/// The whole of <see cref="RandomData.AllTypesSchema"/> in one file or stream, for every body compression Larder
/// writes (none, lz4, zstd): apache-arrow must read every value equal (compared row by row through <c>dump.mjs</c>) and
/// write it back equal. And the other way: apache-arrow writes compressed bodies, Larder reads them equal.
/// </summary>
public sealed class JsArrowAllTypesTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> FormatsAndCodecs() => JsArrowPeer.FormatCodecPairs(includeNone: true);

    public static TheoryData<string, string> FormatsAndRealCodecs() => JsArrowPeer.FormatCodecPairs(includeNone: false);

    [Theory]
    [MemberData(nameof(FormatsAndCodecs))]
    public async Task Write_AllTypesSchema_ApacheArrowReadsEqualValues(string format, string codec)
        => output.WriteLine(await JsArrowChecks.ApacheArrowReadsAllTypesAsync(format, codec));

    [Theory]
    [MemberData(nameof(FormatsAndCodecs))]
    public async Task RoundTrip_AllTypesSchema_ApacheArrowWritesBackEqualValues(string format, string codec)
        => output.WriteLine(await JsArrowChecks.AllTypesAsync(format, codec));

    /// <remarks>
    /// apache-arrow 21.2.0 writes the compressed length where the format wants the uncompressed one (fixed upstream
    /// in apache/arrow-js#470); the check repairs those prefixes with the zstd/lz4 tools, then reads with Larder.
    /// </remarks>
    [Theory]
    [MemberData(nameof(FormatsAndRealCodecs))]
    public async Task Read_ApacheArrowCompressedAllTypes_LarderReadsEqualValues(string format, string codec)
        => output.WriteLine(await JsArrowChecks.ApacheArrowCompressedAsync(format, codec));

    [Theory]
    [MemberData(nameof(FormatsAndRealCodecs))]
    public async Task Read_ApacheArrowCompressedRepetitiveColumns_CompressedAndLarderReadsEqualValues(string format, string codec)
        => output.WriteLine(await JsArrowChecks.ApacheArrowCompressedRepetitiveAsync(format, codec));

    /// <summary>The unrepaired output of apache-arrow's buggy compression is refused with a clear error, not misread.</summary>
    [Theory]
    [MemberData(nameof(FormatsAndRealCodecs))]
    public async Task Read_ApacheArrowCompressedWithWrongLengthPrefixes_ThrowsFormatError(string format, string codec)
        => output.WriteLine(await JsArrowChecks.ApacheArrowCompressedUnrepairedAsync(format, codec));
}
