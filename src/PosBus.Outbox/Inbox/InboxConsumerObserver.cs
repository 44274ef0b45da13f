using MassTransit;
using MassTransit.Configuration;
using Microsoft.EntityFrameworkCore;

namespace PosBus.Outbox.Inbox;

/// <summary>Puts an <see cref="InboxFilter{TDbContext,TConsumer,TMessage}"/> in front of every consumer of an endpoint.</summary>
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
        configurator.AddPipeSpecification(
            new FilterPipeSpecification<ConsumerConsumeContext<TConsumer, TMessage>>(new InboxFilter<TDbContext, TConsumer, TMessage>()));
}
