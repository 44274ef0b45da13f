using System.Text.Json;
using PosBus.Outbox.Ledger;
using PosBus.Outbox.Sqlite;

namespace PosBus.Operations.Reconciliation;

/// <summary>
/// The lane's own sales of one UTC day, read from the ledger's own <c>SaleCompleted</c> messages (topic
/// <c>transaction</c>), so it works for any POS app on PosBus whatever its tables. Covers the days whose messages are
/// still in the ledger: retention deletes a message <c>Retention:CloudAckedAge</c> after the cloud acknowledged it.
/// </summary>
public static class LaneSales
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // The ledger's fixed-width UTC created_at is indexed by text order; a message is written when its sale happens, so a
    // day's sales sit within a day of it either way (a margin for a till whose clock or occurredAt runs off). The exact
    // day comes from occurredAt below.
    const string Sql = """
        SELECT body FROM outbox
        WHERE origin_terminal = $terminal AND topic = 'transaction' AND created_at >= $from AND created_at < $to
        ORDER BY sequence
        """;

    public static async Task<IReadOnlyList<ReconciledSale>> ReadDayAsync(LaneDatabase database, string terminalId, DateOnly day, CancellationToken cancellationToken)
    {
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.Parameters.AddWithValue("$terminal", terminalId);
        command.Parameters.AddWithValue("$from", LedgerTime.ToText(start.AddDays(-1)));
        command.Parameters.AddWithValue("$to", LedgerTime.ToText(start.AddDays(2)));
        var sales = new List<ReconciledSale>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var sale = JsonSerializer.Deserialize<SaleJson>(reader.GetString(0), Json);
            if (sale is not null && DateOnly.FromDateTime(sale.OccurredAt.UtcDateTime) == day)
            {
                sales.Add(sale.ToReconciled());
            }
        }

        return sales.OrderBy(s => s.OccurredAt).ThenBy(s => s.SaleId).ToList();
    }
}
