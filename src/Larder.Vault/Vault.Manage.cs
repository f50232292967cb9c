using System.Globalization;
using Larder.Storage.Zip;

namespace Larder.Vault;

public sealed partial class Vault
{
    /// <summary>Removes <c>module/name</c> from the archive (atomically, under the lock).</summary>
    /// <exception cref="LarderNotFoundException">No such vault or entry (exit 3).</exception>
    public Task<VaultOperation> DeleteAsync(string name, string module, string? command = null, CancellationToken cancellationToken = default)
        => DeleteCoreAsync(name, module, command, async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="DeleteAsync"/>
    public VaultOperation Delete(string name, string module, string? command = null)
        => Sync(DeleteCoreAsync(name, module, command, async: false, CancellationToken.None));

    /// <summary>
    /// Checks that <c>module/name</c> has the checksum <paramref name="hash"/>: 8 hex digits for CRC-32, 64 for SHA-256
    /// (any case). The entry is read (so its stored CRC is checked too) unless it is encrypted without a password at hand,
    /// in which case a CRC-32 is compared with the one the archive records.
    /// </summary>
    /// <exception cref="LarderUsageException"><paramref name="hash"/> is neither form (exit 2).</exception>
    /// <exception cref="LarderAssertionException">The entry has another checksum (exit 1).</exception>
    public Task<VaultOperation> AssertAsync(string name, string module, string hash, string? command = null, CancellationToken cancellationToken = default)
        => AssertCoreAsync(name, module, hash, command, async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="AssertAsync"/>
    public VaultOperation Assert(string name, string module, string hash, string? command = null)
        => Sync(AssertCoreAsync(name, module, hash, command, async: false, CancellationToken.None));

    /// <summary>The entries (every module), in archive order; empty when the archive does not exist yet.</summary>
    public IReadOnlyList<VaultEntryInfo> List()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        using ZipArchiveReader archive = ZipArchiveReader.Open(Path);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<VaultEntryInfo>();
        foreach (ZipEntry entry in archive.Entries.Reverse())
        {
            // The last of duplicate names wins, as for reads; directories are not values.
            if (entry.Name.EndsWith('/') || !seen.Add(entry.Name))
            {
                continue;
            }

            int slash = entry.Name.LastIndexOf('/');
            DateTimeOffset modified = entry.LastModifiedUtc ?? new DateTimeOffset(DateTime.SpecifyKind(entry.LastModified, DateTimeKind.Utc));
            entries.Add(new VaultEntryInfo(
                slash < 0 ? string.Empty : entry.Name[..slash],
                entry.Name[(slash + 1)..],
                entry.Name,
                entry.Length,
                entry.CompressedLength,
                entry.HasCrc32 ? entry.Crc32 : null,
                modified,
                entry.IsEncrypted));
        }

        entries.Reverse();
        return entries;
    }

    /// <summary>The operation log, oldest first (empty when there is none).</summary>
    public IReadOnlyList<VaultLogRecord> ReadLog() => VaultLog.Read(Path);

    private async ValueTask<VaultOperation> DeleteCoreAsync(string name, string module, string? command, bool async, CancellationToken cancellationToken)
    {
        string entryName = VaultNames.Entry(module, name);
        if (!File.Exists(Path))
        {
            throw LarderErrors.VaultNotFound(Path);
        }

        DateTimeOffset started = Options.TimeProvider.GetUtcNow();
        VaultOperation operation;
        using (VaultLock held = await VaultLock.AcquireAsync(Path, Options.LockTimeout, Options.TimeProvider, async, cancellationToken).ConfigureAwait(false))
        {
            RemoveAbandonedTemporaries();
            using (ZipArchiveReader current = OpenArchive())
            {
                ZipEntry entry = current.Find(entryName) ?? throw LarderErrors.VaultEntryNotFound(Path, entryName);
                var update = new ZipArchiveUpdate(current);
                update.Delete(entryName);
                if (async)
                {
                    await update.CommitAsync(Path, Options.Durable, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    update.Commit(Path, Options.Durable);
                }

                operation = new VaultOperation("delete", name, entryName, entry.HasCrc32 ? new VaultHashes(entry.Crc32, null) : null, null, started, Options.TimeProvider.GetUtcNow(), command ?? $"del {name} from {module}");
            }

            AppendLog(operation);
        }

        Print(operation);
        return operation;
    }

    private async ValueTask<VaultOperation> AssertCoreAsync(string name, string module, string hash, string? command, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        string expected = hash.Trim();
        bool isCrc = expected.Length == 8 && expected.All(char.IsAsciiHexDigit);
        bool isSha = expected.Length == 64 && expected.All(char.IsAsciiHexDigit);
        if (!isCrc && !isSha)
        {
            throw LarderErrors.VaultBadHash(hash);
        }

        string entryName = VaultNames.Entry(module, name);
        DateTimeOffset started = Options.TimeProvider.GetUtcNow();
        VaultHashes actual;
        ZipEntry? recorded;
        using (ZipArchiveReader archive = OpenArchive())
        {
            recorded = archive.Find(entryName) ?? throw LarderErrors.VaultEntryNotFound(Path, entryName);
        }

        if (isCrc && recorded.IsEncrypted && recorded.HasCrc32 && Password is null)
        {
            actual = new VaultHashes(recorded.Crc32, null);
        }
        else
        {
            using OpenedEntry opened = await OpenEntryAsync(entryName, async, cancellationToken).ConfigureAwait(false);
            actual = await opened.FinishAsync(async, cancellationToken).ConfigureAwait(false);
        }

        string found = isCrc ? actual.Crc32Hex : actual.Sha256!;
        if (!string.Equals(found, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw LarderErrors.VaultAssertionFailed(entryName, isCrc ? "CRC-32" : "SHA-256", expected.ToUpper(CultureInfo.InvariantCulture), isCrc ? found : found.ToUpper(CultureInfo.InvariantCulture));
        }

        var operation = new VaultOperation("assert", name, entryName, null, actual, started, Options.TimeProvider.GetUtcNow(), command ?? $"assert {name} in {module} is {expected}");
        await LogUnderLockAsync(operation, async, cancellationToken).ConfigureAwait(false);
        Print(operation);
        return operation;
    }
}

/// <summary>Validation of module and variable names before they become archive entry names.</summary>
internal static class VaultNames
{
    /// <summary>The entry name <c>module/name</c>, after checking both parts.</summary>
    /// <exception cref="LarderUsageException">A part is empty, has a control character or backslash, or a <c>.</c>/<c>..</c> segment; a name has a <c>/</c>.</exception>
    public static string Entry(string module, string name)
    {
        ArgumentNullException.ThrowIfNull(module);
        ValidateName(name);
        if (module.Length == 0)
        {
            throw LarderErrors.VaultInvalidName("module", module, "it is empty");
        }

        foreach (string segment in module.Split('/'))
        {
            Check("module", module, segment);
        }

        return module + "/" + name;
    }

    public static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw LarderErrors.VaultInvalidName("name", name, "it contains '/' (put the path in the module)");
        }

        Check("name", name, name);
    }

    private static void Check(string what, string whole, string segment)
    {
        if (segment.Length == 0)
        {
            throw LarderErrors.VaultInvalidName(what, whole, "it has an empty part");
        }

        if (segment is "." or "..")
        {
            throw LarderErrors.VaultInvalidName(what, whole, $"it has a '{segment}' part");
        }

        foreach (char c in segment)
        {
            if (char.IsControl(c) || c == '\\')
            {
                throw LarderErrors.VaultInvalidName(what, whole, c == '\\' ? "it contains a backslash" : "it contains a control character");
            }
        }
    }
}
