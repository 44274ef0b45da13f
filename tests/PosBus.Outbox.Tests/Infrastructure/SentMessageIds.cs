using System.Collections.Concurrent;
using MassTransit;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>The message ids of everything sent on a bus, local delivery's hand-overs included.</summary>
public sealed class SentMessageIds : ISendObserver
{
    readonly ConcurrentDictionary<Guid, byte> _ids = new();

    public bool Contains(Guid messageId) => _ids.ContainsKey(messageId);

    public Task PreSend<T>(SendContext<T> context)
        where T : class
    {
        if (context.MessageId is { } id)
        {
            _ids.TryAdd(id, 0);
        }

        return Task.CompletedTask;
    }

    public Task PostSend<T>(SendContext<T> context)
        where T : class => Task.CompletedTask;

    public Task SendFault<T>(SendContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}
