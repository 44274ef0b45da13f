using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PosBus.CloudSync.Cli;
using PosBus.Ledger.Lane;
using PosBus.PeerSync;
using PosBus.Terminal.Status;

namespace PosBus.Terminal.Hosting;

/// <summary>The lane's port: the peer WebSocket listener and the HTTP surface (health, status, sync-now) share it.</summary>
public static class LaneEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPosBusPeerSync();
        OperationsEndpoints.Map(app);
        app.MapGet(LaneEndpointPaths.Health, () => Results.Ok(new { status = "ok" }));
        app.MapGet(LaneEndpointPaths.Status, async (LaneStatusReporter reporter, CancellationToken cancellationToken) =>
            Results.Json((await reporter.ReadAsync(cancellationToken)).ToJson(), StatusJson.Options));

        // Runs one cloud pass in this process (serialized with scheduled passes). Loopback only: the port may face the
        // store network, and triggering uploads is for the operator at this machine.
        app.MapPost(LaneEndpointPaths.SyncNow, async (HttpContext context, CloudSyncNow syncNow, IOptions<LaneOptions> lane) =>
        {
            if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
            {
                return Results.Problem("sync-now is accepted from this machine only.", statusCode: StatusCodes.Status403Forbidden);
            }

            var result = await syncNow.RunAsync(context.RequestAborted);
            return Results.Json(new JsonObject { ["terminalId"] = lane.Value.TerminalId, ["result"] = StatusJson.From(result) }, StatusJson.Options);
        });
    }
}
