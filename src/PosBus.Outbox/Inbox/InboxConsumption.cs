using Microsoft.EntityFrameworkCore;
using PosBus.Ledger;
using PosBus.Ledger.Sqlite;
using PosBus.Outbox.Outbox;

namespace PosBus.Outbox.Inbox;

/// <summary>
/// Runs a consumer with its inbox marks: the marks, the consumer's domain changes and the messages it published commit
/// in one save after it returns, or (on an exception) none of them: what it left in the DbContext is dropped too, so
/// that a retry starts clean.
/// </summary>
static class InboxConsumption
{
    public static async Task RunAsync<TDbContext>(
        OutboxBusContext<TDbContext> outbox, string consumer, IEnumerable<Guid> messageIds, Func<Task> consume, CancellationToken cancellationToken)
        where TDbContext : DbContext
    {
        // A consumer's save is PosBus delivering, not a customer waiting: it gives way to POS writers.
        using var background = LaneWriterRole.AsBackground();
        var consumedAt = DateTimeOffset.UtcNow;
        foreach (var messageId in messageIds)
        {
            outbox.MarkInbox(new InboxMark(messageId, consumer, consumedAt));
        }

        try
        {
            await consume().ConfigureAwait(false);
            await outbox.SaveAfterConsumeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            outbox.Discard();
            throw;
        }
    }
}
