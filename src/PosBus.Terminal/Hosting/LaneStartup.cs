using Microsoft.Extensions.Options;

namespace PosBus.Terminal.Hosting;

/// <summary>Checks every options class before a verb touches the database, so bad configuration writes nothing.</summary>
public static class LaneStartup
{
    public static void ValidateOptions(IServiceProvider services) =>
        services.GetService<IStartupValidator>()?.Validate();
}
