using Larder.Columnar;
using Larder.Memory;

namespace Larder.Parquet.Dremel;

/// <summary>
/// The decoded content of one leaf column chunk (or a run of whole records of it): definition levels (empty when the
/// maximum definition level is 0), repetition levels (empty when the maximum repetition level is 0) and the present
/// values in order, as an array of the leaf's Arrow type holding no nulls.
/// </summary>
/// <remarks>
/// <see cref="AllDefined"/> says that a flat leaf has no nulls: its definition levels, all at the maximum, are then
/// left out (empty) and every value is one row.
/// </remarks>
internal readonly record struct LeafLevels(ReadOnlyMemory<short> DefinitionLevels, ReadOnlyMemory<short> RepetitionLevels, ArrayData Values, bool AllDefined = false);

/// <summary>
/// The read side of Dremel: rebuilds one column's Arrow array from its leaves' levels and values. Create one per column
/// and call <see cref="Assemble(IReadOnlyList{LeafLevels})"/> per batch of whole records; work buffers are reused between
/// calls. Hostile level streams give <see cref="LarderFormatException"/>, never another exception or an out-of-range
/// access. Not thread safe.
/// </summary>
internal sealed class LevelAssembler
{
    /// <summary>Most slots (rows of any nested array) one assembly builds.</summary>
    private const int MaxSlots = int.MaxValue - 64;

    /// <summary>
    /// Child slots that null fixed-size lists (and null parents above them) may add without any level of their own: at
    /// least this many per leaf, else <see cref="PhantomsPerLevel"/> per level or value. A null list of size S needs S
    /// child slots from one level, so a few bytes of run-length levels could otherwise demand gigabytes.
    /// </summary>
    private const long MinPhantomBudget = 1L << 24;

    /// <inheritdoc cref="MinPhantomBudget"/>
    private const long PhantomsPerLevel = 64;

    private readonly LeafPath[] _paths;
    private readonly LeafWork[] _work;
    private ValueRun[] _runs = [];

    /// <summary>An assembler for <paramref name="field"/>'s leaves as <see cref="LeafPaths.For"/> derives them.</summary>
    public LevelAssembler(Field field)
        : this(LeafPaths.For(field))
    {
    }

    /// <summary>An assembler for the given leaves of one column (depth-first order, sharing their ancestor nodes).</summary>
    /// <exception cref="ArgumentException">The leaves do not form one column's tree.</exception>
    public LevelAssembler(IReadOnlyList<LeafPath> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        if (leaves.Count == 0)
        {
            throw new ArgumentException("a column has at least one leaf", nameof(leaves));
        }

        _paths = [.. leaves];
        Root = _paths[0].NodeArray[0];
        _work = new LeafWork[_paths.Length];
        for (int i = 0; i < _paths.Length; i++)
        {
            if (!ReferenceEquals(_paths[i].NodeArray[0], Root))
            {
                throw new ArgumentException("all leaves must share the column's root node", nameof(leaves));
            }

            _work[i] = new LeafWork(_paths[i].NodeArray.Length);
        }

        CheckTree(0, 0, _paths.Length);
    }

    /// <summary>The column's root node (its field is the column's field).</summary>
    public LevelNode Root { get; }

    public IReadOnlyList<LeafPath> Leaves => _paths;

    /// <summary>
    /// Rebuilds the column from every leaf's levels and values (<paramref name="leaves"/> in <see cref="Leaves"/> order,
    /// covering the same records). The result has one row per record; validity bitmaps are empty when there are no nulls.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong number of leaves, or values of another type than the leaf's.</exception>
    /// <exception cref="LarderFormatException">
    /// Levels out of range, a record not starting at repetition level 0, a repetition into a list that is not open, a value
    /// count that disagrees with the levels, a fixed-size list of the wrong size, or leaves that disagree about a shared parent.
    /// </exception>
    public ArrayData Assemble(IReadOnlyList<LeafLevels> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        if (leaves.Count != _paths.Length)
        {
            throw new ArgumentException($"column '{Root.Field.Name}' has {_paths.Length} leaves, not {leaves.Count}", nameof(leaves));
        }

        for (int i = 0; i < _paths.Length; i++)
        {
            CheckValues(_paths[i], leaves[i].Values);
        }

        if (_paths.Length == 1 && _paths[0].IsFlat)
        {
            if (leaves[0].AllDefined && leaves[0].DefinitionLevels.IsEmpty && leaves[0].Values.Type.Id != ArrowTypeId.Null)
            {
                return leaves[0].Values;
            }

            return AssembleFlat(_paths[0], leaves[0].DefinitionLevels.Span, leaves[0].Values);
        }

        for (int i = 0; i < _paths.Length; i++)
        {
            Walk(_paths[i], _work[i], leaves[i].DefinitionLevels.Span, leaves[i].RepetitionLevels.Span, leaves[i].Values.Length);
        }

        return Build(0, 0, _paths.Length, leaves);
    }

    /// <summary>Rebuilds a single-leaf column; see <see cref="Assemble(IReadOnlyList{LeafLevels})"/>.</summary>
    public ArrayData Assemble(ReadOnlyMemory<short> definitionLevels, ReadOnlyMemory<short> repetitionLevels, ArrayData values)
        => Assemble([new LeafLevels(definitionLevels, repetitionLevels, values)]);

    private static void CheckValues(LeafPath path, ArrayData values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!values.Type.Equals(path.Leaf.Type))
        {
            throw new ArgumentException($"leaf '{path.Name}' is {path.Leaf.Type} but the values are {values.Type}", nameof(values));
        }
    }

    /// <summary>Checks that consecutive leaves sharing nodes form a tree whose struct children come in field order.</summary>
    private void CheckTree(int p, int a, int b)
    {
        var node = _paths[a].NodeArray[p];
        for (int l = a; l < b; l++)
        {
            if (_paths[l].NodeArray.Length <= p || !ReferenceEquals(_paths[l].NodeArray[p], node))
            {
                throw new ArgumentException("leaves must be in depth-first order and share their ancestors", nameof(node));
            }
        }

        switch (node.Kind)
        {
            case LevelNodeKind.Leaf:
                if (b - a != 1)
                {
                    throw new ArgumentException($"leaf node '{node.Field.Name}' appears in {b - a} paths", nameof(node));
                }

                return;
            case LevelNodeKind.Struct:
                {
                    int fields = ((StructType)node.Type).Fields.Count;
                    int child = 0;
                    int g = a;
                    while (g < b)
                    {
                        int h = GroupEnd(p + 1, g, b);
                        if (_paths[g].NodeArray[p + 1].ChildIndex != child)
                        {
                            throw new ArgumentException($"struct '{node.Field.Name}' children are not in field order", nameof(node));
                        }

                        CheckTree(p + 1, g, h);
                        child++;
                        g = h;
                    }

                    if (child != fields)
                    {
                        throw new ArgumentException($"struct '{node.Field.Name}' has {fields} fields but {child} child paths", nameof(node));
                    }

                    return;
                }

            default:
                CheckTree(p + 1, a, b);
                return;
        }
    }

    /// <summary>End of the run of leaves from <paramref name="g"/> that share node <paramref name="p"/>.</summary>
    private int GroupEnd(int p, int g, int b)
    {
        if (_paths[g].NodeArray.Length <= p)
        {
            throw new ArgumentException("a non-leaf node has no children", nameof(p));
        }

        var n = _paths[g].NodeArray[p];
        int h = g + 1;
        while (h < b && _paths[h].NodeArray.Length > p && ReferenceEquals(_paths[h].NodeArray[p], n))
        {
            h++;
        }

        return h;
    }

    /// <summary>Fast path for a top-level primitive column: validity straight from the definition levels.</summary>
    private ArrayData AssembleFlat(LeafPath path, ReadOnlySpan<short> def, ArrayData values)
    {
        if (path.MaxDefinitionLevel == 0)
        {
            return values;
        }

        int length = def.Length;
        var bitsMemory = BufferAllocator.AllocateZeroed(BitUtil.BytesForBits(length));
        var bits = bitsMemory.Span;
        int present = 0;
        int bad = 0;
        for (int i = 0; i < length; i++)
        {
            int d = def[i];
            bad |= d;
            if (d == 1)
            {
                bits[i >> 3] |= (byte)(1 << (i & 7));
                present++;
            }
        }

        if ((bad & ~1) != 0)
        {
            for (int i = 0; i < length; i++)
            {
                if ((uint)def[i] > 1)
                {
                    throw LevelErrors.LevelOutOfRange(path.Name, "definition", def[i], 1, i);
                }
            }
        }

        if (present != values.Length)
        {
            throw LevelErrors.ValueCount(path.Name, present, values.Length);
        }

        if (present == length && values.Type.Id != ArrowTypeId.Null)
        {
            return values;
        }

        return Scatter(values, bits, length, length - present, nullable: true);
    }

    /// <summary>
    /// Replays one leaf's levels over its node chain, recording for every node its slots (rows), validity and (lists)
    /// offsets. A null struct or fixed-size list still gets child slots ("phantoms", null or zero), as Arrow needs.
    /// </summary>
    private static void Walk(LeafPath path, LeafWork w, ReadOnlySpan<short> def, ReadOnlySpan<short> rep, int valueCount)
    {
        var nodes = path.NodeArray;
        var work = w.Nodes;
        int maxDef = path.MaxDefinitionLevel;
        int maxRep = path.MaxRepetitionLevel;
        int count = maxDef > 0 ? def.Length : valueCount;
        if (maxRep > 0 && rep.Length != def.Length)
        {
            throw LevelErrors.LevelCountMismatch(path.Name, def.Length, rep.Length);
        }

        w.Reset(Math.Max(MinPhantomBudget, PhantomsPerLevel * ((long)count + valueCount)), count);
        var startNode = path.StartNodeForRep;
        var elementDef = path.ElementDefForRep;
        var leaf = work[^1];
        int open = 0;
        for (int i = 0; i < count; i++)
        {
            int d = maxDef > 0 ? def[i] : 0;
            int r = maxRep > 0 ? rep[i] : 0;
            if ((uint)d > (uint)maxDef)
            {
                throw LevelErrors.LevelOutOfRange(path.Name, "definition", d, maxDef, i);
            }

            if ((uint)r > (uint)maxRep)
            {
                throw LevelErrors.LevelOutOfRange(path.Name, "repetition", r, maxRep, i);
            }

            if (r > open)
            {
                throw i == 0 ? LevelErrors.FirstRepetitionNotZero(path.Name, r) : LevelErrors.RepetitionNotOpen(path.Name, r, open, i);
            }

            if (r > 0 && d < elementDef[r])
            {
                throw LevelErrors.RepeatedWithoutElement(path.Name, r, d, elementDef[r], i);
            }

            open = r;
            int p = startNode[r];
            while (true)
            {
                var node = nodes[p];
                var nw = work[p];
                bool present = d >= node.DefLevel;
                if (nw.Slots >= MaxSlots)
                {
                    throw LevelErrors.TooLarge(path.Name, "the number of rows");
                }

                if (node.Kind == LevelNodeKind.Leaf)
                {
                    nw.AppendBit(present);
                    break;
                }

                if (node.Nullable)
                {
                    nw.AppendBit(present);
                }
                else
                {
                    nw.Slots++;
                }

                if (node.Kind == LevelNodeKind.Struct)
                {
                    if (!present)
                    {
                        Phantoms(path, nodes, w, p + 1, 1);
                        break;
                    }

                    p++;
                    continue;
                }

                nw.PushOffset(nw.Slots - 1, work[p + 1].Slots);
                if (!present)
                {
                    if (node.FixedSize > 0)
                    {
                        Phantoms(path, nodes, w, p + 1, node.FixedSize);
                    }

                    break;
                }

                if (d < node.ElementDefLevel)
                {
                    break;
                }

                open = node.RepLevel;
                p++;
            }

            if (leaf.Slots - leaf.Nulls > valueCount)
            {
                throw LevelErrors.ValueCount(path.Name, leaf.Slots - leaf.Nulls, valueCount);
            }
        }

        if (leaf.Slots - leaf.Nulls != valueCount)
        {
            throw LevelErrors.ValueCount(path.Name, leaf.Slots - leaf.Nulls, valueCount);
        }
    }

    /// <summary>Adds <paramref name="count"/> slots under a null parent to node <paramref name="p"/> and, as Arrow needs, below it.</summary>
    private static void Phantoms(LeafPath path, LevelNode[] nodes, LeafWork w, int p, long count)
    {
        var node = nodes[p];
        var nw = w.Nodes[p];
        if (nw.Slots + count > MaxSlots)
        {
            throw LevelErrors.TooLarge(path.Name, "the number of rows");
        }

        w.PhantomSlots += count;
        if (w.PhantomSlots > w.PhantomBudget)
        {
            throw new LarderFormatException(
                $"Parquet column '{path.Name}': its null fixed-size lists imply more than {w.PhantomBudget:N0} child rows from {w.LevelCount:N0} levels; the column chunk is corrupt, or its lists too large and too sparse to read.");
        }

        int n = (int)count;
        int firstSlot = nw.Slots;
        if (node.Kind == LevelNodeKind.Leaf || node.Nullable)
        {
            nw.AppendBits(false, n);
        }
        else
        {
            nw.Slots += n;
        }

        switch (node.Kind)
        {
            case LevelNodeKind.Leaf:
                return;
            case LevelNodeKind.Struct:
                Phantoms(path, nodes, w, p + 1, n);
                return;
            default:
                {
                    int size = Math.Max(node.FixedSize, 0);
                    int child = w.Nodes[p + 1].Slots;
                    for (int j = 0; j < n; j++)
                    {
                        nw.PushOffset(firstSlot + j, child + (j * size));
                    }

                    if (size > 0)
                    {
                        Phantoms(path, nodes, w, p + 1, (long)n * size);
                    }

                    return;
                }
        }
    }

    /// <summary>Builds the array of node <paramref name="p"/> from leaves [a, b), checking that they agree about it.</summary>
    private ArrayData Build(int p, int a, int b, IReadOnlyList<LeafLevels> leaves)
    {
        var path = _paths[a];
        var node = path.NodeArray[p];
        var first = _work[a].Nodes[p];
        for (int l = a + 1; l < b; l++)
        {
            Compare(node, first, _work[l].Nodes[p], path, _paths[l]);
        }

        int slots = first.Slots;
        if (node.Kind == LevelNodeKind.Leaf)
        {
            var values = leaves[a].Values;
            if (first.Nulls == 0 && values.Type.Id != ArrowTypeId.Null)
            {
                return values;
            }

            return Scatter(values, first.Bits, slots, first.Nulls, node.Nullable);
        }

        int nulls = node.Nullable ? first.Nulls : 0;
        var validity = nulls > 0 ? ArrowBuffer.CopyOf(first.Bits.AsSpan(0, BitUtil.BytesForBits(slots))) : ArrowBuffer.Empty;
        if (node.Kind == LevelNodeKind.Struct)
        {
            var children = new ArrayData[((StructType)node.Type).Fields.Count];
            int g = a;
            for (int c = 0; c < children.Length; c++)
            {
                int h = GroupEnd(p + 1, g, b);
                children[c] = Build(p + 1, g, h, leaves);
                g = h;
            }

            return new ArrayData(node.Type, slots, nulls, 0, [validity], children);
        }

        var child = Build(p + 1, a, b, leaves);
        var offsets = first.Offsets.AsSpan(0, slots);
        if (node.IsFixedSizeList)
        {
            for (int k = 0; k < slots; k++)
            {
                int end = k + 1 < slots ? offsets[k + 1] : child.Length;
                if (end - offsets[k] != node.FixedSize)
                {
                    throw LevelErrors.FixedSizeListLength(path.Name, k, end - offsets[k], node.FixedSize);
                }
            }

            return new ArrayData(node.Type, slots, nulls, 0, [validity], [child]);
        }

        ArrowBuffer offsetBuffer;
        if (node.Type.Id == ArrowTypeId.LargeList)
        {
            var memory = BufferAllocator.Allocate(checked((slots + 1L) * sizeof(long)));
            var span = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(memory.Span);
            for (int k = 0; k < slots; k++)
            {
                span[k] = offsets[k];
            }

            span[slots] = child.Length;
            offsetBuffer = new ArrowBuffer(memory);
        }
        else
        {
            var memory = BufferAllocator.Allocate(checked((slots + 1L) * sizeof(int)));
            var span = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(memory.Span);
            offsets.CopyTo(span);
            span[slots] = child.Length;
            offsetBuffer = new ArrowBuffer(memory);
        }

        return new ArrayData(node.Type, slots, nulls, 0, [validity, offsetBuffer], [child]);
    }

    private static void Compare(LevelNode node, NodeWork x, NodeWork y, LeafPath px, LeafPath py)
    {
        string name = node.Field.Name;
        if (x.Slots != y.Slots)
        {
            throw LevelErrors.Inconsistent(px.Name, py.Name, name, $"the number of rows ({x.Slots} vs {y.Slots})");
        }

        if (node.Nullable && (x.Nulls != y.Nulls || !x.Bits.AsSpan(0, BitUtil.BytesForBits(x.Slots)).SequenceEqual(y.Bits.AsSpan(0, BitUtil.BytesForBits(y.Slots)))))
        {
            throw LevelErrors.Inconsistent(px.Name, py.Name, name, "the null rows");
        }

        if (node.Kind is LevelNodeKind.List or LevelNodeKind.Map && !x.Offsets.AsSpan(0, x.Slots).SequenceEqual(y.Offsets.AsSpan(0, y.Slots)))
        {
            throw LevelErrors.Inconsistent(px.Name, py.Name, name, "the list lengths");
        }
    }

    /// <summary>Spreads <paramref name="values"/> over the set bits of <paramref name="present"/> (<paramref name="slots"/> rows).</summary>
    private ArrayData Scatter(ArrayData values, ReadOnlySpan<byte> present, int slots, int absent, bool nullable)
    {
        int runCount = 0;
        int source = 0;
        int k = 0;
        while (k < slots)
        {
            while (k < slots && !BitUtil.GetBit(present, k))
            {
                k++;
            }

            int start = k;
            while (k < slots && BitUtil.GetBit(present, k))
            {
                k++;
            }

            if (k > start)
            {
                if (runCount == _runs.Length)
                {
                    Array.Resize(ref _runs, Math.Max(16, _runs.Length * 2));
                }

                _runs[runCount++] = new ValueRun(source, start, k - start);
                source += k - start;
            }
        }

        var validity = nullable && absent > 0 ? ArrowBuffer.CopyOf(present[..BitUtil.BytesForBits(slots)]) : ArrowBuffer.Empty;
        return ValueMover.Move(values, _runs.AsSpan(0, runCount), slots, validity, nullable ? absent : 0);
    }

    /// <summary>Per-leaf work state: one <see cref="NodeWork"/> per node of the leaf's path. Reused between assemblies.</summary>
    private sealed class LeafWork
    {
        public LeafWork(int depth)
        {
            Nodes = new NodeWork[depth];
            for (int i = 0; i < depth; i++)
            {
                Nodes[i] = new NodeWork();
            }
        }

        public NodeWork[] Nodes { get; }

        /// <summary>Child slots added under null parents in this walk, and how many it may add.</summary>
        public long PhantomSlots { get; set; }

        public long PhantomBudget { get; private set; }

        public int LevelCount { get; private set; }

        public void Reset(long phantomBudget, int levelCount)
        {
            PhantomSlots = 0;
            PhantomBudget = phantomBudget;
            LevelCount = levelCount;
            foreach (var n in Nodes)
            {
                n.Slots = 0;
                n.Nulls = 0;
            }
        }
    }

    /// <summary>The rows of one node as seen from one leaf: count, validity bits (nullable nodes, and presence for the leaf), list start offsets.</summary>
    private sealed class NodeWork
    {
        public byte[] Bits = [];
        public int[] Offsets = [];
        public int Slots;
        public int Nulls;

        public void AppendBit(bool valid)
        {
            int byteIndex = Slots >> 3;
            if (byteIndex >= Bits.Length)
            {
                Array.Resize(ref Bits, Math.Max(64, Bits.Length * 2));
            }

            if ((Slots & 7) == 0)
            {
                Bits[byteIndex] = 0;
            }

            if (valid)
            {
                Bits[byteIndex] |= (byte)(1 << (Slots & 7));
            }
            else
            {
                Nulls++;
            }

            Slots++;
        }

        public void AppendBits(bool valid, int count)
        {
            for (int j = 0; j < count; j++)
            {
                AppendBit(valid);
            }
        }

        /// <summary>Records the start offset (child slot) of list row <paramref name="index"/>.</summary>
        public void PushOffset(int index, int value)
        {
            if (index >= Offsets.Length)
            {
                Array.Resize(ref Offsets, Math.Max(64, Offsets.Length * 2));
            }

            Offsets[index] = value;
        }
    }
}
