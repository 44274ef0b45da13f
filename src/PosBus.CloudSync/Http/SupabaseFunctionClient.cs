using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PosBus.CloudSync.Http;

/// <summary>
/// Posts one batch to the <c>sync-pos-message</c> Edge Function and turns the answer into per-message results or one
/// of four exceptions: <see cref="CloudTransientException"/>, <see cref="CloudBatchRejectedException"/>,
/// <see cref="CloudRepeatableFailureException"/>, <see cref="CloudConfigurationException"/>. The key (store key, else service key) is put on the request here and nowhere
/// else; no message this class produces contains either key.
/// </summary>
/// <remarks>
/// A singleton over <see cref="IHttpClientFactory"/> (a named client per call) rather than an injected typed client, so
/// that the factory can still rotate handlers while the pass service lives for the whole process.
/// </remarks>
public sealed class SupabaseFunctionClient(IHttpClientFactory httpClientFactory)
{
    /// <summary>Name of the <see cref="HttpClient"/> registered for the function.</summary>
    public const string HttpClientName = "PosBus.CloudSync.Function";

    const int MaxReasonLength = 300;

    /// <param name="settings">The pass's settings: endpoint, key and timeout (retunable live).</param>
    public async Task<IReadOnlyList<CloudMessageResult>> PostBatchAsync(CloudBatch batch, CloudSyncOptions settings, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var results = await PostAsync(batch, settings, cancellationToken).ConfigureAwait(false);
            CloudSyncMetrics.RecordUpload(started, null);
            return results;
        }
        catch (Exception ex) when (CloudSyncMetrics.RecordUpload(started, ex))
        {
            throw; // not reached: the filter records and declines
        }
    }

    async Task<IReadOnlyList<CloudMessageResult>> PostAsync(CloudBatch batch, CloudSyncOptions settings, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.FunctionUri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.EffectiveKey);
        request.Headers.TryAddWithoutValidation("apikey", settings.EffectiveKey);
        request.Content = new ReadOnlyMemoryContent(CloudBatchJson.Write(batch));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        HttpResponseMessage response;
        byte[] body;
        try
        {
            response = await httpClientFactory.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (FunctionFaults.IsTimeout(ex, cancellationToken))
        {
            throw new CloudTransientException($"timed out after {settings.HttpTimeout.TotalSeconds:0.#} s", inner: ex);
        }
        catch (Exception ex) when (FunctionFaults.IsTransient(ex, cancellationToken))
        {
            throw new CloudTransientException($"network: {Redact(ex.Message, settings)}", inner: ex);
        }

        using (response)
        {
            return Map(response, body, settings);
        }
    }

    static List<CloudMessageResult> Map(HttpResponseMessage response, byte[] body, CloudSyncOptions settings)
    {
        var code = (int)response.StatusCode;
        var detail = $"HTTP {code} {Redact(Excerpt(body), settings)}".TrimEnd();
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                try
                {
                    return CloudBatchJson.ReadResults(body);
                }
                catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    throw new CloudTransientException($"HTTP 200 with an unreadable body: {Redact(ex.Message, settings)}");
                }

            case HttpStatusCode.Unauthorized:
                throw new CloudConfigurationException($"The cloud refused the key ({detail}): check {settings.EffectiveKeyVariable}.");
            case HttpStatusCode.Forbidden:
                throw new CloudConfigurationException(
                    $"The cloud refused this store ({detail}): {settings.EffectiveKeyVariable} must be a key of the lane's own store (STORE_ID), and the store active.");
            case HttpStatusCode.NotFound:
                throw new CloudConfigurationException(
                    $"No function at {settings.FunctionUri} ({detail}): check {CloudSyncConfiguration.SupabaseUrlVariable} and CloudSync:FunctionName.");
            case HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest:
                throw new CloudBatchRejectedException(code, detail);
            case HttpStatusCode.InternalServerError when Refusal(body) is ({ } sqlState, var error) && FunctionFaults.IsRepeatable(sqlState):
                throw new CloudRepeatableFailureException(sqlState, $"HTTP 500 sqlstate {sqlState}: {Redact(error ?? Excerpt(body), settings)}");
            default:
                // 408, 429, 503, a 500 without a data-class sqlstate and anything unexpected: the message may be fine,
                // so it is never dead-lettered for this.
                throw new CloudTransientException(detail, RetryAfter(response));
        }
    }

    /// <summary>The <c>sqlstate</c> and <c>error</c> of a 500's JSON body (the database refused the write); nulls when absent.</summary>
    static (string? SqlState, string? Error) Refusal(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object ? (Text(root, "sqlstate"), Text(root, "error")) : (null, null);
        }
        catch (JsonException)
        {
            return (null, null);
        }

        static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? Shorten(value.GetString()!) : null;
    }

    static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    static string Excerpt(byte[] body) =>
        Shorten(Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, MaxReasonLength * 4)));

    static string Shorten(string text)
    {
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length <= MaxReasonLength ? text : text[..MaxReasonLength] + "…";
    }

    /// <summary>Removes both keys from any text that could end up in a log, a status or the ledger.</summary>
    internal static string Redact(string text, CloudSyncOptions settings) =>
        Without(Without(text, settings.ServiceKey), settings.StoreKey);

    static string Without(string text, string secret) =>
        string.IsNullOrEmpty(secret) ? text : text.Replace(secret, "***", StringComparison.Ordinal);
}
