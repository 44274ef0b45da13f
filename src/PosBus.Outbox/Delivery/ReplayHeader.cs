using MassTransit;

namespace PosBus.Outbox.Delivery;

/// <summary>
/// The envelope header of a local dead letter's replay (<c>dead-letters retry --consumer</c>): names the one consumer the
/// message is for, so that every other consumer on the endpoint passes it over.
/// </summary>
static class ReplayHeader
{
    public const string Name = "PosBus-Replay-Consumer";

    /// <summary>The consumer a replay is for; null for a normal delivery.</summary>
    public static string? Of(ConsumeContext context) => context.Headers.Get<string>(Name);
}
