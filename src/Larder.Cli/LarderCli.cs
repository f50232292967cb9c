using System.CommandLine;
using Larder.Formats;
using Larder.Parquet.Files;

namespace Larder.Cli;

/// <summary>
/// The <c>larder</c> command line (DESIGN §13): builds the command tree, runs one invocation and maps errors to exit
/// codes (0 ok, 1 error, 2 usage, 3 not found, 4 conflict, 5 auth). Errors are one line on stderr unless --verbose.
/// </summary>
internal static class LarderCli
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(console, TableFormatRegistry.CreateDefault().With(new ParquetTableFormat()));
        var root = BuildRoot(context);
        var parse = root.Parse(args);
        context.Verbose = parse.GetValue(context.VerboseOption);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync($"larder: {error.Message}").ConfigureAwait(false);
            }

            await console.Error.WriteLineAsync("larder: see 'larder --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            var config = new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false };
            return await parse.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (LarderException e)
        {
            await console.Error.WriteLineAsync($"larder: {e.Message}").ConfigureAwait(false);
            if (context.Verbose)
            {
                await console.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }

            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await console.Error.WriteLineAsync("larder: cancelled.").ConfigureAwait(false);
            return ExitCodes.Error;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await console.Error.WriteLineAsync($"larder: {e.Message}").ConfigureAwait(false);
            if (context.Verbose)
            {
                await console.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }

            return ExitCodes.Error;
        }
#pragma warning disable CA1031 // The last line of defence: any other failure is reported as one line, not a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await console.Error.WriteLineAsync($"larder: internal error ({e.GetType().Name}: {e.Message}); rerun with --verbose and report it.").ConfigureAwait(false);
            if (context.Verbose)
            {
                await console.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }

            return ExitCodes.Error;
        }
    }

    private static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("Larder: store, share and query dataframes, arrays and objects on open formats.");
        root.Options.Add(context.VerboseOption);
        root.Subcommands.Add(ConvertCommand.Build(context));
        root.Subcommands.Add(InspectCommand.Build(context));
        root.Subcommands.Add(VaultCommand.Build(context));
        return root;
    }
}

/// <summary>Exit codes of DESIGN §13.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int Usage = 2;
    public const int NotFound = 3;
    public const int Conflict = 4;
    public const int Auth = 5;
}

/// <summary>What every command gets: the console, the formats, and global options.</summary>
internal sealed class CliContext
{
    public CliContext(CliConsole console, TableFormatRegistry formats)
    {
        Console = console;
        Formats = formats;
    }

    public CliConsole Console { get; }

    public TableFormatRegistry Formats { get; }

    public Option<bool> VerboseOption { get; } = new("--verbose") { Description = "Print stack traces with errors.", Recursive = true };

    public bool Verbose { get; set; }
}
