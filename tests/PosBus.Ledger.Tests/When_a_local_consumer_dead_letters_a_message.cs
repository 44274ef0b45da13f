using PosBus.Ledger.Stores;

namespace PosBus.Ledger.Tests;

public sealed class When_a_local_consumer_dead_letters_a_message : IAsyncLifetime
{
    static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    readonly LedgerFile _file = new();

    public Task InitializeAsync() => _file.MigrateAsync();

    [Fact]
    public async Task A_failed_replay_updates_the_same_dead_letter_and_adds_its_attempts()
    {
        var store = new ConsumerDeadLetterStore(_file.Database);
        var messageId = Guid.NewGuid();
        await store.RecordAsync(Letter(messageId, "first", 6));
        Assert.Equal(1, await store.RequestReplayAsync("StockConsumer", messageId, Now));
        await store.RecordAsync(Letter(messageId, "second", 6));

        var letter = Assert.Single(await store.ListAsync(ConsumerDeadLetterStore.AnyConsumer));
        Assert.Equal("second", letter.ExceptionMessage);
        Assert.Equal(12, letter.Attempts);
        Assert.Null(letter.ReplayRequestedAt);
    }

    [Fact]
    public async Task A_consumer_is_named_by_its_full_or_its_class_name_only()
    {
        var store = new ConsumerDeadLetterStore(_file.Database);
        await store.RecordAsync(Letter(Guid.NewGuid(), "x", 1));
        await store.RecordAsync(Letter(Guid.NewGuid(), "x", 1) with { Consumer = "Shop.Other.PriceConsumer" });

        Assert.Single(await store.ListAsync("Shop.Stock.StockConsumer"));
        Assert.Single(await store.ListAsync("StockConsumer"));
        Assert.Empty(await store.ListAsync("Consumer"));
        Assert.Equal(2, (await store.ListAsync(ConsumerDeadLetterStore.AnyConsumer)).Count);
        Assert.Equal(1, await store.RequestReplayAsync("PriceConsumer", null, Now));
        Assert.Equal(new Dictionary<string, long> { ["Shop.Other.PriceConsumer"] = 1, ["Shop.Stock.StockConsumer"] = 1 }, await store.CountByConsumerAsync());
    }

    [Fact]
    public async Task Positions_are_saved_only_by_the_holder_of_the_delivery_lease()
    {
        var lease = new DeliveryLeaseStore(_file.Database);
        await lease.TryTakeAsync(new DeliveryLeaseHolder("owner-a", "test", Now.AddSeconds(15)), Now);
        await using var connection = await _file.Database.OpenAsync();

        Assert.False(await DeliveryStore.SavePositionsAsync(connection, new Dictionary<string, long> { ["outbox"] = 7 }, "owner-b", Now, CancellationToken.None));
        Assert.Equal(0, await DeliveryStore.LoadPositionAsync(connection, "outbox", CancellationToken.None));
        Assert.True(await DeliveryStore.SavePositionsAsync(connection, new Dictionary<string, long> { ["outbox"] = 7 }, "owner-a", Now, CancellationToken.None));
        Assert.Equal(7, await DeliveryStore.LoadPositionAsync(connection, "outbox", CancellationToken.None));
        // Once its lease has run out, not even the former holder writes.
        Assert.False(await DeliveryStore.SavePositionsAsync(connection, new Dictionary<string, long> { ["outbox"] = 9 }, "owner-a", Now.AddSeconds(16), CancellationToken.None));
        Assert.Equal(7, await DeliveryStore.LoadPositionAsync(connection, "outbox", CancellationToken.None));
    }

    static ConsumerDeadLetter Letter(Guid messageId, string message, int attempts) => new()
    {
        Consumer = "Shop.Stock.StockConsumer",
        MessageId = messageId,
        MessageType = "urn:message:PosBus.Contracts:InventoryAdjusted",
        ExceptionType = "System.InvalidOperationException",
        ExceptionMessage = message,
        StackSummary = "at Shop.Stock.StockConsumer.Consume()",
        Attempts = attempts,
        FailedAt = Now,
    };

    public Task DisposeAsync()
    {
        _file.Dispose();
        return Task.CompletedTask;
    }
}
