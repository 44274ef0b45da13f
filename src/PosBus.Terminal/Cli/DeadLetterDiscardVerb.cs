using System.Globalization;
using System.Text.Json;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;
using PosBus.Operations.Status;

namespace PosBus.Terminal.Cli;

/// <summary>
/// <c>dead-letters discard &lt;message-id&gt; --reason TEXT [--by NAME]</c> and <c>dead-letters discarded [--json] [--limit N]</c>:
/// the operator's decision that a dead letter will never reach the cloud, recorded with the reason (and the record of
/// those decisions). The only way a dead letter leaves the ledger; works beside a running lane.
/// </summary>
public static class DeadLetterDiscardVerb
{
    public static async Task<int> DiscardAsync(CliArguments arguments, IServiceProvider services, Func<IServiceProvider, Task> prepare)
    {
        var reason = arguments.Text("--reason");
        var by = arguments.Text("--by") ?? Environment.UserName;
        arguments.RejectUnknown();
        if (arguments.Positionals.Count > 2)
        {
            throw new CliException($"Unexpected argument '{arguments.Positionals[2]}'.");
        }

        var text = (arguments.Positionals.Count > 1 ? arguments.Positionals[1] : null) ?? throw new CliException("dead-letters discard needs a message id.");
        if (!Guid.TryParse(text, out var messageId))
        {
            throw new CliException($"'{text}' is not a message id (a GUID as 'dead-letters list' shows it).");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new CliException("dead-letters discard needs --reason TEXT: why this message will never reach the cloud (it is recorded).");
        }

        await prepare(services);
        var discards = new DeadLetterDiscards(services.GetRequiredService<LaneDatabase>());
        if (!await discards.DiscardAsync(messageId, reason, by, DateTimeOffset.UtcNow, CancellationToken.None))
        {
            await Console.Error.WriteLineAsync($"No dead letter has message id {messageId}.");
            return LaneCli.ExitFailed;
        }

        Console.WriteLine($"{messageId} discarded by {by}: {reason.Trim()} (recorded; see 'dead-letters discarded')");
        return LaneCli.ExitOk;
    }

    public static async Task<int> ListAsync(CliArguments arguments, IServiceProvider services, Func<IServiceProvider, Task> prepare)
    {
        var asJson = arguments.Has("--json");
        var limit = arguments.WholeNumber("--limit", 1000, 1, 1_000_000);
        arguments.RejectUnknown();
        if (arguments.Positionals.Count > 1)
        {
            throw new CliException($"Unexpected argument '{arguments.Positionals[1]}'.");
        }

        await prepare(services);
        var discarded = await new DeadLetterDiscards(services.GetRequiredService<LaneDatabase>()).ListAsync(limit, CancellationToken.None);
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(discarded, StatusJson.Indented));
            return LaneCli.ExitOk;
        }

        Console.WriteLine(discarded.Count == 0 ? "no discarded dead letters" : $"{discarded.Count} discarded dead letter(s):");
        foreach (var d in discarded)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {d.MessageId}  {d.OriginTerminal}#{d.Sequence}  {d.Topic,-11}  discarded {d.DiscardedAt:yyyy-MM-dd HH:mm:ss}Z by {d.DiscardedBy}: {d.Reason}  (cloud said: {d.LastError})"));
        }

        return LaneCli.ExitOk;
    }
}
