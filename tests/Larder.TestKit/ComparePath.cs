namespace Larder.TestKit;

/// <summary>
/// Where an element being compared sits, rendered only when a difference is reported (so that comparing millions of
/// rows allocates no strings). <see cref="Element"/> gives the path of element k of the range being compared;
/// <see cref="Head"/> the path of the range as a whole.
/// </summary>
internal abstract class ComparePath
{
    public abstract string Head { get; }

    public abstract string Element(int k);

    public static string Join(string head, string segment) => head.Length == 0 ? segment : $"{head} / {segment}";

    /// <summary>Rows of a top-level array: element k is "<paramref name="head"/> / row k".</summary>
    public static ComparePath Rows(string head) => new RowsPath(head);

    /// <summary>Element k of this path is element k + <paramref name="shift"/> of the original.</summary>
    public ComparePath Shift(int shift) => shift == 0 ? this : new ShiftPath(this, shift);

    /// <summary>The same elements, seen through a child (struct field) <paramref name="segment"/>.</summary>
    public ComparePath Child(string segment) => new ChildPath(this, segment);

    private sealed class RowsPath(string head) : ComparePath
    {
        public override string Head => head;

        public override string Element(int k) => Join(head, $"row {k}");
    }

    private sealed class ShiftPath(ComparePath inner, int shift) : ComparePath
    {
        public override string Head => inner.Head;

        public override string Element(int k) => inner.Element(k + shift);
    }

    private sealed class ChildPath(ComparePath inner, string segment) : ComparePath
    {
        public override string Head => Join(inner.Head, segment);

        public override string Element(int k) => $"{inner.Element(k)} / {segment}";
    }
}

/// <summary>
/// Items of a run of list rows compared in one go: element k of the child range is located back to (row, item) only
/// when a difference is reported.
/// </summary>
internal sealed class ItemsPath(ComparePath rows, string label, Func<int, (int Row, int Item)> locate) : ComparePath
{
    public override string Head => Join(rows.Head, label + "s");

    public override string Element(int k)
    {
        var (row, item) = locate(k);
        return $"{rows.Element(row)} / {label} {item}";
    }
}
