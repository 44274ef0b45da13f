using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PosBus.PeerSync;
using PosBus.PeerSync.Sender;

namespace PosBus.Operations.Journey;

/// <summary>
/// Asks each configured peer lane what it holds of a message (<c>GET /messages/{id}?scope=lane</c> on the peer's port,
/// https when the peer link is wss). A peer that is down or slow is reported as unreachable; it never fails the read.
/// </summary>
public sealed class PeerMessageReader(IOptions<PeerSyncOptions> options) : IDisposable
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    readonly HttpClient _http = CreateClient(options);

    public async Task<JsonArray> ReadAsync(Guid messageId, CancellationToken cancellationToken)
    {
        var peers = options.Value.PeerUris();
        var answers = await Task.WhenAll(peers.Select(peer => ReadOneAsync(peer, messageId, cancellationToken))).ConfigureAwait(false);
        return new JsonArray(answers.Select(a => (JsonNode)a).ToArray());
    }

    async Task<JsonObject> ReadOneAsync(Uri peer, Guid messageId, CancellationToken cancellationToken)
    {
        var url = new UriBuilder(peer)
        {
            Scheme = peer.Scheme == "wss" ? "https" : "http",
            Path = $"{MessageJourneyEndpoints.Path}/{messageId:D}",
            Query = "scope=lane",
        }.Uri;
        var answer = new JsonObject { ["url"] = peer.ToString() };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            using var response = await _http.GetAsync(url, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                answer["reachable"] = true;
                answer["error"] = $"HTTP {(int)response.StatusCode}";
                return answer;
            }

            answer["reachable"] = true;
            answer["lane"] = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            answer["reachable"] = false;
            answer["error"] = e is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : e.Message;
        }

        return answer;
    }

    static HttpClient CreateClient(IOptions<PeerSyncOptions> options)
    {
        var trust = new PeerTlsTrust(options);
#pragma warning disable CA2000 // the client owns the handler (disposeHandler: true); Dispose below disposes the client
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) };
#pragma warning restore CA2000
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => trust.Validate(certificate, errors);
        return new HttpClient(handler, disposeHandler: true);
    }

    public void Dispose() => _http.Dispose();
}
