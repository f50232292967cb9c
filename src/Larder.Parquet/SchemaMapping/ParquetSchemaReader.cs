using Larder.Columnar;
using Larder.Parquet.Dremel;
using Larder.Parquet.Metadata;

namespace Larder.Parquet.SchemaMapping;

/// <summary>
/// Reads a Parquet schema element list into an Arrow schema and per-leaf Dremel paths (see
/// <see cref="ParquetSchemaMapper.ToArrow"/> for the rules). One instance per call; not shared.
/// </summary>
internal sealed class ParquetSchemaReader
{
    private readonly IReadOnlyList<SchemaElement> _elements;
    private readonly string? _source;

    private ParquetSchemaReader(IReadOnlyList<SchemaElement> elements, string? source)
    {
        _elements = elements;
        _source = source;
    }

    /// <summary>What an intermediate node becomes in Arrow.</summary>
    internal enum Kind
    {
        Leaf,
        Struct,
        List,
        Map,
    }

    /// <summary>Parses and validates the element tree, then derives the intermediate nodes of the top-level fields.</summary>
    public static IReadOnlyList<MappedNode> Read(IReadOnlyList<SchemaElement> elements, string? source)
    {
        var reader = new ParquetSchemaReader(elements, source);
        if (elements.Count == 0)
        {
            throw SchemaErrors.InvalidSchema(source, "the schema has no elements (not even the root)");
        }

        int position = 0;
        var root = reader.Parse(ref position, depth: 0);
        if (position != elements.Count)
        {
            throw SchemaErrors.InvalidSchema(source, $"the root's tree covers {position} of the {elements.Count} schema elements");
        }

        return [.. root.Children.Select(c => reader.Build(c, inRepeatedSlot: false))];
    }

    /// <summary>The Arrow field the Parquet schema alone implies for <paramref name="node"/>.</summary>
    public static Field ToField(MappedNode node)
    {
        var metadata = node.FieldId is int id ? KeyValueMetadata.Of(ParquetSchemaMapper.FieldIdKey, id.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;
        ArrowType type = node.NodeKind switch
        {
            Kind.Leaf => node.StorageType!,
            Kind.Struct => new StructType(node.Children.Select(ToField)),
            Kind.List => new ListType(ToField(node.Children[0])),
            _ => new MapType(new Field(node.EntriesName!, new StructType([ToField(node.Children[0]), ToField(node.Children[1])]), nullable: false)),
        };
        return new Field(node.Name, type, node.Nullable, metadata);
    }

    /// <summary>
    /// The leaf paths of <paramref name="node"/> given its final Arrow <paramref name="field"/> (whose shape matches the
    /// node's: restoration only changes leaf types, list kinds, names of list/map children, and metadata).
    /// </summary>
    public static void Paths(MappedNode node, Field field, List<(LeafPath Path, MappedNode Leaf)> leaves)
    {
        var chain = new List<LevelNode>();
        var names = new List<string>();
        int first = leaves.Count;
        Walk(node, field, 0, null, chain, names, leaves, first);
    }

    private static void Walk(MappedNode node, Field field, int childIndex, LevelNode? parent, List<LevelNode> chain, List<string> names, List<(LeafPath, MappedNode)> leaves, int first)
    {
        int namesBefore = names.Count;
        names.AddRange(node.Segments);
        switch (node.NodeKind)
        {
            case Kind.Struct:
                {
                    var level = new LevelNode(LevelNodeKind.Struct, field, node.Nullable, childIndex, parent);
                    chain.Add(level);
                    var fields = ((StructType)field.Type).Fields;
                    for (int i = 0; i < node.Children.Count; i++)
                    {
                        Walk(node.Children[i], fields[i], i, level, chain, names, leaves, first);
                    }

                    break;
                }

            case Kind.List:
                {
                    var level = new LevelNode(LevelNodeKind.List, field, node.Nullable, childIndex, parent);
                    chain.Add(level);
                    var value = field.Type is ListType l ? l.ValueField : ((FixedSizeListType)field.Type).ValueField;
                    Walk(node.Children[0], value, 0, level, chain, names, leaves, first);
                    break;
                }

            case Kind.Map:
                {
                    var map = (MapType)field.Type;
                    var level = new LevelNode(LevelNodeKind.Map, field, node.Nullable, childIndex, parent);
                    chain.Add(level);
                    var entries = new LevelNode(LevelNodeKind.Struct, map.EntriesField, nullable: false, 0, level);
                    chain.Add(entries);
                    Walk(node.Children[0], map.KeyField, 0, entries, chain, names, leaves, first);
                    Walk(node.Children[1], map.ValueField, 1, entries, chain, names, leaves, first);
                    chain.RemoveAt(chain.Count - 1);
                    break;
                }

            default:
                {
                    chain.Add(new LevelNode(LevelNodeKind.Leaf, field, node.Nullable, childIndex, parent));
                    leaves.Add((new LeafPath(chain, names, node.RepeatedLeaf, leaves.Count - first), node));
                    break;
                }
        }

        chain.RemoveAt(chain.Count - 1);
        names.RemoveRange(namesBefore, names.Count - namesBefore);
    }

    private RawNode Parse(ref int position, int depth)
    {
        int index = position++;
        var e = _elements[index] ?? throw SchemaErrors.InvalidElement(_source, index, null, "the element is missing");
        if (depth > LeafPaths.MaxDepth)
        {
            throw SchemaErrors.InvalidElement(_source, index, e.Name, $"the schema nests more than {LeafPaths.MaxDepth} levels deep");
        }

        if (depth > 0)
        {
            if (e.RepetitionType is not (FieldRepetitionType.Required or FieldRepetitionType.Optional or FieldRepetitionType.Repeated))
            {
                throw SchemaErrors.InvalidElement(_source, index, e.Name, e.RepetitionType is null ? "a non-root element has no repetition type" : $"unknown repetition type {(int)e.RepetitionType}");
            }
        }

        if (e.Type is PhysicalType physical)
        {
            if (depth == 0)
            {
                throw SchemaErrors.InvalidElement(_source, index, e.Name, "the root is not a group (it has a physical type)");
            }

            if (e.NumChildren is > 0)
            {
                throw SchemaErrors.InvalidElement(_source, index, e.Name, $"a leaf of physical type {physical} announces {e.NumChildren} children");
            }

            if (!Enum.IsDefined(physical))
            {
                throw SchemaErrors.InvalidElement(_source, index, e.Name, $"unknown physical type {(int)physical}");
            }

            if (e.TypeLength is < 0)
            {
                throw SchemaErrors.InvalidElement(_source, index, e.Name, $"negative type length {e.TypeLength}");
            }

            if (physical == PhysicalType.FixedLenByteArray && e.TypeLength is null or 0)
            {
                throw SchemaErrors.InvalidElement(_source, index, e.Name, "a FIXED_LEN_BYTE_ARRAY has no positive type length");
            }

            return new RawNode(index, e, []);
        }

        if (e.NumChildren is not int count)
        {
            throw SchemaErrors.InvalidElement(_source, index, e.Name, depth == 0 ? "the root is not a group (no num_children)" : "a primitive element has no physical type");
        }

        if (count < 0)
        {
            throw SchemaErrors.InvalidElement(_source, index, e.Name, $"negative num_children {count}");
        }

        if (count == 0 && depth > 0)
        {
            throw SchemaErrors.InvalidElement(_source, index, e.Name, "a group has no children");
        }

        if (count > _elements.Count - position)
        {
            throw SchemaErrors.InvalidElement(_source, index, e.Name, $"num_children {count} points past the end of the schema ({_elements.Count - position} elements follow)");
        }

        var children = new RawNode[count];
        for (int i = 0; i < count; i++)
        {
            if (position >= _elements.Count)
            {
                throw SchemaErrors.InvalidElement(_source, index, e.Name, $"num_children {count} points past the end of the schema");
            }

            children[i] = Parse(ref position, depth + 1);
        }

        return new RawNode(index, e, children);
    }

    private MappedNode Build(RawNode r, bool inRepeatedSlot)
    {
        var e = r.Element;
        if (e.RepetitionType == FieldRepetitionType.Repeated && !inRepeatedSlot)
        {
            // An un-annotated repeated field: a required list of required elements of the field's type.
            var element = Build(r, inRepeatedSlot: true);
            element.FieldId = null;
            return new MappedNode(Kind.List, e.Name, nullable: false, r, [], [element]) { FieldId = e.FieldId };
        }

        bool nullable = !inRepeatedSlot && e.RepetitionType == FieldRepetitionType.Optional;
        if (r.Children.Length == 0)
        {
            var logical = ParquetLeafTypes.EffectiveLogicalType(e, r.Index, _source);
            var type = ParquetLeafTypes.ToArrow(e, logical, r.Index, _source);
            return new MappedNode(Kind.Leaf, e.Name, nullable, r, [e.Name], [])
            {
                FieldId = e.FieldId,
                StorageType = type,
                Logical = logical,
                RepeatedLeaf = inRepeatedSlot,
            };
        }

        if (e.LogicalType?.Kind == LogicalTypeKind.List || e.ConvertedType == ConvertedType.List)
        {
            return BuildList(r, nullable);
        }

        if (e.LogicalType?.Kind == LogicalTypeKind.Map || e.ConvertedType is ConvertedType.Map or ConvertedType.MapKeyValue)
        {
            return BuildMap(r, nullable);
        }

        return BuildStruct(r, nullable);
    }

    private MappedNode BuildStruct(RawNode r, bool nullable)
        => new(Kind.Struct, r.Element.Name, nullable, r, [r.Element.Name], [.. r.Children.Select(c => Build(c, inRepeatedSlot: false))]) { FieldId = r.Element.FieldId };

    private MappedNode BuildList(RawNode r, bool nullable)
    {
        var e = r.Element;
        if (r.Children.Length != 1)
        {
            throw SchemaErrors.InvalidElement(_source, r.Index, e.Name, $"a LIST-annotated group has {r.Children.Length} children, 1 expected");
        }

        var repeated = r.Children[0];
        if (repeated.Element.RepetitionType != FieldRepetitionType.Repeated)
        {
            throw SchemaErrors.InvalidElement(_source, r.Index, e.Name, "the child of a LIST-annotated group is not repeated");
        }

        MappedNode element;
        string[] segments;
        bool twoLevel = repeated.Children.Length == 0
            || repeated.Children.Length > 1
            || repeated.Children[0].Element.RepetitionType == FieldRepetitionType.Repeated
            || repeated.Element.Name == "array"
            || repeated.Element.Name == e.Name + "_tuple";
        if (twoLevel)
        {
            // Backward-compatibility rules 1–4: the repeated field is the (required) element.
            element = Build(repeated, inRepeatedSlot: true);
            segments = [e.Name];
        }
        else
        {
            // The standard three-level list (rule 5): the repeated group's single child is the element.
            element = Build(repeated.Children[0], inRepeatedSlot: false);
            segments = [e.Name, repeated.Element.Name];
        }

        return new MappedNode(Kind.List, e.Name, nullable, r, segments, [element]) { FieldId = e.FieldId };
    }

    private MappedNode BuildMap(RawNode r, bool nullable)
    {
        var e = r.Element;
        bool shaped = r.Children.Length == 1 && r.Children[0].Children.Length > 0 && r.Children[0].Element.RepetitionType == FieldRepetitionType.Repeated;
        if (!shaped)
        {
            if (e.LogicalType?.Kind != LogicalTypeKind.Map && e.ConvertedType == ConvertedType.MapKeyValue)
            {
                // A MAP_KEY_VALUE group that is itself the key/value group: an ordinary group.
                return BuildStruct(r, nullable);
            }

            throw SchemaErrors.InvalidElement(_source, r.Index, e.Name, "a MAP-annotated group must have exactly one child, a repeated group");
        }

        var keyValue = r.Children[0];
        if (keyValue.Children.Length == 1)
        {
            // A map without values (a set): a list of keys, as Arrow C++ reads it.
            var keys = Build(keyValue.Children[0], inRepeatedSlot: false);
            return new MappedNode(Kind.List, e.Name, nullable, r, [e.Name, keyValue.Element.Name], [keys]) { FieldId = e.FieldId };
        }

        if (keyValue.Children.Length > 2 || keyValue.Children[0].Element.RepetitionType != FieldRepetitionType.Required)
        {
            // Not a valid map (nullable keys, extra fields): read it as a list of key/value structs.
            var entries = BuildStruct(keyValue, nullable: false);
            return new MappedNode(Kind.List, e.Name, nullable, r, [e.Name], [entries]) { FieldId = e.FieldId };
        }

        var key = Build(keyValue.Children[0], inRepeatedSlot: false);
        var value = Build(keyValue.Children[1], inRepeatedSlot: false);
        return new MappedNode(Kind.Map, e.Name, nullable, r, [e.Name, keyValue.Element.Name], [key, value])
        {
            FieldId = e.FieldId,
            EntriesName = keyValue.Element.Name,
        };
    }

    /// <summary>One schema element with its parsed children.</summary>
    internal sealed record RawNode(int Index, SchemaElement Element, RawNode[] Children);

    /// <summary>
    /// An Arrow field as the Parquet schema implies it, before <c>ARROW:schema</c> restoration: its kind, nullability, the
    /// Parquet names it adds to the column path, and for leaves the storage type.
    /// </summary>
    internal sealed class MappedNode
    {
        public MappedNode(Kind kind, string name, bool nullable, RawNode raw, string[] segments, MappedNode[] children)
        {
            NodeKind = kind;
            Name = name;
            Nullable = nullable;
            Element = raw.Element;
            ElementIndex = raw.Index;
            Segments = segments;
            Children = children;
        }

        public Kind NodeKind { get; }

        public string Name { get; }

        public bool Nullable { get; }

        public SchemaElement Element { get; }

        public int ElementIndex { get; }

        /// <summary>The Parquet element names this node adds to its leaves' column paths.</summary>
        public string[] Segments { get; }

        public IReadOnlyList<MappedNode> Children { get; }

        public int? FieldId { get; set; }

        public string? EntriesName { get; init; }

        public ArrowType? StorageType { get; init; }

        public LogicalType? Logical { get; init; }

        public bool RepeatedLeaf { get; init; }
    }
}
