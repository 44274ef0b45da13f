using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;
using PosBus.Outbox.Tests.Infrastructure;
using PosBus.TestSupport;

namespace PosBus.Outbox.Tests;

/// <summary>Issue 15: a consumer that throws for one message is retried, then dead-lettered locally; nothing else waits.</summary>
public sealed class When_a_local_consumer_throws
{
    const string Flaky = "PosBus.Outbox.Tests.Infrastructure.FlakySaleConsumer";
    const string Projector = "PosBus.Outbox.Tests.Infrastructure.SaleCompletedConsumer";

    [Fact]
    public async Task It_is_retried_then_dead_lettered_with_its_exception_and_a_replay_after_the_fix_applies_it_once()
    {
        using var database = new TempDatabase();
        var poisoned = new PoisonedSales();
        await using var lane = await LaneHost.StartAsync(database, o =>
        {
            o.ConsumerRetryLimit = 2;
            o.ConsumerRetryInterval = TimeSpan.FromMilliseconds(20);
            o.ConsumerRetryMaxInterval = TimeSpan.FromMilliseconds(50);
        }, x =>
        {
            x.AddSingleton(poisoned);
            x.AddConsumer<FlakySaleConsumer>();
        });
        var sales = new List<Sale>();
        for (var i = 0; i < 10; i++)
        {
            var sale = Sales.New();
            if (i == 2)
            {
                poisoned.Poison(sale.Id);
            }

            sales.Add(await Sales.SaveAsync(lane.Services, sale));
        }

        var bad = sales[2];
        var store = lane.Services.GetRequiredService<ConsumerDeadLetterStore>();
        Assert.True(await Eventually.TrueAsync(async () => (await store.ListAsync(ConsumerDeadLetterStore.AnyConsumer)).Count > 0, TimeSpan.FromSeconds(15)));
        var letter = Assert.Single(await store.ListAsync("FlakySaleConsumer"));
        Assert.Equal(Flaky, letter.Consumer);
        Assert.Equal(bad.MessageId, letter.MessageId);
        Assert.Equal(typeof(InvalidOperationException).FullName, letter.ExceptionType);
        Assert.Contains("is locked", letter.ExceptionMessage, StringComparison.Ordinal);
        Assert.Contains(nameof(FlakySaleConsumer), letter.StackSummary, StringComparison.Ordinal);
        Assert.Equal(3, letter.Attempts); // the first run and two retries
        Assert.Equal(3, poisoned.Runs(bad.Id));

        // The other messages and the other consumer went on, and the delivery position passed the dead letter.
        foreach (var sale in sales)
        {
            Assert.True(await lane.ConsumedAsync(sale.MessageId));
            Assert.Equal(sale == bad ? 0 : 1, await InboxCountAsync(lane, sale.MessageId, Flaky));
            Assert.Equal(1, await InboxCountAsync(lane, sale.MessageId, Projector));
        }

        var badSequence = await ScalarAsync(database, $"SELECT sequence FROM outbox WHERE message_id = '{bad.MessageId:D}'");
        Assert.True(await Eventually.TrueAsync(async () => await ScalarAsync(database, "SELECT COALESCE(MAX(position), 0) FROM delivery_checkpoint WHERE stream = 'outbox'") > badSequence,
            TimeSpan.FromSeconds(10)), "the delivery position stayed behind the dead-lettered message");
        Assert.Equal(0, await FlakyRowsAsync(lane, bad.MessageId)); // no half-done work of the failed runs was saved

        // The fix, then `dead-letters retry --consumer FlakySaleConsumer <id>`: the lane replays it to that consumer only.
        poisoned.Fix();
        Assert.Equal(1, await store.RequestReplayAsync("FlakySaleConsumer", bad.MessageId, DateTimeOffset.UtcNow));
        Assert.True(await Eventually.TrueAsync(async () => (await store.ListAsync(ConsumerDeadLetterStore.AnyConsumer)).Count == 0, TimeSpan.FromSeconds(15)),
            "the replayed dead letter was not resolved");
        Assert.Equal(1, await InboxCountAsync(lane, bad.MessageId, Flaky));
        Assert.Equal(1, await FlakyRowsAsync(lane, bad.MessageId));
        Assert.Equal(4, poisoned.Runs(bad.Id));
        Assert.Equal(1, await lane.QueryAsync(db => db.Projections.CountAsync(p => p.SaleId == bad.Id)));

        // A second replay request finds nothing to replay, and the consumer's work stays applied once.
        Assert.Equal(0, await store.RequestReplayAsync(ConsumerDeadLetterStore.AnyConsumer, null, DateTimeOffset.UtcNow));
        Assert.Equal(1, await FlakyRowsAsync(lane, bad.MessageId));
    }

    [Fact]
    public async Task A_retry_that_succeeds_applies_the_message_once_without_the_failed_runs_work()
    {
        using var database = new TempDatabase();
        var poisoned = new PoisonedSales();
        await using var lane = await LaneHost.StartAsync(database, o => o.ConsumerRetryInterval = TimeSpan.FromMilliseconds(10), x =>
        {
            x.AddSingleton(poisoned);
            x.AddConsumer<FlakySaleConsumer>();
        });
        var sale = Sales.New();
        poisoned.Poison(sale.Id, failures: 2);
        await Sales.SaveAsync(lane.Services, sale);

        Assert.True(await Eventually.TrueAsync(async () => await InboxCountAsync(lane, sale.MessageId, Flaky) == 1, TimeSpan.FromSeconds(15)));
        Assert.Equal(3, poisoned.Runs(sale.Id));
        Assert.Equal(1, await FlakyRowsAsync(lane, sale.MessageId));
        Assert.Empty(await lane.Services.GetRequiredService<ConsumerDeadLetterStore>().ListAsync(ConsumerDeadLetterStore.AnyConsumer));
    }

    [Fact]
    public async Task A_retry_limit_changed_in_configuration_applies_to_the_next_failing_message_without_a_restart()
    {
        using var database = new TempDatabase();
        var poisoned = new PoisonedSales();
        await using var lane = await LaneHost.StartAsync(database, addConsumers: x =>
        {
            x.AddSingleton(poisoned);
            x.AddConsumer<FlakySaleConsumer>();
        });
        // The host's own configuration (a ConfigurationManager), given a source that can change, as a settings file would.
        var configuration = (IConfigurationRoot)lane.Services.GetRequiredService<IConfiguration>();
        ((IConfigurationBuilder)configuration).AddInMemoryCollection(new Dictionary<string, string?> { ["Outbox:ConsumerRetryLimit"] = "0" });
        var store = lane.Services.GetRequiredService<ConsumerDeadLetterStore>();

        var first = await PoisonedSaleAsync(lane, poisoned);
        Assert.True(await Eventually.TrueAsync(async () => (await store.ListAsync(ConsumerDeadLetterStore.AnyConsumer)).Count == 1, TimeSpan.FromSeconds(15)));
        Assert.Equal(1, poisoned.Runs(first.Id));

        configuration["Outbox:ConsumerRetryLimit"] = "2";
        configuration["Outbox:ConsumerRetryInterval"] = "00:00:00.010";
        configuration.Reload();
        var second = await PoisonedSaleAsync(lane, poisoned);
        Assert.True(await Eventually.TrueAsync(async () => (await store.ListAsync(ConsumerDeadLetterStore.AnyConsumer)).Count == 2, TimeSpan.FromSeconds(15)));
        Assert.Equal(3, poisoned.Runs(second.Id));
    }

    static async Task<Sale> PoisonedSaleAsync(LaneHost lane, PoisonedSales poisoned)
    {
        var sale = Sales.New();
        poisoned.Poison(sale.Id);
        return await Sales.SaveAsync(lane.Services, sale);
    }

    static Task<int> InboxCountAsync(LaneHost lane, Guid messageId, string consumer) =>
        lane.QueryAsync(db => db.Inbox.CountAsync(i => i.MessageId == messageId && i.Consumer == consumer));

    static Task<int> FlakyRowsAsync(LaneHost lane, Guid messageId) =>
        lane.QueryAsync(db => db.StockMovements.CountAsync(s => s.MessageId == messageId && s.Sku == FlakySaleConsumer.Sku));

    static async Task<long> ScalarAsync(TempDatabase database, string sql)
    {
        await using var connection = new SqliteConnection(LaneConnectionStrings.For(database.FilePath));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
