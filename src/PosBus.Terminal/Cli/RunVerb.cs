using Microsoft.AspNetCore.Builder;
using PosBus.Operations;
using PosBus.Terminal.Hosting;

namespace PosBus.Terminal.Cli;

/// <summary><c>run</c>: the lane until Ctrl+C or SIGTERM, which stop it cleanly (in-flight batches finish or are replayed).</summary>
public static class RunVerb
{
    public static async Task<int> ExecuteAsync(CliArguments arguments, string[] args)
    {
        arguments.RejectUnknown();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        LaneHost.Configure(builder, LaneMode.Run);

        await using var app = builder.Build();
        LaneStartup.ValidateOptions(app.Services);
        await app.Services.GetRequiredService<LaneDatabaseInitializer>().InitializeAsync(CancellationToken.None);
        app.MapPosBus();
        await app.RunAsync();
        return LaneCli.ExitOk;
    }
}
