using Microsoft.EntityFrameworkCore;
using PosBus.Sample.Till.Domain;

namespace PosBus.Sample.Till;

/// <summary>The till's own HTTP API beside PosBus's: ring up a sale, read the store-wide stock view its consumer keeps.</summary>
public static class TillEndpoints
{
    public static WebApplication MapTill(this WebApplication app)
    {
        // The sale row, its lines, the stock decrement and the PosBus messages commit in one SaveChangesAsync.
        app.MapPost("/till/sales", async (Cart cart, CheckoutService checkout, CancellationToken cancellationToken) =>
        {
            var sale = await checkout.CompleteSaleAsync(cart, cancellationToken);
            return Results.Ok(new { sale.Id, sale.ReceiptNumber, sale.TotalMinor });
        });

        // Every lane's sales (own and peers' copies) as this till's consumer applied them.
        app.MapGet("/till/store-stock", async (PosDbContext db, CancellationToken cancellationToken) =>
            await db.StoreStockMovements.GroupBy(m => m.Sku)
                .Select(g => new { Sku = g.Key, Sold = -g.Sum(m => m.Delta) })
                .OrderBy(s => s.Sku)
                .ToListAsync(cancellationToken));
        return app;
    }
}
