namespace Larder.Cli;

/// <summary>Where a command writes: standard output for results, standard error for errors and progress.</summary>
/// <param name="Out">Results (tables, listings).</param>
/// <param name="Error">One-line errors and warnings.</param>
/// <param name="OutputRedirected">True when stdout is not a terminal: no colours, no progress bars.</param>
/// <param name="ErrorRedirected">True when stderr is not a terminal.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, bool OutputRedirected, bool ErrorRedirected)
{
    /// <summary>True when progress may be drawn on stderr.</summary>
    public bool CanShowProgress => !ErrorRedirected && !OutputRedirected;
}
