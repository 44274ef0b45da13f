using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace PosBus.PeerSync.Hosting;

/// <summary>Makes the lane's Kestrel listen on <c>PeerSync:BindAddress</c>:<c>PeerSync:Port</c>, with TLS when a certificate is configured.</summary>
internal sealed class PeerKestrelSetup(IOptions<PeerSyncOptions> options) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var o = options.Value;
        if (o.BindAddress == "localhost")
        {
            kestrel.ListenLocalhost(o.Port, listen => UseTls(listen, o));
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(o.BindAddress), o.Port, listen => UseTls(listen, o));
        }
    }

    static void UseTls(ListenOptions listen, PeerSyncOptions o)
    {
        if (!string.IsNullOrEmpty(o.TlsCertificatePath))
        {
            listen.UseHttps(X509CertificateLoader.LoadPkcs12FromFile(o.TlsCertificatePath, o.TlsCertificatePassword));
        }
    }
}
