namespace PosBus.Benchmarks.Outbox;

/// <summary>One way of saving a sale; rounds of each variant are interleaved so machine drift cancels.</summary>
interface IBenchVariant : IAsyncDisposable
{
    string Name { get; }

    Task StartAsync();

    Task SaleAsync();
}
