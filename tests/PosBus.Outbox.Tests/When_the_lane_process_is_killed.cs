using System.Diagnostics;
using Microsoft.Data.Sqlite;
using PosBus.Ledger.Sqlite;
using PosBus.Outbox.Tests.Infrastructure;
using PosBus.TestSupport;

namespace PosBus.Outbox.Tests;

public sealed class When_the_lane_process_is_killed
{
    const int Kills = 5;

    [Fact]
    public async Task Every_returned_sale_has_exactly_one_ledger_row_and_no_ledger_row_lacks_its_sale()
    {
        using var database = new TempDatabase();
        var returned = new HashSet<Guid>();
        for (var round = 0; round < Kills; round++)
        {
            returned.UnionWith(await RunAndKillAsync(database.FilePath, minimumSales: Random.Shared.Next(5, 60)));
        }

        await using var connection = new SqliteConnection(LaneConnectionStrings.For(database.FilePath));
        await connection.OpenAsync();
        Assert.True(returned.Count >= Kills * 5, $"only {returned.Count} sales returned");
        foreach (var saleId in returned)
        {
            Assert.Equal(1L, await ScalarAsync(connection,
                "SELECT COUNT(*) FROM outbox o JOIN Sales s ON o.message_id = lower(s.MessageId) WHERE s.Id = upper($sale) AND o.topic = 'transaction'", saleId));
        }

        Assert.Equal(0L, await ScalarAsync(connection,
            "SELECT COUNT(*) FROM outbox o WHERE o.topic = 'transaction' AND NOT EXISTS (SELECT 1 FROM Sales s WHERE lower(s.MessageId) = o.message_id)", null));
        Assert.Equal(0L, await ScalarAsync(connection,
            "SELECT COUNT(*) FROM Sales s WHERE (SELECT COUNT(*) FROM outbox o WHERE o.message_id = lower(s.MessageId)) <> 1", null));
        // Atomicity of the whole sale: 3 inventory rows and 3 lines per committed sale, no more, no less.
        Assert.Equal(await ScalarAsync(connection, "SELECT COUNT(*) * 3 FROM Sales", null),
            await ScalarAsync(connection, "SELECT COUNT(*) FROM outbox WHERE topic = 'inventory'", null));
        Assert.Equal(await ScalarAsync(connection, "SELECT COUNT(*) * 3 FROM Sales", null),
            await ScalarAsync(connection, "SELECT COUNT(*) FROM SaleLines", null));
    }

    static async Task<List<Guid>> RunAndKillAsync(string databaseFile, int minimumSales)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(SaleSimulatorProgram).Assembly.Location);
        start.ArgumentList.Add(SaleSimulatorProgram.Verb);
        start.ArgumentList.Add(databaseFile);
        start.Environment["MASSTRANSIT_USAGE_TELEMETRY"] = "false";

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var saleIds = new List<Guid>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (saleIds.Count < minimumSales && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                saleIds.Add(Guid.Parse(line));
            }
        }
        finally
        {
            process.Kill(); // SIGKILL on Linux: no shutdown code runs
        }

        // Lines written before the kill and still in the pipe also count: their commits returned.
        while (await process.StandardOutput.ReadLineAsync() is { } rest)
        {
            if (Guid.TryParse(rest, out var id))
            {
                saleIds.Add(id);
            }
        }

        await process.WaitForExitAsync();
        Assert.True(saleIds.Count >= minimumSales, $"simulator stopped early: {await stderr}");
        return saleIds;
    }

    static async Task<long> ScalarAsync(SqliteConnection connection, string sql, Guid? sale)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (sale is { } id)
        {
            command.Parameters.AddWithValue("$sale", id.ToString("D"));
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }
}
