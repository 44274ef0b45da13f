using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PosBus.Outbox.Configuration;

/// <summary>Binds an options class to a configuration section if the host registered an <see cref="IConfiguration"/>; once only.</summary>
static class OptionalConfiguration
{
    sealed class Marker<T>;

    public static void Bind<T>(IServiceCollection services, string sectionName)
        where T : class
    {
        if (services.Any(d => d.ServiceType == typeof(Marker<T>)))
        {
            return;
        }

        services.AddSingleton<Marker<T>>();
        services.AddOptions<T>().Configure<IServiceProvider>((options, provider) =>
            provider.GetService<IConfiguration>()?.GetSection(sectionName).Bind(options));
    }
}
