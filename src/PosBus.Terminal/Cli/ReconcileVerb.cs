using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PosBus.CloudSync.Http;
using PosBus.Ledger.Lane;
using PosBus.Ledger.Sqlite;
using PosBus.Terminal.Hosting;
using PosBus.Operations.Reconciliation;
using PosBus.Operations.Status;

namespace PosBus.Terminal.Cli;

/// <summary>
/// <c>reconcile --date YYYY-MM-DD [--json]</c>: this lane's sales of that UTC day (count and total per tender) against
/// what the cloud holds, with the sales missing on either side. Exit 0 when they match, <see cref="LaneCli.ExitMismatch"/>
/// when they differ, 1 when the cloud cannot be reached, 3 when it refuses the configuration.
/// </summary>
public static class ReconcileVerb
{
    public static async Task<int> ExecuteAsync(CliArguments arguments, string[] args)
    {
        var asJson = arguments.Has("--json");
        var text = arguments.Text("--date") ?? throw new CliException("reconcile needs --date YYYY-MM-DD (a UTC day).");
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new CliException($"--date '{text}' is not a day as YYYY-MM-DD.");
        }

        arguments.RejectUnknown();
        using var host = LaneHost.CreateToolBuilder(args, LaneMode.Tool).Build();
        var services = host.Services;
        LaneStartup.ValidateOptions(services);
        await services.GetRequiredService<LaneDatabaseInitializer>().InitializeAsync(CancellationToken.None);
        var laneOptions = services.GetRequiredService<IOptions<LaneOptions>>().Value;
        var terminalId = laneOptions.TerminalId;

        var lane = await LaneSales.ReadDayAsync(services.GetRequiredService<LaneDatabase>(), terminalId, date, CancellationToken.None);
        IReadOnlyList<ReconciledSale> cloud;
        try
        {
            cloud = await services.GetRequiredService<CloudSales>().ReadDayAsync(laneOptions.StoreId, terminalId, date, CancellationToken.None);
        }
        catch (CloudConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"Configuration error: {e.Message}");
            return LaneCli.ExitConfiguration;
        }
        catch (CloudTransientException e)
        {
            await Console.Error.WriteLineAsync($"Could not read the cloud: {e.Message}. Nothing was compared; try again.");
            return LaneCli.ExitFailed;
        }

        var result = DayReconciliation.Compare(terminalId, date, lane, cloud);
        Console.WriteLine(asJson ? JsonSerializer.Serialize(result, StatusJson.Indented) : ReconciliationText.Of(result));
        return result.Matches ? LaneCli.ExitOk : LaneCli.ExitMismatch;
    }
}
