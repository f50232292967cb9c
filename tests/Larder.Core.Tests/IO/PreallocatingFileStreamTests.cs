using System.Diagnostics;
using Larder.IO;

namespace Larder.Core.Tests.IO;

public class PreallocatingFileStreamTests
{
    [Fact]
    public async Task Write_ManyChunks_LengthIsBytesWrittenAndReservationReleased()
    {
        string path = Path.Combine(Path.GetTempPath(), $"larder-prealloc-{Guid.NewGuid():N}.bin");
        try
        {
            var chunk = new byte[3 << 20];
            new Random(5).NextBytes(chunk);
            await using (var s = new PreallocatingFileStream(path))
            {
                for (int i = 0; i < 7; i++)
                {
                    await s.WriteAsync(chunk);
                }

                s.Write(chunk.AsSpan(0, 123));
            }

            long expected = (7L * chunk.Length) + 123;
            Assert.Equal(expected, new FileInfo(path).Length);
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.True(bytes.AsSpan(6 * chunk.Length, chunk.Length).SequenceEqual(chunk));

            // Blocks reserved past the end were given back: allocation is within a few blocks of the length.
            long allocated = AllocatedBytes(path);
            Assert.InRange(allocated, expected, expected + (1 << 20));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Create_ExistingFileWithCreateNew_Throws()
    {
        string path = Path.GetTempFileName();
        try
        {
            Assert.Throws<IOException>(() => new PreallocatingFileStream(path, FileMode.CreateNew));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static long AllocatedBytes(string path)
    {
        var psi = new ProcessStartInfo("stat", ["-c", "%b %B", path]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var parts = p.StandardOutput.ReadToEnd().Trim().Split(' ');
        p.WaitForExit();
        return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
