using MassTransit;
using PosBus.Outbox.Inbox;

namespace PosBus.Outbox.Delivery;

/// <summary>
/// In front of every consumer, handler and saga of one endpoint: reports to <see cref="ConsumerCompletion"/> that the
/// endpoint finished a message, and to <see cref="DeadLetterReplays"/> that a replay ran. "Finished" waits for the
/// message's consume tasks too (<see cref="ConsumeContext.ConsumeCompleted"/>): a batch consumer's messages return from
/// the pipe when the batch takes them, and are done only when the batch is. A message the endpoint did not finish (the
/// host stopping, or a dead letter that could not be saved) is not reported, so its position is never passed.
/// </summary>
sealed class EndpointCompletionFilter(LocalEndpoint endpoint, ConsumerCompletion completion, DeadLetterReplays replays) : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        try
        {
            await next.Send(context).ConfigureAwait(false);
        }
        catch (Exception exception) when (!Unfinished(exception, context))
        {
            // A handler or saga without an inbox that threw: MassTransit's error queue has it, as it would without PosBus.
            Report(context);
            throw;
        }

        _ = ReportWhenConsumedAsync(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("posbusDeliveryCompletion");

    async Task ReportWhenConsumedAsync(ConsumeContext context)
    {
        try
        {
            await context.ConsumeCompleted.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            if (Unfinished(exception, context))
            {
                return;
            }
        }

        Report(context);
    }

    void Report(ConsumeContext context)
    {
        if (context.MessageId is not { } messageId)
        {
            return;
        }

        if (ReplayHeader.Of(context) is { } consumer)
        {
            replays.Finished(consumer, messageId);
        }
        else
        {
            completion.Completed(endpoint, messageId);
        }
    }

    static bool Unfinished(Exception exception, ConsumeContext context) =>
        exception is ConsumerDeadLetterUnsavedException || ConsumerAttempts.Stopping(exception, context.CancellationToken);
}
