using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;

namespace PosBus.Outbox.Outbox;

/// <summary>
/// Finds the buffer of the scope that currently leases a DbContext. A pooled DbContext instance serves
/// many scopes one after the other, and interceptors are shared by the whole pool, so the buffer is keyed
/// by the instance and replaced by every scope that publishes through it.
/// </summary>
sealed class OutboxBufferRegistry
{
    readonly ConditionalWeakTable<DbContext, OutboxBuffer> _buffers = new();

    public void Attach(DbContext context, OutboxBuffer buffer) => _buffers.AddOrUpdate(context, buffer);

    public void Detach(DbContext context, OutboxBuffer buffer)
    {
        if (_buffers.TryGetValue(context, out var current) && ReferenceEquals(current, buffer))
        {
            _buffers.Remove(context);
        }
    }

    public OutboxBuffer? Find(DbContext? context) =>
        context is not null && _buffers.TryGetValue(context, out var buffer) ? buffer : null;
}
