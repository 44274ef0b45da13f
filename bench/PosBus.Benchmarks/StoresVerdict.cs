using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace PosBus.Benchmarks;

/// <summary>
/// After the <c>stores</c> run: per store, every message the cloud acked is stored once under that store; no row of any
/// table holds one store's message under another store's id; each store's stock levels are the sum of its own movements.
/// </summary>
public sealed record StoresVerdict(int Stores, long Messages, IReadOnlyList<string> Incomplete, long CrossStoreRows, long WrongLevels)
{
    public bool Passed => Messages > 0 && Incomplete.Count == 0 && CrossStoreRows == 0 && WrongLevels == 0;

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"verified {Stores} stores, {Messages:N0} acked messages: {(Incomplete.Count == 0 ? "every store has each of its messages once" : $"{Incomplete.Count} stores incomplete ({string.Join(", ", Incomplete.Take(5))})")}, " +
        $"{CrossStoreRows} rows under another store's id, {WrongLevels} stock levels that are not their store's own movements");

    /// <param name="sent">Every acked message id and the store whose key sent it.</param>
    public static async Task<StoresVerdict> CheckAsync(string db, string storePrefix, IReadOnlyDictionary<Guid, string> sent)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await Execute(connection, "create temp table sent (message_id uuid primary key, store_id text not null)");
        await using (var copy = await connection.BeginBinaryImportAsync("copy sent (message_id, store_id) from stdin (format binary)"))
        {
            foreach (var (id, store) in sent)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(id, NpgsqlDbType.Uuid);
                await copy.WriteAsync(store, NpgsqlDbType.Text);
            }

            await copy.CompleteAsync();
        }

        await Execute(connection, "analyze sent");
        var incomplete = new List<string>();
        await using (var perStore = new NpgsqlCommand("""
            select s.store_id from sent s
            left join pos_messages m on m.message_id = s.message_id and m.store_id = s.store_id
            left join sync_log l on l.message_id = s.message_id and l.store_id = s.store_id
            group by 1 having count(*) <> count(m.message_id) or count(*) <> count(l.message_id) order by 1
            """, connection) { CommandTimeout = 600 })
        await using (var reader = await perStore.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                incomplete.Add(reader.GetString(0));
            }
        }

        var cross = await Count(connection, """
            select (select count(*) from sent s join pos_messages x using (message_id) where x.store_id <> s.store_id)
                 + (select count(*) from sent s join sync_log x using (message_id) where x.store_id <> s.store_id)
                 + (select count(*) from sent s join transactions x using (message_id) where x.store_id <> s.store_id)
                 + (select count(*) from sent s join transactions t using (message_id) join transaction_lines x using (sale_id) where x.store_id <> s.store_id)
                 + (select count(*) from sent s join transactions t using (message_id) join transaction_payments x using (sale_id) where x.store_id <> s.store_id)
                 + (select count(*) from sent s join inventory_movements x using (message_id) where x.store_id <> s.store_id)
                 + (select count(*) from sent s join customers x using (message_id) where x.store_id <> s.store_id)
            """);
        var levels = await Count(connection, $"""
            select count(*) from inventory_levels l
            where l.store_id like '{storePrefix}%'
              and l.quantity <> (select coalesce(sum(m.delta), 0) from inventory_movements m where m.store_id = l.store_id and m.sku = l.sku)
            """);
        return new StoresVerdict(sent.Values.Distinct().Count(), sent.Count, incomplete, cross, levels);
    }

    static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    static async Task<long> Count(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
