using System.Text.Json;
using PosBus.Contracts;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;

namespace PosBus.Operations.Reconciliation;

/// <summary>
/// The lane's own sales of one UTC day, read from the ledger's own <c>SaleCompleted</c> messages (topic
/// <c>transaction</c>), so it works for any POS app on PosBus whatever its tables. Covers the days whose messages are
/// still in the ledger: retention deletes a message <c>Retention:CloudAckedAge</c> after the cloud acknowledged it.
/// </summary>
public static class LaneSales
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<IReadOnlyList<ReconciledSale>> ReadDayAsync(LaneDatabase database, string terminalId, DateOnly day, CancellationToken cancellationToken)
    {
        // A message is written when its sale happens: a day's sales are within a day of it either way (a margin for a
        // till whose clock or occurredAt runs off). The exact day comes from occurredAt below.
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var bodies = await new OwnMessagesStore(database).BodiesAsync(terminalId, PosTopics.Transaction, start.AddDays(-1), start.AddDays(2), cancellationToken).ConfigureAwait(false);
        return bodies
            .Select(body => JsonSerializer.Deserialize<SaleJson>(body, Json))
            .OfType<SaleJson>()
            .Where(sale => DateOnly.FromDateTime(sale.OccurredAt.UtcDateTime) == day)
            .Select(sale => sale.ToReconciled())
            .OrderBy(s => s.OccurredAt).ThenBy(s => s.SaleId)
            .ToList();
    }
}
