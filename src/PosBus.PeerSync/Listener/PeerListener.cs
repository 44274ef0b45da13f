using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PosBus.Ledger;
using PosBus.Ledger.Lane;
using PosBus.Ledger.Stores;
using PosBus.PeerSync.Hosting;
using PosBus.PeerSync.Protocol;
using PosBus.PeerSync.Status;

namespace PosBus.PeerSync.Listener;

/// <summary>The peer endpoint: accepts a WebSocket and runs one <see cref="PeerInboundSession"/> on it.</summary>
internal sealed class PeerListener(
    IOptions<PeerSyncOptions> options,
    IOptions<LaneOptions> lane,
    ReplicaStore store,
    PeerSyncState state,
    LedgerSignals signals,
    PeerLedgerReady ready,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<PeerInboundSession> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            await context.Response.WriteAsync("PosBus peer endpoint: WebSocket only.").ConfigureAwait(false);
            return;
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        await ready.EnsureAsync(stopping.Token).ConfigureAwait(false);
        using var webSocket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var remote = $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}";
        var socket = new PeerSocket(webSocket, options.Value.MaxFrameBytes);
        var session = new PeerInboundSession(socket, remote, options.Value, lane.Value, store, state, signals, time, logger);
        await session.RunAsync(stopping.Token).ConfigureAwait(false);
    }
}
