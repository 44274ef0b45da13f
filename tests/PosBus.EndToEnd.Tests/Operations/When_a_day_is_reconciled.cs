using Microsoft.Data.Sqlite;
using Npgsql;

namespace PosBus.EndToEnd.Tests.Operations;

/// <summary>
/// <c>reconcile --date</c> against the real cloud: it agrees after a full upload, then finds a sale deliberately removed
/// from the cloud and a sale the cloud holds that the lane never rang up, and exits 5.
/// </summary>
public sealed class When_a_day_is_reconciled
{
    [Fact]
    public async Task A_sale_missing_in_the_cloud_and_one_missing_on_the_lane_are_listed()
    {
        await using var lane = await CloudLane.StartAsync("R");
        await lane.SimulateAsync(sales: 5, seed: 51);
        Assert.Equal(0, (await lane.RunAsync("sync-now")).ExitCode);
        var (day, saleId, receipt) = await FirstSaleAsync(lane.DatabasePath);

        var agree = await lane.RunAsync("reconcile", "--date", day);
        Assert.True(agree.ExitCode == 0, agree.StandardOutput + agree.StandardError);
        Assert.Contains("the lane and the cloud agree", agree.StandardOutput, StringComparison.Ordinal);

        await using (var db = await lane.Cloud.OpenAsync())
        {
            await using var remove = new NpgsqlCommand("delete from transactions where sale_id = @id", db);
            remove.Parameters.AddWithValue("id", saleId);
            Assert.Equal(1, await remove.ExecuteNonQueryAsync());
            await using var add = new NpgsqlCommand("""
                insert into transactions (sale_id, message_id, terminal_id, store_id, occurred_at, receipt_number, currency, cashier_id, subtotal_minor, tax_minor, total_minor)
                values (@sale, gen_random_uuid(), @terminal, 'store-1', (@day::date + interval '12 hours') at time zone 'UTC', 'CLOUD-ONLY-1', 'EUR', 'C1', 1000, 0, 1000)
                """, db);
            add.Parameters.AddWithValue("sale", Guid.NewGuid());
            add.Parameters.AddWithValue("terminal", lane.TerminalId);
            add.Parameters.AddWithValue("day", day);
            Assert.Equal(1, await add.ExecuteNonQueryAsync());
        }

        var differ = await lane.RunAsync("reconcile", "--date", day);
        Assert.True(differ.ExitCode == 5, differ.StandardOutput + differ.StandardError);
        Assert.Contains("THE LANE AND THE CLOUD DIFFER", differ.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("missing in the cloud (1)", differ.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(receipt, differ.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("missing on the lane (1)", differ.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("CLOUD-ONLY-1", differ.StandardOutput, StringComparison.Ordinal);

        var json = System.Text.Json.Nodes.JsonNode.Parse((await lane.RunAsync("reconcile", "--date", day, "--json")).StandardOutput)!;
        Assert.Equal(saleId, json["missingInCloud"]![0]!["saleId"]!.GetValue<Guid>());
        Assert.Equal(5, json["lane"]!["sales"]!.GetValue<int>());
        Assert.Equal(5, json["cloud"]!["sales"]!.GetValue<int>());

        Assert.Equal(2, (await lane.RunAsync("reconcile", "--date", "2026-02-30")).ExitCode);
        Assert.Equal(2, (await lane.RunAsync("reconcile")).ExitCode);
    }

    /// <summary>The UTC day, id and receipt of the lane's first sale (its day, not today's: a run near midnight stays right).</summary>
    static async Task<(string Day, Guid SaleId, string Receipt)> FirstSaleAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // The lane reconciles from its own SaleCompleted messages; the simulator stamps them in UTC (+00:00).
        command.CommandText = """
            SELECT substr(json_extract(body, '$.occurredAt'), 1, 10), json_extract(body, '$.saleId'), json_extract(body, '$.receiptNumber')
            FROM outbox WHERE topic = 'transaction' ORDER BY sequence LIMIT 1
            """;
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the lane has no sales");
        return (reader.GetString(0), Guid.Parse(reader.GetString(1)), reader.GetString(2));
    }
}
