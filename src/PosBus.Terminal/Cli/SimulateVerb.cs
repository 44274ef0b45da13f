using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PosBus.Ledger.Lane;
using PosBus.Terminal.Hosting;
using PosBus.Terminal.Simulation;

namespace PosBus.Terminal.Cli;

/// <summary>
/// <c>simulate --events N [--rate R] [--print-ids] [--seed S]</c>: a load generator. Publishes the messages of N realistic
/// checkouts (a sale, its stock adjustments, a loyalty customer now and then) through PosBus's public capture API, one
/// save per sale, with a DbContext that holds only the ledger: the lane has no POS tables of its own.
/// Runs beside a running lane on the same data dir (it only writes; the lane syncs, an app's process delivers).
/// With <c>--print-ids</c> it prints <c>COMMITTED &lt;saleId&gt;</c> only after the commit returned:
/// the crash tests' record of what must never be lost.
/// </summary>
public static class SimulateVerb
{
    public static async Task<int> ExecuteAsync(CliArguments arguments, string[] args)
    {
        var events = arguments.WholeNumber("--events", fallback: -1, min: 1, max: 100_000_000);
        if (events < 0)
        {
            throw new CliException("simulate needs --events N.");
        }

        var rate = arguments.Number("--rate", fallback: 0, min: 0, max: 1_000_000);
        var printIds = arguments.Has("--print-ids");
        var seed = arguments.WholeNumber("--seed", fallback: Environment.TickCount, min: int.MinValue, max: int.MaxValue);
        arguments.RejectUnknown();

        using var host = LaneHost.CreateToolBuilder(args, LaneMode.Writer).Build();
        LaneStartup.ValidateOptions(host.Services);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        await host.Services.GetRequiredService<LaneDatabaseInitializer>().InitializeAsync(stop.Token);
        await host.StartAsync(stop.Token);
        // SIGTERM (systemd, kill, a test harness) stops the host, not this loop: without the link the verb kept
        // ringing up sales until SIGKILL. Stop after the sale in progress, like Ctrl+C.
        using var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(stop.Cancel);
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PosBus.Simulate");
        var generator = new SaleGenerator(seed, host.Services.GetRequiredService<IOptions<LaneOptions>>().Value.TerminalId);
        var time = host.Services.GetRequiredService<TimeProvider>();
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var done = 0;
        logger.LogInformation("Simulating {Events} sales at {Rate}", events, rate > 0 ? $"{rate} sales/s" : "full speed");
        try
        {
            for (; done < events && !stop.IsCancellationRequested; done++)
            {
                if (rate > 0 && TimeSpan.FromSeconds(done / rate) - clock.Elapsed is { Ticks: > 0 } wait)
                {
                    await Task.Delay(wait, stop.Token);
                }

                await using var scope = host.Services.CreateAsyncScope();
                var sale = generator.Next(time.GetUtcNow());
                await scope.ServiceProvider.GetRequiredService<SimulatedCheckout>().CommitAsync(sale, stop.Token);
                if (printIds)
                {
                    Console.Out.WriteLine($"COMMITTED {sale.Sale.SaleId:D}");
                    Console.Out.Flush();
                }

                if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(1))
                {
                    lastReport = clock.Elapsed;
                    logger.LogInformation("Simulated {Done}/{Events} sales ({Rate:F0} sales/s)", done + 1, events, (done + 1) / clock.Elapsed.TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            logger.LogWarning("Stopped after {Done} sales", done);
        }
        // A failure at COMMIT (disk full, I/O error) surfaces as the driver's SqliteException, not as EF's DbUpdateException:
        // it used to escape here and abort the process with a stack trace (exit 134) instead of one clear line.
        catch (Exception e) when (e is Microsoft.EntityFrameworkCore.DbUpdateException or Microsoft.Data.Sqlite.SqliteException)
        {
            logger.LogError("Sale {Number} was not saved: {Reason}", done + 1, e.GetBaseException().Message);
            await host.StopAsync(CancellationToken.None);
            return LaneCli.ExitFailed;
        }

        logger.LogInformation("Simulated {Done} sales in {Seconds:F1} s ({Rate:F0} sales/s)", done, clock.Elapsed.TotalSeconds, done / Math.Max(clock.Elapsed.TotalSeconds, 0.001));
        await host.StopAsync(CancellationToken.None);
        return LaneCli.ExitOk;
    }
}
