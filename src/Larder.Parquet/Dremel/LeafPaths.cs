using Larder.Columnar;

namespace Larder.Parquet.Dremel;

/// <summary>What a <see cref="LevelNode"/> is in the Arrow tree.</summary>
internal enum LevelNodeKind
{
    /// <summary>A struct (Parquet group): its children share its rows.</summary>
    Struct,

    /// <summary>A list, large list or fixed-size list (Parquet LIST): adds one REPEATED level beneath the node.</summary>
    List,

    /// <summary>A map (Parquet MAP): adds one REPEATED level (<c>key_value</c>); its single child is the entries struct.</summary>
    Map,

    /// <summary>A primitive (or dictionary) column: the values the Parquet column chunk stores.</summary>
    Leaf,
}

/// <summary>
/// One node on the path from a column's root field down to a leaf, with the Dremel levels it contributes. A node adds
/// one definition level when it is <see cref="Nullable"/> (Parquet OPTIONAL) and, for lists and maps, one definition and
/// one repetition level for the REPEATED group beneath it. Nodes are immutable and shared by every leaf below them.
/// </summary>
/// <remarks>
/// Legacy Parquet list shapes have the same levels as the canonical three-level form: a two-level list
/// (<c>&lt;optional|required&gt; group a (LIST) { repeated int32 x }</c>) and an un-annotated <c>repeated int32 x</c> (a
/// required list of required items) are both a <see cref="LevelNodeKind.List"/> node (nullable as the LIST group; not
/// nullable for a bare repeated field) followed by a non-nullable leaf; mark such paths with
/// <see cref="LeafPath.RepeatedLeaf"/>. A repeated group of several fields is a list node followed by a non-nullable struct node.
/// </remarks>
internal sealed class LevelNode
{
    /// <summary>Creates a node below <paramref name="parent"/> (null for a column's root) and computes its levels.</summary>
    /// <param name="field">The Arrow field whose array this node is.</param>
    /// <param name="nullable">True for a Parquet OPTIONAL node (+1 definition level).</param>
    /// <param name="childIndex">The index of <paramref name="field"/> among its parent struct's children (0 under lists and maps).</param>
    public LevelNode(LevelNodeKind kind, Field field, bool nullable, int childIndex, LevelNode? parent)
    {
        ArgumentNullException.ThrowIfNull(field);
        Kind = kind;
        Field = field;
        Nullable = nullable;
        ChildIndex = childIndex;
        Parent = parent;
        Depth = parent is null ? 0 : parent.Depth + 1;
        ParentDefLevel = parent?.ElementDefLevel ?? 0;
        DefLevel = ParentDefLevel + (nullable ? 1 : 0);
        bool repeated = kind is LevelNodeKind.List or LevelNodeKind.Map;
        ElementDefLevel = DefLevel + (repeated ? 1 : 0);
        RepLevel = (parent?.RepLevel ?? 0) + (repeated ? 1 : 0);
        FixedSize = field.Type is FixedSizeListType f ? f.ListSize : -1;
        if (ElementDefLevel > short.MaxValue)
        {
            throw new ArgumentException("nesting is too deep for 16-bit levels", nameof(parent));
        }
    }

    public LevelNodeKind Kind { get; }

    /// <summary>The Arrow field whose array this node is (for a list element: the list's value field).</summary>
    public Field Field { get; }

    public ArrowType Type => Field.Type;

    /// <summary>True when the node is Parquet OPTIONAL: it adds one definition level and its array may hold nulls.</summary>
    public bool Nullable { get; }

    /// <summary>Index among the parent struct's children; 0 under a list or map.</summary>
    public int ChildIndex { get; }

    public LevelNode? Parent { get; }

    /// <summary>Position on the path (0 for the column's root).</summary>
    public int Depth { get; }

    /// <summary>The definition level at which this node has a slot (its parent is present, with an element for a list parent).</summary>
    public int ParentDefLevel { get; }

    /// <summary>The definition level at which this node is present (not null): <see cref="ParentDefLevel"/> + 1 when nullable.</summary>
    public int DefLevel { get; }

    /// <summary>For a list or map, the definition level at which it holds at least one element (<see cref="DefLevel"/> + 1); otherwise <see cref="DefLevel"/>.</summary>
    public int ElementDefLevel { get; }

    /// <summary>For a list or map, the repetition level of its own REPEATED level; otherwise that of the nearest enclosing repetition (0 when none).</summary>
    public int RepLevel { get; }

    /// <summary>The list size of a fixed-size list; -1 for every other node.</summary>
    public int FixedSize { get; }

    /// <summary>True for a fixed-size list (written like a list; every non-null row must have <see cref="FixedSize"/> items).</summary>
    public bool IsFixedSizeList => FixedSize >= 0;

    /// <summary>True for lists and maps: the nodes that own a repeated level.</summary>
    public bool IsRepeated => Kind is LevelNodeKind.List or LevelNodeKind.Map;

    /// <summary>Definition levels this node adds: 1 when nullable, plus 1 for a repeated level.</summary>
    public int DefIncrement => ElementDefLevel - ParentDefLevel;

    /// <summary>Repetition levels this node adds: 1 for lists and maps.</summary>
    public int RepIncrement => IsRepeated ? 1 : 0;

    public override string ToString() => $"{Kind} {Field.Name} (def {DefLevel}, rep {RepLevel}{(Nullable ? ", optional" : string.Empty)})";
}

/// <summary>
/// The path from a column's root field to one leaf: the node chain (root first, leaf last), the maximum definition and
/// repetition levels, and the leaf's Parquet column path. Immutable.
/// </summary>
internal sealed class LeafPath
{
    private readonly LevelNode[] _nodes;

    /// <param name="nodes">Root first; every node's <see cref="LevelNode.Parent"/> is the one before it; the last is a leaf.</param>
    /// <param name="columnPath">The Parquet path of the leaf column (used in messages and by the file layer).</param>
    /// <param name="repeatedLeaf">True when the leaf itself is the Parquet REPEATED node (a legacy two-level list).</param>
    /// <param name="index">The leaf's position among its column's leaves (depth-first order).</param>
    public LeafPath(IReadOnlyList<LevelNode> nodes, IReadOnlyList<string> columnPath, bool repeatedLeaf = false, int index = 0)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(columnPath);
        _nodes = [.. nodes];
        if (_nodes.Length == 0 || _nodes[^1].Kind != LevelNodeKind.Leaf)
        {
            throw new ArgumentException("a leaf path must end with a leaf node", nameof(nodes));
        }

        for (int i = 0; i < _nodes.Length; i++)
        {
            if (!ReferenceEquals(_nodes[i].Parent, i == 0 ? null : _nodes[i - 1]) || (i < _nodes.Length - 1 && _nodes[i].Kind == LevelNodeKind.Leaf))
            {
                throw new ArgumentException("leaf path nodes must form a parent chain with a single leaf at the end", nameof(nodes));
            }
        }

        if (repeatedLeaf && (_nodes.Length < 2 || _nodes[^2].Kind != LevelNodeKind.List || _nodes[^1].Nullable))
        {
            throw new ArgumentException("a repeated leaf must be the non-nullable element of a list node", nameof(repeatedLeaf));
        }

        ColumnPath = [.. columnPath];
        RepeatedLeaf = repeatedLeaf;
        Index = index;
        var leaf = _nodes[^1];
        MaxDefinitionLevel = leaf.DefLevel;
        MaxRepetitionLevel = leaf.RepLevel;
        Name = string.Join('.', ColumnPath);

        StartNodeForRep = new int[MaxRepetitionLevel + 1];
        ElementDefForRep = new int[MaxRepetitionLevel + 1];
        for (int i = 0; i < _nodes.Length; i++)
        {
            if (_nodes[i].IsRepeated)
            {
                StartNodeForRep[_nodes[i].RepLevel] = i + 1;
                ElementDefForRep[_nodes[i].RepLevel] = _nodes[i].ElementDefLevel;
            }
        }
    }

    /// <summary>The chain of nodes, root first, leaf last.</summary>
    public IReadOnlyList<LevelNode> Nodes => _nodes;

    public LevelNode Leaf => _nodes[^1];

    public int MaxDefinitionLevel { get; }

    public int MaxRepetitionLevel { get; }

    /// <summary>True when the leaf itself is the REPEATED node (legacy two-level list); levels are unaffected.</summary>
    public bool RepeatedLeaf { get; }

    /// <summary>The Parquet column path, e.g. <c>a</c>, <c>a.list.element</c>, <c>m.key_value.key</c>.</summary>
    public IReadOnlyList<string> ColumnPath { get; }

    /// <summary>The column path joined with dots.</summary>
    public string Name { get; }

    /// <summary>Position among the column's leaves.</summary>
    public int Index { get; }

    /// <summary>True for a top-level primitive column (no nesting).</summary>
    public bool IsFlat => _nodes.Length == 1;

    internal LevelNode[] NodeArray => _nodes;

    /// <summary>For repetition level k &gt; 0, the index of the first node that gets a new slot (the element of the list at level k); 0 for k = 0.</summary>
    internal int[] StartNodeForRep { get; }

    /// <summary>For repetition level k &gt; 0, the least definition level an entry repeating at level k can have.</summary>
    internal int[] ElementDefForRep { get; }

    /// <summary>The same path with another column path or repeated-leaf flag (for schemas read from a file).</summary>
    public LeafPath With(IReadOnlyList<string> columnPath, bool repeatedLeaf) => new(_nodes, columnPath, repeatedLeaf, Index);

    public override string ToString() => $"{Name} (max def {MaxDefinitionLevel}, max rep {MaxRepetitionLevel})";
}

/// <summary>Derives the Parquet leaf paths of an Arrow field, as Arrow C++ and parquet-mr write Arrow types.</summary>
internal static class LeafPaths
{
    /// <summary>Deepest nesting accepted (a guard against stack exhaustion on hostile schemas).</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// The leaves of <paramref name="field"/> in depth-first order. Every nullable field is OPTIONAL (+1 definition level),
    /// every other REQUIRED; a list (large or fixed-size too) is <c>&lt;name&gt; (LIST) { repeated group list { element } }</c>;
    /// a map is <c>(MAP) { repeated group key_value { required key; value } }</c>; a struct is a group; a dictionary is a leaf of
    /// its value type (the leaf's Arrow type stays the dictionary type).
    /// </summary>
    /// <exception cref="LarderNotSupportedException">A struct without fields, or nesting deeper than <see cref="MaxDepth"/>.</exception>
    public static IReadOnlyList<LeafPath> For(Field field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var leaves = new List<LeafPath>();
        var nodes = new List<LevelNode>();
        var names = new List<string>();
        Visit(field, field.Name, nullable: field.Nullable, childIndex: 0, parent: null, nodes, names, leaves);
        return leaves;
    }

    private static void Visit(Field field, string name, bool nullable, int childIndex, LevelNode? parent, List<LevelNode> nodes, List<string> names, List<LeafPath> leaves)
    {
        if (nodes.Count >= MaxDepth)
        {
            throw LevelErrors.TooDeep(string.Join('.', names), MaxDepth);
        }

        int namesBefore = names.Count;
        names.Add(name);
        switch (field.Type)
        {
            case StructType s:
                {
                    if (s.Fields.Count == 0)
                    {
                        throw LevelErrors.EmptyStruct(string.Join('.', names));
                    }

                    var node = new LevelNode(LevelNodeKind.Struct, field, nullable, childIndex, parent);
                    nodes.Add(node);
                    for (int i = 0; i < s.Fields.Count; i++)
                    {
                        Visit(s.Fields[i], s.Fields[i].Name, s.Fields[i].Nullable, i, node, nodes, names, leaves);
                    }

                    break;
                }

            case ListType or FixedSizeListType:
                {
                    var node = new LevelNode(LevelNodeKind.List, field, nullable, childIndex, parent);
                    nodes.Add(node);
                    names.Add("list");
                    var element = field.Type is ListType l ? l.ValueField : ((FixedSizeListType)field.Type).ValueField;
                    Visit(element, "element", element.Nullable, 0, node, nodes, names, leaves);
                    break;
                }

            case MapType m:
                {
                    var node = new LevelNode(LevelNodeKind.Map, field, nullable, childIndex, parent);
                    nodes.Add(node);
                    var entriesType = (StructType)m.EntriesField.Type;
                    var entries = new LevelNode(LevelNodeKind.Struct, m.EntriesField, nullable: false, 0, node);
                    nodes.Add(entries);
                    names.Add("key_value");
                    Visit(entriesType.Fields[0], "key", nullable: false, 0, entries, nodes, names, leaves);
                    Visit(entriesType.Fields[1], "value", entriesType.Fields[1].Nullable, 1, entries, nodes, names, leaves);
                    nodes.RemoveAt(nodes.Count - 1);
                    break;
                }

            default:
                {
                    var node = new LevelNode(LevelNodeKind.Leaf, field, nullable, childIndex, parent);
                    nodes.Add(node);
                    leaves.Add(new LeafPath(nodes, names, repeatedLeaf: false, index: leaves.Count));
                    break;
                }
        }

        nodes.RemoveAt(nodes.Count - 1);
        names.RemoveRange(namesBefore, names.Count - namesBefore);
    }
}
