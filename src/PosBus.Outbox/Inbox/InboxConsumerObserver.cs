using MassTransit;
using MassTransit.Configuration;
using Microsoft.EntityFrameworkCore;

namespace PosBus.Outbox.Inbox;

/// <summary>
/// Puts an <see cref="InboxFilter{TDbContext,TConsumer,TMessage}"/> in front of every consumer of an endpoint, or a
/// <see cref="BatchInboxFilter{TDbContext,TConsumer,TMessage}"/> in front of a batch consumer.
/// </summary>
sealed class InboxConsumerObserver<TDbContext> : IConsumerConfigurationObserver
    where TDbContext : DbContext
{
    public void ConsumerConfigured<TConsumer>(IConsumerConfigurator<TConsumer> configurator)
        where TConsumer : class
    {
    }

    public void ConsumerMessageConfigured<TConsumer, TMessage>(IConsumerMessageConfigurator<TConsumer, TMessage> configurator)
        where TConsumer : class
        where TMessage : class =>
        configurator.AddPipeSpecification(new FilterPipeSpecification<ConsumerConsumeContext<TConsumer, TMessage>>(FilterFor<TConsumer, TMessage>()));

    static IFilter<ConsumerConsumeContext<TConsumer, TMessage>> FilterFor<TConsumer, TMessage>()
        where TConsumer : class
        where TMessage : class
    {
        if (BatchMessageType.ElementOf(typeof(TMessage)) is not { } element)
        {
            return new InboxFilter<TDbContext, TConsumer, TMessage>();
        }

        // TMessage is Batch<element>, so this filter is an IFilter<ConsumerConsumeContext<TConsumer, TMessage>>.
        var batchFilter = typeof(BatchInboxFilter<,,>).MakeGenericType(typeof(TDbContext), typeof(TConsumer), element);
        return (IFilter<ConsumerConsumeContext<TConsumer, TMessage>>)Activator.CreateInstance(batchFilter)!;
    }
}
