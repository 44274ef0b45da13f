using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PosBus.Ledger.Sqlite;
using PosBus.Outbox.Configuration;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>
/// Entry point of the test assembly when run as <c>dotnet PosBus.Outbox.Tests.dll simulate-sales &lt;db-file&gt;</c>:
/// writes sales through the outbox in a loop and prints each sale id only after its SaveChanges returned.
/// The kill -9 test kills this process at random points.
/// </summary>
public static class SaleSimulatorProgram
{
    public const string Verb = "simulate-sales";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 2 || args[0] != Verb)
        {
            await Console.Error.WriteLineAsync($"usage: {Verb} <database-file>");
            return 2;
        }

        var file = Path.GetFullPath(args[1]);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.Configure<LaneDatabaseOptions>(o =>
        {
            o.DataDirectory = Path.GetDirectoryName(file)!;
            o.FileName = Path.GetFileName(file);
        });
        builder.Services.AddDbContextPool<TestDbContext>(o => o.UseSqlite(LaneConnectionStrings.For(file)));
        builder.Services.AddMassTransit(x =>
        {
            x.AddPosBusOutbox<TestDbContext>();
            x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });
        using var host = builder.Build();
        await LaneHost.EnsureDatabaseAsync(host.Services);
        await host.StartAsync();
        while (true)
        {
            var sale = await Sales.SaveAsync(host.Services);
            Console.Out.WriteLine(sale.Id.ToString("D"));
            Console.Out.Flush();
        }
    }
}
