using Xunit.Sdk;

namespace Larder.TestKit;

/// <summary>
/// A difference found by <see cref="ArrowAssert"/>: <see cref="Path"/> says where (e.g.
/// <c>batch 2 / column "a" / row 17 / child "x"</c>), <see cref="Detail"/> says what (e.g. <c>expected 5, got 6</c>).
/// The message is <c>Path: Detail</c>.
/// </summary>
public sealed class ArrowAssertException : XunitException
{
    public ArrowAssertException(string path, string detail)
        : base(string.IsNullOrEmpty(path) ? detail : $"{path}: {detail}")
    {
        Path = path ?? string.Empty;
        Detail = detail;
    }

    /// <summary>Where the first difference is; empty when it concerns the compared objects as a whole.</summary>
    public string Path { get; }

    /// <summary>What differs there.</summary>
    public string Detail { get; }
}
