using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PosBus.PeerSync.Listener;

namespace PosBus.PeerSync;

public static class PeerSyncEndpointExtensions
{
    /// <summary>Serves the peer WebSocket endpoint at <c>PeerSync:Path</c> (default <c>/posbus/peer</c>) on the lane's Kestrel.</summary>
    public static IEndpointConventionBuilder MapPosBusPeerSync(this WebApplication app)
    {
        var path = app.Services.GetRequiredService<IOptions<PeerSyncOptions>>().Value.Path;
        app.UseWebSockets();
        return app.Map(path, context => context.RequestServices.GetRequiredService<PeerListener>().HandleAsync(context));
    }
}
