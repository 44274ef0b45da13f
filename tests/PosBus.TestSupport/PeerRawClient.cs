using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using PosBus.PeerSync.Protocol;

namespace PosBus.TestSupport;

/// <summary>
/// One WebSocket to a lane's peer endpoint, driven by hand for protocol and hostile-peer tests: reads the challenge,
/// sends anything, good or bad, and reports how the lane closed the link.
/// </summary>
/// <remarks>Internal because its frames are PeerSync's internal protocol types; the suites that drive it see it through InternalsVisibleTo.</remarks>
internal sealed class PeerRawClient : IAsyncDisposable
{
    /// <summary><see cref="ClosedAsync"/>'s code when the link broke without a close frame.</summary>
    public const int Dropped = 0;

    /// <summary><see cref="ClosedAsync"/>'s code when the lane had not closed the link by the timeout.</summary>
    public const int StillOpen = -1;

    readonly ClientWebSocket _socket = new();

    PeerRawClient()
    {
    }

    /// <summary>The listener's challenge nonce on this connection (what an honest hello signs).</summary>
    public string ChallengeNonce { get; private set; } = "";

    /// <summary>The listener's terminal id from its challenge (part of what a hello signs).</summary>
    public string ListenerId { get; private set; } = "";

    /// <summary>Connects to <paramref name="url"/> and reads the lane's challenge.</summary>
    public static async Task<PeerRawClient> ConnectAsync(Uri url, CancellationToken cancellationToken = default)
    {
        var client = new PeerRawClient();
        try
        {
            await client._socket.ConnectAsync(url, cancellationToken);
            using var challenge = JsonDocument.Parse(await client.ReceiveAsync(cancellationToken) ?? throw new InvalidOperationException("closed before the challenge"));
            var type = challenge.RootElement.GetProperty("type").GetString();
            if (type != PeerFrameTypes.Challenge)
            {
                throw new InvalidOperationException($"expected a challenge first, got {type}");
            }

            client.ChallengeNonce = challenge.RootElement.GetProperty("nonce").GetString()!;
            client.ListenerId = challenge.RootElement.GetProperty("terminalId").GetString()!;
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public Task SendTextAsync(string text, CancellationToken cancellationToken = default) =>
        SendBytesAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, cancellationToken);

    public Task SendBinaryAsync(byte[] bytes, CancellationToken cancellationToken = default) =>
        SendBytesAsync(bytes, WebSocketMessageType.Binary, cancellationToken);

    public Task SendFrameAsync(PeerFrame frame, CancellationToken cancellationToken = default) =>
        SendBytesAsync(JsonSerializer.SerializeToUtf8Bytes(frame, PeerJsonContext.Default.PeerFrame), WebSocketMessageType.Text, cancellationToken);

    /// <summary>Sends one whole message. A send the lane cuts short is not an error here: tests judge the refusal by <see cref="ClosedAsync"/>.</summary>
    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type, CancellationToken cancellationToken = default)
    {
        try
        {
            await _socket.SendAsync(bytes, type, true, cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            // The lane may close while a large frame is still going out: that is a refusal too.
        }
    }

    /// <summary>
    /// A hello as an honest dialer would build it on this connection, for <paramref name="storeId"/> with
    /// <paramref name="secret"/>; <paramref name="signNonce"/> (default: this connection's challenge) replays a proof
    /// made for another connection.
    /// </summary>
    public PeerFrame Hello(string terminalId, string storeId, string secret, string? signNonce = null, int version = PeerFrameTypes.ProtocolVersion)
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
            Proof = PeerProof.ForHello(secret, signNonce ?? ChallengeNonce, nonce, terminalId, storeId, ListenerId, version),
        };
    }

    /// <summary>The next text frame, or null when the lane closed the link.</summary>
    public async Task<string?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        var message = new ArrayBufferWriter<byte>(64 * 1024);
        while (true)
        {
            var result = await _socket.ReceiveAsync(message.GetMemory(), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.WrittenSpan);
            }
        }
    }

    /// <summary>The next text frame; the lane closing the link instead is an error.</summary>
    public async Task<string> ReceiveTextAsync(CancellationToken cancellationToken = default) =>
        await ReceiveAsync(cancellationToken) ?? throw new InvalidOperationException($"closed: {_socket.CloseStatus} {_socket.CloseStatusDescription}");

    /// <summary>
    /// Reads until the lane closes the link: its close code and reason, or <see cref="Dropped"/> without a close
    /// frame, or <see cref="StillOpen"/> after the timeout (both without a reason).
    /// </summary>
    public async Task<(int Code, string? Reason)> ClosedAsync(TimeSpan timeout)
    {
        if (_socket.CloseStatus is { } already)
        {
            return ((int)already, _socket.CloseStatusDescription);
        }

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (await ReceiveAsync(deadline.Token) is not null)
            {
            }

            return _socket.CloseStatus is { } status ? ((int)status, _socket.CloseStatusDescription) : (Dropped, null);
        }
        catch (OperationCanceledException)
        {
            return (StillOpen, null);
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            return (Dropped, null);
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
