using Microsoft.Extensions.Options;
using PosBus.Ledger.Sqlite;
using PosBus.Sample.Till.Domain;

namespace PosBus.Sample.Till;

/// <summary>Creates the till's own tables and catalogue before the host starts (PosBus creates its ledger tables itself).</summary>
public static class TillDatabase
{
    public static async Task PrepareAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(services.GetRequiredService<IOptions<LaneDatabaseOptions>>().Value.DatabasePath)!);
        await using var scope = services.CreateAsyncScope();
        await PosSchema.EnsureCreatedAsync(scope.ServiceProvider.GetRequiredService<PosDbContext>(), cancellationToken);
    }
}
