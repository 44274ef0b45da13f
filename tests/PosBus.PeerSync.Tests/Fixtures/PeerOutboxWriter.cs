using PosBus.Ledger;
using PosBus.Ledger.Schema;
using PosBus.Ledger.Sqlite;

namespace PosBus.PeerSync.Tests.Fixtures;

/// <summary>Writes own outbox rows exactly as the MassTransit outbox does, without MassTransit (bodies with escapes and non-ASCII to test byte fidelity).</summary>
public static class PeerOutboxWriter
{
    public static async Task<IReadOnlyList<Guid>> InsertAsync(LaneDatabase database, string origin, int count, int perTransaction = 1)
    {
        Directory.CreateDirectory(database.Options.DataDirectory);
        await using var connection = await database.OpenAsync();
        await LedgerSchema.EnsureCreatedAsync(connection);
        var ids = new List<Guid>(count);
        for (var written = 0; written < count;)
        {
            await using var transaction = connection.BeginTransaction();
            for (var i = 0; i < perTransaction && written < count; i++, written++)
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"INSERT INTO outbox ({LedgerRowReader.PayloadColumns}) VALUES ({LedgerRowReader.PayloadParameters})";
                var row = Row(origin, written);
                LedgerRowReader.BindPayload(command, row);
                await command.ExecuteNonQueryAsync();
                ids.Add(row.MessageId);
            }

            await transaction.CommitAsync();
        }

        return ids;
    }

    /// <summary>Commits <paramref name="rows"/> as own rows, one transaction each (e.g. rows an older version let through).</summary>
    public static async Task InsertAsync(LaneDatabase database, IEnumerable<LedgerRow> rows)
    {
        Directory.CreateDirectory(database.Options.DataDirectory);
        await using var connection = await database.OpenAsync();
        await LedgerSchema.EnsureCreatedAsync(connection);
        foreach (var row in rows)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO outbox ({LedgerRowReader.PayloadColumns}) VALUES ({LedgerRowReader.PayloadParameters})";
            LedgerRowReader.BindPayload(command, row);
            await command.ExecuteNonQueryAsync();
        }
    }

    public static LedgerRow Row(string origin, int n)
    {
        var id = Guid.NewGuid();
        return new LedgerRow
        {
            Sequence = 0,
            MessageId = id,
            OriginTerminal = origin,
            MessageType = "urn:message:PosBus.Contracts:SaleCompleted",
            Topic = "transaction",
            ContentType = "application/json",
            Body = $$"""{"saleId":"{{id}}","terminalId":"{{origin}}","n":{{n}},"totalMinor":{{1000 + n}},"note":"caf\u00e9 \"q\" \\ Grüße €  🧾\n"}""",
            Headers = n % 3 == 0 ? null : $$"""{"MT-Host-MachineName":"lane-{{origin}}","x-note":"ünï \u2028"}""",
            ConversationId = Guid.NewGuid(),
            CorrelationId = n % 2 == 0 ? Guid.NewGuid() : null,
            SourceAddress = $"loopback://localhost/{origin}",
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }
}
