using System.Diagnostics;
using System.Text.RegularExpressions;
using Larder.TestKit;
using Xunit.Abstractions;

namespace Larder.Core.Tests.Peers;

/// <summary>
/// The interop matrix against apache-arrow (JS) at a glance: runs (or joins the runs already under way of) every
/// check of this folder, prints how many type × format × codec combinations were verified, what apache-arrow wrote
/// that Larder read, and the exclusions with their reasons; fails when any check failed, listing them.
/// </summary>
public sealed class JsArrowSummaryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Summary_InteropMatrix_PrintsVerifiedCombinationsAndExclusions()
    {
        var clock = Stopwatch.StartNew();
        var all = RandomData.AllTypesSchema();
        var supported = JsArrowPeer.SupportedFields();

        // The exclusions name real fields, each with a reason, and together with the supported fields cover all.
        Assert.All(JsArrowPeer.Exclusions, e => Assert.True(all.GetFieldIndex(e.Key) >= 0 && !string.IsNullOrWhiteSpace(e.Value), $"exclusion '{e.Key}'"));
        Assert.Equal(all.Count, supported.Count + JsArrowPeer.Exclusions.Count);

        string node = await NodePeer.EnsureAvailableAsync();
        string arrow = await JsArrowPeer.VersionAsync();
        var failures = new List<string>();
        async Task<bool> Check(string label, Func<Task<string>> check)
        {
            try
            {
                await check();
                return true;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add($"{label}: {e.GetType().Name}: {FirstLine(e.Message)}");
                return false;
            }
        }

        output.WriteLine($"apache-arrow {arrow} (JS) on node {node}; {all.Count} types in RandomData.AllTypesSchema(), {supported.Count} supported, {JsArrowPeer.Exclusions.Count} excluded");
        output.WriteLine(string.Empty);
        output.WriteLine("Larder writes → apache-arrow reads (dump.mjs: batches, metadata, every value row by row):");
        var read = new HashSet<(string Type, string Format, string Codec)>();
        foreach (var format in JsArrowPeer.Formats)
        {
            foreach (var codec in JsArrowPeer.Codecs)
            {
                bool ok = await Check($"apache-arrow reads all types {format} {codec}", () => JsArrowChecks.ApacheArrowReadsAllTypesAsync(format, codec));
                if (ok)
                {
                    read.UnionWith(supported.Select(f => (f.Name, format, codec)));
                }

                output.WriteLine($"  all {supported.Count} types in one {format}, Larder body compression {codec}: {(ok ? "equal" : "FAILED")}");
            }
        }

        int combinations = supported.Count * JsArrowPeer.Formats.Count * JsArrowPeer.Codecs.Count;
        output.WriteLine($"  => {read.Count} of {combinations} type × format × codec combinations read equal by apache-arrow ({supported.Count} types × {JsArrowPeer.Formats.Count} formats × {JsArrowPeer.Codecs.Count} codecs)");
        output.WriteLine(string.Empty);

        output.WriteLine("Larder writes → apache-arrow reads and writes back (uncompressed, same format) → Larder reads (equal schema with metadata, batches):");
        var roundTripped = new HashSet<(string Type, string Format, string Codec)>();
        foreach (var format in JsArrowPeer.Formats)
        {
            int ok = 0;
            foreach (var field in supported)
            {
                if (await Check($"single type {field.Name} {format}", () => JsArrowChecks.SingleTypeAsync(field.Name, format)))
                {
                    ok++;
                    roundTripped.Add((field.Name, format, "none"));
                }
            }

            output.WriteLine($"  one type per {format}, uncompressed: {ok} of {supported.Count} types equal");
        }

        foreach (var format in JsArrowPeer.Formats)
        {
            foreach (var codec in JsArrowPeer.Codecs)
            {
                bool ok = await Check($"all types {format} {codec}", () => JsArrowChecks.AllTypesAsync(format, codec));
                if (ok)
                {
                    roundTripped.UnionWith(supported.Select(f => (f.Name, format, codec)));
                }

                output.WriteLine($"  all {supported.Count} types in one {format}, Larder body compression {codec}: {(ok ? "equal" : "FAILED")}");
            }
        }

        output.WriteLine($"  => {roundTripped.Count} of {combinations} type × format × codec combinations round-tripped equal");
        output.WriteLine(string.Empty);

        output.WriteLine("apache-arrow writes → Larder reads:");
        foreach (var name in new[] { "js.arrow", "js.arrows" })
        {
            bool ok = await Check($"generate.mjs {name}", () => JsArrowChecks.GeneratedAsync(name));
            output.WriteLine($"  generate.mjs {name} (30 columns × 1,000 rows, 3 batches) equal to js.expected.json: {(ok ? "yes" : "FAILED")}");
        }

        foreach (var format in JsArrowPeer.Formats)
        {
            foreach (var codec in JsArrowPeer.Codecs.Where(c => c != "none"))
            {
                bool all1 = await Check($"apache-arrow {codec} {format}, all types", () => JsArrowChecks.ApacheArrowCompressedAsync(format, codec));
                bool repetitive = await Check($"apache-arrow {codec} {format}, repetitive", () => JsArrowChecks.ApacheArrowCompressedRepetitiveAsync(format, codec));
                bool refused = await Check($"apache-arrow {codec} {format}, unrepaired refused", () => JsArrowChecks.ApacheArrowCompressedUnrepairedAsync(format, codec));
                output.WriteLine($"  apache-arrow {codec} {format}: all {supported.Count} types {(all1 ? "equal" : "FAILED")}, repetitive columns {(repetitive ? "compressed and equal" : "FAILED")}, wrong length prefixes {(refused ? "refused clearly" : "FAILED")}");
            }
        }

        output.WriteLine(string.Empty);
        output.WriteLine("Exclusions (types apache-arrow cannot carry):");
        if (JsArrowPeer.Exclusions.Count == 0)
        {
            output.WriteLine($"  none: every type of RandomData.AllTypesSchema() (nested, dictionary, decimal256, intervals, float16, large types included) round-trips through apache-arrow {arrow}");
        }

        foreach (var (field, reason) in JsArrowPeer.Exclusions)
        {
            output.WriteLine($"  {field}: {reason}");
        }

        output.WriteLine("Worked around in these tests (an apache-arrow bug, not a Larder one): apache-arrow 21.2.0 writes the compressed length, not the uncompressed one, in the 8-byte prefix of compressed body buffers (apache/arrow-js#470); JsCompressedPrefixes repairs it before Larder reads, and Larder refuses the unrepaired output.");
        output.WriteLine(string.Empty);
        output.WriteLine($"{failures.Count} check(s) failed; summary took {clock.Elapsed.TotalSeconds:0.0} s (runs shared with the other tests of this folder).");
        foreach (var cause in failures.GroupBy(Cause).OrderByDescending(g => g.Count()))
        {
            output.WriteLine($"  {cause.Count()} × {cause.Key}");
        }

        foreach (var failure in failures)
        {
            output.WriteLine("  FAILED " + failure);
        }

        Assert.True(failures.Count == 0, $"{failures.Count} interop check(s) failed:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    /// <summary>A failure's message without the check's label and temporary paths, to group failures by cause.</summary>
    private static string Cause(string failure)
    {
        string message = failure[(failure.IndexOf(": ", StringComparison.Ordinal) + 2)..];
        return Regex.Replace(message, Regex.Escape(Path.GetTempPath()) + @"\S+", "<file>");
    }

    private static string FirstLine(string text)
    {
        int n = text.IndexOf('\n', StringComparison.Ordinal);
        return n < 0 ? text : text[..n].TrimEnd();
    }
}
