using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using PosBus.PeerSync.Protocol;

namespace PosBus.PeerSync.Tests.Fixtures;

/// <summary>A hand-driven peer for protocol tests: sends whatever a test wants, good or bad, and reports how the lane closed the link.</summary>
public sealed class PeerRawClient : IAsyncDisposable
{
    readonly ClientWebSocket _socket = new();

    PeerRawClient()
    {
    }

    /// <summary>The listener's challenge nonce on this connection.</summary>
    public string ChallengeNonce { get; private set; } = "";

    public string ListenerId { get; private set; } = "";

    public static async Task<PeerRawClient> ConnectAsync(PeerTestLane lane)
    {
        var client = new PeerRawClient();
        await client._socket.ConnectAsync(new Uri(lane.Url), CancellationToken.None);
        using var challenge = JsonDocument.Parse(await client.ReceiveTextAsync());
        Assert.Equal("challenge", challenge.RootElement.GetProperty("type").GetString());
        client.ChallengeNonce = challenge.RootElement.GetProperty("nonce").GetString()!;
        client.ListenerId = challenge.RootElement.GetProperty("terminalId").GetString()!;
        return client;
    }

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendBinaryAsync(byte[] bytes) => _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);

    internal Task SendFrameAsync(PeerFrame frame) =>
        _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame, PeerJsonContext.Default.PeerFrame), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>A hello as an honest dialer would send it, with any field overridden; <paramref name="signNonce"/> replays a proof made for another connection.</summary>
    public Task SendHelloAsync(string terminalId, string storeId = "store-1", int version = PeerFrameTypes.ProtocolVersion, string secret = PeerTestLane.Secret, string? signNonce = null) =>
        SendFrameAsync(Hello(terminalId, storeId, version, secret, signNonce ?? ChallengeNonce));

    internal PeerFrame Hello(string terminalId, string storeId, int version, string secret, string signNonce)
    {
        var nonce = PeerProof.NewNonce();
        return new PeerFrame
        {
            Type = PeerFrameTypes.Hello,
            TerminalId = terminalId,
            StoreId = storeId,
            ProtocolVersion = version,
            Clock = DateTimeOffset.UtcNow,
            Nonce = nonce,
            Proof = PeerProof.ForHello(secret, signNonce, nonce, terminalId, storeId, ListenerId, version),
        };
    }

    public async Task<string> ReceiveTextAsync()
    {
        var buffer = new byte[1 << 20];
        var count = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"closed: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
            }

            count += result.Count;
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(buffer, 0, count);
            }
        }
    }

    /// <summary>Reads until the lane closes the link; returns its close code and reason.</summary>
    public async Task<(int? Code, string? Reason)> ClosedAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.AsMemory(), deadline.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return ((int?)_socket.CloseStatus, _socket.CloseStatusDescription);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
