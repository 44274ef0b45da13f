using System.Globalization;
using System.Text.Json;
using PosBus.CloudSync.Http;
using PosBus.Operations.CloudReads;

namespace PosBus.Operations.Reconciliation;

/// <summary>
/// Reads one lane's sales of a UTC day back from the cloud through the <c>sync-pos-message</c> function
/// (<c>GET ?action=reconcile&amp;storeId=&amp;terminalId=&amp;date=</c>, same key as uploads). Lane ids repeat across the
/// stores of a chain, so the read names the lane's store too.
/// </summary>
public sealed class CloudSales(CloudFunctionReads reads)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString };

    public async Task<IReadOnlyList<ReconciledSale>> ReadDayAsync(string storeId, string terminalId, DateOnly day, CancellationToken cancellationToken)
    {
        var query = $"?action=reconcile&storeId={Uri.EscapeDataString(storeId)}&terminalId={Uri.EscapeDataString(terminalId)}&date={day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        return Parse(await reads.GetAsync(query, "reconcile", storeId, cancellationToken).ConfigureAwait(false));
    }

    static List<ReconciledSale> Parse(string body)
    {
        var answer = JsonSerializer.Deserialize<Answer>(body, Json) ?? throw new CloudTransientException("the cloud answered an empty body");
        return answer.Sales.Select(s => s.ToReconciled()).ToList();
    }

    sealed record Answer(List<SaleJson> Sales);
}
