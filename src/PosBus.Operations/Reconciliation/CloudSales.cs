using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PosBus.CloudSync;
using PosBus.CloudSync.Http;

namespace PosBus.Operations.Reconciliation;

/// <summary>
/// Reads one lane's sales of a UTC day back from the cloud through the <c>sync-pos-message</c> function
/// (<c>GET ?action=reconcile&amp;storeId=&amp;terminalId=&amp;date=</c>, same key as uploads). The lane never talks to Postgres
/// itself. Lane ids repeat across the stores of a chain, so the read names the lane's store too.
/// </summary>
public sealed class CloudSales(IHttpClientFactory httpClientFactory, IOptions<CloudSyncOptions> options)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString };

    public async Task<IReadOnlyList<ReconciledSale>> ReadDayAsync(string storeId, string terminalId, DateOnly day, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.IsActive)
        {
            throw new CloudConfigurationException($"The cloud stage is off: set {CloudSyncConfiguration.SupabaseUrlVariable} and {CloudSyncConfiguration.StoreKeyVariable} (or {CloudSyncConfiguration.ServiceKeyVariable}) to reconcile.");
        }

        var query = $"?action=reconcile&storeId={Uri.EscapeDataString(storeId)}&terminalId={Uri.EscapeDataString(terminalId)}&date={day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(o.FunctionUri + query));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.EffectiveKey);
        request.Headers.TryAddWithoutValidation("apikey", o.EffectiveKey);
        HttpResponseMessage response;
        try
        {
            response = await httpClientFactory.CreateClient(SupabaseFunctionClient.HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (FunctionFaults.IsTimeout(e, cancellationToken))
        {
            throw new CloudTransientException($"the cloud did not answer in time: {e.Message}");
        }
        catch (Exception e) when (FunctionFaults.IsTransient(e, cancellationToken))
        {
            throw new CloudTransientException($"the cloud is unreachable: {e.Message}");
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => Parse(body),
                HttpStatusCode.Unauthorized => throw new CloudConfigurationException($"The cloud refused the key: check {o.EffectiveKeyVariable}."),
                HttpStatusCode.Forbidden => throw new CloudConfigurationException($"The cloud refused this store: {o.EffectiveKeyVariable} must be a key of the lane's own store ({storeId})."),
                HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed => throw new CloudConfigurationException($"{o.FunctionUri} does not answer reconciliation reads: deploy the current sync-pos-message function."),
                _ => throw new CloudTransientException($"the cloud answered HTTP {(int)response.StatusCode}"),
            };
        }
    }

    static List<ReconciledSale> Parse(string body)
    {
        var answer = JsonSerializer.Deserialize<Answer>(body, Json) ?? throw new CloudTransientException("the cloud answered an empty body");
        return answer.Sales.Select(s => s.ToReconciled()).ToList();
    }

    sealed record Answer(List<SaleJson> Sales);
}
