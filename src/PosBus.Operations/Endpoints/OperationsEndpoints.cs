using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using PosBus.CloudSync.Cli;
using PosBus.Operations.Metrics;
using PosBus.Operations.StatusPage;
using PosBus.Operations.Status;
using Prometheus;

namespace PosBus.Operations.Endpoints;

/// <summary>The operations part of the lane's port: readiness, Prometheus metrics, dead letters and the status page.</summary>
public static class OperationsEndpoints
{
    public const string Ready = "/health/ready";
    public const string Metrics = "/metrics";
    public const string DeadLetters = "/dead-letters";
    public const string Page = "/";

    internal static void Map(WebApplication app)
    {
        app.MapHealthChecks(Ready, new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteReadinessAsync });
        app.MapMetrics(Metrics, app.Services.GetRequiredService<LaneMetrics>().Registry);
        app.MapGet(Page, () => Results.Content(StatusPageHtml.Text, "text/html; charset=utf-8"));
        if (OperationsServiceCollectionExtensions.HasCloudStage(app.Services))
        {
            app.MapGet(DeadLetters, async (PosBus.Ledger.Stores.DeadLetters deadLetters, CancellationToken cancellationToken) =>
                Results.Json(await deadLetters.ListAsync(50, cancellationToken).ConfigureAwait(false), StatusJson.Options));
        }
    }

    static Task WriteReadinessAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        var checks = new JsonObject();
        foreach (var (name, entry) in report.Entries)
        {
            checks[name] = new JsonObject { ["status"] = entry.Status.ToString().ToLowerInvariant(), ["description"] = entry.Description };
        }

        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(new JsonObject { ["status"] = report.Status.ToString().ToLowerInvariant(), ["checks"] = checks }.ToJsonString(StatusJson.Options));
    }
}
