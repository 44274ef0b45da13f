using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PosBus.PeerSync.Protocol;
using PosBus.TestSupport;

namespace PosBus.Reliability.Tests.Support;

/// <summary>
/// A listener that pretends to be a lane of the store without knowing its secret: it challenges, reads the hello,
/// answers a welcome with a made-up proof, and records every frame and close code the dialing lane sends.
/// </summary>
internal sealed class RogueListener : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly List<string> _frames = [];
    readonly List<int?> _closeCodes = [];

    RogueListener(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public IReadOnlyList<string> Frames
    {
        get
        {
            lock (_frames)
            {
                return [.. _frames];
            }
        }
    }

    public IReadOnlyList<int?> CloseCodes
    {
        get
        {
            lock (_frames)
            {
                return [.. _closeCodes];
            }
        }
    }

    public static async Task<RogueListener> StartAsync(string storeId)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var rogue = new RogueListener(app, port);
        app.UseWebSockets();
        app.Map("/posbus/peer", context => rogue.ServeAsync(context, storeId));
        await app.StartAsync();
        return rogue;
    }

    async Task ServeAsync(HttpContext context, string storeId)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var challenge = PeerFrame.Introduction(PeerFrameTypes.Challenge, "L9", storeId, DateTimeOffset.UtcNow);
        challenge.Nonce = PeerProof.NewNonce();
        await SendAsync(socket, challenge);
        try
        {
            var hello = await ReceiveAsync(socket);
            var welcome = PeerFrame.Introduction(PeerFrameTypes.Welcome, "L9", storeId, DateTimeOffset.UtcNow);
            welcome.HeldThrough = 0;
            welcome.Proof = PeerProof.ForWelcome("a-guess-at-the-secret-0000", PeerProof.NewNonce(), challenge.Nonce, "L9", storeId, "L1", PeerFrameTypes.ProtocolVersion);
            await SendAsync(socket, welcome);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            while (await ReceiveAsync(socket, deadline.Token) is not null)
            {
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }

        lock (_frames)
        {
            _closeCodes.Add((int?)socket.CloseStatus);
        }
    }

    static Task SendAsync(WebSocket socket, PeerFrame frame) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame, PeerJsonContext.Default.PeerFrame), WebSocketMessageType.Text, true, CancellationToken.None);

    async Task<string?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken = default)
    {
        var buffer = new byte[1 << 20];
        var count = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            count += result.Count;
            if (result.EndOfMessage)
            {
                var text = Encoding.UTF8.GetString(buffer, 0, count);
                lock (_frames)
                {
                    _frames.Add(text);
                }

                return text;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
