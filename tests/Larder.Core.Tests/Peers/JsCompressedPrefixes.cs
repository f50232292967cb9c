using System.Buffers.Binary;
using System.ComponentModel;
using System.Diagnostics;
using Larder.Ipc.Flatbuf;

namespace Larder.Core.Tests.Peers;

/// <summary>
/// Works around a bug of apache-arrow (JS) 21.2.0's IPC writer (fixed upstream by apache/arrow-js pull request #470,
/// "body prefix must be uncompressed length"): with <c>compressionType</c> set it writes the <em>compressed</em>
/// length in the 8-byte prefix of every compressed body buffer, where the format (Columnar.rst, "Compression") says
/// the <em>uncompressed</em> length. apache-arrow's own reader ignores the prefix, so its round trips pass; Arrow C++
/// and pyarrow refuse such files, and so does Larder ("decompresses to more than the N bytes expected"), rightly.
/// <see cref="RepairAsync"/> rewrites each prefix to the length the buffer really decompresses to (found with the
/// <c>zstd</c>/<c>lz4</c> command-line tools, not with Larder), leaving the compressed bytes as apache-arrow wrote them.
/// </summary>
public static class JsCompressedPrefixes
{
    /// <summary>
    /// Rewrites the prefixes of the compressed body buffers of the IPC file or stream at <paramref name="path"/> in
    /// place. Returns how many buffers were compressed and how many of their prefixes were wrong.
    /// </summary>
    public static async Task<(int Compressed, int Corrected)> RepairAsync(string path)
    {
        byte[] bytes = await File.ReadAllBytesAsync(path);
        int compressed = 0, corrected = 0;
        foreach (var (batch, body) in BodiesOf(bytes, path))
        {
            if (batch.Compression is not { } compression)
            {
                continue;
            }

            string tool = compression.Codec == FbCompressionCodec.Zstd ? "zstd" : "lz4";
            foreach (var buffer in batch.Buffers.ToArray())
            {
                if (buffer.Length < 8)
                {
                    continue; // empty buffers may omit the prefix
                }

                int at = checked((int)(body + buffer.Offset));
                long stated = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at, 8));
                if (stated == -1)
                {
                    continue; // stored uncompressed
                }

                compressed++;
                long actual = await DecompressedLengthAsync(tool, bytes.AsMemory(at + 8, checked((int)buffer.Length - 8)));
                if (actual != stated)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at, 8), actual);
                    corrected++;
                }
            }
        }

        await File.WriteAllBytesAsync(path, bytes);
        return (compressed, corrected);
    }

    /// <summary>Every record batch (a dictionary batch's data included) of the file or stream, with its body's offset.</summary>
    private static List<(FbRecordBatch Batch, long Body)> BodiesOf(byte[] bytes, string path)
    {
        var result = new List<(FbRecordBatch, long)>();
        if (bytes.AsSpan().StartsWith("ARROW1"u8))
        {
            int footerLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(bytes.Length - 10, 4));
            var footer = ArrowFlatbuf.ReadFooter(bytes.AsSpan(bytes.Length - 10 - footerLength, footerLength), path);
            foreach (var block in footer.Dictionaries.ToArray().Concat(footer.RecordBatches.ToArray()))
            {
                int at = checked((int)block.Offset);
                int prefix = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at, 4)) == -1 ? 8 : 4;
                var message = ArrowFlatbuf.ReadMessage(bytes.AsSpan(at + prefix, block.MetaDataLength - prefix), path, at + prefix);
                Add(result, message, block.Offset + block.MetaDataLength);
            }

            return result;
        }

        long position = 0;
        while (position + 4 <= bytes.Length)
        {
            int at = checked((int)position);
            int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at, 4));
            int prefix = 4;
            if (length == -1)
            {
                length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 4, 4));
                prefix = 8;
            }

            if (length == 0)
            {
                break; // end-of-stream marker
            }

            var message = ArrowFlatbuf.ReadMessage(bytes.AsSpan(at + prefix, length), path, at + prefix);
            long body = position + prefix + length;
            Add(result, message, body);
            position = body + message.BodyLength;
        }

        return result;
    }

    private static void Add(List<(FbRecordBatch, long)> result, FbMessage message, long body)
    {
        switch (message.Header)
        {
            case FbRecordBatch batch:
                result.Add((batch, body));
                break;
            case FbDictionaryBatch dictionary:
                result.Add((dictionary.Data, body));
                break;
        }
    }

    /// <summary>Decompresses one frame with Debian's <c>zstd</c> or <c>lz4</c> tool and counts the bytes.</summary>
    private static async Task<long> DecompressedLengthAsync(string tool, ReadOnlyMemory<byte> frame)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-q", "-d", "-c" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new NodePeerException($"cannot start `{tool} -q -d -c`: {e.Message}; {NodePeer.SetupHint} (it installs the zstd and lz4 tools).", e);
        }

        var count = CountAsync(process.StandardOutput.BaseStream);
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.BaseStream.WriteAsync(frame);
        process.StandardInput.Close();
        long length = await count;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(cts.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidDataException($"`{tool} -q -d -c` could not decompress a {frame.Length}-byte body buffer written by apache-arrow (exit {process.ExitCode}): {(await errors).Trim()}");
        }

        return length;
    }

    private static async Task<long> CountAsync(Stream stream)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            total += n;
        }

        return total;
    }
}
