using Microsoft.Extensions.Configuration;

namespace PosBus.CloudSync.Tests;

/// <summary><c>CloudSync:StoreKey</c> (<c>POSBUS_STORE_KEY</c>): a secret like the service key, and enough on its own.</summary>
public class When_a_store_key_is_configured
{
    const string Key = "pbsk_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void It_alone_satisfies_the_cloud_stage_and_is_what_is_sent()
    {
        var options = new CloudSyncOptions { SupabaseUrl = "http://cloud", StoreKey = Key, ServiceKey = "sb_secret_x" };

        Assert.True(new CloudSyncOptionsValidator().Validate(null, new CloudSyncOptions { SupabaseUrl = "http://cloud", StoreKey = Key }).Succeeded);
        Assert.Equal((Key, "POSBUS_STORE_KEY"), (options.EffectiveKey, options.EffectiveKeyVariable));
        Assert.Equal(("sb_secret_x", "SUPABASE_SERVICE_KEY"), (new CloudSyncOptions { ServiceKey = "sb_secret_x" }.EffectiveKey, new CloudSyncOptions().EffectiveKeyVariable));
    }

    [Fact]
    public void Neither_key_names_both_variables()
    {
        var result = new CloudSyncOptionsValidator().Validate(null, new CloudSyncOptions { SupabaseUrl = "http://cloud" });

        Assert.Contains("CloudSync:StoreKey (POSBUS_STORE_KEY) or CloudSync:ServiceKey (SUPABASE_SERVICE_KEY) is required", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_that_is_not_a_store_key_is_refused_without_echoing_it()
    {
        var result = new CloudSyncOptionsValidator().Validate(null, new CloudSyncOptions { SupabaseUrl = "http://cloud", StoreKey = "sb_secret_pasted_here" });

        Assert.Contains("CloudSync:StoreKey (POSBUS_STORE_KEY) is not a store key", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("sb_secret_pasted_here", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void It_is_refused_in_a_configuration_file()
    {
        var file = Path.Combine(Path.GetTempPath(), $"posbus-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, $$"""{ "CloudSync": { "StoreKey": "{{Key}}" } }""");
        try
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(file).Build();
            Assert.False(CloudSyncConfiguration.ServiceKeyInFile(configuration));
            Assert.True(CloudSyncConfiguration.StoreKeyInFile(configuration));
            var result = new CloudSyncOptionsValidator(storeKeyInFile: true).Validate(null, new CloudSyncOptions());
            Assert.Contains("the store key must come from the environment (POSBUS_STORE_KEY) only", result.FailureMessage, StringComparison.Ordinal);
            Assert.DoesNotContain(Key, result.FailureMessage, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
