using System.CommandLine;
using System.CommandLine.Parsing;
using Larder.Vault;
using Larder.Vault.Tables;

namespace Larder.Cli;

/// <summary>
/// <c>larder vault store | import | list | log | del | assert</c> (DESIGN §8, §13): the command line of the data_vault
/// compatible vault. The words <c>in</c>, <c>from</c>, <c>as</c> and <c>is</c> are literal; a wrong or missing one is a usage
/// error (exit 2) that shows the right form. Operation lines go to stdout, warnings and errors to stderr.
/// </summary>
internal static class VaultCommand
{
    public const string StoreForm = "larder vault store NAME FILE in MODULE [as ALIAS]";
    public const string ImportForm = "larder vault import NAME from MODULE [as ALIAS] -o OUT [--rows A:B] [--grep TEXT]";
    public const string DeleteForm = "larder vault del NAME from MODULE";
    public const string AssertForm = "larder vault assert NAME in MODULE is HASH";
    public const string ListForm = "larder vault list [--json]";
    public const string LogForm = "larder vault log [--json]";

    /// <summary>The environment variable that names the vault when <c>--vault</c> is not given.</summary>
    public const string VaultVariable = "LARDER_VAULT";

    /// <summary>The environment variable whose value is the default of <c>--password-env</c>.</summary>
    public const string PasswordEnvVariable = "LARDER_VAULT_PASSWORD_ENV";

    public static Command Build(CliContext context)
    {
        var shared = new SharedOptions();
        var vault = new Command(
            "vault",
            "A data_vault-compatible vault: a ZIP archive (default storage.zip) of tables, arrays, JSON and files, stored as module/name, with an operation log beside it.");
        foreach (Option option in shared.All)
        {
            vault.Options.Add(option);
        }

        vault.Subcommands.Add(BuildStore(context, shared));
        vault.Subcommands.Add(BuildImport(context, shared));
        vault.Subcommands.Add(BuildList(context, shared));
        vault.Subcommands.Add(BuildLog(context, shared));
        vault.Subcommands.Add(BuildDelete(context, shared));
        vault.Subcommands.Add(BuildAssert(context, shared));
        return vault;
    }

    private static Command BuildStore(CliContext context, SharedOptions shared)
    {
        var words = Words("NAME FILE in MODULE [as ALIAS]");
        var format = new Option<string?>("--format")
        {
            Description = "How to store the file: tsv, parquet or arrow (tables), npy, json or bytes. Default: by extension (table files as tsv, .npy, .json, else bytes).",
        };
        format.AcceptOnlyFromAmong("tsv", "parquet", "arrow", "npy", "json", "bytes");
        var command = new Command("store", $"Store FILE in the vault as MODULE/NAME (or MODULE/ALIAS). Usage: {StoreForm}.") { words, format };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string[] w = parse.GetValue(words) ?? [];
            var (name, module, alias) = ParseWords(w, StoreForm, 2, "in");
            string file = w[1];
            Larder.Vault.Vault v = shared.Open(context, parse);
            var options = new VaultStoreOptions
            {
                Alias = alias,
                Format = ParseFormat(parse.GetValue(format)),
                Command = CommandLine(parse),
            };
            await v.StoreFileAsync(name, module, file, options, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command BuildImport(CliContext context, SharedOptions shared)
    {
        var words = Words("NAME from MODULE [as ALIAS]");
        var output = new Option<string?>("-o", "--output")
        {
            Description = "The file to write. A table is written in the format of its extension (.csv .tsv .jsonl .arrow .arrows .parquet; dictionary columns in .arrow/.parquet when optimised); anything else as its stored bytes.",
        };
        var rows = new Option<string?>("--rows") { Description = "Keep only these stored rows, 0-based and half-open like a Python slice: 10:20, :100, 5:." };
        var grep = new Option<string?>("--grep") { Description = "Keep only rows with a value whose text contains TEXT (case-sensitive)." };
        var command = new Command("import", $"Import MODULE/NAME from the vault into a file; the entry's CRC is checked while it is read. Usage: {ImportForm}.") { words, output, rows, grep };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (name, module, alias) = ParseWords(parse.GetValue(words) ?? [], ImportForm, 1, "from");
            string outPath = parse.GetValue(output) is { Length: > 0 } o
                ? o
                : throw LarderErrors.Usage($"vault import needs an output file; usage: {ImportForm}.");
            var options = new VaultImportOptions
            {
                Alias = alias,
                Rows = parse.GetValue(rows) is { } r ? RowRange.Parse(r) : null,
                Grep = parse.GetValue(grep),
                Optimise = parse.GetValue(shared.Optimise),
                Command = CommandLine(parse),
            };
            Larder.Vault.Vault v = shared.Open(context, parse);
            await v.ImportToFileAsync(name, module, outPath, options, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command BuildDelete(CliContext context, SharedOptions shared)
    {
        var words = Words("NAME from MODULE");
        var command = new Command("del", $"Delete MODULE/NAME from the vault. Usage: {DeleteForm}.") { words };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (name, module, _) = ParseWords(parse.GetValue(words) ?? [], DeleteForm, 1, "from", allowAlias: false);
            Larder.Vault.Vault v = shared.Open(context, parse);
            await v.DeleteAsync(name, module, CommandLine(parse), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command BuildAssert(CliContext context, SharedOptions shared)
    {
        var words = Words("NAME in MODULE is HASH");
        var command = new Command(
            "assert",
            $"Check that MODULE/NAME has the checksum HASH: 8 hex digits for CRC-32, 64 for SHA-256. Exit 1 when it differs. Usage: {AssertForm}.")
        {
            words,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string[] w = parse.GetValue(words) ?? [];
            if (w.Length != 5 || w[1] != "in" || w[3] != "is")
            {
                throw BadForm(w, AssertForm);
            }

            Larder.Vault.Vault v = shared.Open(context, parse);
            await v.AssertAsync(w[0], w[2], w[4], CommandLine(parse), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command BuildList(CliContext context, SharedOptions shared)
    {
        var json = new Option<bool>("--json") { Description = "One JSON object per entry and line: module, name, entry, size, compressed_size, crc32, modified, encrypted." };
        var command = new Command(
            "list",
            $"List the vault's entries: entry, size in bytes, CRC-32, last modified (UTC) and whether it is encrypted. Usage: {ListForm}.")
        {
            json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            Larder.Vault.Vault v = shared.Open(context, parse);
            if (!File.Exists(v.Path))
            {
                throw LarderErrors.VaultNotFound(v.Path);
            }

            IReadOnlyList<VaultEntryInfo> entries = v.List();
            string text = parse.GetValue(json) ? VaultText.EntriesAsJsonLines(entries) : VaultText.EntriesAsTable(entries);
            await context.Console.Out.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command BuildLog(CliContext context, SharedOptions shared)
    {
        var json = new Option<bool>("--json") { Description = "Print the log's JSON lines as they are stored (what zcat shows)." };
        var command = new Command(
            "log",
            "Show the vault's operation log (<vault>.vault.log.gz), oldest first. By default a readable table (finished UTC, action, subject, entry, "
            + $"CRC-32, command); with --json the stored JSON lines (action, command, subject, entry, crc32, sha256, old_crc32, started, finished). Usage: {LogForm}.")
        {
            json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            Larder.Vault.Vault v = shared.Open(context, parse);
            if (!File.Exists(v.Path) && !File.Exists(v.LogPath))
            {
                throw LarderErrors.VaultNotFound(v.Path);
            }

            string text = parse.GetValue(json) ? VaultText.LogAsJsonLines(v.LogPath) : VaultText.LogAsTable(v.ReadLog());
            await context.Console.Out.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The positional words of a subcommand: parsed here, not by the parser, so that a wrong keyword can name the right form.</summary>
    private static Argument<string[]> Words(string help) => new("WORDS")
    {
        Description = "In this order; in, from, as and is are literal words.",
        Arity = ArgumentArity.ZeroOrMore,
        HelpName = help,
    };

    /// <summary>
    /// Reads <c>NAME [FILE…] KEYWORD MODULE [as ALIAS]</c>: <paramref name="before"/> words, then <paramref name="keyword"/>,
    /// the module and an optional <c>as ALIAS</c>.
    /// </summary>
    private static (string Name, string Module, string? Alias) ParseWords(string[] words, string form, int before, string keyword, bool allowAlias = true)
    {
        int k = before;
        bool ok = words.Length >= k + 2 && words[k] == keyword
            && (words.Length == k + 2 || (allowAlias && words.Length == k + 4 && words[k + 2] == "as"));
        if (!ok)
        {
            throw BadForm(words, form);
        }

        return (words[0], words[k + 1], words.Length == k + 4 ? words[k + 3] : null);
    }

    private static LarderUsageException BadForm(string[] words, string form)
        => LarderErrors.Usage(words.Length == 0
            ? $"missing arguments; usage: {form}."
            : $"'{string.Join(' ', words)}' does not match the form; usage: {form}.");

    private static VaultFormat? ParseFormat(string? text) => text switch
    {
        null => null,
        "tsv" => VaultFormat.Tsv,
        "parquet" => VaultFormat.Parquet,
        "arrow" => VaultFormat.Arrow,
        "npy" => VaultFormat.Npy,
        "json" => VaultFormat.Json,
        "bytes" => VaultFormat.Bytes,
        _ => throw LarderErrors.Usage($"--format {text} is not a vault format; use tsv, parquet, arrow, npy, json or bytes."),
    };

    /// <summary>The command line as typed, for the log: <c>larder</c> and every token, joined with spaces.</summary>
    private static string CommandLine(ParseResult parse) => "larder " + string.Join(' ', parse.Tokens.Select(t => t.Value));

    /// <summary>The options every vault subcommand takes.</summary>
    private sealed class SharedOptions
    {
        public Option<string?> Vault { get; } = new("--vault")
        {
            Description = $"The vault archive. Default: ${VaultVariable}, else storage.zip.",
            Recursive = true,
            HelpName = "PATH",
        };

        public Option<string?> PasswordEnv { get; } = new("--password-env")
        {
            Description = $"The name of the environment variable that holds the password (entries are stored AES-256 encrypted). Default: ${PasswordEnvVariable}, else none.",
            Recursive = true,
            HelpName = "VAR",
        };

        public Option<bool> Secure { get; } = BoolOption("--secure", true, "Warn on stderr when no password is configured.");

        public Option<bool> Timestamp { get; } = BoolOption("--timestamp", true, "End each printed line with the time (UTC).");

        public Option<bool> Optimise { get; } = BoolOption("--optimise", true, "Import: make string columns dictionaries (and small integers int8) when that is smaller.");

        public Option<bool> Log { get; } = BoolOption("--log", true, "Append each operation to <vault>.vault.log.gz.");

        public IEnumerable<Option> All => [Vault, PasswordEnv, Secure, Timestamp, Optimise, Log];

        public Larder.Vault.Vault Open(CliContext context, ParseResult parse)
        {
            string path = parse.GetValue(Vault) is { Length: > 0 } given
                ? given
                : Environment.GetEnvironmentVariable(VaultVariable) is { Length: > 0 } fromEnv ? fromEnv : "storage.zip";
            string? variable = parse.GetValue(PasswordEnv) is { Length: > 0 } named
                ? named
                : Environment.GetEnvironmentVariable(PasswordEnvVariable) is { Length: > 0 } defaultName ? defaultName : null;
            return Larder.Vault.Vault.Open(path, new VaultOptions
            {
                EncryptionVariable = variable,
                Secure = parse.GetValue(Secure),
                PrintTimestamps = parse.GetValue(Timestamp),
                Optimise = parse.GetValue(Optimise),
                Log = parse.GetValue(Log),
                Output = context.Console.Out,
                Warnings = context.Console.Error,
            });
        }

        private static Option<bool> BoolOption(string name, bool defaultValue, string description) => new(name)
        {
            Description = $"{description} true or false; default {(defaultValue ? "true" : "false")}.",
            Recursive = true,
            Arity = ArgumentArity.ExactlyOne,
            DefaultValueFactory = _ => defaultValue,
            HelpName = "true|false",
        };
    }
}
