using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PosBus.Ledger.Lane;
using PosBus.Operations.Endpoints;
using PosBus.PeerSync;
using PosBus.Terminal.Hosting;
using PosBus.Operations.Status;

namespace PosBus.Terminal.Cli;

/// <summary>
/// Talks to the lane process that serves this configuration's port, if one runs: a CLI verb prefers the running lane
/// (live facts, one scheduler) and falls back to doing the work itself when nobody listens.
/// </summary>
public sealed class RunningLane : IDisposable
{
    readonly HttpClient _http;
    readonly string _terminalId;

    public RunningLane(PeerSyncOptions peerSync, string terminalId, TimeSpan timeout)
    {
        _terminalId = terminalId;
        var tls = !string.IsNullOrEmpty(peerSync.TlsCertificatePath);
#pragma warning disable CA2000 // the HttpClient below owns the handler (disposeHandler: true) and this class disposes the client
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) };
#pragma warning restore CA2000
        if (tls)
        {
            // The lane presents the store's own (often self-signed) certificate: trust exactly that one.
            using var certificate = X509CertificateLoader.LoadPkcs12FromFile(peerSync.TlsCertificatePath!, peerSync.TlsCertificatePassword);
            var expected = certificate.GetCertHash(HashAlgorithmName.SHA256);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
                presented is not null && CryptographicOperations.FixedTimeEquals(presented.GetCertHash(HashAlgorithmName.SHA256), expected);
        }

        var host = peerSync.BindAddress is "0.0.0.0" or "localhost" ? "127.0.0.1" : peerSync.BindAddress == "::" ? "[::1]" : peerSync.BindAddress;
        host = IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 && !host.StartsWith('[') ? $"[{host}]" : host;
        _http = new HttpClient(handler, disposeHandler: true) { BaseAddress = new Uri($"{(tls ? "https" : "http")}://{host}:{peerSync.Port}/"), Timeout = timeout };
    }

    /// <summary>The lane this tool host's configuration describes (its port, TLS and terminal id).</summary>
    public static RunningLane For(IServiceProvider services, TimeSpan timeout) => new(
        services.GetRequiredService<IConfiguration>().GetSection(PeerSyncOptions.SectionName).Get<PeerSyncOptions>() ?? new PeerSyncOptions(),
        services.GetRequiredService<IOptions<LaneOptions>>().Value.TerminalId,
        timeout);

    /// <summary>The running lane's <c>/status</c>, or null when no lane listens.</summary>
    public async Task<JsonObject?> TryGetStatusAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, LaneEndpointPaths.Status[1..]);
        var response = await TrySendAsync(request, cancellationToken);
        return response is null ? null : await ReadOwnAsync(response, cancellationToken);
    }

    /// <summary>The running lane's answer to <c>GET {relativePath}</c>, or null when no lane listens.</summary>
    public async Task<JsonObject?> TryGetAsync(string relativePath, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, relativePath.TrimStart('/'));
        var response = await TrySendAsync(request, cancellationToken);
        return response is null ? null : await ReadOwnAsync(response, cancellationToken);
    }

    /// <summary>Asks the running lane for one cloud pass now and returns its answer, or null when no lane listens.</summary>
    public async Task<JsonObject?> TrySyncNowAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, LaneEndpointPaths.SyncNow[1..]);
        var response = await TrySendAsync(request, cancellationToken);
        return response is null ? null : await ReadOwnAsync(response, cancellationToken);
    }

    async Task<HttpResponseMessage?> TrySendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.TimedOut or SocketError.HostUnreachable })
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"The lane on {_http.BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0} s; working without it.");
            return null;
        }
    }

    async Task<JsonObject> ReadOwnAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new CliException($"The lane on {_http.BaseAddress} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            var body = await response.Content.ReadFromJsonAsync<JsonObject>(StatusJson.Options, cancellationToken)
                ?? throw new CliException($"The lane on {_http.BaseAddress} sent an empty answer.");
            var servedBy = body["terminalId"]?.GetValue<string>();
            if (servedBy != _terminalId)
            {
                // Two lane configurations pointing at one port: acting on the other lane's data would be wrong.
                throw new CliException($"Port {_http.BaseAddress!.Port} serves lane '{servedBy}', not '{_terminalId}'; check TERMINAL_PORT.");
            }

            return body;
        }
    }

    public void Dispose() => _http.Dispose();
}
