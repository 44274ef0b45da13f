using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace PosBus.PeerSync.Tests;

/// <summary>
/// A minimal lane host process for the process-level tests (until the lane executable serves peers): the real
/// peer-sync registration, configured from the seed's environment variables, printing READY once it listens.
/// </summary>
public static class PeerLaneHostProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["peer-lane"])
        {
            await Console.Error.WriteLineAsync("usage: PosBus.PeerSync.Tests.dll peer-lane (env TERMINAL_ID, TERMINAL_PORT, PEER_TERMINALS, STORE_SECRET, POSBUS_DATA_DIR)");
            return 2;
        }

        var directory = Environment.GetEnvironmentVariable("POSBUS_DATA_DIR")!;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = directory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Lane:TerminalId"] = Environment.GetEnvironmentVariable("TERMINAL_ID"),
            ["Database:DataDirectory"] = directory,
            ["PeerSync:Port"] = Environment.GetEnvironmentVariable("TERMINAL_PORT"),
            ["PeerSync:Peers"] = Environment.GetEnvironmentVariable("PEER_TERMINALS"),
            ["PeerSync:StoreSecret"] = Environment.GetEnvironmentVariable("STORE_SECRET"),
            ["PeerSync:ReconnectBaseMs"] = "50",
            ["PeerSync:ReconnectMaxMs"] = "400",
            ["PeerSync:PollIntervalMs"] = "100",
        });
        builder.Services.AddPosBusPeerSync(builder.Configuration);
        await using var app = builder.Build();
        app.MapPosBusPeerSync();
        await app.StartAsync();
        Console.WriteLine("READY");
        await app.WaitForShutdownAsync();
        return 0;
    }
}
