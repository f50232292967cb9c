namespace Larder;

/// <summary>Errors of object stores and the file-system verbs (DESIGN §5).</summary>
public static partial class LarderErrors
{
    /// <summary>A key or prefix that no store accepts.</summary>
    public static LarderUsageException StoreInvalidKey(string key, string why)
        => Usage($"'{key}' is not a valid object key ({why}); use a relative path such as data/2024/file.csv.");

    /// <summary>The object does not exist.</summary>
    public static LarderNotFoundException StoreObjectNotFound(string store, string key)
        => new($"{store}: no object '{key}'; list the store to see what it holds.");

    /// <summary>A create-only put found the object already there.</summary>
    public static LarderConflictException StoreObjectExists(string store, string key)
        => new($"{store}: object '{key}' already exists; choose another key or delete it first.");

    /// <summary>A write to a read-only store.</summary>
    public static LarderUsageException StoreReadOnly(string store, string operation)
        => Usage($"{store} is read-only; {operation} needs a writable store.");

    /// <summary>A metadata key or value a store cannot carry.</summary>
    public static LarderUsageException StoreInvalidMetadata(string name, string why)
        => Usage($"metadata '{name}' cannot be stored ({why}); use lower-case ASCII names [a-z0-9-_.] and printable ASCII values.");

    /// <summary>A transient failure (kept for retry by the caller).</summary>
    public static LarderTransientException StoreTransient(string store, string operation, Exception inner)
        => new($"{store}: {operation} failed ({inner.Message}); it may pass if retried.", inner);
}
