using MassTransit;
using PosBus.Contracts;

namespace PosBus.Outbox.Outbox;

/// <summary>
/// Makes the outbox bypass loud: a POS message published or sent straight on the bus (<c>IBus.Publish</c>,
/// <c>ConsumeContext.Publish</c>) would never reach the ledger, peers or cloud. Sends through the outbox never
/// reach bus observers, and local delivery sends serialized bodies, so neither trips this guard; non-POS
/// messages (lane-internal commands) pass.
/// </summary>
sealed class DirectPublishGuard : IPublishObserver, ISendObserver
{
    public Task PrePublish<T>(PublishContext<T> context)
        where T : class => Check(context.Message, "Publish");

    public Task PreSend<T>(SendContext<T> context)
        where T : class => Check(context.Message, "Send");

    public Task PostPublish<T>(PublishContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PublishFault<T>(PublishContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;

    public Task PostSend<T>(SendContext<T> context)
        where T : class => Task.CompletedTask;

    public Task SendFault<T>(SendContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;

    static Task Check(object message, string verb) => message is IPosMessage
        ? throw new InvalidOperationException(
            $"{message.GetType().Name} is a POS message: {verb} it through a scoped IPublishEndpoint / ISendEndpointProvider and call " +
            $"SaveChanges, so that it is written to the outbox with your data. IBus.{verb} and ConsumeContext.{verb} bypass the outbox.")
        : Task.CompletedTask;
}
