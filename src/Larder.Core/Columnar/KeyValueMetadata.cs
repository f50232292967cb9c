using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Larder.Columnar;

/// <summary>
/// Arrow key/value metadata: an immutable, insertion-ordered map of strings (later duplicates of a key replace earlier ones).
/// Order is kept so that files round-trip byte for byte. Thread safe.
/// </summary>
public sealed class KeyValueMetadata : IReadOnlyDictionary<string, string>, IEquatable<KeyValueMetadata>
{
    private readonly KeyValuePair<string, string>[] _items;

    public KeyValueMetadata(IEnumerable<KeyValuePair<string, string>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = new List<KeyValuePair<string, string>>();
        foreach (var kv in items)
        {
            int existing = list.FindIndex(x => x.Key == kv.Key);
            if (existing >= 0)
            {
                list[existing] = kv;
            }
            else
            {
                list.Add(kv);
            }
        }

        _items = [.. list];
    }

    public static KeyValueMetadata Empty { get; } = new([]);

    /// <summary>Metadata from alternating keys and values: <c>Of("k1", "v1", "k2", "v2")</c>.</summary>
    public static KeyValueMetadata Of(params string[] keysAndValues)
    {
        if (keysAndValues.Length % 2 != 0)
        {
            throw new ArgumentException("expected key/value pairs", nameof(keysAndValues));
        }

        var items = new KeyValuePair<string, string>[keysAndValues.Length / 2];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = new(keysAndValues[2 * i], keysAndValues[(2 * i) + 1]);
        }

        return new KeyValueMetadata(items);
    }

    public int Count => _items.Length;

    public string this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => _items.Select(x => x.Key);

    public IEnumerable<string> Values => _items.Select(x => x.Value);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        foreach (var kv in _items)
        {
            if (kv.Key == key)
            {
                value = kv.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>A copy with <paramref name="key"/> set (replaced in place or appended).</summary>
    public KeyValueMetadata With(string key, string value) => new(_items.Append(new(key, value)));

    /// <summary>A copy without <paramref name="key"/>.</summary>
    public KeyValueMetadata Without(string key) => new(_items.Where(x => x.Key != key));

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Equal when both hold the same pairs in the same order.</summary>
    public bool Equals(KeyValueMetadata? other) => other is not null && _items.AsSpan().SequenceEqual(other._items);

    public override bool Equals(object? obj) => obj is KeyValueMetadata m && Equals(m);

    public override int GetHashCode() => _items.Length;
}
