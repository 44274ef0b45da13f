using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
        if (args is [SlowConsumerProgram.Verb, ..])
        {
            return await SlowConsumerProgram.RunAsync(args);
        }

        if (args.Length != 2 || args[0] != Verb)
        {
            await Console.Error.WriteLineAsync($"usage: {Verb} <database-file>");
            return 2;
        }

        var builder = ChildLaneBuilder.For(args[1]);
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
