using System.Diagnostics;
using Larder.Columnar;
using Xunit.Abstractions;

namespace Larder.Core.Tests.Columnar;

/// <summary>Smoke test at scale: maps a million records each way and reports the time (no timing assertion).</summary>
public class RecordMapperPerfTests(ITestOutputHelper output)
{
    private const int Count = 1_000_000;

    [Fact]
    public void RoundTrip_MillionSimpleRecords_Completes()
    {
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var random = new Random(1);
        var records = new Simple[Count];
        for (int i = 0; i < Count; i++)
        {
            records[i] = new Simple
            {
                Id = i,
                Value = random.NextInt64(),
                Score = random.NextDouble(),
                Name = "name" + (i % 1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Active = (i & 1) == 0,
                At = start.AddSeconds(i),
            };
        }

        // Warm up (plan compilation and JIT), then measure.
        _ = RecordMapper.FromRecordBatch<Simple>(RecordMapper.ToRecordBatch(records.AsSpan(0, 1000).ToArray())).Count();

        var watch = Stopwatch.StartNew();
        var batch = RecordMapper.ToRecordBatch(records);
        var toBatch = watch.Elapsed;

        watch.Restart();
        var batches = RecordMapper.ToRecordBatches(records).ToList();
        var toBatches = watch.Elapsed;

        watch.Restart();
        long checksum = 0;
        foreach (var r in RecordMapper.FromRecordBatch<Simple>(batch))
        {
            checksum += r.Id;
        }

        var fromBatch = watch.Elapsed;

        output.WriteLine($"{Count:N0} records: ToRecordBatch {toBatch.TotalMilliseconds:F0} ms, ToRecordBatches(65536) {toBatches.TotalMilliseconds:F0} ms, FromRecordBatch {fromBatch.TotalMilliseconds:F0} ms");
        Assert.Equal(Count, batch.Length);
        Assert.Equal(Count, batches.Sum(b => b.Length));
        Assert.Equal((long)Count * (Count - 1) / 2, checksum);
    }
}
