using MassTransit;

namespace PosBus.Outbox.Delivery;

/// <summary>
/// In front of every consumer, handler and saga of one endpoint: reports to <see cref="ConsumerCompletion"/> that the
/// endpoint finished a message, and to <see cref="DeadLetterReplays"/> that a replay ran. A message the endpoint did not
/// finish (the host stopping, or a dead letter that could not be saved) is not reported, so its position is never passed.
/// </summary>
sealed class EndpointCompletionFilter(LocalEndpoint endpoint, ConsumerCompletion completion, DeadLetterReplays replays) : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        var finished = false;
        try
        {
            await next.Send(context);
            finished = true;
        }
        catch (Exception exception) when (!Unfinished(exception))
        {
            // A handler or saga without an inbox that threw: MassTransit's error queue has it, as it would without PosBus.
            finished = true;
            throw;
        }
        finally
        {
            if (finished && context.MessageId is { } messageId)
            {
                if (ReplayHeader.Of(context) is { } consumer)
                {
                    replays.Finished(consumer, messageId);
                }
                else
                {
                    completion.Completed(endpoint, messageId);
                }
            }
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("posbusDeliveryCompletion");

    static bool Unfinished(Exception exception) => exception is OperationCanceledException or ConsumerDeadLetterUnsavedException;
}
