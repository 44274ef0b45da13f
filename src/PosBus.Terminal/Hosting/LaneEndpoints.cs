using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PosBus.Terminal.Status;

namespace PosBus.Terminal.Hosting;

/// <summary>The lane's port: peer WebSocket listener and the HTTP status surface share it.</summary>
public static class LaneEndpoints
{
    public static void AddServices(WebApplicationBuilder builder)
    {
    }

    public static void Map(WebApplication app)
    {
        app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        app.MapGet("/status", async (LaneStatusReporter reporter, CancellationToken cancellationToken) =>
            Results.Json((await reporter.ReadAsync(cancellationToken)).ToJson()));
    }
}
