using MassTransit;

namespace PosBus.Outbox.Inbox;

/// <summary>Records in <see cref="LocalMessageTypes"/> what each consumer, handler and saga of an endpoint takes.</summary>
sealed class LocalMessageTypesObserver(LocalMessageTypes types) :
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
        where TMessage : class =>
        types.Consumed(BatchMessageType.ElementOf(typeof(TMessage)) ?? typeof(TMessage));

    public void HandlerConfigured<TMessage>(IHandlerConfigurator<TMessage> configurator)
        where TMessage : class =>
        types.Consumed(typeof(TMessage));

    public void SagaConfigured<TSaga>(ISagaConfigurator<TSaga> configurator)
        where TSaga : class, ISaga =>
        types.ConsumedAll();

    public void StateMachineSagaConfigured<TInstance>(ISagaConfigurator<TInstance> configurator, SagaStateMachine<TInstance> stateMachine)
        where TInstance : class, ISaga, SagaStateMachineInstance =>
        types.ConsumedAll();

    public void SagaMessageConfigured<TSaga, TMessage>(ISagaMessageConfigurator<TSaga, TMessage> configurator)
        where TSaga : class, ISaga
        where TMessage : class =>
        types.ConsumedAll();
}
