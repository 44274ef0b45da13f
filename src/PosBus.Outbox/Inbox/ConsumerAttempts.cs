using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PosBus.Ledger.Stores;
using PosBus.Outbox.Delivery;

namespace PosBus.Outbox.Inbox;

/// <summary>
/// Runs one consumer's attempt (its inbox consumption) under <see cref="ConsumerRetryPolicy"/>; when the retries are spent,
/// records a local dead letter per message (<see cref="ConsumerDeadLetterStore"/>, committed before this returns) and
/// returns normally, so that the message counts as completed and the messages after it and the other consumers go on.
/// Returns true when the consumer handled the message(s). If the dead letter cannot be written, <see cref="ConsumerDeadLetterUnsavedException"/> keeps the message unfinished.
/// </summary>
static class ConsumerAttempts
{
    const int StackLines = 12;
    const int MaxText = 4000;

    public static async Task<bool> RunAsync<TContext>(
        TContext context, IServiceProvider services, string consumer, string messageType, IReadOnlyList<Guid> messageIds, Func<Task> attempt)
        where TContext : class, PipeContext
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsumerAttempts));
        using var policy = services.GetRequiredService<ConsumerRetryPolicy>().Current().CreatePolicyContext(context);
        RetryContext<TContext>? retry = null;
        var attempts = 0;
        while (true)
        {
            attempts++;
            try
            {
                await attempt().ConfigureAwait(false);
                return true;
            }
            catch (Exception exception) when (!Stopping(exception, context.CancellationToken))
            {
                var again = retry is null ? policy.CanRetry(exception, out var next) : retry.CanRetry(exception, out next);
                if (!again)
                {
                    logger.LogError(exception, "{Consumer} failed on {MessageIds} {Attempts} time(s); recorded as local dead letter(s), delivery goes on",
                        consumer, messageIds, attempts);
                    await RecordAsync(services, consumer, messageType, messageIds, exception, attempts).ConfigureAwait(false);
                    return false;
                }

                retry = next;
                logger.LogWarning("{Consumer} failed on {MessageIds} ({ExceptionType}: {Reason}); retry {Retry} in {Delay}",
                    consumer, messageIds, exception.GetType().Name, exception.Message, retry.RetryAttempt + 1, retry.Delay ?? TimeSpan.Zero);
                if (retry.Delay is { } delay)
                {
                    await Task.Delay(delay, context.CancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The host stopping cancels the consumer: the message is not finished, neither retried nor dead-lettered.</summary>
    public static bool Stopping(Exception exception, CancellationToken cancellationToken) =>
        exception is OperationCanceledException && cancellationToken.IsCancellationRequested;

    static async Task RecordAsync(IServiceProvider services, string consumer, string messageType, IReadOnlyList<Guid> messageIds, Exception exception, int attempts)
    {
        var store = services.GetRequiredService<ConsumerDeadLetterStore>();
        var time = services.GetRequiredService<TimeProvider>();
        foreach (var messageId in messageIds)
        {
            var letter = new ConsumerDeadLetter
            {
                Consumer = consumer,
                MessageId = messageId,
                MessageType = messageType,
                ExceptionType = exception.GetType().FullName ?? exception.GetType().Name,
                ExceptionMessage = Clip(exception.Message),
                StackSummary = Clip(string.Join('\n', exception.ToString().Split('\n').Take(StackLines))),
                Attempts = attempts,
                FailedAt = time.GetUtcNow(),
            };
            // A few tries against a busy file; past that the message stays unfinished and is delivered again.
            for (var write = 1; ; write++)
            {
                try
                {
                    await store.RecordAsync(letter, CancellationToken.None).ConfigureAwait(false);
                    break;
                }
                catch (SqliteException failure) when (write < 3)
                {
                    services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsumerAttempts))
                        .LogWarning("Could not save the local dead letter of {Consumer} for {MessageId} ({Reason}); trying again", consumer, messageId, failure.Message);
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * write)).ConfigureAwait(false);
                }
                catch (Exception failure)
                {
                    throw new ConsumerDeadLetterUnsavedException(consumer, messageId, failure);
                }
            }
        }
    }

    static string Clip(string text) => text.Length <= MaxText ? text : text[..MaxText];
}
