using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PosBus.CloudSync.Cli;
using PosBus.Ledger.Lane;
using PosBus.Operations.Journey;
using PosBus.Operations.Status;

namespace PosBus.Operations.Endpoints;

/// <summary>
/// The lane's HTTP surface besides the peer WebSocket (which shares its port): liveness, status and, when the cloud
/// stage is registered, sync-now. Paths are a contract (<see cref="LaneEndpointPaths"/>).
/// </summary>
public static class LaneEndpoints
{
    /// <summary>Maps <c>/health</c>, <c>/status</c>, <c>/health/ready</c>, <c>/metrics</c>, <c>/</c> and, with the cloud stage, <c>/dead-letters</c> and <c>POST /sync-now</c>.</summary>
    public static WebApplication MapPosBusOperations(this WebApplication app)
    {
        OperationsEndpoints.Map(app);
        MessageJourneyEndpoints.Map(app);
        app.MapGet(LaneEndpointPaths.Health, () => Results.Ok(new { status = "ok" }));
        app.MapGet(LaneEndpointPaths.Status, async (LaneStatusReporter reporter, CancellationToken cancellationToken) =>
            Results.Json((await reporter.ReadAsync(cancellationToken).ConfigureAwait(false)).ToJson(), StatusJson.Options));
        if (!OperationsServiceCollectionExtensions.HasCloudStage(app.Services))
        {
            return app;
        }

        // Runs one cloud pass in this process (serialized with scheduled passes). Loopback only: the port may face the
        // store network, and triggering uploads is for the operator at this machine.
        app.MapPost(LaneEndpointPaths.SyncNow, async (HttpContext context, CloudSyncNow syncNow, IOptions<LaneOptions> lane) =>
        {
            if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
            {
                return Results.Problem("sync-now is accepted from this machine only.", statusCode: StatusCodes.Status403Forbidden);
            }

            var result = await syncNow.RunAsync(context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new JsonObject { ["terminalId"] = lane.Value.TerminalId, ["result"] = StatusJson.From(result) }, StatusJson.Options);
        });
        return app;
    }
}
