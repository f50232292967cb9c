using System.Numerics;
using Larder.Columnar;
using Larder.Memory;

namespace Larder.Parquet.Dremel;

/// <summary>
/// The write side of Dremel: turns one column's Arrow array into, per leaf, definition levels, repetition levels and the
/// leaf values that are present. Create one per column (field) and call <see cref="Shred"/> per batch; the level
/// buffers are reused between calls. Not thread safe.
/// </summary>
internal sealed class LevelShredder
{
    private readonly LeafPath[] _paths;
    private readonly ShreddedLeaf[] _results;

    /// <exception cref="LarderNotSupportedException">The field cannot be stored in Parquet (see <see cref="LeafPaths.For"/>).</exception>
    public LevelShredder(Field field)
    {
        Field = field ?? throw new ArgumentNullException(nameof(field));
        _paths = [.. LeafPaths.For(field)];
        _results = [.. _paths.Select(p => new ShreddedLeaf(p))];
    }

    public Field Field { get; }

    /// <summary>The column's leaves in depth-first order (the Parquet column chunks, in schema order).</summary>
    public IReadOnlyList<LeafPath> Leaves => _paths;

    /// <summary>The output of the last <see cref="Shred"/>, one per leaf (same order as <see cref="Leaves"/>).</summary>
    public IReadOnlyList<ShreddedLeaf> Results => _results;

    /// <summary>
    /// Shreds <paramref name="column"/> (of <see cref="Field"/>'s type; may be sliced, list offsets need not start at 0)
    /// into <see cref="Results"/>, replacing the previous output. Values under null parents are ignored.
    /// </summary>
    /// <exception cref="ArgumentException">The array's type is not the field's type.</exception>
    /// <exception cref="LarderUsageException">A non-nullable field holds a null where a value is needed.</exception>
    public void Shred(ArrayData column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (!column.Type.Equals(Field.Type))
        {
            throw new ArgumentException($"the array is {column.Type} but the field '{Field.Name}' is {Field.Type}", nameof(column));
        }

        for (int i = 0; i < _paths.Length; i++)
        {
            ShredLeaf(_results[i], column);
        }
    }

    private static void ShredLeaf(ShreddedLeaf output, ArrayData column)
    {
        var path = output.Path;
        var nodes = path.NodeArray;
        output.Reset();
        var leafArray = LeafArrayOf(column, nodes);
        if (nodes.Length == 1)
        {
            ShredFlat(output, column);
            return;
        }

        ShredRange(output, nodes, 0, column, 0, column.Length, 0, 0);
        output.Finish(leafArray);
    }

    /// <summary>The leaf's array: follow the chain from the column (struct children by index, list children at 0).</summary>
    private static ArrayData LeafArrayOf(ArrayData column, LevelNode[] nodes)
    {
        var a = column;
        for (int p = 1; p < nodes.Length; p++)
        {
            a = a.Children[nodes[p - 1].Kind == LevelNodeKind.Struct ? nodes[p].ChildIndex : 0];
        }

        return a;
    }

    /// <summary>Top-level primitive column: definition levels straight from the validity bitmap, no repetition levels.</summary>
    private static void ShredFlat(ShreddedLeaf output, ArrayData column)
    {
        var node = output.Path.Leaf;
        int length = column.Length;
        if (!node.Nullable)
        {
            if (column.NullCount != 0)
            {
                throw LevelErrors.NullInRequired(output.Path.Name, node.Field.Name);
            }

            output.SetFlat(length, column);
            return;
        }

        if (column.Type.Id != ArrowTypeId.Null && (column.Validity.IsEmpty || column.NullCount == 0))
        {
            output.SetAllDefined(length, column);
            return;
        }

        var def = output.ExtendLevels(length, out _);
        if (column.Type.Id == ArrowTypeId.Null)
        {
            def.Clear();
            output.Finish(column);
            return;
        }

        var validity = column.Validity;

        var bits = validity.Span;
        int offset = column.Offset;
        int i = 0;
        while (i < length)
        {
            int bit = offset + i;
            if ((bit & 7) == 0 && i + 8 <= length)
            {
                byte b = bits[bit >> 3];
                if (b == 0xFF)
                {
                    def.Slice(i, 8).Fill(1);
                    output.AddValues(i, 8);
                    i += 8;
                    continue;
                }

                if (b == 0)
                {
                    def.Slice(i, 8).Clear();
                    i += 8;
                    continue;
                }
            }

            if ((bits[bit >> 3] & (1 << (bit & 7))) != 0)
            {
                def[i] = 1;
                output.AddValues(i, 1);
            }
            else
            {
                def[i] = 0;
            }

            i++;
        }

        output.Finish(column);
    }

    /// <summary>
    /// Emits the levels of rows [start, start+count) of <paramref name="a"/> (the array of node <paramref name="p"/>): the
    /// first level emitted gets repetition level <paramref name="repFirst"/>, the first of every later row <paramref name="repRest"/>.
    /// </summary>
    private static void ShredRange(ShreddedLeaf o, LevelNode[] nodes, int p, ArrayData a, int start, int count, short repFirst, short repRest)
    {
        if (count == 0)
        {
            return;
        }

        var node = nodes[p];
        switch (node.Kind)
        {
            case LevelNodeKind.Leaf:
                ShredLeafRange(o, node, a, start, count, repFirst, repRest);
                return;
            case LevelNodeKind.Struct:
                ShredStructRange(o, nodes, p, a, start, count, repFirst, repRest);
                return;
            default:
                if (node.IsFixedSizeList)
                {
                    ShredFixedSizeListRange(o, nodes, p, a, start, count, repFirst, repRest);
                }
                else if (a.Type.Id == ArrowTypeId.LargeList)
                {
                    ShredListRange<long>(o, nodes, p, a, start, count, repFirst, repRest);
                }
                else
                {
                    ShredListRange<int>(o, nodes, p, a, start, count, repFirst, repRest);
                }

                return;
        }
    }

    private static void ShredLeafRange(ShreddedLeaf o, LevelNode node, ArrayData a, int start, int count, short repFirst, short repRest)
    {
        short present = (short)node.DefLevel;
        short absent = (short)(node.DefLevel - 1);
        var def = o.ExtendLevels(count, out var rep);
        if (!rep.IsEmpty)
        {
            rep[0] = repFirst;
            rep[1..].Fill(repRest);
        }

        if (a.Type.Id == ArrowTypeId.Null)
        {
            if (!node.Nullable)
            {
                throw LevelErrors.NullInRequired(o.Path.Name, node.Field.Name);
            }

            def.Fill(absent);
            return;
        }

        var validity = a.Validity;
        if (validity.IsEmpty)
        {
            def.Fill(present);
            o.AddValues(start, count);
            return;
        }

        var bits = validity.Span;
        int offset = a.Offset + start;
        for (int k = 0; k < count; k++)
        {
            int bit = offset + k;
            if ((bits[bit >> 3] & (1 << (bit & 7))) != 0)
            {
                def[k] = present;
                o.AddValues(start + k, 1);
            }
            else
            {
                if (!node.Nullable)
                {
                    throw LevelErrors.NullInRequired(o.Path.Name, node.Field.Name);
                }

                def[k] = absent;
            }
        }
    }

    private static void ShredStructRange(ShreddedLeaf o, LevelNode[] nodes, int p, ArrayData a, int start, int count, short repFirst, short repRest)
    {
        var node = nodes[p];
        var child = a.Children[nodes[p + 1].ChildIndex];
        int childStart = a.Offset + start;
        var validity = a.Validity;
        if (validity.IsEmpty)
        {
            ShredRange(o, nodes, p + 1, child, childStart, count, repFirst, repRest);
            return;
        }

        var bits = validity.Span;
        int offset = a.Offset + start;
        short absent = (short)(node.DefLevel - 1);
        int k = 0;
        while (k < count)
        {
            int runStart = k;
            while (k < count && BitUtil.GetBit(bits, offset + k))
            {
                k++;
            }

            if (k > runStart)
            {
                ShredRange(o, nodes, p + 1, child, childStart + runStart, k - runStart, runStart == 0 ? repFirst : repRest, repRest);
            }

            while (k < count && !BitUtil.GetBit(bits, offset + k))
            {
                if (!node.Nullable)
                {
                    throw LevelErrors.NullInRequired(o.Path.Name, node.Field.Name);
                }

                o.Emit(absent, k == 0 ? repFirst : repRest);
                k++;
            }
        }
    }

    /// <summary>Where the items of a list row lie in the child array.</summary>
    private interface IListItems
    {
        (int Start, int Length) Items(int row);
    }

    private readonly ref struct OffsetItems<T>(ReadOnlySpan<T> offsets) : IListItems
        where T : unmanaged, IBinaryInteger<T>
    {
        private readonly ReadOnlySpan<T> _offsets = offsets;

        public (int Start, int Length) Items(int row)
        {
            int s = int.CreateTruncating(_offsets[row]);
            return (s, int.CreateTruncating(_offsets[row + 1]) - s);
        }
    }

    private readonly struct FixedItems(int size) : IListItems
    {
        public (int Start, int Length) Items(int row) => (row * size, size);
    }

    private static void ShredListRange<T>(ShreddedLeaf o, LevelNode[] nodes, int p, ArrayData a, int start, int count, short repFirst, short repRest)
        where T : unmanaged, IBinaryInteger<T>
        => ShredItems(o, nodes, p, a, start, count, repFirst, repRest, new OffsetItems<T>(a.Buffers[1].As<T>().Slice(a.Offset + start, count + 1)), a.Offset + start);

    private static void ShredFixedSizeListRange(ShreddedLeaf o, LevelNode[] nodes, int p, ArrayData a, int start, int count, short repFirst, short repRest)
        => ShredItems(o, nodes, p, a, start, count, repFirst, repRest, new FixedItems(nodes[p].FixedSize), 0);

    /// <param name="itemBase">Row number that <paramref name="items"/> calls row 0 (offset views are pre-sliced).</param>
    private static void ShredItems<TItems>(ShreddedLeaf o, LevelNode[] nodes, int p, ArrayData a, int start, int count, short repFirst, short repRest, TItems items, int itemBase)
        where TItems : IListItems, allows ref struct
    {
        var node = nodes[p];
        var child = a.Children[0];
        var validity = a.Validity;
        var bits = validity.Span;
        bool hasValidity = !validity.IsEmpty;
        short absent = (short)(node.DefLevel - 1);
        short empty = (short)node.DefLevel;
        short elementRep = (short)node.RepLevel;
        int baseRow = a.Offset + start;
        for (int k = 0; k < count; k++)
        {
            short r = k == 0 ? repFirst : repRest;
            int row = baseRow + k;
            if (hasValidity && !BitUtil.GetBit(bits, row))
            {
                if (!node.Nullable)
                {
                    throw LevelErrors.NullInRequired(o.Path.Name, node.Field.Name);
                }

                o.Emit(absent, r);
                continue;
            }

            var (s, length) = items.Items(row - itemBase);
            if (length == 0)
            {
                o.Emit(empty, r);
            }
            else
            {
                ShredRange(o, nodes, p + 1, child, s, length, r, elementRep);
            }
        }
    }
}

/// <summary>
/// One leaf's output of <see cref="LevelShredder.Shred"/>: its levels and present values. The level spans stay valid
/// until the next <see cref="LevelShredder.Shred"/> on the same shredder; <see cref="Values"/> is an immutable array.
/// </summary>
internal sealed class ShreddedLeaf
{
    private readonly bool _hasDef;
    private readonly bool _hasRep;
    private short[] _def = [];
    private short[] _rep = [];
    private int _levels;
    private ValueRun[] _runs = [];
    private int _runCount;
    private int _valueCount;
    private bool _allDefined;

    internal ShreddedLeaf(LeafPath path)
    {
        Path = path;
        _hasDef = path.MaxDefinitionLevel > 0;
        _hasRep = path.MaxRepetitionLevel > 0;
        Values = new ArrayData(ArrowType.Null, 0, 0, 0, []);
    }

    public LeafPath Path { get; }

    /// <summary>Number of level entries (Parquet "num_values", nulls included): the row count for a required flat column.</summary>
    public int LevelCount => _levels;

    /// <summary>Definition levels, one per entry; empty when the maximum definition level is 0.</summary>
    public ReadOnlySpan<short> DefinitionLevels
    {
        get
        {
            if (_allDefined && _hasDef)
            {
                // Materialised on demand: writers read AllDefined instead.
                if (_levels > _def.Length)
                {
                    Grow(_levels);
                }

                _def.AsSpan(0, _levels).Fill((short)Path.MaxDefinitionLevel);
                _allDefined = false;
            }

            return _hasDef ? _def.AsSpan(0, _levels) : [];
        }
    }

    /// <summary>
    /// True when every entry is a present value at the maximum definition level and there is no repetition (a flat
    /// column without nulls): the definition levels then need not be looked at (they are only filled in when
    /// <see cref="DefinitionLevels"/> is read).
    /// </summary>
    public bool AllDefined => _allDefined || (!_hasDef && !_hasRep);

    /// <summary>Repetition levels, one per entry; empty when the maximum repetition level is 0.</summary>
    public ReadOnlySpan<short> RepetitionLevels => _hasRep ? _rep.AsSpan(0, _levels) : [];

    /// <summary>The present (non-null) leaf values in order, of the leaf's Arrow type (a slice of the input when they are contiguous).</summary>
    public ArrayData Values { get; private set; }

    /// <summary>Number of nulls among the entries (<see cref="LevelCount"/> - values).</summary>
    public int NullCount => _levels - Values.Length;

    internal void Reset()
    {
        _levels = 0;
        _runCount = 0;
        _valueCount = 0;
        _allDefined = false;
    }

    internal void SetFlat(int length, ArrayData values)
    {
        _levels = length;
        Values = values;
    }

    /// <summary>A flat nullable column without nulls: <paramref name="length"/> entries, all present.</summary>
    internal void SetAllDefined(int length, ArrayData values)
    {
        _levels = length;
        Values = values;
        _allDefined = true;
    }

    /// <summary>Makes room for <paramref name="count"/> entries and returns their definition (and repetition, or empty) levels.</summary>
    internal Span<short> ExtendLevels(int count, out Span<short> rep)
    {
        int needed = checked(_levels + count);
        if (needed > _def.Length)
        {
            Grow(needed);
        }

        var def = _def.AsSpan(_levels, count);
        rep = _hasRep ? _rep.AsSpan(_levels, count) : [];
        _levels = needed;
        return def;
    }

    internal void Emit(short def, short rep)
    {
        if (_levels == _def.Length)
        {
            Grow(_levels + 1);
        }

        _def[_levels] = def;
        if (_hasRep)
        {
            _rep[_levels] = rep;
        }

        _levels++;
    }

    /// <summary>Records that leaf rows [source, source+count) are present (merging with the previous run when adjacent).</summary>
    internal void AddValues(int source, int count)
    {
        if (_runCount > 0)
        {
            ref var last = ref _runs[_runCount - 1];
            if (last.Source + last.Length == source)
            {
                last = last with { Length = last.Length + count };
                _valueCount += count;
                return;
            }
        }

        if (_runCount == _runs.Length)
        {
            Array.Resize(ref _runs, Math.Max(16, _runs.Length * 2));
        }

        _runs[_runCount++] = new ValueRun(source, _valueCount, count);
        _valueCount += count;
    }

    /// <summary>Builds <see cref="Values"/> from the recorded runs of <paramref name="leafArray"/>.</summary>
    internal void Finish(ArrayData leafArray)
    {
        if (leafArray.Type.Id == ArrowTypeId.Null)
        {
            Values = new ArrayData(leafArray.Type, 0, 0, 0, []);
        }
        else if (_runCount == 1)
        {
            Values = leafArray.Slice(_runs[0].Source, _runs[0].Length);
        }
        else
        {
            Values = ValueMover.Move(leafArray, _runs.AsSpan(0, _runCount), _valueCount, ArrowBuffer.Empty, 0);
        }
    }

    private void Grow(int needed)
    {
        int capacity = (int)Math.Min(Array.MaxLength, Math.Max(needed, Math.Max(64L, _def.Length * 2L)));
        Array.Resize(ref _def, capacity);
        if (_hasRep)
        {
            Array.Resize(ref _rep, capacity);
        }
    }
}
