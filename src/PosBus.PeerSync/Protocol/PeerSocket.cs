using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace PosBus.PeerSync.Protocol;

/// <summary>
/// Frames over one WebSocket: reads whole text messages up to a size limit with a deadline, parses them,
/// serializes sends (one writer at a time), and closes with a protocol code.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification =
    "The SemaphoreSlim is only waited on asynchronously and released, never asked for its wait handle, so it holds nothing to free; " +
    "the session's loops may still release it briefly after the session returns, which a Dispose would turn into ObjectDisposedException.")]
internal sealed class PeerSocket(WebSocket socket, int maxFrameBytes)
{
    readonly SemaphoreSlim _sendLock = new(1, 1);
    byte[] _buffer = new byte[16 * 1024];
    Task<PeerFrame>? _pendingReceive;

    public WebSocket WebSocket => socket;

    /// <summary>The next frame; throws <see cref="PeerProtocolException"/> with <paramref name="timeoutCode"/> when none arrives in time.</summary>
    public async Task<PeerFrame> ReceiveAsync(TimeSpan timeout, int timeoutCode, string timeoutReason, CancellationToken cancellationToken)
    {
        var receive = _pendingReceive = ReceiveFrameAsync(cancellationToken);
        if (!receive.IsCompleted)
        {
            using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var finished = await Task.WhenAny(receive, Task.Delay(timeout, delayCancellation.Token)).ConfigureAwait(false);
            if (finished != receive)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new PeerProtocolException(timeoutCode, timeoutReason);
            }

            await delayCancellation.CancelAsync().ConfigureAwait(false);
        }

        return await receive.ConfigureAwait(false);
    }

    async Task<PeerFrame> ReceiveFrameAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        while (true)
        {
            if (count == _buffer.Length)
            {
                var larger = Math.Min(_buffer.Length * 2, maxFrameBytes + 1);
                if (larger <= _buffer.Length)
                {
                    throw new PeerProtocolException(PeerCloseCodes.FrameTooLarge, $"frame larger than {maxFrameBytes} bytes");
                }

                Array.Resize(ref _buffer, larger);
            }

            var result = await socket.ReceiveAsync(_buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
            switch (result.MessageType)
            {
                case WebSocketMessageType.Close:
                    throw new PeerClosedException((int?)socket.CloseStatus, socket.CloseStatusDescription);
                case WebSocketMessageType.Binary:
                    throw new PeerProtocolException(PeerCloseCodes.BinaryFrame, "binary frames are not accepted; send JSON text");
            }

            count += result.Count;
            if (count > maxFrameBytes)
            {
                throw new PeerProtocolException(PeerCloseCodes.FrameTooLarge, $"frame larger than {maxFrameBytes} bytes");
            }

            if (result.EndOfMessage)
            {
                return Parse(_buffer.AsSpan(0, count));
            }
        }
    }

    static PeerFrame Parse(ReadOnlySpan<byte> json)
    {
        PeerFrame? frame;
        try
        {
            frame = JsonSerializer.Deserialize(json, PeerJsonContext.Default.PeerFrame);
        }
        catch (JsonException e)
        {
            throw new PeerProtocolException(PeerCloseCodes.MalformedFrame, "malformed frame: " + e.Message);
        }

        if (frame is null || string.IsNullOrEmpty(frame.Type))
        {
            throw new PeerProtocolException(PeerCloseCodes.MalformedFrame, "malformed frame: no type");
        }

        if (!PeerFrameTypes.IsKnown(frame.Type))
        {
            throw new PeerProtocolException(PeerCloseCodes.UnknownFrameType, $"unknown frame type '{Shorten(frame.Type, 40)}'");
        }

        return frame;
    }

    public Task SendAsync(PeerFrame frame, CancellationToken cancellationToken) =>
        SendSerializedAsync(JsonSerializer.SerializeToUtf8Bytes(frame, PeerJsonContext.Default.PeerFrame), cancellationToken);

    /// <summary>Sends a frame already serialized (the sender measures a batch before it goes out).</summary>
    public async Task SendSerializedAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Sends a close frame with the code and reason, then reads (and discards) until the other side answers
    /// or <paramref name="grace"/> passes, so the close frame is not lost to a TCP reset. Never throws.
    /// </summary>
    public async Task CloseAsync(int code, string reason, TimeSpan grace)
    {
        using var deadline = new CancellationTokenSource(grace);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _sendLock.WaitAsync(deadline.Token).ConfigureAwait(false);
                try
                {
                    await socket.CloseOutputAsync((WebSocketCloseStatus)code, Shorten(reason, 120), deadline.Token).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }
            }

            await DrainAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // Best effort: the link is being dropped anyway.
        }
        finally
        {
            socket.Abort();
        }
    }

    async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (_pendingReceive is { IsCompleted: false } pending)
        {
            await Task.WhenAny(pending, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        var scratch = new byte[16 * 1024];
        while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
        {
            var result = await socket.ReceiveAsync(scratch.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
        }
    }

    static string Shorten(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var cut = text[..Math.Min(text.Length, maxBytes / 3)];
        return cut + "...";
    }
}
