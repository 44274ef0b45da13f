using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PosBus.Terminal.Domain;
using PosBus.Terminal.Hosting;
using PosBus.Terminal.Simulation;

namespace PosBus.Reliability.Tests.Support;

/// <summary>
/// POS code in this test process, on a lane's database: the real checkout path (EF Core + the outbox, the lane's
/// SQLite settings) hosted as a writer, timing each sale from the call to the returned commit.
/// </summary>
public sealed class InProcessPos : IAsyncDisposable
{
    readonly IHost _host;
    readonly SaleGenerator _sales = new(seed: 6);

    InProcessPos(IHost host) => _host = host;

    public static async Task<InProcessPos> StartAsync(string terminalId, string dataDirectory)
    {
        var host = LaneHost.CreateToolBuilder([], LaneMode.Writer, new Dictionary<string, string?>
        {
            ["Lane:TerminalId"] = terminalId,
            ["Lane:StoreId"] = "demo-store",
            ["Database:DataDirectory"] = dataDirectory,
        }).Build();
        LaneStartup.ValidateOptions(host.Services);
        await host.Services.GetRequiredService<LaneDatabaseInitializer>().InitializeAsync(withPosSchema: true, CancellationToken.None);
        await host.StartAsync();
        return new InProcessPos(host);
    }

    /// <summary>Rings up one sale; returns how long until its commit returned.</summary>
    public Task<TimeSpan> SellAsync() => SellAsync(_sales.Next());

    /// <summary>Rings up <paramref name="cart"/>; returns how long until its commit returned.</summary>
    public async Task<TimeSpan> SellAsync(Cart cart)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var checkout = scope.ServiceProvider.GetRequiredService<CheckoutService>();
        var clock = Stopwatch.StartNew();
        await checkout.CompleteSaleAsync(cart);
        return clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
