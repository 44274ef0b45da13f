using MassTransit;
using PosBus.Outbox.Delivery;

namespace PosBus.Outbox.Inbox;

/// <summary>
/// Records in <see cref="LocalMessageTypes"/> what each consumer, handler and saga of an endpoint takes, and on its
/// <see cref="LocalEndpoint"/> which types it takes and which consumers it hosts.
/// </summary>
sealed class LocalMessageTypesObserver(LocalMessageTypes types, LocalEndpoint endpoint) :
    IConsumerConfigurationObserver,
    IHandlerConfigurationObserver,
    ISagaConfigurationObserver
{
    public void ConsumerConfigured<TConsumer>(IConsumerConfigurator<TConsumer> configurator)
        where TConsumer : class
    {
    }

    public void ConsumerMessageConfigured<TConsumer, TMessage>(IConsumerMessageConfigurator<TConsumer, TMessage> configurator)
        where TConsumer : class
        where TMessage : class
    {
        Consumed(BatchMessageType.ElementOf(typeof(TMessage)) ?? typeof(TMessage));
        endpoint.Hosts(ConsumerNames.Of<TConsumer>());
    }

    public void HandlerConfigured<TMessage>(IHandlerConfigurator<TMessage> configurator)
        where TMessage : class =>
        Consumed(typeof(TMessage));

    public void SagaConfigured<TSaga>(ISagaConfigurator<TSaga> configurator)
        where TSaga : class, ISaga =>
        types.ConsumedAll();

    public void StateMachineSagaConfigured<TInstance>(ISagaConfigurator<TInstance> configurator, SagaStateMachine<TInstance> stateMachine)
        where TInstance : class, ISaga, SagaStateMachineInstance =>
        types.ConsumedAll();

    public void SagaMessageConfigured<TSaga, TMessage>(ISagaMessageConfigurator<TSaga, TMessage> configurator)
        where TSaga : class, ISaga
        where TMessage : class
    {
        types.ConsumedAll();
        endpoint.Takes(MessageUrn.ForTypeString<TMessage>());
    }

    void Consumed(Type messageType)
    {
        types.Consumed(messageType);
        endpoint.Takes(MessageUrn.ForTypeString(messageType));
    }
}
