using PosBus.Ledger.Sqlite;

namespace PosBus.Ledger.Stores;

/// <summary>
/// Reads of the lane's own messages by what they are about, for checks that work whatever the POS app's tables (day
/// reconciliation reads a day's <c>SaleCompleted</c> bodies). Only what retention has not removed yet is there.
/// </summary>
public sealed class OwnMessagesStore(LaneDatabase database)
{
    // created_at is fixed-width UTC text, so a time range is a text range.
    const string BodiesSql = """
        SELECT body FROM outbox
        WHERE origin_terminal = $terminal AND topic = $topic AND created_at >= $from AND created_at < $to
        ORDER BY sequence
        """;

    /// <summary>The JSON bodies of <paramref name="terminalId"/>'s own messages of <paramref name="topic"/> written in [from, to), in commit order.</summary>
    public async Task<IReadOnlyList<string>> BodiesAsync(string terminalId, string topic, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = BodiesSql;
        command.Parameters.AddWithValue("$terminal", terminalId);
        command.Parameters.AddWithValue("$topic", topic);
        command.Parameters.AddWithValue("$from", LedgerTime.ToText(from));
        command.Parameters.AddWithValue("$to", LedgerTime.ToText(to));
        var bodies = new List<string>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            bodies.Add(reader.GetString(0));
        }

        return bodies;
    }
}
