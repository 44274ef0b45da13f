using System.Globalization;
using Microsoft.Data.Sqlite;
using PosBus.Ledger.Sqlite;

namespace PosBus.Terminal.Reconciliation;

/// <summary>The lane's own sales of one UTC day, read from the POS tables (<c>sales</c>, <c>sale_tenders</c>).</summary>
public static class LaneSales
{
    // EF Core stores DateTime as "yyyy-MM-dd HH:mm:ss.FFFFFFF": text order is time order, so a day is a text range.
    const string Sql = """
        SELECT s.Id, s.ReceiptNumber, s.CompletedAtUtc, s.TotalMinor, t.Tender, t.AmountMinor
        FROM sales s LEFT JOIN sale_tenders t ON t.SaleId = s.Id
        WHERE s.TerminalId = $terminal AND s.CompletedAtUtc >= $from AND s.CompletedAtUtc < $to
        ORDER BY s.CompletedAtUtc, s.Id, t.TenderNo
        """;

    public static async Task<IReadOnlyList<ReconciledSale>> ReadDayAsync(LaneDatabase database, string terminalId, DateOnly day, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.Parameters.AddWithValue("$terminal", terminalId);
        command.Parameters.AddWithValue("$from", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 00:00:00");
        command.Parameters.AddWithValue("$to", day.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 00:00:00");
        var sales = new List<ReconciledSale>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = Guid.Parse(reader.GetString(0));
                if (sales.Count == 0 || sales[^1].SaleId != id)
                {
                    var at = DateTime.SpecifyKind(DateTime.Parse(reader.GetString(2), CultureInfo.InvariantCulture), DateTimeKind.Utc);
                    sales.Add(new ReconciledSale(id, reader.GetString(1), at, reader.GetInt64(3), new List<ReconciledPayment>()));
                }

                if (!reader.IsDBNull(4))
                {
                    ((List<ReconciledPayment>)sales[^1].Payments).Add(new ReconciledPayment(reader.GetString(4), reader.GetInt64(5)));
                }
            }
        }
        catch (SqliteException e) when (e.Message.Contains("no such table", StringComparison.Ordinal))
        {
            // The lane never rang up a sale: no POS tables yet, and nothing to compare from this side.
        }

        return sales;
    }
}
