using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PosBus.Contracts;
using PosBus.Outbox.Configuration;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>
/// <c>dotnet PosBus.Outbox.Tests.dll slow-consumer &lt;db-file&gt; &lt;count&gt; [batch]</c>: a lane whose only consumer is
/// <see cref="SlowStockConsumer"/> (or <see cref="SlowBatchStockConsumer"/>); it first publishes <c>count</c> adjustments through the outbox (one save, then prints
/// "published"), then delivers until it is killed. The kill -9 test kills it while most of them are still queued.
/// </summary>
public static class SlowConsumerProgram
{
    public const string Verb = "slow-consumer";
    public const string Published = "published";
    public const string Batch = "batch";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length is < 3 or > 4 || !int.TryParse(args[2], out var count))
        {
            await Console.Error.WriteLineAsync($"usage: {Verb} <database-file> <count> [{Batch}]");
            return 2;
        }

        var builder = ChildLaneBuilder.For(args[1]);
        builder.Services.AddMassTransit(x =>
        {
            x.AddPosBusOutbox<TestDbContext>(o =>
            {
                o.PollInterval = TimeSpan.FromMilliseconds(200);
                o.CheckpointInterval = TimeSpan.FromMilliseconds(100);
                // The killed process's lease runs out soon, so that the restarted one takes delivery over quickly.
                o.DeliveryLeaseTime = TimeSpan.FromSeconds(3);
            });
            if (args is [.., Batch])
            {
                x.AddConsumer<SlowBatchStockConsumer, SlowBatchStockConsumerDefinition>();
            }
            else
            {
                x.AddConsumer<SlowStockConsumer, SlowStockConsumerDefinition>();
            }
            x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });
        using var host = builder.Build();
        await LaneHost.EnsureDatabaseAsync(host.Services);
        await host.StartAsync();
        if (count > 0)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            for (var i = 0; i < count; i++)
            {
                await publish.Publish(new InventoryAdjusted
                {
                    MessageId = NewId.NextGuid(), TerminalId = "L1", OccurredAt = DateTimeOffset.UtcNow, Sku = $"SKU-{i % 7}", Delta = -1, Reason = InventoryReasons.Sale,
                });
            }

            await scope.ServiceProvider.GetRequiredService<TestDbContext>().SaveChangesAsync();
        }

        Console.Out.WriteLine(Published);
        Console.Out.Flush();
        await Task.Delay(Timeout.Infinite);
        return 0;
    }
}
