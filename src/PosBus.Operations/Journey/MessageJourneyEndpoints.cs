using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PosBus.Ledger.Lane;
using PosBus.Operations.Status;

namespace PosBus.Operations.Journey;

/// <summary>
/// <c>GET /messages/{id}</c>: one message's journey (this lane, its peers, the cloud; <c>?scope=lane</c> for this lane's
/// view only, which is what peers ask each other). <c>GET /messages?receipt=R</c>: the sale message ids with that receipt.
/// </summary>
public static class MessageJourneyEndpoints
{
    public const string Path = "/messages";

    internal static void Map(WebApplication app)
    {
        app.MapGet($"{Path}/{{id}}", async (string id, string? scope, MessageJourneyReader journeys, CancellationToken cancellationToken) =>
        {
            if (!Guid.TryParse(id, out var messageId))
            {
                return Results.Problem($"'{id}' is not a message id (a UUID).", statusCode: StatusCodes.Status400BadRequest);
            }

            var answer = scope == "lane"
                ? await journeys.ReadLaneAsync(messageId, cancellationToken).ConfigureAwait(false)
                : await journeys.ReadAsync(messageId, cancellationToken).ConfigureAwait(false);
            return Results.Json(answer, StatusJson.Options);
        });
        app.MapGet(Path, async (string? receipt, MessageJourneyReader journeys, IOptions<LaneOptions> lane, CancellationToken cancellationToken) =>
        {
            if (string.IsNullOrWhiteSpace(receipt) || receipt.Length > 64)
            {
                return Results.Problem("Give ?receipt=<receipt number> (at most 64 characters).", statusCode: StatusCodes.Status400BadRequest);
            }

            var ids = await journeys.FindByReceiptAsync(receipt, cancellationToken).ConfigureAwait(false);
            return Results.Json(new { terminalId = lane.Value.TerminalId, receipt, messageIds = ids }, StatusJson.Options);
        });
    }
}
