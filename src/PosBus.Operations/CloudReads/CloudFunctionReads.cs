using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using PosBus.CloudSync;
using PosBus.CloudSync.Http;

namespace PosBus.Operations.CloudReads;

/// <summary>
/// Read requests to the <c>sync-pos-message</c> function (<c>GET ?action=…</c>, same key as uploads): the lane never
/// talks to Postgres itself. Faults map as for uploads: <see cref="CloudTransientException"/> when the cloud is away or
/// slow, <see cref="CloudConfigurationException"/> when the key, the store or the deployed function is wrong.
/// </summary>
public sealed class CloudFunctionReads(IHttpClientFactory httpClientFactory, IOptions<CloudSyncOptions> options)
{
    /// <summary>Whether the cloud stage is configured (a URL and enabled).</summary>
    public bool IsActive => options.Value.IsActive;

    /// <summary>The body of <c>GET {function}{query}</c>; <paramref name="purpose"/> names the read in errors (e.g. "reconcile").</summary>
    public async Task<string> GetAsync(string query, string purpose, string storeId, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.IsActive)
        {
            throw new CloudConfigurationException($"The cloud stage is off: set {CloudSyncConfiguration.SupabaseUrlVariable} and {CloudSyncConfiguration.StoreKeyVariable} (or {CloudSyncConfiguration.ServiceKeyVariable}) to {purpose}.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(o.FunctionUri + query));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.EffectiveKey);
        request.Headers.TryAddWithoutValidation("apikey", o.EffectiveKey);
        HttpResponseMessage response;
        try
        {
            response = await httpClientFactory.CreateClient(SupabaseFunctionClient.HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
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
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => body,
                HttpStatusCode.Unauthorized => throw new CloudConfigurationException($"The cloud refused the key: check {o.EffectiveKeyVariable}."),
                HttpStatusCode.Forbidden => throw new CloudConfigurationException($"The cloud refused this store: {o.EffectiveKeyVariable} must be a key of the lane's own store ({storeId})."),
                HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.BadRequest =>
                    throw new CloudConfigurationException($"{o.FunctionUri} does not answer {purpose} reads (HTTP {(int)response.StatusCode}): deploy the current sync-pos-message function."),
                _ => throw new CloudTransientException($"the cloud answered HTTP {(int)response.StatusCode}"),
            };
        }
    }
}
