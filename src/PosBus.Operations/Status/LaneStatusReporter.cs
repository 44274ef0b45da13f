using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PosBus.Ledger;
using PosBus.Ledger.Lane;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;

namespace PosBus.Operations.Status;

/// <summary>
/// Builds the status object shared by <c>status --json</c> and the lane's <c>/status</c> endpoint.
/// Keys are a contract for ops scripts: extend, never rename.
/// </summary>
public sealed class LaneStatusReporter(
    SyncLedger ledger,
    IOptions<LaneOptions> lane,
    IOptions<LaneDatabaseOptions> database,
    IEnumerable<ILaneStatusContributor> contributors,
    TimeProvider clock)
{
    public async Task<LaneStatusReport> ReadAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var counts = await ledger.ReadCountsAsync(cancellationToken).ConfigureAwait(false);
        var status = new JsonObject
        {
            ["terminalId"] = lane.Value.TerminalId,
            ["storeId"] = lane.Value.StoreId,
            ["database"] = database.Value.DatabasePath,
            ["generatedAt"] = now.UtcDateTime,
            ["counts"] = new JsonObject
            {
                [LedgerStatus.Pending] = counts.Pending,
                [LedgerStatus.PeerAck] = counts.PeerAck,
                [LedgerStatus.CloudAck] = counts.CloudAck,
                [LedgerStatus.DeadLetter] = counts.DeadLetter,
            },
            ["oldestNotCloudAckedAgeSeconds"] = AgeSeconds(now, counts.OldestNotCloudAckedAt),
            ["oldestPendingAgeSeconds"] = AgeSeconds(now, counts.OldestPendingAt),
            ["lastSequence"] = counts.LastSequence,
        };
        foreach (var contributor in contributors)
        {
            await contributor.ContributeAsync(status, cancellationToken).ConfigureAwait(false);
        }

        return new LaneStatusReport(status);
    }

    static double? AgeSeconds(DateTimeOffset now, DateTimeOffset? since) =>
        since is { } s ? Math.Round(Math.Max(0, (now - s).TotalSeconds), 3) : null;
}
