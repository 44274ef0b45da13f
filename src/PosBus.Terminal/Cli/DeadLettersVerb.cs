using System.Globalization;
using System.Text.Json;
using PosBus.CloudSync.Cli;
using PosBus.Ledger.Stores;
using PosBus.Terminal.Hosting;
using PosBus.Operations.Status;

namespace PosBus.Terminal.Cli;

/// <summary>
/// <c>dead-letters list [--json] [--limit N]</c> and <c>dead-letters retry &lt;message-id&gt; | --all</c>: messages the
/// cloud refused, with its reason, and putting them back in line after the cause is fixed. Works beside a running lane.
/// With <c>--consumer NAME</c>, the same verbs work on local dead letters instead (<see cref="LocalDeadLettersVerb"/>).
/// </summary>
public static class DeadLettersVerb
{
    public static async Task<int> ExecuteAsync(CliArguments arguments, string[] args)
    {
        var action = (arguments.Positionals.Count > 0 ? arguments.Positionals[0] : null) ?? throw new CliException("dead-letters needs 'list', 'retry', 'discard' or 'discarded'.");
        using var host = LaneHost.CreateToolBuilder(args, LaneMode.Tool).Build();
        var consumer = arguments.Text("--consumer");
        return action switch
        {
            "list" when consumer is not null => await LocalDeadLettersVerb.ListAsync(arguments, host.Services, consumer),
            "retry" when consumer is not null => await LocalDeadLettersVerb.RetryAsync(arguments, host.Services, consumer),
            "list" => await ListAsync(arguments, host.Services),
            "retry" => await RetryAsync(arguments, host.Services),
            "discard" => await DeadLetterDiscardVerb.DiscardAsync(arguments, host.Services, PrepareAsync),
            "discarded" => await DeadLetterDiscardVerb.ListAsync(arguments, host.Services, PrepareAsync),
            _ => throw new CliException($"Unknown dead-letters action '{action}'; use 'list', 'retry', 'discard' or 'discarded'."),
        };
    }

    static async Task<int> ListAsync(CliArguments arguments, IServiceProvider services)
    {
        var asJson = arguments.Has("--json");
        var limit = arguments.WholeNumber("--limit", 1000, 1, 1_000_000);
        RejectExtraPositionals(arguments, 1);
        arguments.RejectUnknown();
        await PrepareAsync(services);

        var letters = await services.GetRequiredService<DeadLetters>().ListAsync(limit, CancellationToken.None);
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(letters, StatusJson.Indented));
            return LaneCli.ExitOk;
        }

        Console.WriteLine(letters.Count == 0 ? "no dead letters" : $"{letters.Count} dead letter(s):");
        foreach (var letter in letters)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {letter.MessageId}  {letter.OriginTerminal}#{letter.Sequence}  {letter.Topic,-11}  {letter.CreatedAt:yyyy-MM-dd HH:mm:ss}Z  " +
                $"attempts {letter.Attempts}{(letter.IsReplica ? "  (copy of another lane)" : "")}  {letter.LastError}"));
        }

        return LaneCli.ExitOk;
    }

    static async Task<int> RetryAsync(CliArguments arguments, IServiceProvider services)
    {
        var all = arguments.Has("--all");
        arguments.RejectUnknown();
        var deadLetters = services.GetRequiredService<DeadLetters>();
        if (all)
        {
            RejectExtraPositionals(arguments, 1);
            await PrepareAsync(services);
            var count = await deadLetters.RetryAllAsync(CancellationToken.None);
            Console.WriteLine($"{count} dead letter(s) back in line for the next cloud sync");
            return LaneCli.ExitOk;
        }

        RejectExtraPositionals(arguments, 2);
        var text = (arguments.Positionals.Count > 1 ? arguments.Positionals[1] : null) ?? throw new CliException("dead-letters retry needs a message id or --all.");
        if (!Guid.TryParse(text, out var messageId))
        {
            throw new CliException($"'{text}' is not a message id (a GUID as 'dead-letters list' shows it).");
        }

        await PrepareAsync(services);
        if (!await deadLetters.RetryAsync(messageId, CancellationToken.None))
        {
            await Console.Error.WriteLineAsync($"No dead letter has message id {messageId}.");
            return LaneCli.ExitFailed;
        }

        Console.WriteLine($"{messageId} back in line for the next cloud sync");
        return LaneCli.ExitOk;
    }

    internal static async Task PrepareAsync(IServiceProvider services)
    {
        LaneStartup.ValidateOptions(services);
        await services.GetRequiredService<LaneDatabaseInitializer>().InitializeAsync(CancellationToken.None);
    }

    internal static void RejectExtraPositionals(CliArguments arguments, int expected)
    {
        if (arguments.Positionals.Count > expected)
        {
            throw new CliException($"Unexpected argument '{arguments.Positionals[expected]}'.");
        }
    }
}
