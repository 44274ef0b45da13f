using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PosBus.Ledger.Stores;
using PosBus.Operations.Status;

namespace PosBus.Terminal.Cli;

/// <summary>
/// <c>dead-letters list --consumer NAME [--json] [--limit N]</c> and <c>dead-letters retry --consumer NAME &lt;message-id&gt; | --all</c>:
/// messages a lane-local consumer failed on after its retries (table <c>consumer_dead_letter</c>), with the exception, and
/// replaying them to that consumer only after the fix. NAME is the consumer's full type name, its class name, or '*' for
/// all. A retry marks the dead letter in the ledger; the process delivering on this database (the running lane or app)
/// replays it at its next pass, and its inbox keeps the message applied exactly once.
/// </summary>
static class LocalDeadLettersVerb
{
    public static async Task<int> ListAsync(CliArguments arguments, IServiceProvider services, string consumer)
    {
        var asJson = arguments.Has("--json");
        var limit = arguments.WholeNumber("--limit", 1000, 1, 1_000_000);
        DeadLettersVerb.RejectExtraPositionals(arguments, 1);
        arguments.RejectUnknown();
        await DeadLettersVerb.PrepareAsync(services);

        var letters = await Store(services).ListAsync(consumer, limit, CancellationToken.None);
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(letters, StatusJson.Indented));
            return LaneCli.ExitOk;
        }

        Console.WriteLine(letters.Count == 0 ? $"no local dead letters of {consumer}" : $"{letters.Count} local dead letter(s) of {consumer}:");
        foreach (var letter in letters)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {letter.MessageId}  {letter.Consumer}  {letter.FailedAt:yyyy-MM-dd HH:mm:ss}Z  attempts {letter.Attempts}" +
                $"{(letter.ReplayRequestedAt is null ? "" : "  (replay requested)")}  {letter.ExceptionType}: {letter.ExceptionMessage}"));
        }

        return LaneCli.ExitOk;
    }

    public static async Task<int> RetryAsync(CliArguments arguments, IServiceProvider services, string consumer)
    {
        var all = arguments.Has("--all");
        arguments.RejectUnknown();
        Guid? messageId = null;
        if (all)
        {
            DeadLettersVerb.RejectExtraPositionals(arguments, 1);
        }
        else
        {
            DeadLettersVerb.RejectExtraPositionals(arguments, 2);
            var text = (arguments.Positionals.Count > 1 ? arguments.Positionals[1] : null)
                ?? throw new CliException("dead-letters retry --consumer needs a message id or --all.");
            messageId = Guid.TryParse(text, out var id) ? id : throw new CliException($"'{text}' is not a message id (a GUID as 'dead-letters list --consumer' shows it).");
        }

        await DeadLettersVerb.PrepareAsync(services);
        var count = await Store(services).RequestReplayAsync(consumer, messageId, DateTimeOffset.UtcNow, CancellationToken.None);
        if (messageId is { } one && count == 0)
        {
            await Console.Error.WriteLineAsync($"No local dead letter of {consumer} has message id {one}.");
            return LaneCli.ExitFailed;
        }

        Console.WriteLine(messageId is { } replayed
            ? $"{replayed} will be replayed to {consumer} by the lane's local delivery"
            : $"{count} local dead letter(s) of {consumer} will be replayed by the lane's local delivery");
        return LaneCli.ExitOk;
    }

    static ConsumerDeadLetterStore Store(IServiceProvider services) =>
        services.GetService<ConsumerDeadLetterStore>() ?? ActivatorUtilities.CreateInstance<ConsumerDeadLetterStore>(services);
}
