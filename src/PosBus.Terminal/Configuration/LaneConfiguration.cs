using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace PosBus.Terminal.Configuration;

/// <summary>
/// Configuration sources of a lane, lowest precedence first:
/// <c>appsettings.json</c> (embedded defaults) &lt; <c>settings.local.json</c> &lt; <c>.env</c> &lt; environment variables.
/// The last two accept the seed's names (<see cref="SeedVariables"/>); environment variables also accept
/// <c>Section__Key</c>. Local files are looked up in <c>POSBUS_CONFIG_DIR</c>, else the current directory.
/// </summary>
public static class LaneConfiguration
{
    public const string LocalSettingsFile = "settings.local.json";
    public const string DotEnvFileName = ".env";

    public static void AddLaneSources(IConfigurationBuilder builder, IDictionary<string, string?>? overrides = null)
    {
        var configDirectory = ConfigDirectory();
        var localSettings = Path.Combine(configDirectory, LocalSettingsFile);
        var environment = Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .Select(e => new KeyValuePair<string, string?>((string)e.Key, e.Value as string))
            .ToList();

        builder.Sources.Clear();
        builder.SetBasePath(AppContext.BaseDirectory);
        builder.AddJsonFile("appsettings.json", optional: false, reloadOnChange: true);
        builder.AddJsonFile(localSettings, optional: true, reloadOnChange: true);
        builder.AddInMemoryCollection(SeedKeysOf(localSettings));
        builder.AddInMemoryCollection(SeedVariables.Map(DotEnvFile.Read(Path.Combine(configDirectory, DotEnvFileName))));
        builder.AddEnvironmentVariables("POSBUS__");
        builder.AddInMemoryCollection(SeedVariables.Map(environment));
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }
    }

    public static string ConfigDirectory() =>
        Environment.GetEnvironmentVariable("POSBUS_CONFIG_DIR") is { Length: > 0 } dir ? dir : Directory.GetCurrentDirectory();

    /// <summary>The seed's flat camelCase keys in settings.local.json (e.g. <c>"terminalId": "L1"</c>).</summary>
    static Dictionary<string, string?> SeedKeysOf(string path)
    {
        var mapped = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path))
        {
            return mapped;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{path}: the root must be a JSON object.");
        }

        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (SeedVariables.KeyByLocalSetting.TryGetValue(property.Name, out var key) && property.Value.ValueKind != JsonValueKind.Object)
            {
                mapped[key] = property.Value.ToString();
            }
        }

        return mapped;
    }
}
