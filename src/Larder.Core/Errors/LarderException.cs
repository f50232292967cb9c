namespace Larder;

/// <summary>
/// The root of every error Larder raises on purpose. The message is one line that names the thing that failed and says
/// what to do; <see cref="ExitCode"/> is the command-line exit code for it (DESIGN §13).
/// </summary>
/// <remarks>Instances are built through <see cref="LarderErrors"/> so that every message is worded in one place.</remarks>
public class LarderException : Exception
{
    public LarderException(string message)
        : base(message)
    {
    }

    public LarderException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The process exit code a command-line front end uses for this error: 1 unless a subtype says otherwise.</summary>
    public virtual int ExitCode => 1;
}

/// <summary>Input bytes are malformed, truncated or of a kind this reader refuses. Names the source and offset where known.</summary>
public class LarderFormatException : LarderException
{
    public LarderFormatException(string message, string? source = null, long? offset = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Source = source;
        Offset = offset;
    }

    /// <summary>The file, object or stream the malformed input came from, when known.</summary>
    public new string? Source { get; }

    /// <summary>The byte offset at which the problem was found, when known.</summary>
    public long? Offset { get; }
}

/// <summary>The input is well formed but uses a feature (a type, an encoding) this version refuses on purpose.</summary>
public sealed class LarderNotSupportedException : LarderFormatException
{
    public LarderNotSupportedException(string message, string? source = null, long? offset = null)
        : base(message, source, offset)
    {
    }
}

/// <summary>A stored checksum does not match the bytes it covers.</summary>
public sealed class LarderChecksumException : LarderFormatException
{
    public LarderChecksumException(string message, string? source = null, long? offset = null)
        : base(message, source, offset)
    {
    }
}

/// <summary>The caller asked for something that does not make sense (bad option, bad argument combination). Exit code 2.</summary>
public sealed class LarderUsageException : LarderException
{
    public LarderUsageException(string message)
        : base(message)
    {
    }

    public override int ExitCode => 2;
}

/// <summary>A named thing (file, table, bucket, key, entry) does not exist. Exit code 3.</summary>
public sealed class LarderNotFoundException : LarderException
{
    public LarderNotFoundException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    public override int ExitCode => 3;
}

/// <summary>The target already exists, or a concurrent change won. Exit code 4.</summary>
public sealed class LarderConflictException : LarderException
{
    public LarderConflictException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    public override int ExitCode => 4;
}

/// <summary>Authentication failed or the caller lacks permission (also a wrong password). Exit code 5.</summary>
public sealed class LarderAuthException : LarderException
{
    public LarderAuthException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    public override int ExitCode => 5;
}

/// <summary>An I/O operation on a file or store failed for a reason outside the input's content.</summary>
public sealed class LarderIOException : LarderException
{
    public LarderIOException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>A checked expectation about data does not hold (e.g. a vault entry's checksum is not the asserted one). Exit code 1.</summary>
public sealed class LarderAssertionException : LarderException
{
    public LarderAssertionException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// A failure that may pass if the operation is retried (a timeout, throttling, a reset connection, a 5xx answer). Exit
/// code 1 when retries are exhausted.
/// </summary>
public sealed class LarderTransientException : LarderException
{
    public LarderTransientException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
