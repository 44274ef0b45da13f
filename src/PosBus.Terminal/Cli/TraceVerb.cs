using System.Text.Json;
using System.Text.Json.Nodes;
using PosBus.Operations.Journey;
using PosBus.Operations.Status;
using PosBus.Terminal.Hosting;

namespace PosBus.Terminal.Cli;

/// <summary>
/// <c>trace &lt;message-id | receipt-number&gt; [--json] [--offline]</c>: one message's journey: this lane's ledger (state,
/// times, who acked, which consumers applied it), each peer's copy and the cloud's row, as a time-ordered table. Asks the
/// running lane (<c>GET /messages/{id}</c>); when none listens, or with <c>--offline</c>, reads the database and asks
/// the peers and the cloud from this process. Exit 1 when no lane and no cloud knows the message.
/// </summary>
public static class TraceVerb
{
    public static async Task<int> ExecuteAsync(CliArguments arguments, string[] args)
    {
        var asJson = arguments.Has("--json");
        var offline = arguments.Has("--offline");
        var key = (arguments.Positionals.Count > 0 ? arguments.Positionals[0] : null) ?? throw new CliException("trace needs a message id or a receipt number.");
        arguments.RejectUnknown();

        using var host = LaneHost.CreateToolBuilder(args, LaneMode.Tool).Build();
        LaneStartup.ValidateOptions(host.Services);
        using var lane = RunningLane.For(host.Services, TimeSpan.FromSeconds(15));
        var journeys = host.Services.GetRequiredService<MessageJourneyReader>();
        await host.Services.GetRequiredService<LaneDatabaseInitializer>().InitializeAsync(CancellationToken.None);

        var messageId = await ResolveAsync(key, offline ? null : lane, journeys);
        var journey = (offline ? null : await lane.TryGetAsync($"{MessageJourneyEndpoints.Path}/{messageId:D}", CancellationToken.None))
            ?? await ReadHereAsync(journeys, messageId);
        Console.Write(asJson ? JsonSerializer.Serialize(journey, StatusJson.Indented) + Environment.NewLine : MessageJourneyText.Render(journey));
        return Known(journey) ? LaneCli.ExitOk : LaneCli.ExitFailed;
    }

    static async Task<Guid> ResolveAsync(string key, RunningLane? lane, MessageJourneyReader journeys)
    {
        if (Guid.TryParse(key, out var id))
        {
            return id;
        }

        var fromLane = lane is null ? null : await lane.TryGetAsync($"{MessageJourneyEndpoints.Path}?receipt={Uri.EscapeDataString(key)}", CancellationToken.None);
        var ids = fromLane?["messageIds"]?.AsArray().Select(n => Guid.Parse(n!.GetValue<string>())).ToList()
            ?? [.. await journeys.FindByReceiptAsync(key, CancellationToken.None)];
        return ids.Count switch
        {
            1 => ids[0],
            0 => throw new CliException($"No sale with receipt number '{key}' on this lane (own or held for a peer); give its message id."),
            _ => throw new CliException($"Receipt number '{key}' matches {ids.Count} messages ({string.Join(", ", ids)}); give one message id."),
        };
    }

    static async Task<JsonObject> ReadHereAsync(MessageJourneyReader journeys, Guid messageId)
    {
        var journey = await journeys.ReadAsync(messageId, CancellationToken.None);
        journey["source"] = "database";
        return journey;
    }

    static bool Known(JsonObject journey) =>
        journey["lane"]?["holds"]?.GetValue<string>() is not (null or "none")
        || journey["peers"]?.AsArray().Any(p => p?["lane"]?["holds"]?.GetValue<string>() is not (null or "none")) == true
        || journey["cloud"]?["found"]?.GetValue<bool>() == true;
}
