using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using PosBus.Reliability.Tests.Support.Till;
using PosBus.Terminal.Simulation;
using PosBus.Testing;

namespace PosBus.Reliability.Tests.Support;

/// <summary>
/// POS code in this test process, on a lane's database: a test till started with PosBus's own test kit
/// (<see cref="TestLane"/>: the app's DbContext on <c>AddPosBus</c>, as a POS app's host has it), capture only, timing each
/// sale from the call to the returned commit. With <c>consumes</c> it also runs the till's store-stock consumer, and so
/// takes local delivery on the file (the lane process beside it consumes nothing).
/// </summary>
public sealed class InProcessPos : IAsyncDisposable
{
    readonly TestLane<TillDbContext> _lane;
    readonly SaleGenerator _sales;

    InProcessPos(TestLane<TillDbContext> lane, string terminalId)
    {
        _lane = lane;
        _sales = new SaleGenerator(seed: 6, terminalId);
    }

    public static async Task<InProcessPos> StartAsync(string terminalId, string dataDirectory, bool consumes = false)
    {
        var lane = await TestLane.StartAsync<TillDbContext>(options =>
        {
            options.TerminalId = terminalId;
            options.StoreId = "demo-store";
            options.DataDirectory = dataDirectory;
            options.PeerSync = false;
            // The lane process beside this till runs operations; delivery keeps a production till's intervals.
            options.Settings["PosBus:Operations"] = "false";
            options.Settings["Outbox:PollInterval"] = "00:00:01";
            options.Settings["Outbox:CheckpointInterval"] = "00:00:02";
            options.ConfigureServices(services => services.AddScoped<TillCheckout>());
            options.PrepareDatabase((db, _) => TillSchema.EnsureCreatedAsync(db));
            if (consumes)
            {
                // Batches of 50 (or what came within 50 ms), one at a time: the lane's one write lock is shared with the tills.
                options.ConfigureBus(x => x.AddConsumer<TillStockConsumer>(c =>
                    c.Options<BatchOptions>(batch => batch.SetMessageLimit(50).SetTimeLimit(TimeSpan.FromMilliseconds(50)).SetConcurrencyLimit(1))));
            }
        });
        return new InProcessPos(lane, terminalId);
    }

    /// <summary>Rings up one generated sale; returns how long until its commit returned.</summary>
    public Task<TimeSpan> SellAsync() => SellAsync(_sales.Next(DateTimeOffset.UtcNow));

    /// <summary>Rings up <paramref name="sale"/>; returns how long until its commit returned.</summary>
    public Task<TimeSpan> SellAsync(SimulatedSale sale) => _lane.InScopeAsync<TillCheckout, TimeSpan>(async checkout =>
    {
        var clock = Stopwatch.StartNew();
        await checkout.CompleteAsync(sale);
        return clock.Elapsed;
    });

    public ValueTask DisposeAsync() => _lane.DisposeAsync();
}
