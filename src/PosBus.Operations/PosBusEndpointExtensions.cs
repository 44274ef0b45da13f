using Microsoft.AspNetCore.Builder;
using PosBus.Operations.Endpoints;
using PosBus.PeerSync;

namespace PosBus.Operations;

/// <summary>The endpoints of the stages <c>AddPosBus</c> registered, on the app's own <see cref="WebApplication"/>.</summary>
public static class PosBusEndpointExtensions
{
    /// <summary>
    /// Maps the peer WebSocket endpoint (<c>PeerSync:Path</c>, default <c>/posbus/peer</c>) with peer sync, and with
    /// operations <c>/</c> (status page), <c>/health</c>, <c>/health/ready</c>, <c>/metrics</c>, <c>/status</c>, and with the
    /// cloud stage also <c>/dead-letters</c> and <c>POST /sync-now</c> (loopback only). With peer sync on, Kestrel listens on
    /// <c>PeerSync:BindAddress</c>:<c>PeerSync:Port</c>.
    /// </summary>
    public static WebApplication MapPosBus(this WebApplication app)
    {
        var stages = app.Services.GetRequiredService<PosBusOptions>();
        if (stages.PeerSync)
        {
            app.MapPosBusPeerSync();
        }

        if (stages.Operations)
        {
            app.MapPosBusOperations();
        }

        return app;
    }
}
