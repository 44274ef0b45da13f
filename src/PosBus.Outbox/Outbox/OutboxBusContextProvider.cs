using MassTransit;
using MassTransit.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace PosBus.Outbox.Outbox;

/// <summary>
/// Replaces MassTransit's scoped bus context so that every scoped <see cref="IPublishEndpoint"/> and
/// <see cref="ISendEndpointProvider"/>, in POS code and in consumers alike, goes through the SQLite outbox.
/// </summary>
sealed class OutboxBusContextProvider<TDbContext>(IServiceProvider scope) : IScopedBusContextProvider<IBus>, IDisposable
    where TDbContext : DbContext
{
    readonly OutboxBusContext<TDbContext> _context = ActivatorUtilities.CreateInstance<OutboxBusContext<TDbContext>>(scope, scope);

    public ScopedBusContext Context => _context;

    public OutboxBusContext<TDbContext> Outbox => _context;

    public void Dispose() => _context.Dispose();
}
