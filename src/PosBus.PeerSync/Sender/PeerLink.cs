using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using PosBus.PeerSync.Protocol;
using PosBus.PeerSync.Status;

namespace PosBus.PeerSync.Sender;

/// <summary>One peer URL: runs sessions back to back, with exponential backoff and jitter between failures.</summary>
internal sealed class PeerLink(Uri url, PeerLinkState link, PeerSenderContext context)
{
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var attempt = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var session = new PeerOutboundSession(url, link, context);
            try
            {
                await session.RunAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                link.LastError = Describe(e);
                attempt = session.Established ? 0 : attempt + 1;
                var delay = PeerBackoff.Delay(attempt, context.Options.ReconnectBaseMs, context.Options.ReconnectMaxMs, Random.Shared);
                var level = session.Established || attempt == 1 ? LogLevel.Warning : LogLevel.Debug;
                context.Logger.Log(level, "Peer link to {Url} ({PeerId}) down: {Error}; retry {Attempt} in {DelayMs:F0} ms",
                    url, link.PeerId ?? "?", link.LastError, attempt, delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, context.Time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    static string Describe(Exception e) => e switch
    {
        PeerProtocolException p => $"protocol {p.CloseCode} {p.Reason}",
        PeerClosedException c => $"refused or closed by peer: {c.CloseCode} {c.Reason}",
        WebSocketException w => $"websocket: {w.Message}",
        OperationCanceledException => "timed out",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
