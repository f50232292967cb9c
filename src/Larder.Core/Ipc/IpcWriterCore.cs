using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Larder.Columnar;
using Larder.Compression;
using Larder.Ipc.Flatbuf;
using Larder.Memory;

namespace Larder.Ipc;

/// <summary>
/// The shared engine of <see cref="ArrowFileWriter"/> and <see cref="ArrowStreamWriter"/>: frames messages, lays out
/// bodies (8-byte aligned buffers, optional per-buffer compression), tracks dictionaries and file blocks.
/// Every I/O method takes an <c>async</c> flag so the sync and async public methods share one implementation.
/// </summary>
internal sealed class IpcWriterCore : IDisposable
{
    private static readonly byte[] Padding = new byte[64];

    // Stands for a null dictionary value in value → index maps (which cannot hold null keys).
    private static readonly object NullKey = new();

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly bool _fileFormat;
    private readonly IpcWriteOptions _options;
    private readonly FbSchema _fbSchema;
    private readonly IpcSchema _ipcSchema;
    private readonly ICompressionCodec? _codec;
    private readonly FbBodyCompression? _compression;
    private readonly Dictionary<long, ArrayData> _sentDictionaries = [];

    // File format only: value → index in the dictionary sent so far, to remap batches whose dictionary differs.
    private readonly Dictionary<long, Dictionary<object, int>> _dictionaryIndex = [];

    // Per batch: dictionary id → new index for each index of the batch's own dictionary.
    private readonly Dictionary<long, int[]> _remaps = [];
    private readonly List<Block> _dictionaryBlocks = [];
    private readonly List<Block> _batchBlocks = [];
    private readonly ArrayBufferWriter<byte> _metadata = new(1024);
    private readonly byte[] _prefix = new byte[8];
    private long _position;
    private bool _started;
    private bool _finished;

    public IpcWriterCore(Stream stream, Schema schema, IpcWriteOptions? options, bool leaveOpen, bool fileFormat)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        ArgumentNullException.ThrowIfNull(schema);
        _options = options ?? IpcWriteOptions.Default;
        _leaveOpen = leaveOpen;
        _fileFormat = fileFormat;
        (_fbSchema, _ipcSchema) = IpcSchemaConverter.ToFlatbuf(schema);
        if (_options.Compression is { } name)
        {
            _codec = CompressionCodecs.Create(name, new CompressionOptions { Level = _options.CompressionLevel });
            _compression = _codec.Name switch
            {
                "lz4" => new FbBodyCompression(FbCompressionCodec.Lz4Frame),
                "zstd" => new FbBodyCompression(FbCompressionCodec.Zstd),
                _ => throw LarderErrors.Usage($"Arrow IPC bodies can be compressed with lz4 or zstd, not '{name}'."),
            };
        }

        Schema = schema;
    }

    public Schema Schema { get; }

    public async ValueTask WriteBatch(RecordBatch batch, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_finished, this);
        if (!batch.Schema.Fields.Select(f => f.Type).SequenceEqual(Schema.Fields.Select(f => f.Type)))
        {
            throw LarderErrors.SchemaMismatch($"the writer's schema is ({string.Join(", ", Schema.Fields)}) but the batch has ({string.Join(", ", batch.Schema.Fields)})");
        }

        await Start(async, cancellationToken).ConfigureAwait(false);

        // Dictionaries first (inner ones before those whose values reference them), then the batch.
        var dictionaries = new List<(long Id, ArrayData Values, IpcField Field)>();
        for (int i = 0; i < batch.ColumnCount; i++)
        {
            CollectDictionaries(_ipcSchema.Fields[i], batch.Column(i).Data, dictionaries);
        }

        _remaps.Clear();
        foreach (var (id, values, field) in dictionaries)
        {
            await WriteDictionary(id, values, field, async, cancellationToken).ConfigureAwait(false);
        }

        var body = new BodyBuilder(this);
        for (int i = 0; i < batch.ColumnCount; i++)
        {
            body.AddArray(batch.Column(i).Data, _ipcSchema.Fields[i]);
        }

        var header = body.ToRecordBatch(batch.Length);
        var block = await WriteMessage(header, body, async, cancellationToken).ConfigureAwait(false);
        _batchBlocks.Add(block);
    }

    public async ValueTask Finish(bool async, CancellationToken cancellationToken)
    {
        if (_finished)
        {
            return;
        }

        await Start(async, cancellationToken).ConfigureAwait(false);
        if (_fileFormat)
        {
            // End-of-stream marker, then footer, its length and the magic.
            await Write(EndOfStream, async, cancellationToken).ConfigureAwait(false);
            var footer = new FbFooter(MetadataVersion.V5, _fbSchema, _dictionaryBlocks.ToArray(), _batchBlocks.ToArray());
            _metadata.Clear();
            int length = ArrowFlatbuf.WriteFooter(footer, _metadata);
            await Write(_metadata.WrittenMemory, async, cancellationToken).ConfigureAwait(false);
            BinaryPrimitives.WriteInt32LittleEndian(_prefix, length);
            await Write(_prefix.AsMemory(0, 4), async, cancellationToken).ConfigureAwait(false);
            await Write("ARROW1"u8.ToArray(), async, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await Write(EndOfStream, async, cancellationToken).ConfigureAwait(false);
        }

        if (async)
        {
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _stream.Flush();
        }

        _finished = true;
    }

    public void Dispose()
    {
        _finished = true;
        _codec?.Dispose();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _finished = true;
        _codec?.Dispose();
        if (!_leaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static ReadOnlyMemory<byte> EndOfStream { get; } = new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0 };

    private async ValueTask Start(bool async, CancellationToken cancellationToken)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        if (_fileFormat)
        {
            await Write("ARROW1\0\0"u8.ToArray(), async, cancellationToken).ConfigureAwait(false);
        }

        await WriteMessage(_fbSchema, null, async, cancellationToken).ConfigureAwait(false);
    }

    private void CollectDictionaries(IpcField field, ArrayData data, List<(long, ArrayData, IpcField)> output)
    {
        if (field.DictionaryId is long id)
        {
            var values = data.Dictionary!;
            var valueField = _ipcSchema.Dictionaries[id];
            for (int i = 0; i < valueField.Children.Length; i++)
            {
                CollectDictionaries(valueField.Children[i], values.Children[i], output);
            }

            if (!output.Exists(x => x.Item1 == id))
            {
                output.Add((id, values, valueField));
            }

            return;
        }

        for (int i = 0; i < field.Children.Length; i++)
        {
            CollectDictionaries(field.Children[i], data.Children[i], output);
        }
    }

    private async ValueTask WriteDictionary(long id, ArrayData values, IpcField field, bool async, CancellationToken cancellationToken)
    {
        bool isDelta = false;
        var toSend = values;
        if (_sentDictionaries.TryGetValue(id, out var sent))
        {
            if (ReferenceEquals(sent, values))
            {
                return;
            }

            if (values.Length >= sent.Length && ArrayEquality.RangeEquals(sent, 0, values, 0, sent.Length))
            {
                if (values.Length == sent.Length)
                {
                    _sentDictionaries[id] = values;
                    return;
                }

                if (_options.EmitDictionaryDeltas || _fileFormat)
                {
                    isDelta = true;
                    toSend = values.Slice(sent.Length, values.Length - sent.Length);
                }
            }
            else if (_fileFormat)
            {
                // The file format keeps one dictionary per column: merge this batch's values into it (sent as a delta)
                // and remap the batch's indices.
                (isDelta, toSend) = (true, Unify(id, sent, values, field));
                if (toSend.Length == 0)
                {
                    return;
                }
            }
        }

        var body = new BodyBuilder(this);
        body.AddArray(toSend, field);
        var header = new FbDictionaryBatch(id, body.ToRecordBatch(toSend.Length), isDelta);
        var block = await WriteMessage(header, body, async, cancellationToken).ConfigureAwait(false);
        _dictionaryBlocks.Add(block);
        if (isDelta && _remaps.ContainsKey(id))
        {
            _sentDictionaries[id] = ArrayConcatenator.Concatenate([sent!, toSend]);
        }
        else
        {
            _sentDictionaries[id] = values;
            _dictionaryIndex.Remove(id);
        }
    }

    /// <summary>The values of <paramref name="values"/> not yet in the sent dictionary; records the index remap for this batch.</summary>
    private ArrayData Unify(long id, ArrayData sent, ArrayData values, IpcField field)
    {
        if (HasDictionary(field))
        {
            throw LarderErrors.Usage($"the dictionary of column '{field.Field.Name}' changes between batches and itself holds dictionary-encoded values, which the Arrow file format cannot merge; write an Arrow stream (.arrows) instead.");
        }

        if (!_dictionaryIndex.TryGetValue(id, out var index))
        {
            index = new Dictionary<object, int>(BoxedValueComparer.Instance);
            var sentArray = ArrowArrayFactory.Create(sent);
            for (int i = 0; i < sentArray.Length; i++)
            {
                index.TryAdd(sentArray.GetValue(i) ?? NullKey, i);
            }

            _dictionaryIndex[id] = index;
        }

        var array = ArrowArrayFactory.Create(values);
        var remap = new int[array.Length];
        var added = ArrayBuilderFactory.Create(values.Type);
        for (int i = 0; i < array.Length; i++)
        {
            object? value = array.GetValue(i);
            if (!index.TryGetValue(value ?? NullKey, out int at))
            {
                at = sent.Length + added.Length;
                index.Add(value ?? NullKey, at);
                added.AppendValue(value);
            }

            remap[i] = at;
        }

        _remaps[id] = remap;
        return added.Build().Data;
    }

    private static bool HasDictionary(IpcField field) => field.Children.Any(c => c.DictionaryId is not null || HasDictionary(c));

    private async ValueTask<Block> WriteMessage(FbMessageHeader header, BodyBuilder? body, bool async, CancellationToken cancellationToken)
    {
        long bodyLength = body?.Length ?? 0;
        var message = new FbMessage(MetadataVersion.V5, header, bodyLength);
        _metadata.Clear();
        int fbLength = ArrowFlatbuf.WriteMessage(message, _metadata);
        int padded = (int)BitUtil.RoundUpTo8(fbLength);
        long offset = _position;
        BinaryPrimitives.WriteInt32LittleEndian(_prefix, -1);
        BinaryPrimitives.WriteInt32LittleEndian(_prefix.AsSpan(4), padded);
        await Write(_prefix, async, cancellationToken).ConfigureAwait(false);
        await Write(_metadata.WrittenMemory, async, cancellationToken).ConfigureAwait(false);
        await Write(Padding.AsMemory(0, padded - fbLength), async, cancellationToken).ConfigureAwait(false);
        if (body is not null)
        {
            foreach (var segment in body.Segments)
            {
                await Write(segment, async, cancellationToken).ConfigureAwait(false);
            }

            body.Release();
        }

        return new Block(offset, 8 + padded, bodyLength);
    }

    private async ValueTask Write(ReadOnlyMemory<byte> bytes, bool async, CancellationToken cancellationToken)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        if (async)
        {
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _stream.Write(bytes.Span);
        }

        _position += bytes.Length;
    }

    /// <summary>Lays out one message body: field nodes, buffer specs and the byte segments to write, in schema order.</summary>
    private sealed class BodyBuilder
    {
        private readonly IpcWriterCore _owner;
        private readonly List<FieldNode> _nodes = [];
        private readonly List<BufferSpec> _buffers = [];
        private readonly List<byte[]> _rented = [];

        public BodyBuilder(IpcWriterCore owner) => _owner = owner;

        public List<ReadOnlyMemory<byte>> Segments { get; } = [];

        public long Length { get; private set; }

        public FbRecordBatch ToRecordBatch(long length)
            => new(length, _nodes.ToArray(), _buffers.ToArray(), _owner._compression);

        public void Release()
        {
            foreach (var a in _rented)
            {
                ArrayPool<byte>.Shared.Return(a);
            }

            _rented.Clear();
        }

        public void AddArray(ArrayData data, IpcField field)
        {
            int length = data.Length;
            int offset = data.Offset;
            var type = data.Type;
            _nodes.Add(new FieldNode(length, data.NullCount));
            if (type.Id == ArrowTypeId.Null)
            {
                return;
            }

            AddBuffer(data.NullCount == 0 ? default : Bits(data.Validity, offset, length));
            switch (type)
            {
                case DictionaryType dt:
                    AddBuffer(field.DictionaryId is long id && _owner._remaps.TryGetValue(id, out var remap)
                        ? Remap(data, dt.IndexType, remap, field.Field.Name)
                        : Fixed(data.Buffers[1], offset, length, dt.IndexType.BitWidth / 8));
                    break;
                case { Id: ArrowTypeId.Boolean }:
                    AddBuffer(Bits(data.Buffers[1], offset, length));
                    break;
                case { IsVariableBinary: true }:
                    {
                        bool large = type.Id is ArrowTypeId.LargeString or ArrowTypeId.LargeBinary;
                        var (offsets, start, end) = Offsets(data.Buffers[1], offset, length, large);
                        AddBuffer(offsets);
                        AddBuffer(data.Buffers[2].Memory.Slice((int)start, (int)(end - start)));
                        break;
                    }

                case ListType or MapType:
                    {
                        var (offsets, start, end) = Offsets(data.Buffers[1], offset, length, type.Id == ArrowTypeId.LargeList);
                        AddBuffer(offsets);
                        AddArray(data.Children[0].Slice((int)start, (int)(end - start)), field.Children[0]);
                        break;
                    }

                case FixedSizeListType fsl:
                    AddArray(data.Children[0].Slice(offset * fsl.ListSize, length * fsl.ListSize), field.Children[0]);
                    break;
                case StructType:
                    for (int i = 0; i < data.Children.Count; i++)
                    {
                        AddArray(data.Children[i].Slice(offset, length), field.Children[i]);
                    }

                    break;
                default:
                    AddBuffer(Fixed(data.Buffers[1], offset, length, type.BitWidth / 8));
                    break;
            }
        }

        /// <summary>The column's indices translated through <paramref name="remap"/>, in the same index type.</summary>
        private static ReadOnlyMemory<byte> Remap(ArrayData data, ArrowType indexType, int[] remap, string column)
        {
            var indices = (IArrowArray)new DictionaryArray(data).Indices;
            var dictionaryArray = new DictionaryArray(data);
            var builder = ArrayBuilderFactory.Create(indexType);
            for (int i = 0; i < data.Length; i++)
            {
                if (indices.IsNull(i))
                {
                    builder.AppendNull();
                    continue;
                }

                long target = remap[dictionaryArray.GetIndex(i)];
                try
                {
                    builder.AppendValue(target);
                }
                catch (InvalidCastException)
                {
                    throw LarderErrors.Usage($"the merged dictionary of column '{column}' has more values than {indexType} indices can address; use a wider index type or write an Arrow stream (.arrows).");
                }
            }

            return builder.Build().Data.Buffers[1].Memory;
        }

        private static ReadOnlyMemory<byte> Fixed(ArrowBuffer buffer, int offset, int length, int width)
            => buffer.Memory.Slice(offset * width, length * width);

        private static ReadOnlyMemory<byte> Bits(ArrowBuffer buffer, int offset, int length)
        {
            int bytes = BitUtil.BytesForBits(length);
            if ((offset & 7) == 0)
            {
                return buffer.Memory.Slice(offset >> 3, bytes);
            }

            var copy = BufferAllocator.AllocateZeroed(bytes);
            BitUtil.CopyBits(buffer.Span, offset, copy.Span, 0, length);
            return copy;
        }

        private static (ReadOnlyMemory<byte> Offsets, long Start, long End) Offsets(ArrowBuffer buffer, int offset, int length, bool large)
        {
            int width = large ? 8 : 4;
            if (buffer.IsEmpty)
            {
                // A zero-length array may come without offsets; the format wants one zero offset.
                return (new byte[width], 0, 0);
            }

            var slice = buffer.Memory.Slice(offset * width, (length + 1) * width);
            long start = large ? MemoryMarshal.Read<long>(slice.Span) : MemoryMarshal.Read<int>(slice.Span);
            long end = large ? MemoryMarshal.Read<long>(slice.Span[(length * 8)..]) : MemoryMarshal.Read<int>(slice.Span[(length * 4)..]);
            if (start == 0)
            {
                return (slice, 0, end);
            }

            var rebased = BufferAllocator.Allocate(slice.Length);
            if (large)
            {
                var src = MemoryMarshal.Cast<byte, long>(slice.Span);
                var dst = MemoryMarshal.Cast<byte, long>(rebased.Span);
                for (int i = 0; i < src.Length; i++)
                {
                    dst[i] = src[i] - start;
                }
            }
            else
            {
                var src = MemoryMarshal.Cast<byte, int>(slice.Span);
                var dst = MemoryMarshal.Cast<byte, int>(rebased.Span);
                int s = (int)start;
                for (int i = 0; i < src.Length; i++)
                {
                    dst[i] = src[i] - s;
                }
            }

            return (rebased, start, end);
        }

        private void AddBuffer(ReadOnlyMemory<byte> bytes)
        {
            if (bytes.IsEmpty)
            {
                _buffers.Add(new BufferSpec(Length, 0));
                return;
            }

            if (_owner._codec is { } codec)
            {
                bytes = Compress(codec, bytes);
            }

            _buffers.Add(new BufferSpec(Length, bytes.Length));
            Segments.Add(bytes);
            int pad = (int)(BitUtil.RoundUpTo8(bytes.Length) - bytes.Length);
            if (pad > 0)
            {
                Segments.Add(Padding.AsMemory(0, pad));
            }

            Length += bytes.Length + pad;
        }

        private ReadOnlyMemory<byte> Compress(ICompressionCodec codec, ReadOnlyMemory<byte> raw)
        {
            var target = ArrayPool<byte>.Shared.Rent(8 + codec.GetMaxCompressedLength(raw.Length));
            _rented.Add(target);
            int written = codec.Compress(raw.Span, target.AsSpan(8));
            if (written >= raw.Length)
            {
                // Not worth it: store raw behind the -1 marker, as the format allows.
                BinaryPrimitives.WriteInt64LittleEndian(target, -1);
                raw.Span.CopyTo(target.AsSpan(8));
                return target.AsMemory(0, 8 + raw.Length);
            }

            BinaryPrimitives.WriteInt64LittleEndian(target, raw.Length);
            return target.AsMemory(0, 8 + written);
        }
    }
}
