using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
namespace PosBus.TestSupport;

/// <summary>
/// A TCP relay on a free 127.0.0.1 port in front of a lane, that a test can cut (reset every connection) or
/// freeze (keep sockets open but forward nothing: a dead link), or block (refuse new connections: a pulled cable).
/// </summary>
public sealed class PeerTcpProxy : IAsyncDisposable
{
    readonly TcpListener _listener;
    readonly int _targetPort;
    readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    readonly CancellationTokenSource _stop = new();
    volatile bool _frozen;
    volatile bool _blocked;
    int _accepted;

    public PeerTcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        Port = FreePort.Next();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    public string Url => $"ws://127.0.0.1:{Port}/posbus/peer";

    /// <summary>Resets every relayed connection now (both sides see a dropped link mid-stream).</summary>
    public void CutAll()
    {
        foreach (var socket in _sockets.Keys)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
            catch (ObjectDisposedException)
            {
            }

            _sockets.TryRemove(socket, out _);
        }
    }

    /// <summary>Stops forwarding bytes without closing anything (a silently dead link), until <see cref="Thaw"/>.</summary>
    public void Freeze() => _frozen = true;

    public void Thaw() => _frozen = false;

    /// <summary>Resets every relayed connection and every new one until <see cref="Unblock"/>: the peer is unreachable.</summary>
    public void Block()
    {
        _blocked = true;
        CutAll();
    }

    public void Unblock() => _blocked = false;

    async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            if (_blocked)
            {
                client.LingerState = new LingerOption(true, 0);
                client.Close();
                continue;
            }

            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _targetPort);
            }
            catch (SocketException)
            {
                client.Close();
                server.Dispose();
                continue;
            }

            _sockets[client] = 0;
            _sockets[server] = 0;
            _ = PumpAsync(client, server);
            _ = PumpAsync(server, client);
        }
    }

    async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                while (_frozen)
                {
                    await Task.Delay(10, _stop.Token);
                }

                await to.SendAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }

        foreach (var socket in new[] { from, to })
        {
            if (_sockets.TryRemove(socket, out _))
            {
                socket.Close();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CutAll();
        _stop.Dispose();
    }
}
