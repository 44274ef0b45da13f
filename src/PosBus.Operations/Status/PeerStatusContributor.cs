using System.Text.Json.Nodes;
using PosBus.Ledger.Sqlite;
using PosBus.PeerSync.Status;

namespace PosBus.Operations.Status;

/// <summary>
/// Adds <c>peers</c> (id, url, connected, last ack, lag in messages and seconds, clock skew) and <c>replicas</c>
/// (copies held per origin). Inside the running lane the live links are merged in; from another process only the
/// database speaks, so <c>connected</c> is null there.
/// </summary>
public sealed class PeerStatusContributor(LaneDatabase database, TimeProvider clock, PeerSyncStatus? live = null) : ILaneStatusContributor
{
    public async Task ContributeAsync(JsonObject status, CancellationToken cancellationToken)
    {
        var report = live is not null
            ? await live.ReadAsync(cancellationToken).ConfigureAwait(false)
            : await PeerSyncStatus.ReadFromDatabaseAsync(database, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        status["peers"] = StatusJson.From(report.Peers);
        status["replicas"] = StatusJson.From(report.Replicas);
    }
}
