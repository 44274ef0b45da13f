using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using PosBus.PeerSync.Protocol;

namespace PosBus.Reliability.Tests.Support;

/// <summary>One WebSocket to a lane's peer endpoint, driven by hand: reads the challenge, sends anything, reports how the lane closed it.</summary>
internal sealed class HostileConnection : IAsyncDisposable
{
    readonly ClientWebSocket _socket = new();

    HostileConnection()
    {
    }

    public string ChallengeNonce { get; private set; } = "";

    public string ListenerId { get; private set; } = "";

    public static async Task<HostileConnection> OpenAsync(Uri url, CancellationToken cancellationToken)
    {
        var connection = new HostileConnection();
        try
        {
            await connection._socket.ConnectAsync(url, cancellationToken);
            using var challenge = JsonDocument.Parse(await connection.ReceiveAsync(cancellationToken) ?? throw new InvalidOperationException("closed before the challenge"));
            connection.ChallengeNonce = challenge.RootElement.GetProperty("nonce").GetString()!;
            connection.ListenerId = challenge.RootElement.GetProperty("terminalId").GetString()!;
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task SendTextAsync(string text, CancellationToken cancellationToken) => SendBytesAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, cancellationToken);

    public Task SendFrameAsync(PeerFrame frame, CancellationToken cancellationToken) =>
        SendBytesAsync(JsonSerializer.SerializeToUtf8Bytes(frame, PeerJsonContext.Default.PeerFrame), WebSocketMessageType.Text, cancellationToken);

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type, CancellationToken cancellationToken)
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

    /// <summary>The next text frame, or null when the lane closed the link.</summary>
    public async Task<string?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var count = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            count += result.Count;
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(buffer, 0, count);
            }
        }
    }

    /// <summary>Reads until the lane closes the link: its close code, <see cref="Dropped"/> without a close frame, <see cref="StillOpen"/> after the timeout.</summary>
    public async Task<int> ClosedAsync(TimeSpan timeout)
    {
        if (_socket.CloseStatus is { } already)
        {
            return (int)already;
        }

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (await ReceiveAsync(deadline.Token) is not null)
            {
            }

            return (int?)_socket.CloseStatus ?? Dropped;
        }
        catch (OperationCanceledException)
        {
            return StillOpen;
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            return Dropped;
        }
    }

    public const int Dropped = 0;

    public const int StillOpen = -1;

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
