using Microsoft.Extensions.Options;
using PosBus.Ledger.Sqlite;
using PosBus.Terminal.Hosting;

namespace PosBus.Terminal.Cli;

/// <summary>
/// Entry point of the lane executable. Maps every expected failure to a one-paragraph message and a
/// distinct exit code, so ops scripts can react and nobody reads a stack trace at a checkout.
/// </summary>
public static class LaneCli
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitUsage = 2;
    public const int ExitConfiguration = 3;
    public const int ExitDatabase = 4;
    public const int ExitMismatch = 5;

    const string Usage = """
        usage: posbus <verb> [options]
          run                          run the lane until Ctrl+C / SIGTERM
          simulate --events N [--rate R] [--print-ids] [--seed S]
                                       publish the messages of N realistic sales, a load generator (R sales/s; default full speed)
          status [--json] [--offline]  counts by state, backlog age, peers, replicas, cloud sync; asks the running
                                       lane, else (or with --offline) reads the database
          sync-now [--json] [--here]   a cloud upload pass at once: by the running lane, else (or --here) by this process
          dead-letters list [--json] [--limit N]
                                       messages the cloud refused, with the reason
          dead-letters retry <message-id> | --all
                                       put dead letters back in line for the next cloud sync
          dead-letters list|retry --consumer NAME [...]
                                       the same for local dead letters: what the lane-local consumer NAME (class or full
                                       name, '*' for all) failed on after its retries; retry replays to it only
          dead-letters discard <message-id> --reason TEXT [--by NAME]
                                       give up on a dead letter for good, with the reason (recorded; the only way one leaves)
          dead-letters discarded [--json] [--limit N]
                                       the record of discarded dead letters: who, when, why
          trace <message-id | receipt-number> [--json] [--offline]
                                       one message's journey: this lane's ledger, each peer's copy, the cloud's row,
                                       with times and who moved it; asks the running lane, else reads here
          reconcile --date YYYY-MM-DD [--json]
                                       this lane's sales of that UTC day (count, total per tender) against the cloud;
                                       lists sales missing on either side; exit 5 when they differ
          demo [--lanes 3] [--stores 1] [--sales 300] [--rate 20] [--timeout 240] [--keep]
                                       a whole store (or --stores N, each with its own store key): local cloud + lanes
                                       as processes, live progress, verified in Postgres per store
        Configuration: appsettings.json < settings.local.json < .env < environment (TERMINAL_ID, TERMINAL_PORT,
        PEER_TERMINALS, STORE_ID, STORE_SECRET, SUPABASE_URL, SUPABASE_SERVICE_KEY, POSBUS_STORE_KEY, SYNC_BACKOFF_BASE_MS,
        POSBUS_DATA_DIR).
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        // No internet on a lane: MassTransit must not try to report usage telemetry.
        Environment.SetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY", "false");
        try
        {
            var arguments = CliArguments.Parse(args);
            var rest = args[1..];
            return arguments.Verb switch
            {
                "run" => await RunVerb.ExecuteAsync(arguments, rest),
                "simulate" => await SimulateVerb.ExecuteAsync(arguments, rest),
                "status" => await StatusVerb.ExecuteAsync(arguments, rest),
                "sync-now" => await SyncNowVerb.ExecuteAsync(arguments, rest),
                "dead-letters" => await DeadLettersVerb.ExecuteAsync(arguments, rest),
                "reconcile" => await ReconcileVerb.ExecuteAsync(arguments, rest),
                "trace" => await TraceVerb.ExecuteAsync(arguments, rest),
                "demo" => await DemoVerb.ExecuteAsync(arguments),
                "help" or "--help" or "-h" => PrintUsage(ExitOk),
                _ => throw new CliException($"Unknown verb '{arguments.Verb}'."),
            };
        }
        catch (CliException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return PrintUsage(ExitUsage);
        }
        catch (OptionsValidationException e)
        {
            return await ReportConfigurationErrorsAsync(e.Failures);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
        {
            return await ReportConfigurationErrorsAsync(e.InnerExceptions.SelectMany(i => ((OptionsValidationException)i).Failures));
        }
        catch (LaneDatabaseException e)
        {
            await Console.Error.WriteLineAsync($"Database error: {e.Message}");
            return ExitDatabase;
        }
        catch (InvalidDataException e)
        {
            await Console.Error.WriteLineAsync($"Configuration error: {e.Message}");
            return ExitConfiguration;
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"Configuration error: {e.Message}");
            return ExitConfiguration;
        }
    }

    static async Task<int> ReportConfigurationErrorsAsync(IEnumerable<string> failures)
    {
        await Console.Error.WriteLineAsync("Configuration error:");
        foreach (var failure in failures)
        {
            await Console.Error.WriteLineAsync($"  - {failure}");
        }

        return ExitConfiguration;
    }

    static int PrintUsage(int exitCode)
    {
        (exitCode == ExitOk ? Console.Out : Console.Error).WriteLine(Usage);
        return exitCode;
    }
}
