using MassTransit;

namespace PosBus.Outbox.Inbox;

/// <summary>Tells a MassTransit batch (<c>Batch&lt;T&gt;</c>) from a single message.</summary>
static class BatchMessageType
{
    /// <summary>T for <c>Batch&lt;T&gt;</c>; null for any other message type.</summary>
    public static Type? ElementOf(Type messageType) =>
        messageType.IsGenericType && messageType.GetGenericTypeDefinition() == typeof(Batch<>) ? messageType.GetGenericArguments()[0] : null;
}
