using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace PosBus.CloudSync.Http;

/// <summary>
/// Posts one batch to the <c>sync-pos-message</c> Edge Function and turns the answer into per-message results or one
/// of three exceptions: <see cref="CloudTransientException"/>, <see cref="CloudBatchRejectedException"/>,
/// <see cref="CloudConfigurationException"/>. The service key is put on the request here and nowhere else; no message
/// this class produces contains it.
/// </summary>
/// <remarks>
/// A singleton over <see cref="IHttpClientFactory"/> (a named client per call) rather than an injected typed client, so
/// that the factory can still rotate handlers while the pass service lives for the whole process.
/// </remarks>
public sealed class SupabaseFunctionClient(IHttpClientFactory httpClientFactory, IOptions<CloudSyncOptions> options)
{
    /// <summary>Name of the <see cref="HttpClient"/> registered for the function.</summary>
    public const string HttpClientName = "PosBus.CloudSync.Function";

    const int MaxReasonLength = 300;
    readonly CloudSyncOptions _options = options.Value;

    public async Task<IReadOnlyList<CloudMessageResult>> PostBatchAsync(CloudBatch batch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.FunctionUri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ServiceKey);
        request.Headers.TryAddWithoutValidation("apikey", _options.ServiceKey);
        request.Content = new ReadOnlyMemoryContent(CloudBatchJson.Write(batch));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        HttpResponseMessage response;
        byte[] body;
        try
        {
            response = await httpClientFactory.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CloudTransientException($"timed out after {_options.HttpTimeout.TotalSeconds:0.#} s", inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new CloudTransientException($"network: {Redact(ex.Message)}", inner: ex);
        }

        using (response)
        {
            return Map(response, body);
        }
    }

    List<CloudMessageResult> Map(HttpResponseMessage response, byte[] body)
    {
        var code = (int)response.StatusCode;
        var detail = $"HTTP {code} {Redact(Excerpt(body))}".TrimEnd();
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                try
                {
                    return CloudBatchJson.ReadResults(body);
                }
                catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    throw new CloudTransientException($"HTTP 200 with an unreadable body: {Redact(ex.Message)}");
                }

            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                throw new CloudConfigurationException(
                    $"The cloud refused the service key ({detail}): check {CloudSyncConfiguration.ServiceKeyVariable}.");
            case HttpStatusCode.NotFound:
                throw new CloudConfigurationException(
                    $"No function at {_options.FunctionUri} ({detail}): check {CloudSyncConfiguration.SupabaseUrlVariable} and CloudSync:FunctionName.");
            case HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest:
                throw new CloudBatchRejectedException(code, detail);
            default:
                // 408, 429, 5xx and anything unexpected: the message may be fine, so it is never dead-lettered for this.
                throw new CloudTransientException(detail, RetryAfter(response));
        }
    }

    static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    static string Excerpt(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, MaxReasonLength * 4)).ReplaceLineEndings(" ").Trim();
        return text.Length <= MaxReasonLength ? text : text[..MaxReasonLength] + "…";
    }

    /// <summary>Removes the key from any text that could end up in a log, a status or the ledger.</summary>
    string Redact(string text) =>
        string.IsNullOrEmpty(_options.ServiceKey) ? text : text.Replace(_options.ServiceKey, "***", StringComparison.Ordinal);
}
