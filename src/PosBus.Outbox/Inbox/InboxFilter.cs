using MassTransit;
using MassTransit.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PosBus.Ledger.Stores;
using PosBus.Outbox.Outbox;

namespace PosBus.Outbox.Inbox;

/// <summary>
/// Consumer inbox and consumer outbox in one step, the simplest design that is correct here: the consumer's
/// scope already routes scoped publishes into its DbContext (see <see cref="OutboxBusContext{TDbContext}"/>),
/// so this filter only (1) skips a message this consumer already handled, by (message id, consumer) in table
/// <c>inbox</c>, and (2) after the consumer returns, saves its DbContext: domain changes, the inbox row and the
/// messages it published commit in one transaction, or (on an exception) none of them. A redelivery after a
/// crash or a checkpoint reset then finds the inbox row and does nothing. Batch consumers get <see cref="BatchInboxFilter{TDbContext,TConsumer,TMessage}"/>.
/// </summary>
sealed class InboxFilter<TDbContext, TConsumer, TMessage> : IFilter<ConsumerConsumeContext<TConsumer, TMessage>>
    where TDbContext : DbContext
    where TConsumer : class
    where TMessage : class
{
    static readonly string ConsumerName = typeof(TConsumer).FullName ?? typeof(TConsumer).Name;

    public async Task Send(ConsumerConsumeContext<TConsumer, TMessage> context, IPipe<ConsumerConsumeContext<TConsumer, TMessage>> next)
    {
        var services = context.GetPayload<IServiceProvider>();
        if (context.MessageId is not { } messageId ||
            services.GetService<IScopedBusContextProvider<IBus>>() is not OutboxBusContextProvider<TDbContext> provider)
        {
            await next.Send(context);
            return;
        }

        var consumed = await services.GetRequiredService<InboxStore>().ConsumedAsync(ConsumerName, [messageId], context.CancellationToken);
        if (consumed.Count > 0)
        {
            services.GetRequiredService<ILogger<InboxFilter<TDbContext, TConsumer, TMessage>>>()
                .LogDebug("{Consumer} already handled {MessageId}; skipped", ConsumerName, messageId);
            return;
        }

        await InboxConsumption.RunAsync(provider.Outbox, ConsumerName, [messageId], () => next.Send(context), context.CancellationToken);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("posbusInbox");
}
