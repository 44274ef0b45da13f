using System.Net;
using System.Net.Sockets;

namespace PosBus.Terminal.Demo;

/// <summary>Asks the OS for unused loopback ports, so a demo never collides with a lane already running.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
