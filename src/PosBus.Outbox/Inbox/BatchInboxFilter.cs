using MassTransit;
using MassTransit.Batching;
using MassTransit.Context;
using MassTransit.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PosBus.Ledger.Stores;
using PosBus.Outbox.Delivery;
using PosBus.Outbox.Outbox;

namespace PosBus.Outbox.Inbox;

/// <summary>
/// The inbox of a batch consumer (<c>IConsumer&lt;Batch&lt;T&gt;&gt;</c>): one inbox query for the whole batch, the
/// consumer sees only the messages it has not handled yet, and one save commits its changes with an inbox row per
/// message. A batch is formed by the transport, so after a crash a redelivered batch can mix handled and new messages:
/// it is narrowed to the new ones rather than skipped or run whole. A batch that keeps failing is retried whole and then
/// recorded as a local dead letter per message (<see cref="ConsumerAttempts"/>).
/// </summary>
sealed class BatchInboxFilter<TDbContext, TConsumer, TMessage> : IFilter<ConsumerConsumeContext<TConsumer, Batch<TMessage>>>
    where TDbContext : DbContext
    where TConsumer : class
    where TMessage : class
{
    static readonly string ConsumerName = ConsumerNames.Of<TConsumer>();
    static readonly string MessageTypeName = MessageUrn.ForTypeString<TMessage>();

    public async Task Send(ConsumerConsumeContext<TConsumer, Batch<TMessage>> context, IPipe<ConsumerConsumeContext<TConsumer, Batch<TMessage>>> next)
    {
        var services = context.GetPayload<IServiceProvider>();
        if (services.GetService<IScopedBusContextProvider<IBus>>() is not OutboxBusContextProvider<TDbContext> provider)
        {
            await next.Send(context).ConfigureAwait(false);
            return;
        }

        // A local dead letter's replay for another consumer is passed over.
        var batch = context.Message;
        var mine = batch.Where(m => ReplayHeader.Of(m) is not { } consumer || consumer == ConsumerName).ToList();
        var ids = mine.Select(m => m.MessageId).OfType<Guid>().ToList();
        var consumed = await services.GetRequiredService<InboxStore>().ConsumedAsync(ConsumerName, ids, context.CancellationToken).ConfigureAwait(false);
        if (consumed.Count > 0)
        {
            services.GetRequiredService<ILogger<BatchInboxFilter<TDbContext, TConsumer, TMessage>>>()
                .LogDebug("{Consumer} already handled {Handled} of a batch of {Count}; skipped those", ConsumerName, consumed.Count, batch.Length);
        }

        var fresh = mine.Where(m => m.MessageId is not { } id || !consumed.Contains(id)).ToList();
        if (fresh.Count > 0)
        {
            var forward = fresh.Count == batch.Length ? context : Narrow(context, batch, fresh);
            var marks = fresh.Select(m => m.MessageId).OfType<Guid>().ToList();
            Task Consume() => InboxConsumption.RunAsync(provider.Outbox, ConsumerName, marks, () => next.Send(forward), context.CancellationToken);
            if (services.GetRequiredService<LocalMessageTypes>().IsBusOnly(typeof(TMessage)))
            {
                await Consume().ConfigureAwait(false); // not from the ledger: its endpoint's own retry policy has it
                return;
            }

            if (!await ConsumerAttempts.RunAsync(context, services, ConsumerName, MessageTypeName, marks, Consume).ConfigureAwait(false))
            {
                return;
            }
        }

        // Replays this consumer has now handled (just now, or before a crash) are no longer dead letters.
        foreach (var replayed in mine.Where(m => ReplayHeader.Of(m) is not null).Select(m => m.MessageId).OfType<Guid>())
        {
            await services.GetRequiredService<ConsumerDeadLetterStore>().ResolveAsync(ConsumerName, replayed, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("posbusBatchInbox");

    static ConsumerConsumeContextScope<TConsumer, Batch<TMessage>> Narrow(
        ConsumerConsumeContext<TConsumer, Batch<TMessage>> context, Batch<TMessage> batch, List<ConsumeContext<TMessage>> fresh)
    {
        var narrowed = new MessageBatch<TMessage>(batch.FirstMessageReceived, batch.LastMessageReceived, batch.Mode, fresh);
        return new ConsumerConsumeContextScope<TConsumer, Batch<TMessage>>(new MessageConsumeContext<Batch<TMessage>>(context, narrowed), context.Consumer);
    }
}
