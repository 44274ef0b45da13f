using System.Net;
using System.Net.Sockets;

namespace PosBus.CloudSync.Tests.Support;

/// <summary>
/// A fixed 127.0.0.1 port that forwards TCP to <see cref="TargetPort"/>, so a lane keeps one cloud URL while the test
/// kills a real function process and starts another on a new port. With nothing listening at the target, a connection
/// is reset, exactly what a lane sees when the function is down.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource _stop = new();
    readonly Task _accepting;

    public TcpRelay(int targetPort)
    {
        TargetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public int TargetPort { get; set; }

    public string Url => $"http://127.0.0.1:{Port}";

    async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, TargetPort, _stop.Token);
                using var link = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var a = client.GetStream().CopyToAsync(upstream.GetStream(), link.Token);
                var b = upstream.GetStream().CopyToAsync(client.GetStream(), link.Token);
                await Task.WhenAny(a, b);
                await link.CancelAsync();
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                client.Client.LingerState = new LingerOption(true, 0); // reset, like a refused/dead server
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
