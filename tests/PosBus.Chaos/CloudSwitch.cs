using PosBus.TestSupport;

namespace PosBus.Chaos;

/// <summary>The local cloud's outage switches (infra/local-cloud down.sh/up.sh --only), and the final "all up".</summary>
public sealed class CloudSwitch(LocalCloud cloud)
{
    public async Task StopAsync(CloudPart part)
    {
        if (part is CloudPart.Function or CloudPart.Everything)
        {
            await cloud.StopFunctionAsync();
        }

        if (part is CloudPart.Database or CloudPart.Everything)
        {
            await cloud.StopDatabaseAsync();
        }
    }

    public async Task StartAsync(CloudPart part)
    {
        if (part is CloudPart.Database or CloudPart.Everything)
        {
            await cloud.StartDatabaseAsync();
        }

        if (part is CloudPart.Function or CloudPart.Everything)
        {
            await cloud.StartFunctionAsync();
        }
    }

    /// <summary>Whatever state a crash of this runner left it in: up.sh is idempotent and starts only what is down.</summary>
    public Task EnsureAllUpAsync() => cloud.RunScriptAsync("up.sh");
}
