using MassTransit;
using MassTransit.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PosBus.Ledger.Stores;
using PosBus.Outbox.Delivery;
using PosBus.Outbox.Outbox;

namespace PosBus.Outbox.Inbox;

/// <summary>
/// Consumer inbox and consumer outbox in one step, the simplest design that is correct here: the consumer's
/// scope already routes scoped publishes into its DbContext (see <see cref="OutboxBusContext{TDbContext}"/>),
/// so this filter only (1) skips a message this consumer already handled, by (message id, consumer) in table
/// <c>inbox</c>, and (2) after the consumer returns, saves its DbContext: domain changes, the inbox row and the
/// messages it published commit in one transaction, or (on an exception) none of them. A redelivery after a
/// crash or a checkpoint reset then finds the inbox row and does nothing. A consumer that throws is retried and then
/// recorded as a local dead letter (<see cref="ConsumerAttempts"/>). Batch consumers get <see cref="BatchInboxFilter{TDbContext,TConsumer,TMessage}"/>.
/// </summary>
sealed class InboxFilter<TDbContext, TConsumer, TMessage> : IFilter<ConsumerConsumeContext<TConsumer, TMessage>>
    where TDbContext : DbContext
    where TConsumer : class
    where TMessage : class
{
    static readonly string ConsumerName = ConsumerNames.Of<TConsumer>();
    static readonly string MessageTypeName = MessageUrn.ForTypeString<TMessage>();

    public async Task Send(ConsumerConsumeContext<TConsumer, TMessage> context, IPipe<ConsumerConsumeContext<TConsumer, TMessage>> next)
    {
        var services = context.GetPayload<IServiceProvider>();
        if (context.MessageId is not { } messageId ||
            services.GetService<IScopedBusContextProvider<IBus>>() is not OutboxBusContextProvider<TDbContext> provider)
        {
            await next.Send(context).ConfigureAwait(false);
            return;
        }

        var replayFor = ReplayHeader.Of(context);
        if (replayFor is not null && replayFor != ConsumerName)
        {
            return; // a local dead letter's replay for another consumer of this endpoint
        }

        var consumed = await services.GetRequiredService<InboxStore>().ConsumedAsync(ConsumerName, [messageId], context.CancellationToken).ConfigureAwait(false);
        if (consumed.Count > 0)
        {
            services.GetRequiredService<ILogger<InboxFilter<TDbContext, TConsumer, TMessage>>>()
                .LogDebug("{Consumer} already handled {MessageId}; skipped", ConsumerName, messageId);
            await ResolveIfReplayAsync(services, replayFor, messageId).ConfigureAwait(false);
            return;
        }

        Task Consume() => InboxConsumption.RunAsync(provider.Outbox, ConsumerName, [messageId], () => next.Send(context), context.CancellationToken);
        if (services.GetRequiredService<LocalMessageTypes>().IsBusOnly(typeof(TMessage)))
        {
            await Consume().ConfigureAwait(false); // not from the ledger: its endpoint's own retry policy has it
        }
        else if (await ConsumerAttempts.RunAsync(context, services, ConsumerName, MessageTypeName, [messageId], Consume).ConfigureAwait(false))
        {
            await ResolveIfReplayAsync(services, replayFor, messageId).ConfigureAwait(false);
        }
    }

    /// <summary>A replayed dead letter the consumer has now handled (its inbox row is committed) is no longer a dead letter.</summary>
    static async Task ResolveIfReplayAsync(IServiceProvider services, string? replayFor, Guid messageId)
    {
        if (replayFor is not null)
        {
            await services.GetRequiredService<ConsumerDeadLetterStore>().ResolveAsync(ConsumerName, messageId, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("posbusInbox");
}
