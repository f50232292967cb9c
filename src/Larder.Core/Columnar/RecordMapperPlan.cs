using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace Larder.Columnar.RecordMapping;

/// <summary>One mapped property of a record type: its column name and how its values map.</summary>
internal sealed class RecordMemberPlan(PropertyInfo property, string name, ValueMapping mapping)
{
    public PropertyInfo Property { get; } = property;

    /// <summary>Column (struct field) name.</summary>
    public string Name { get; } = name;

    public ValueMapping Mapping { get; } = mapping;

    /// <summary>True when reading back can assign the property (public setter or init accessor).</summary>
    public bool Settable => Property.SetMethod is { IsPublic: true };
}

/// <summary>How rows of a record type are created when reading back: which members are read, and the compiled factory.</summary>
internal sealed class RecordReadPlan(RecordMemberPlan[] members, Delegate factory)
{
    /// <summary>The members read, in the order of the factory's reader array.</summary>
    public RecordMemberPlan[] Members { get; } = members;

    /// <summary>A <c>Func&lt;ColumnReader[], int, T&gt;</c> that builds the row at an index from the members' readers.</summary>
    public Delegate Factory { get; } = factory;
}

/// <summary>
/// The mapping of one record type (a class, record or struct) to Arrow: its members in column order, its struct type and
/// schema, and the compiled delegates that move values between instances and column writers/readers. Immutable after
/// construction (the delegates are compiled once, lazily and thread-safely).
/// </summary>
internal sealed class RecordTypePlan
{
    private readonly Lazy<Delegate> _write;
    private readonly Lazy<RecordReadPlan> _read;

    public RecordTypePlan(Type type, RecordMemberPlan[] members)
    {
        Type = type;
        Members = members;
        var fields = members.Select(m => new Field(m.Name, m.Mapping.ArrowType, m.Mapping.Nullable)).ToArray();
        StructType = new StructType(fields);
        Schema = new Schema(fields);
        _write = new Lazy<Delegate>(CompileWriter);
        _read = new Lazy<RecordReadPlan>(CompileReader);
    }

    public Type Type { get; }

    public IReadOnlyList<RecordMemberPlan> Members { get; }

    public StructType StructType { get; }

    public Schema Schema { get; }

    /// <summary>An <c>Action&lt;T, ColumnWriter[]&gt;</c> appending each member of a record to the writer at its index.</summary>
    public Action<T, ColumnWriter[]> GetWriter<T>() => (Action<T, ColumnWriter[]>)_write.Value;

    /// <summary>The read plan; throws <see cref="LarderUsageException"/> when the type cannot be constructed.</summary>
    public RecordReadPlan ReadPlan => _read.Value;

    /// <summary>One writer per member, in member order.</summary>
    public ColumnWriter[] CreateWriters(int capacity)
    {
        var writers = new ColumnWriter[Members.Count];
        for (int i = 0; i < writers.Length; i++)
        {
            writers[i] = Members[i].Mapping.CreateWriter(capacity);
        }

        return writers;
    }

    /// <summary>Readers for the read plan's members, each over the array <paramref name="lookup"/> finds by column name.</summary>
    public ColumnReader[] BindReaders(Func<string, ArrayData?> lookup, Func<IEnumerable<string>> available)
    {
        var members = ReadPlan.Members;
        var readers = new ColumnReader[members.Length];
        for (int i = 0; i < members.Length; i++)
        {
            var m = members[i];
            var data = lookup(m.Name) ?? throw LarderErrors.RecordColumnMissing(m.Mapping.Path, m.Name, available());
            readers[i] = m.Mapping.CreateReader(data);
        }

        return readers;
    }

    private Delegate CompileWriter()
    {
        var record = Expression.Parameter(Type, "record");
        var writers = Expression.Parameter(typeof(ColumnWriter[]), "writers");
        var body = new List<Expression>(Members.Count + 1);
        for (int i = 0; i < Members.Count; i++)
        {
            var member = Members[i];
            var writerType = typeof(ColumnWriter<>).MakeGenericType(member.Property.PropertyType);
            var writer = Expression.Convert(Expression.ArrayIndex(writers, Expression.Constant(i)), writerType);
            body.Add(Expression.Call(writer, writerType.GetMethod(nameof(ColumnWriter<int>.Append))!, Expression.Property(record, member.Property)));
        }

        body.Add(Expression.Empty());
        var delegateType = typeof(Action<,>).MakeGenericType(Type, typeof(ColumnWriter[]));
        return Expression.Lambda(delegateType, Expression.Block(body), record, writers).Compile();
    }

    private RecordReadPlan CompileReader()
    {
        if (Type.IsAbstract || Type.IsInterface)
        {
            throw LarderErrors.RecordNoConstructor(Type);
        }

        // The public parameterless constructor (or a struct's default) when every mapped property is settable; otherwise
        // the widest public constructor whose parameters all match mapped properties by name and type (a positional
        // record's or an anonymous type's), falling back to the parameterless one. Settable properties that no
        // constructor parameter covers are then assigned.
        bool hasDefault = Type.IsValueType || Type.GetConstructor(Type.EmptyTypes) is not null;
        ConstructorInfo? constructor = null;
        RecordMemberPlan[] parameters = [];
        if (!hasDefault || Members.Any(m => !m.Settable))
        {
            foreach (var candidate in Type.GetConstructors().OrderByDescending(c => c.GetParameters().Length))
            {
                var matched = MatchParameters(candidate);
                if (matched is not null)
                {
                    constructor = candidate;
                    parameters = matched;
                    break;
                }
            }

            if (constructor is null && !hasDefault)
            {
                throw LarderErrors.RecordNoConstructor(Type);
            }
        }

        var setters = Members.Where(m => m.Settable && !parameters.Contains(m)).ToArray();
        RecordMemberPlan[] read = [.. parameters, .. setters];

        var readers = Expression.Parameter(typeof(ColumnReader[]), "readers");
        var row = Expression.Parameter(typeof(int), "row");
        Expression ReadMember(int slot)
        {
            var readerType = typeof(ColumnReader<>).MakeGenericType(read[slot].Property.PropertyType);
            var reader = Expression.Convert(Expression.ArrayIndex(readers, Expression.Constant(slot)), readerType);
            return Expression.Call(reader, readerType.GetMethod(nameof(ColumnReader<int>.Read))!, row);
        }

        var arguments = new Expression[parameters.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = ReadMember(i);
        }

        var create = constructor is null ? Expression.New(Type) : Expression.New(constructor, arguments);
        var bindings = new MemberBinding[setters.Length];
        for (int i = 0; i < bindings.Length; i++)
        {
            bindings[i] = Expression.Bind(setters[i].Property, ReadMember(parameters.Length + i));
        }

        Expression body = bindings.Length == 0 ? create : Expression.MemberInit(create, bindings);
        var delegateType = typeof(Func<,,>).MakeGenericType(typeof(ColumnReader[]), typeof(int), Type);
        return new RecordReadPlan(read, Expression.Lambda(delegateType, body, readers, row).Compile());
    }

    private RecordMemberPlan[]? MatchParameters(ConstructorInfo constructor)
    {
        var ps = constructor.GetParameters();
        if (ps.Length == 0)
        {
            return null;
        }

        var matched = new RecordMemberPlan[ps.Length];
        for (int i = 0; i < ps.Length; i++)
        {
            var member = Members.FirstOrDefault(m => string.Equals(m.Property.Name, ps[i].Name, StringComparison.OrdinalIgnoreCase)
                && m.Property.PropertyType == ps[i].ParameterType);
            if (member is null || matched.Contains(member))
            {
                return null;
            }

            matched[i] = member;
        }

        return matched;
    }
}

/// <summary>
/// Builds <see cref="RecordTypePlan"/>s by reflection and keeps them. See <see cref="RecordMapper"/> for the type mapping.
/// </summary>
internal static class RecordPlanner
{
    /// <summary>
    /// The decimal type for <see cref="decimal"/> values without <see cref="ArrowDecimalAttribute"/>.
    /// </summary>
    public static readonly DecimalType DefaultDecimal = new(38, 10);

    /// <summary>
    /// Plans per record type, with their compiled expression-tree delegates. This cache is the mapper's only shared state,
    /// on purpose: compiling a type's delegates costs far more than mapping a batch, so each type is planned and compiled
    /// once per process. It is thread safe (a <see cref="ConcurrentDictionary{TKey, TValue}"/>) and holds immutable plans;
    /// a plan depends only on its type, so entries never go stale.
    /// </summary>
    private static readonly ConcurrentDictionary<Type, RecordTypePlan> Plans = new();

    /// <summary>The plan for a record type used as the rows of a batch.</summary>
    /// <exception cref="LarderUsageException">The type cannot be mapped (the message names the property and what to do).</exception>
    public static RecordTypePlan GetRootPlan(Type type)
    {
        if (Plans.TryGetValue(type, out var plan))
        {
            return plan;
        }

        if (LeafMappings.IsLeaf(type) || type.IsPrimitive || type.IsEnum || Nullable.GetUnderlyingType(type) is not null)
        {
            throw LarderErrors.RecordUnsupportedRecordType(type, "it is a single value, not a type with properties");
        }

        if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type))
        {
            throw LarderErrors.RecordUnsupportedRecordType(type, "it is a collection; pass the records themselves as the sequence");
        }

        if (!IsStructCandidate(type, out string? reason))
        {
            throw LarderErrors.RecordUnsupportedRecordType(type, reason);
        }

        return BuildPlan(type, [], DisplayName(type));
    }

    private static RecordTypePlan GetPlan(Type type, List<Type> stack, string path)
    {
        if (stack.Contains(type))
        {
            throw LarderErrors.RecordRecursiveType(path, type);
        }

        return Plans.TryGetValue(type, out var plan) ? plan : BuildPlan(type, stack, path);
    }

    private static RecordTypePlan BuildPlan(Type type, List<Type> stack, string path)
    {
        stack.Add(type);
        try
        {
            var nullability = new NullabilityInfoContext();
            var members = new List<RecordMemberPlan>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            string typeName = DisplayName(type);
            foreach (var property in MappableProperties(type))
            {
                string name = property.GetCustomAttribute<ArrowFieldAttribute>()?.Name is { Length: > 0 } renamed ? renamed : property.Name;
                if (!names.Add(name))
                {
                    throw LarderErrors.RecordDuplicateField(type, name);
                }

                string memberPath = $"{typeName}.{property.Name}";
                var decimalType = DefaultDecimal;
                if (property.GetCustomAttribute<ArrowDecimalAttribute>() is { } dec)
                {
                    if (dec.Precision is < 1 or > 38 || dec.Scale < 0 || dec.Scale > Math.Min(dec.Precision, 28))
                    {
                        throw LarderErrors.RecordInvalidDecimal(memberPath, dec.Precision, dec.Scale);
                    }

                    decimalType = new DecimalType(dec.Precision, dec.Scale);
                }

                NullabilityInfo? info;
                try
                {
                    info = nullability.Create(property);
                }
                catch (Exception e) when (e is InvalidOperationException or NotSupportedException or ArgumentException)
                {
                    info = null;
                }

                var mapping = MapValue(property.PropertyType, info, decimalType, stack, memberPath);
                members.Add(new RecordMemberPlan(property, name, mapping));
            }

            if (members.Count == 0)
            {
                throw LarderErrors.RecordNoProperties(path, type);
            }

            return Plans.GetOrAdd(type, new RecordTypePlan(type, [.. members]));
        }
        finally
        {
            stack.RemoveAt(stack.Count - 1);
        }
    }

    /// <summary>Public, readable, non-indexer instance properties without [ArrowIgnore], base class first, in declaration order.</summary>
    private static IEnumerable<PropertyInfo> MappableProperties(Type type)
    {
        var byName = new Dictionary<string, PropertyInfo>(StringComparer.Ordinal);
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length != 0 || p.GetMethod is not { IsPublic: true } || p.PropertyType.IsByRef || p.PropertyType.IsByRefLike)
            {
                continue;
            }

            // A property hidden with `new` in a derived class appears twice: keep the most derived one.
            if (byName.TryGetValue(p.Name, out var existing) && Depth(existing.DeclaringType) >= Depth(p.DeclaringType))
            {
                continue;
            }

            byName[p.Name] = p;
        }

        return byName.Values
            .Where(p => !p.IsDefined(typeof(ArrowIgnoreAttribute), inherit: true))
            .OrderBy(p => Depth(p.DeclaringType))
            .ThenBy(p => p.MetadataToken);
    }

    private static int Depth(Type? type)
    {
        int depth = 0;
        for (var t = type; t is not null; t = t.BaseType)
        {
            depth++;
        }

        return depth;
    }

    private static ValueMapping MapValue(Type type, NullabilityInfo? info, DecimalType decimalType, List<Type> stack, string path)
    {
        if (Nullable.GetUnderlyingType(type) is Type underlying)
        {
            var inner = MapValue(underlying, info?.GenericTypeArguments.FirstOrDefault(), decimalType, stack, path);
            return Create(typeof(NullableMapping<>), [underlying], inner);
        }

        bool nullable = !type.IsValueType && (info is null || info.ReadState != NullabilityState.NotNull);
        if (LeafMappings.TryCreate(type, nullable, decimalType, path) is { } leaf)
        {
            return leaf;
        }

        if (type.IsEnum)
        {
            return Create(typeof(EnumMapping<>), [type], path);
        }

        if (type.IsArray)
        {
            if (type.GetArrayRank() != 1)
            {
                throw LarderErrors.RecordUnsupportedType(path, type, "multi-dimensional arrays have no Arrow type; use an array of arrays");
            }

            var element = type.GetElementType()!;
            var item = MapValue(element, info?.ElementType, decimalType, stack, path + "[]");
            return Create(typeof(ListMapping<,>), [type, element], item, nullable, path);
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var args = type.GetGenericArguments();
            if (definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(ICollection<>)
                || definition == typeof(IReadOnlyList<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IEnumerable<>))
            {
                var item = MapValue(args[0], info?.GenericTypeArguments.ElementAtOrDefault(0), decimalType, stack, path + "[]");
                return Create(typeof(ListMapping<,>), [type, args[0]], item, nullable, path);
            }

            if (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
            {
                var key = MapValue(args[0], info?.GenericTypeArguments.ElementAtOrDefault(0), decimalType, stack, path + "{key}");
                var value = MapValue(args[1], info?.GenericTypeArguments.ElementAtOrDefault(1), decimalType, stack, path + "{value}");
                return Create(typeof(MapMapping<,,>), [type, args[0], args[1]], key, value, nullable, path);
            }
        }

        if (!IsStructCandidate(type, out string? reason))
        {
            throw LarderErrors.RecordUnsupportedType(path, type, reason);
        }

        var plan = GetPlan(type, stack, path);
        return Create(typeof(StructMapping<>), [type], plan, nullable, path);
    }

    private static ValueMapping Create(Type definition, Type[] typeArguments, params object[] args)
        => (ValueMapping)Activator.CreateInstance(definition.MakeGenericType(typeArguments), args)!;

    /// <summary>True when <paramref name="type"/> can become a struct of its properties (a user class, record or struct).</summary>
    private static bool IsStructCandidate(Type type, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? reason)
    {
        reason = null;
        if (type == typeof(char))
        {
            reason = "char has no Arrow type; use string";
        }
        else if (type == typeof(object))
        {
            reason = "object has no fixed Arrow type; use a concrete type";
        }
        else if (type.IsPrimitive || type.IsEnum || type.IsPointer || type.IsByRef || type.IsByRefLike || type.ContainsGenericParameters
            || typeof(Delegate).IsAssignableFrom(type) || LeafMappings.IsLeaf(type))
        {
            reason = "it has no Arrow mapping";
        }
        else if (type.IsArray)
        {
            reason = "multi-dimensional arrays have no Arrow type; use an array of arrays";
        }
        else if (type.IsInterface)
        {
            reason = typeof(IEnumerable).IsAssignableFrom(type)
                ? "collections map only as T[], List<T>, IList<T>, ICollection<T>, IReadOnlyList<T>, IReadOnlyCollection<T>, IEnumerable<T>, Dictionary<K, V>, IDictionary<K, V> or IReadOnlyDictionary<K, V>"
                : "interfaces other than the collection interfaces cannot be mapped; use a class";
        }
        else if (type.Assembly == typeof(object).Assembly || type.Namespace is "System" || type.Namespace?.StartsWith("System.", StringComparison.Ordinal) == true)
        {
            reason = typeof(IEnumerable).IsAssignableFrom(type)
                ? "collections map only as T[], List<T>, IList<T>, ICollection<T>, IReadOnlyList<T>, IReadOnlyCollection<T>, IEnumerable<T>, Dictionary<K, V>, IDictionary<K, V> or IReadOnlyDictionary<K, V>"
                : "it is a framework type without an Arrow mapping; map its parts as properties of your own type";
        }

        return reason is null;
    }

    internal static string DisplayName(Type type) => LarderErrors.RecordTypeDisplayName(type);
}

/// <summary>How values of one .NET type map to one Arrow type: the field, and the writers and readers that move the values.</summary>
internal abstract class ValueMapping(Type clrType, ArrowType arrowType, bool nullable, string path)
{
    public Type ClrType { get; } = clrType;

    public ArrowType ArrowType { get; } = arrowType;

    /// <summary>Whether the Arrow field is nullable (reference types per their annotation, Nullable&lt;T&gt;).</summary>
    public bool Nullable { get; } = nullable;

    /// <summary>Where the values come from, for messages: <c>Type.Property</c>, with <c>[]</c>, <c>{key}</c>, <c>{value}</c> for items.</summary>
    public string Path { get; } = path;

    /// <summary>A new writer producing arrays of <see cref="ArrowType"/>.</summary>
    public abstract ColumnWriter CreateWriter(int capacity);

    /// <summary>A reader over <paramref name="data"/>; throws <see cref="LarderUsageException"/> when its type cannot be read.</summary>
    public abstract ColumnReader CreateReader(ArrayData data);
}

/// <summary>A mapping of values of <typeparamref name="T"/>, with dictionary-decoding and all-null columns handled for every type.</summary>
internal abstract class ValueMapping<T>(ArrowType arrowType, bool nullable, string path) : ValueMapping(typeof(T), arrowType, nullable, path)
{
    /// <summary>Describes the column types this mapping reads, for messages.</summary>
    protected virtual string Reads => ArrowType.ToString();

    public abstract ColumnWriter<T> CreateTypedWriter(int capacity);

    public override ColumnWriter CreateWriter(int capacity) => CreateTypedWriter(capacity);

    public override ColumnReader CreateReader(ArrayData data) => CreateTypedReader(data);

    public ColumnReader<T> CreateTypedReader(ArrayData data)
    {
        if (TryCreateReader(data) is { } reader)
        {
            return reader;
        }

        if (data.Type is DictionaryType && data.Dictionary is { } dictionary)
        {
            return new DictionaryDecodingReader<T>(data, CreateTypedReader(dictionary), Path);
        }

        if (data.Type.Id == ArrowTypeId.Null)
        {
            return new NullColumnReader<T>(data, Path);
        }

        throw LarderErrors.RecordColumnType(Path, typeof(T), data.Type, Reads);
    }

    /// <summary>A reader when <paramref name="data"/>'s type is one this mapping reads directly, else null.</summary>
    protected abstract ColumnReader<T>? TryCreateReader(ArrayData data);
}

/// <summary>A value type that may be null: the field of <typeparamref name="T"/>, nullable.</summary>
internal sealed class NullableMapping<T>(ValueMapping inner) : ValueMapping<T?>(inner.ArrowType, true, inner.Path)
    where T : struct
{
    private readonly ValueMapping<T> _inner = (ValueMapping<T>)inner;

    public override ColumnWriter<T?> CreateTypedWriter(int capacity) => new NullableWriter<T>(_inner.CreateTypedWriter(capacity));

    protected override ColumnReader<T?>? TryCreateReader(ArrayData data)
        => data.Type.Id == ArrowTypeId.Null ? new NullColumnReader<T?>(data, Path) : new NullableReader<T>(data, _inner.CreateTypedReader(data), Path);
}

/// <summary>Enums: <c>dictionary&lt;int32, utf8&gt;</c> of the value names; read back from that, any dictionary of strings, or utf8.</summary>
internal sealed class EnumMapping<TEnum>(string path) : ValueMapping<TEnum>(new DictionaryType(ArrowType.Int32, ArrowType.String), false, path)
    where TEnum : struct, Enum
{
    protected override string Reads => "a dictionary of strings or a utf8 column of the enum's names";

    public override ColumnWriter<TEnum> CreateTypedWriter(int capacity) => new EnumWriter<TEnum>(ArrowType, capacity);

    protected override ColumnReader<TEnum>? TryCreateReader(ArrayData data) => data.Type switch
    {
        DictionaryType { ValueType.IsString: true } when data.Dictionary is not null => new EnumDictionaryReader<TEnum>(data, Path),
        { IsString: true } => new EnumStringReader<TEnum>(data, Path),
        _ => null,
    };
}

/// <summary>Collections (T[], List&lt;T&gt; and the list interfaces) as <c>list&lt;item: T&gt;</c>.</summary>
internal sealed class ListMapping<TCollection, TItem>(ValueMapping item, bool nullable, string path)
    : ValueMapping<TCollection>(new ListType(new Field("item", item.ArrowType, item.Nullable)), nullable, path)
    where TCollection : class, IEnumerable<TItem>
{
    private readonly ValueMapping<TItem> _item = (ValueMapping<TItem>)item;

    protected override string Reads => "list, large_list or fixed_size_list";

    public override ColumnWriter<TCollection> CreateTypedWriter(int capacity)
        => new ListWriter<TCollection, TItem>((ListType)ArrowType, _item.CreateTypedWriter(0), Nullable, Path);

    protected override ColumnReader<TCollection>? TryCreateReader(ArrayData data)
        => data.Type.Id is ArrowTypeId.List or ArrowTypeId.LargeList or ArrowTypeId.FixedSizeList && data.Children.Count == 1
            ? new ListReader<TCollection, TItem>(data, _item.CreateTypedReader(data.Children[0]), typeof(TCollection).IsArray, Path)
            : null;
}

/// <summary>Dictionaries as <c>map&lt;K, V&gt;</c> (keys not null).</summary>
internal sealed class MapMapping<TDictionary, TKey, TValue>(ValueMapping key, ValueMapping value, bool nullable, string path)
    : ValueMapping<TDictionary>(new MapType(key.ArrowType, value.ArrowType, value.Nullable), nullable, path)
    where TDictionary : class, IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : notnull
{
    private readonly ValueMapping<TKey> _key = (ValueMapping<TKey>)key;
    private readonly ValueMapping<TValue> _value = (ValueMapping<TValue>)value;

    protected override string Reads => "map";

    public override ColumnWriter<TDictionary> CreateTypedWriter(int capacity)
        => new MapWriter<TDictionary, TKey, TValue>((MapType)ArrowType, _key.CreateTypedWriter(0), _value.CreateTypedWriter(0), Nullable, Path);

    protected override ColumnReader<TDictionary>? TryCreateReader(ArrayData data)
    {
        if (data.Type.Id != ArrowTypeId.Map || data.Children.Count != 1 || data.Children[0].Children.Count != 2)
        {
            return null;
        }

        var entries = data.Children[0];
        var keys = entries.Children[0];
        var values = entries.Children[1];
        if (entries.Offset != 0 || keys.Length != entries.Length)
        {
            keys = keys.Slice(entries.Offset, entries.Length);
        }

        if (entries.Offset != 0 || values.Length != entries.Length)
        {
            values = values.Slice(entries.Offset, entries.Length);
        }

        return new MapReader<TDictionary, TKey, TValue>(data, _key.CreateTypedReader(keys), _value.CreateTypedReader(values), Path);
    }
}

/// <summary>Classes, records and structs as <c>struct&lt;…&gt;</c> of their mapped properties.</summary>
internal sealed class StructMapping<T>(RecordTypePlan plan, bool nullable, string path) : ValueMapping<T>(plan.StructType, nullable, path)
{
    protected override string Reads => "a struct with fields named like the properties";

    public override ColumnWriter<T> CreateTypedWriter(int capacity) => new StructWriter<T>(plan, capacity, Nullable, Path);

    protected override ColumnReader<T>? TryCreateReader(ArrayData data)
    {
        if (data.Type is not StructType type)
        {
            return null;
        }

        var readers = plan.BindReaders(
            name =>
            {
                int i = type.GetFieldIndex(name);
                if (i < 0 || i >= data.Children.Count)
                {
                    return null;
                }

                var child = data.Children[i];
                return data.Offset == 0 && child.Length == data.Length ? child : child.Slice(data.Offset, data.Length);
            },
            () => type.Fields.Select(f => f.Name));
        return new StructReader<T>(data, readers, (Func<ColumnReader[], int, T>)plan.ReadPlan.Factory, Path);
    }
}
