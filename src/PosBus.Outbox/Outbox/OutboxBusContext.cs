using MassTransit;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Transports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PosBus.Ledger;

namespace PosBus.Outbox.Outbox;

/// <summary>
/// The scope's view of the bus: the scoped <see cref="IPublishEndpoint"/> and <see cref="ISendEndpointProvider"/>
/// build the real MassTransit SendContext and hand it to <see cref="AddSend{T}"/>, which only buffers a ledger
/// row. The row reaches SQLite with the next save or commit of the scope's <typeparamref name="TDbContext"/>.
/// </summary>
sealed class OutboxBusContext<TDbContext>(
    IBus bus,
    IServiceProvider scope,
    OutboxBufferRegistry registry,
    OutboxRowFactory rows,
    IClientFactory clientFactory,
    ILogger<OutboxBusContext<TDbContext>> logger) : ScopedBusContext, OutboxSendContext, IDisposable
    where TDbContext : DbContext
{
    readonly OutboxBuffer _buffer = new();
    TDbContext? _dbContext;
    bool _attached;
    IPublishEndpoint? _publishEndpoint;
    ISendEndpointProvider? _sendEndpointProvider;

    public ISendEndpointProvider SendEndpointProvider => _sendEndpointProvider ??= new OutboxSendEndpointProvider(this, bus);

    public IPublishEndpoint PublishEndpoint => _publishEndpoint ??= new PublishEndpoint(new OutboxPublishEndpointProvider(this, bus));

    /// <summary>Requests are not deferred: a response cannot wait for a commit.</summary>
    public IScopedClientFactory ClientFactory => new MassTransit.Clients.ScopedClientFactory(clientFactory, null);

    public object? GetService(Type serviceType) => scope.GetService(serviceType);

    public Task AddSend<T>(SendContext<T> context)
        where T : class
    {
        if (scope.GetService<ScopedConsumeContextProvider>() is { HasContext: true } consume)
        {
            var consumeContext = consume.GetContext();
            context.ConversationId = consumeContext.ConversationId ?? context.ConversationId;
            context.InitiatorId = consumeContext.MessageId;
        }

        Attach().Add(rows.Create(context));
        return Task.CompletedTask;
    }

    /// <summary>The consumer inbox: write "handled" for this message with the scope's next save.</summary>
    public void MarkInbox(InboxMark mark) => Attach().MarkInbox(mark);

    /// <summary>After a consumer returned: save what it left unsaved, with its inbox row and published messages.</summary>
    public async Task SaveAfterConsumeAsync(CancellationToken cancellationToken)
    {
        var dbContext = DbContext;
        if (_buffer.HasWork || dbContext.ChangeTracker.HasChanges())
        {
            await dbContext.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A consumer attempt failed: its buffered messages and its tracked, unsaved changes go, so a retry starts clean.</summary>
    public void Discard()
    {
        _buffer.Clear();
        _dbContext?.ChangeTracker.Clear();
    }

    public void Dispose()
    {
        var dropped = _buffer.Clear();
        if (dropped > 0)
        {
            logger.LogWarning("{Count} message(s) were published through the outbox but never saved: call SaveChanges on {DbContext}. They were dropped.",
                dropped, typeof(TDbContext).Name);
        }

        if (_attached && _dbContext is not null)
        {
            registry.Detach(_dbContext, _buffer);
        }
    }

    TDbContext DbContext => _dbContext ??= scope.GetRequiredService<TDbContext>();

    OutboxBuffer Attach()
    {
        if (!_attached)
        {
            registry.Attach(DbContext, _buffer);
            _attached = true;
        }

        return _buffer;
    }
}
