using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Larder.Columnar;
using Larder.Compression;
using Larder.Ipc.Flatbuf;
using Larder.Memory;

namespace Larder.Ipc;

/// <summary>
/// Turns record-batch and dictionary-batch messages plus their bodies into arrays, for one schema. Holds the current
/// dictionaries (id → values). Not thread safe: one per reader.
/// </summary>
internal sealed class IpcBatchDecoder
{
    private readonly IpcSchema _schema;
    private readonly string? _source;
    private readonly IpcReadOptions _options;
    private readonly Dictionary<long, ArrayData> _dictionaries = [];
    private ICompressionCodec? _lz4;
    private ICompressionCodec? _zstd;

    public IpcBatchDecoder(IpcSchema schema, string? source, IpcReadOptions options)
    {
        _schema = schema;
        _source = source;
        _options = options;
    }

    public Schema Schema => _schema.Schema;

    /// <summary>Applies a dictionary batch: a new dictionary, a replacement (when allowed) or a delta.</summary>
    public void ReadDictionaryBatch(FbDictionaryBatch batch, ReadOnlyMemory<byte> body, long bodyOffset, bool allowReplacement)
    {
        if (!_schema.Dictionaries.TryGetValue(batch.Id, out var valueField))
        {
            throw LarderErrors.Format(_source, bodyOffset, $"a dictionary batch has id {batch.Id}, which no field of the schema uses.");
        }

        var cursor = new Cursor(batch.Data, body, bodyOffset, CodecFor(batch.Data, bodyOffset));
        var values = DecodeArray(valueField, ref cursor, 0);
        if (values.Length != batch.Data.Length)
        {
            throw LarderErrors.Format(_source, bodyOffset, $"dictionary {batch.Id} announces {batch.Data.Length} values but its column has {values.Length}.");
        }

        if (_options.Validate)
        {
            ArrayValidator.Validate(values, _source);
        }

        if (_dictionaries.TryGetValue(batch.Id, out var existing))
        {
            if (batch.IsDelta)
            {
                values = ArrayConcatenator.Concatenate([existing, values]);
            }
            else if (!allowReplacement)
            {
                throw LarderErrors.Format(_source, bodyOffset, $"dictionary {batch.Id} is replaced inside an IPC file, which the file format does not allow.");
            }
        }
        else if (batch.IsDelta)
        {
            throw LarderErrors.Format(_source, bodyOffset, $"dictionary {batch.Id} receives a delta before its first batch.");
        }

        _dictionaries[batch.Id] = values;
    }

    public RecordBatch ReadRecordBatch(FbRecordBatch batch, ReadOnlyMemory<byte> body, long bodyOffset)
    {
        if (batch.Length < 0 || batch.Length > int.MaxValue)
        {
            throw LarderErrors.Format(_source, bodyOffset, $"a record batch claims {batch.Length} rows; at most {int.MaxValue} are supported.");
        }

        var cursor = new Cursor(batch, body, bodyOffset, CodecFor(batch, bodyOffset));
        var columns = new IArrowArray[_schema.Fields.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            var data = DecodeArray(_schema.Fields[i], ref cursor, 0);
            if (data.Length != batch.Length)
            {
                throw LarderErrors.Format(_source, bodyOffset, $"column '{_schema.Fields[i].Field.Name}' has {data.Length} rows in a batch of {batch.Length}.");
            }

            if (_options.Validate)
            {
                ArrayValidator.Validate(data, _source);
            }

            columns[i] = ArrowArrayFactory.Create(data);
        }

        return new RecordBatch(_schema.Schema, columns, (int)batch.Length);
    }

    private ICompressionCodec? CodecFor(FbRecordBatch batch, long bodyOffset)
    {
        if (batch.Compression is not { } c)
        {
            return null;
        }

        if (c.Method != FbCompressionMethod.Buffer)
        {
            throw LarderErrors.NotSupported(_source, $"body compression method {c.Method}", "only per-buffer compression is defined by the Arrow format.");
        }

        return c.Codec switch
        {
            FbCompressionCodec.Lz4Frame => _lz4 ??= CompressionCodecs.Create("lz4"),
            FbCompressionCodec.Zstd => _zstd ??= CompressionCodecs.Create("zstd"),
            _ => throw LarderErrors.Format(_source, bodyOffset, $"unknown body compression codec {c.Codec}."),
        };
    }

    private ArrayData DecodeArray(IpcField field, ref Cursor c, int depth)
    {
        if (depth > ArrayValidator.MaxDepth)
        {
            throw LarderErrors.Format(_source, c.BodyOffset, "columns nest too deeply.");
        }

        var node = c.NextNode(this);
        if (node.Length < 0 || node.Length > int.MaxValue || node.NullCount < 0 || node.NullCount > node.Length)
        {
            throw LarderErrors.Format(_source, c.BodyOffset, $"column '{field.Field.Name}' has an invalid node (length {node.Length}, nulls {node.NullCount}).");
        }

        int length = (int)node.Length;
        int nullCount = (int)node.NullCount;
        var type = field.Field.Type;

        if (type.Id == ArrowTypeId.Null)
        {
            return new ArrayData(type, length, length, 0, []);
        }

        var validity = c.NextBuffer(this, BitUtil.BytesForBits(length));
        if (nullCount == 0)
        {
            validity = ArrowBuffer.Empty;
        }

        switch (type)
        {
            case DictionaryType dt:
                {
                    var indices = c.NextBuffer(this, (long)length * (dt.IndexType.BitWidth / 8));
                    if (!_dictionaries.TryGetValue(field.DictionaryId!.Value, out var dictionary))
                    {
                        throw LarderErrors.Format(_source, c.BodyOffset, $"column '{field.Field.Name}' uses dictionary {field.DictionaryId} before it was sent.");
                    }

                    return new ArrayData(type, length, nullCount, 0, [validity, indices], null, dictionary);
                }

            case { Id: ArrowTypeId.String or ArrowTypeId.LargeString or ArrowTypeId.Binary or ArrowTypeId.LargeBinary }:
                {
                    int width = type.Id is ArrowTypeId.LargeString or ArrowTypeId.LargeBinary ? 8 : 4;
                    var offsets = c.NextBuffer(this, length == 0 ? 0 : (length + 1L) * width);
                    long dataLength = LastOffset(offsets, length, width);
                    var data = c.NextBuffer(this, dataLength);
                    return new ArrayData(type, length, nullCount, 0, [validity, offsets, data]);
                }

            case ListType or MapType:
                {
                    int width = type.Id == ArrowTypeId.LargeList ? 8 : 4;
                    var offsets = c.NextBuffer(this, length == 0 ? 0 : (length + 1L) * width);
                    var child = DecodeArray(field.Children[0], ref c, depth + 1);
                    return new ArrayData(type, length, nullCount, 0, [validity, offsets], [child]);
                }

            case FixedSizeListType:
                {
                    var child = DecodeArray(field.Children[0], ref c, depth + 1);
                    return new ArrayData(type, length, nullCount, 0, [validity], [child]);
                }

            case StructType st:
                {
                    var children = new ArrayData[st.Fields.Count];
                    for (int i = 0; i < children.Length; i++)
                    {
                        children[i] = DecodeArray(field.Children[i], ref c, depth + 1);
                    }

                    return new ArrayData(type, length, nullCount, 0, [validity], children);
                }

            default:
                {
                    long bytes = type.Id == ArrowTypeId.Boolean ? BitUtil.BytesForBits(length) : (long)length * (type.BitWidth / 8);
                    var values = c.NextBuffer(this, bytes);
                    return new ArrayData(type, length, nullCount, 0, [validity, values]);
                }
        }
    }

    /// <summary>The last offset, as a bound on the data buffer's size; garbage offsets are caught by validation later.</summary>
    private static long LastOffset(ArrowBuffer offsets, int length, int width)
    {
        if (length == 0 || offsets.Length < (length + 1L) * width)
        {
            return 0;
        }

        return width == 8 ? MemoryMarshal.Read<long>(offsets.Span[(length * 8)..]) : MemoryMarshal.Read<int>(offsets.Span[(length * 4)..]);
    }

    /// <summary>Walks the nodes and buffers of one batch message in schema order.</summary>
    private struct Cursor
    {
        private readonly FbRecordBatch _batch;
        private readonly ReadOnlyMemory<byte> _body;
        private readonly ICompressionCodec? _codec;
        private int _node;
        private int _buffer;

        public Cursor(FbRecordBatch batch, ReadOnlyMemory<byte> body, long bodyOffset, ICompressionCodec? codec)
        {
            _batch = batch;
            _body = body;
            BodyOffset = bodyOffset;
            _codec = codec;
        }

        public long BodyOffset { get; }

        public FieldNode NextNode(IpcBatchDecoder owner)
        {
            var nodes = _batch.Nodes.Span;
            if (_node >= nodes.Length)
            {
                throw LarderErrors.Format(owner._source, BodyOffset, $"the batch has {nodes.Length} field nodes but the schema needs more.");
            }

            return nodes[_node++];
        }

        /// <param name="expected">Bytes the column needs from this buffer (a bound for decompression; may be smaller than what is stored).</param>
        public ArrowBuffer NextBuffer(IpcBatchDecoder owner, long expected)
        {
            var buffers = _batch.Buffers.Span;
            if (_buffer >= buffers.Length)
            {
                throw LarderErrors.Format(owner._source, BodyOffset, $"the batch has {buffers.Length} buffers but the schema needs more.");
            }

            var spec = buffers[_buffer++];
            if (spec.Offset < 0 || spec.Length < 0 || spec.Offset > _body.Length || spec.Length > _body.Length - spec.Offset)
            {
                throw LarderErrors.Format(owner._source, BodyOffset, $"buffer {_buffer - 1} (offset {spec.Offset}, length {spec.Length}) lies outside the message body of {_body.Length} bytes.");
            }

            var raw = _body.Slice((int)spec.Offset, (int)spec.Length);
            if (_codec is null || raw.Length == 0)
            {
                return new ArrowBuffer(raw);
            }

            if (raw.Length < 8)
            {
                throw LarderErrors.Format(owner._source, BodyOffset + spec.Offset, "a compressed buffer is shorter than its 8-byte length prefix.");
            }

            long uncompressed = BinaryPrimitives.ReadInt64LittleEndian(raw.Span);
            if (uncompressed == -1)
            {
                return new ArrowBuffer(raw[8..]);
            }

            // The stored size must fit what the column can use (plus padding), so hostile prefixes cannot force huge allocations.
            if (uncompressed < 0 || uncompressed > BitUtil.RoundUpTo64(expected) + 64 || uncompressed > BufferAllocator.MaxLength)
            {
                throw LarderErrors.Format(owner._source, BodyOffset + spec.Offset, $"a compressed buffer claims {uncompressed} bytes where the column needs {expected}.");
            }

            var output = BufferAllocator.Allocate(uncompressed);
            int written = _codec.Decompress(raw.Span[8..], output.Span);
            if (written != uncompressed)
            {
                throw LarderErrors.Format(owner._source, BodyOffset + spec.Offset, $"a compressed buffer inflated to {written} bytes, not the {uncompressed} its prefix states.");
            }

            return new ArrowBuffer(output);
        }
    }
}
