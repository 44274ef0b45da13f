using System.Text.Json.Nodes;
using PosBus.CloudSync.Cli;

namespace PosBus.Operations.Status;

/// <summary>
/// Adds <c>cloud</c>: whether the stage runs, its endpoint (never the key), the last sync time and outcome, the last
/// success and the next scheduled run, all read from <c>lane_state</c> so any process sees the running lane's facts.
/// </summary>
public sealed class CloudStatusContributor(CloudSyncStatusReader reader) : ILaneStatusContributor
{
    public async Task ContributeAsync(JsonObject status, CancellationToken cancellationToken) =>
        status["cloud"] = StatusJson.From(await reader.ReadAsync(cancellationToken).ConfigureAwait(false));
}
