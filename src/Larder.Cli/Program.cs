namespace Larder.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var console = new CliConsole(Console.Out, Console.Error, Console.IsOutputRedirected, Console.IsErrorRedirected);
        return await LarderCli.RunAsync(args, console, cancel.Token).ConfigureAwait(false);
    }
}
