namespace Larder.Storage;

/// <summary>Object key rules shared by every store, checked before a store is touched.</summary>
public static class ObjectKey
{
    /// <summary>The longest key in UTF-8 bytes (S3's limit).</summary>
    public const int MaxLength = 1024;

    /// <summary>
    /// Checks <paramref name="key"/>: not empty, at most 1,024 UTF-8 bytes, no leading <c>/</c>, no empty, <c>.</c> or
    /// <c>..</c> segment, no backslash and no control character.
    /// </summary>
    /// <exception cref="LarderUsageException">The key breaks a rule; the message names it.</exception>
    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string? why = Problem(key, allowTrailingSlash: false);
        if (why is not null)
        {
            throw LarderErrors.StoreInvalidKey(key, why);
        }
    }

    /// <summary>Checks a listing prefix: empty is allowed, and so is a trailing <c>/</c>; otherwise as <see cref="Validate"/>.</summary>
    public static void ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length == 0)
        {
            return;
        }

        string? why = Problem(prefix, allowTrailingSlash: true);
        if (why is not null)
        {
            throw LarderErrors.StoreInvalidKey(prefix, why);
        }
    }

    private static string? Problem(string key, bool allowTrailingSlash)
    {
        if (key.Length == 0)
        {
            return "it is empty";
        }

        if (System.Text.Encoding.UTF8.GetByteCount(key) > MaxLength)
        {
            return $"it is longer than {MaxLength} bytes";
        }

        if (key[0] == '/')
        {
            return "it starts with '/'";
        }

        foreach (char c in key)
        {
            if (char.IsControl(c))
            {
                return "it contains a control character";
            }

            if (c == '\\')
            {
                return "it contains a backslash";
            }
        }

        string[] segments = key.Split('/');
        for (int i = 0; i < segments.Length; i++)
        {
            string segment = segments[i];
            if (segment.Length == 0 && !(allowTrailingSlash && i == segments.Length - 1))
            {
                return "it has an empty segment ('//' or a trailing '/')";
            }

            if (segment is "." or "..")
            {
                return $"it has a '{segment}' segment";
            }
        }

        return null;
    }
}

/// <summary>User metadata rules shared by every store (S3's: lower-case ASCII names, printable ASCII values).</summary>
public static class ObjectMetadata
{
    /// <summary>The most metadata bytes (names plus values) one object may carry (S3's limit is 2 KiB).</summary>
    public const int MaxBytes = 2048;

    /// <summary>An empty, read-only dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Empty { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Checks every name and value.</summary>
    /// <exception cref="LarderUsageException">A name or value breaks the rules, or all of them together exceed <see cref="MaxBytes"/>.</exception>
    public static void Validate(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        int total = 0;
        foreach (var (name, value) in metadata)
        {
            if (name.Length == 0 || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            {
                throw LarderErrors.StoreInvalidMetadata(name, "names must be lower-case ASCII letters, digits, '-', '_' or '.'");
            }

            if (value is null || !value.All(c => c is >= ' ' and <= '~'))
            {
                throw LarderErrors.StoreInvalidMetadata(name, "values must be printable ASCII");
            }

            total += name.Length + value.Length;
        }

        if (total > MaxBytes)
        {
            throw LarderErrors.StoreInvalidMetadata(string.Join(',', metadata.Keys), $"together they take {total} bytes, more than {MaxBytes}");
        }
    }
}
