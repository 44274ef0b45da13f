namespace PosBus.Outbox.Delivery;

/// <summary>
/// A consumer failed for good but its local dead letter could not be written: the message must not count as complete,
/// so that it is delivered again (after a restart at the latest) instead of being lost.
/// </summary>
public sealed class ConsumerDeadLetterUnsavedException(string consumer, Guid messageId, Exception inner)
    : Exception($"{consumer} failed on {messageId} after its retries and its local dead letter could not be saved", inner);
