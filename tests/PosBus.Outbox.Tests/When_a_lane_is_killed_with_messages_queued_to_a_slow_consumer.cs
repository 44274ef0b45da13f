using System.Diagnostics;
using Microsoft.Data.Sqlite;
using PosBus.Ledger.Sqlite;
using PosBus.Outbox.Tests.Infrastructure;
using PosBus.TestSupport;

namespace PosBus.Outbox.Tests;

/// <summary>
/// Issue 15, hole 1: the saved delivery position must follow what the consumers completed, not what was handed to the
/// bus. A thousand adjustments are handed over at once to a consumer that takes four at a time; the lane is killed
/// (SIGKILL) a few hundred in, and restarted on the same file.
/// </summary>
public sealed class When_a_lane_is_killed_with_messages_queued_to_a_slow_consumer
{
    const int Messages = 1000;

    [Fact]
    public Task After_restart_the_consumer_has_applied_every_message_exactly_once() =>
        KillAndRestartAsync("PosBus.Outbox.Tests.Infrastructure.SlowStockConsumer");

    [Fact]
    public Task After_restart_a_batch_consumer_has_applied_every_message_exactly_once() =>
        KillAndRestartAsync("PosBus.Outbox.Tests.Infrastructure.SlowBatchStockConsumer", SlowConsumerProgram.Batch);

    static async Task KillAndRestartAsync(string consumer, params string[] mode)
    {
        using var database = new TempDatabase();
        using (var first = TestAssemblyProcess.Start([SlowConsumerProgram.Verb, database.FilePath, Messages.ToString(System.Globalization.CultureInfo.InvariantCulture), .. mode]))
        {
            var stderr = first.StandardError.ReadToEndAsync();
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                Assert.Equal(SlowConsumerProgram.Published, await first.StandardOutput.ReadLineAsync(timeout.Token));
                Assert.True(await Eventually.TrueAsync(async () => await CountAsync(database, "SELECT COUNT(*) FROM StockMovements") >= 250,
                    TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(5)), $"the consumer did not get going: {await Partial(stderr, first)}");
            }
            finally
            {
                first.Kill(); // SIGKILL: no shutdown code runs, the queued messages die with the process
            }

            await first.WaitForExitAsync();
        }

        var appliedAtKill = await CountAsync(database, "SELECT COUNT(*) FROM StockMovements");
        Assert.True(appliedAtKill < Messages, $"the consumer finished all {Messages} before the kill; the test proves nothing");

        using var second = TestAssemblyProcess.Start([SlowConsumerProgram.Verb, database.FilePath, "0", .. mode]);
        var secondErrors = second.StandardError.ReadToEndAsync();
        try
        {
            var done = await Eventually.TrueAsync(async () => await CountAsync(database, "SELECT COUNT(DISTINCT MessageId) FROM StockMovements") >= Messages,
                TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(50));
            // Let anything redelivered past the thousandth land, so that a double would show.
            await Task.Delay(TimeSpan.FromSeconds(1));
            var distinct = await CountAsync(database, "SELECT COUNT(DISTINCT MessageId) FROM StockMovements");
            Assert.True(done, $"after the restart only {distinct} of {Messages} messages were applied ({appliedAtKill} before the kill): the rest were skipped");
        }
        finally
        {
            second.Kill();
            await second.WaitForExitAsync();
        }

        Assert.Equal(Messages, await CountAsync(database, "SELECT COUNT(*) FROM StockMovements"));
        Assert.Equal(Messages, await CountAsync(database, "SELECT COUNT(DISTINCT MessageId) FROM StockMovements"));
        Assert.Equal(Messages, await CountAsync(database, $"SELECT COUNT(*) FROM inbox WHERE consumer = '{consumer}'"));
        Assert.Equal(0, await CountAsync(database,
            $"SELECT COUNT(*) FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM StockMovements s WHERE lower(s.MessageId) = o.message_id)"));
    }

    static async Task<string> Partial(Task<string> stderr, Process process)
    {
        if (!process.HasExited)
        {
            return "(still running)";
        }

        return await stderr;
    }

    static async Task<long> CountAsync(TempDatabase database, string sql)
    {
        await using var connection = new SqliteConnection(LaneConnectionStrings.For(database.FilePath));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            return (long)(await command.ExecuteScalarAsync())!;
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 1)
        {
            return 0; // the tables are not created yet
        }
    }
}
