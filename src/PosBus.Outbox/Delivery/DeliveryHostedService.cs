using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PosBus.Outbox.Configuration;

namespace PosBus.Outbox.Delivery;

/// <summary>Runs <see cref="LocalDeliveryService"/> unless <see cref="PosBusOutboxOptions.DeliveryEnabled"/> is off.</summary>
sealed class DeliveryHostedService(IServiceProvider services, IOptions<PosBusOutboxOptions> options) : IHostedService, IDisposable
{
    LocalDeliveryService? _service;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.DeliveryEnabled)
        {
            return Task.CompletedTask;
        }

        _service = ActivatorUtilities.CreateInstance<LocalDeliveryService>(services);
        return _service.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _service?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public void Dispose() => _service?.Dispose();
}
