using PosBus.Sample.Till;
using PosBus.Sample.Till.Domain;
using PosBus.Testing;

namespace PosBus.Sample.Till.Tests;

/// <summary>The till as its host registers it (TillRegistration), on a test lane, and the carts its tests ring up.</summary>
static class TillLanes
{
    public static TestLaneOptions<PosDbContext> AsTheTill(this TestLaneOptions<PosDbContext> lane) => lane
        .ConfigureServices(services => services.AddTill())
        .ConfigurePosBus(posbus => posbus.AddTillConsumers())
        .PrepareDatabase(PosSchema.EnsureCreatedAsync);

    public static Cart TwoItems(CustomerDetails? customer = null) => new(
        "C1",
        [new CartItem(Catalog.Products[0].Sku, 2), new CartItem(Catalog.Products[1].Sku, 1)],
        "card",
        customer);

    public static Task<Sale> RingUpAsync(this TestLane<PosDbContext> lane, Cart cart) =>
        lane.InScopeAsync<CheckoutService, Sale>(checkout => checkout.CompleteSaleAsync(cart));
}
