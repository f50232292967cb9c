namespace Larder.Ipc;

/// <summary>Options for reading Arrow IPC files and streams.</summary>
public sealed record IpcReadOptions
{
    /// <summary>Default options.</summary>
    public static IpcReadOptions Default { get; } = new();

    /// <summary>
    /// Validate every batch fully (buffer sizes, offsets, dictionary indices) before handing it out, so that hostile or
    /// corrupt input fails with <see cref="LarderFormatException"/> instead of misbehaving later. Default true; turn off
    /// only for trusted input when the last bit of speed matters.
    /// </summary>
    public bool Validate { get; init; } = true;

    /// <summary>Memory-map files opened by path so uncompressed column data is never copied. Default true.</summary>
    public bool UseMemoryMap { get; init; } = true;
}

/// <summary>Options for writing Arrow IPC files and streams.</summary>
public sealed record IpcWriteOptions
{
    /// <summary>Default options: uncompressed.</summary>
    public static IpcWriteOptions Default { get; } = new();

    /// <summary>
    /// Body compression: null (default, none), <c>"lz4"</c> (LZ4_FRAME) or <c>"zstd"</c> (ZSTD), the two codecs the
    /// Arrow format defines. Buffers that do not shrink are stored uncompressed, as the format allows.
    /// </summary>
    public string? Compression { get; init; }

    /// <summary>Compression level; null (default) uses the codec's default (zstd 3, lz4 fast).</summary>
    public int? CompressionLevel { get; init; }

    /// <summary>
    /// When a dictionary grows between batches (the previous dictionary is a prefix of the new one), send only the new
    /// values as a delta instead of the whole dictionary. Default true.
    /// </summary>
    public bool EmitDictionaryDeltas { get; init; } = true;
}
