using MassTransit;
using PosBus.Contracts;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>A lane-local consumer: records a projection and publishes a follow-up, both through its DbContext.</summary>
public sealed class SaleCompletedConsumer(TestDbContext db, IPublishEndpoint publish) : IConsumer<SaleCompleted>
{
    public async Task Consume(ConsumeContext<SaleCompleted> context)
    {
        db.Projections.Add(new SaleProjection { SaleId = context.Message.SaleId });
        await publish.Publish(new SaleProjected(context.Message.SaleId));
    }
}
