namespace Larder.Vault;

/// <summary>
/// The exclusive lock that serialises writers of one vault across processes: an OS file lock on
/// <c>&lt;vault&gt;.lock</c>, which the kernel releases when the holder exits, however it exits. The lock file itself is
/// left in place (deleting it would let two processes lock two different files).
/// </summary>
internal sealed class VaultLock : IDisposable
{
    private readonly FileStream _file;

    private VaultLock(FileStream file) => _file = file;

    public static string PathFor(string vaultPath) => vaultPath + ".lock";

    public static async ValueTask<VaultLock> AcquireAsync(string vaultPath, TimeSpan timeout, TimeProvider clock, bool async, CancellationToken cancellationToken)
    {
        string path = PathFor(vaultPath);
        long start = clock.GetTimestamp();
        int delay = 5;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                // FileShare.None takes an exclusive, non-blocking flock on Unix and a share-mode lock on Windows.
                return new VaultLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1));
            }
            catch (IOException) when (File.Exists(path))
            {
                if (clock.GetElapsedTime(start) >= timeout)
                {
                    throw LarderErrors.VaultLocked(vaultPath, timeout);
                }
            }
            catch (UnauthorizedAccessException e)
            {
                throw LarderErrors.IO($"cannot lock the vault {vaultPath} (lock file {path})", e);
            }

            // Jittered backoff up to 100 ms: waiters do not wake in step.
            int wait = delay + Random.Shared.Next(delay);
            delay = Math.Min(delay * 2, 100);
            if (async)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Thread.Sleep(wait);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
