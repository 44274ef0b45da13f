using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PosBus.Operations;

namespace PosBus.EndToEnd.Tests.ConsumerApp;

/// <summary>
/// A POS app's own host beside <c>posbus run</c> on one lane database (sidecar mode): PosBus's public entry point with
/// capture only and one consumer, as the README tells an app to set it up. Logs go to standard error.
/// </summary>
public static class StockApp
{
    public static async Task<int> RunAsync(string dataDirectory, string terminalId)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Lane:TerminalId"] = terminalId,
            ["Database:DataDirectory"] = dataDirectory,
            // The lane process next door syncs: this app captures and consumes only.
            ["PosBus:PeerSync"] = "false",
            ["PosBus:CloudSync"] = "false",
            ["PosBus:Operations"] = "false",
        });
        builder.Configuration.AddEnvironmentVariables("POSBUS__");
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddDbContextPool<StockAppDbContext>((services, options) => options.UsePosBusSqlite(services));
        builder.Services.AddPosBus<StockAppDbContext>(builder.Configuration, posbus => posbus.ConfigureBus(x => x.AddConsumer<StockConsumer>()));
        using var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await CreateTablesAsync(scope.ServiceProvider.GetRequiredService<StockAppDbContext>());
        }

        await host.RunAsync();
        return 0;
    }

    static async Task CreateTablesAsync(StockAppDbContext db)
    {
        try
        {
            // EnsureCreated does nothing once the ledger's tables exist: create the app's own.
            await db.GetService<IRelationalDatabaseCreator>().CreateTablesAsync();
        }
        catch (SqliteException e) when (e.Message.Contains("already exists", StringComparison.Ordinal))
        {
            // The other app process on this file created it first.
        }
    }
}
