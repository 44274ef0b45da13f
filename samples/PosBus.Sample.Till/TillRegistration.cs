using MassTransit;
using PosBus.Operations;
using PosBus.Sample.Till.Domain;

namespace PosBus.Sample.Till;

/// <summary>The till's own services and its part of the bus, shared by its host (Program.cs) and its tests.</summary>
public static class TillRegistration
{
    /// <summary>The till's services besides its DbContext: checkout and the clock it stamps sales with.</summary>
    public static IServiceCollection AddTill(this IServiceCollection services)
    {
        services.AddScoped<CheckoutService>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>The till's lane-local consumer: the store-wide stock view, fed by every lane's inventory adjustments.</summary>
    public static PosBusConfigurator AddTillConsumers(this PosBusConfigurator posbus) =>
        posbus.ConfigureBus(x => x.AddConsumer<StoreStockConsumer, StoreStockConsumerDefinition>());
}
