using System.Text.Json;
using PosBus.Terminal.Hosting;
using PosBus.Terminal.Status;

namespace PosBus.Terminal.Cli;

/// <summary><c>status [--json]</c>: reads the lane's database directly, so it works whether or not the lane runs.</summary>
public static class StatusVerb
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static async Task<int> ExecuteAsync(CliArguments arguments, string[] args)
    {
        var asJson = arguments.Has("--json");
        arguments.RejectUnknown();

        using var host = LaneHost.CreateToolBuilder(args, LaneMode.Tool).Build();
        LaneStartup.ValidateOptions(host.Services);
        await host.Services.GetRequiredService<LaneDatabaseInitializer>().InitializeAsync(withPosSchema: false, CancellationToken.None);
        var report = await host.Services.GetRequiredService<LaneStatusReporter>().ReadAsync(CancellationToken.None);

        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(report.ToJson(), Json));
        }
        else
        {
            Console.Write(report.ToText());
        }

        return LaneCli.ExitOk;
    }
}
