using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PosBus.Ledger;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;
using PosBus.Operations.Alarms;
using PosBus.Operations.Retention;

namespace PosBus.Operations.Status;

/// <summary>
/// Adds the operations keys to status: <c>oldestUnsentSaleAgeSeconds</c>, <c>backlogAgeSeconds</c> {<c>pending</c>,
/// <c>peer_ack</c>, <c>dead_letter</c>}, <c>alarms</c> [{<c>name</c>, <c>active</c>, <c>thresholdSeconds</c>,
/// <c>ageSeconds</c>}], <c>retention</c> (the last run: <c>ranAt</c>, <c>outbox</c>, <c>replica</c>, <c>inbox</c> removed) and
/// <c>localDeadLetters</c> {<c>count</c>, <c>consumers</c>: {full consumer name: count}}: messages lane-local consumers failed on.
/// Everything is read from the database, so the offline <c>status</c> shows it too.
/// </summary>
public sealed class OperationsStatusContributor(
    LaneDatabase database, SyncLedger ledger, IOptionsMonitor<AlarmOptions> alarms, TimeProvider time) : ILaneStatusContributor
{
    public async Task ContributeAsync(JsonObject status, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var backlog = await LedgerBacklog.ReadAsync(database, cancellationToken).ConfigureAwait(false);
        status["oldestUnsentSaleAgeSeconds"] = LedgerBacklog.AgeSeconds(now, backlog.OldestUnsentSaleAt);
        status["backlogAgeSeconds"] = new JsonObject
        {
            [LedgerStatus.Pending] = LedgerBacklog.AgeSeconds(now, backlog.OldestPendingAt),
            [LedgerStatus.PeerAck] = LedgerBacklog.AgeSeconds(now, backlog.OldestPeerAckAt),
            [LedgerStatus.DeadLetter] = LedgerBacklog.AgeSeconds(now, backlog.OldestDeadLetterAt),
        };
        status["alarms"] = StatusJson.From(BacklogAlarm.Evaluate(backlog, alarms.CurrentValue, now));
        status["retention"] = StatusJson.From(await RetentionPass.ReadLastAsync(ledger, cancellationToken).ConfigureAwait(false));
        var local = await new ConsumerDeadLetterStore(database).CountByConsumerAsync(cancellationToken).ConfigureAwait(false);
        status["localDeadLetters"] = new JsonObject
        {
            ["count"] = local.Values.Sum(),
            ["consumers"] = new JsonObject(local.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
        };
    }
}
