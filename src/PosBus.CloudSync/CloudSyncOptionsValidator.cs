using Microsoft.Extensions.Options;

namespace PosBus.CloudSync;

/// <summary>Reports every bad <see cref="CloudSyncOptions"/> value at once, by key, at start-up.</summary>
/// <param name="serviceKeyInFile">Whether a configuration file sets the key (see <see cref="CloudSyncConfiguration.ServiceKeyInFile"/>).</param>
/// <param name="storeKeyInFile">Whether a configuration file sets the store key (see <see cref="CloudSyncConfiguration.StoreKeyInFile"/>).</param>
public sealed class CloudSyncOptionsValidator(bool serviceKeyInFile = false, bool storeKeyInFile = false) : IValidateOptions<CloudSyncOptions>
{
    const string S = CloudSyncOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, CloudSyncOptions o)
    {
        var failures = new List<string>();
        if (serviceKeyInFile)
        {
            failures.Add($"{S}:{nameof(o.ServiceKey)} is set in a configuration file; the service key must come from the environment ({CloudSyncConfiguration.ServiceKeyVariable}) only.");
        }

        if (storeKeyInFile)
        {
            failures.Add($"{S}:{nameof(o.StoreKey)} is set in a configuration file; the store key must come from the environment ({CloudSyncConfiguration.StoreKeyVariable}) only.");
        }

        if (!string.IsNullOrWhiteSpace(o.StoreKey) && !o.StoreKey.StartsWith(CloudSyncConfiguration.StoreKeyPrefix, StringComparison.Ordinal))
        {
            // The value is a secret: the message names the key and the expected shape, never what was given.
            failures.Add($"{S}:{nameof(o.StoreKey)} ({CloudSyncConfiguration.StoreKeyVariable}) is not a store key: store keys begin with '{CloudSyncConfiguration.StoreKeyPrefix}' (infra/supabase/store-key.sh prints one).");
        }

        if (o.IsActive)
        {
            if (!Uri.TryCreate(o.SupabaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"{S}:{nameof(o.SupabaseUrl)} ({CloudSyncConfiguration.SupabaseUrlVariable}) must be an absolute http(s) URL; got '{o.SupabaseUrl}'.");
            }

            if (string.IsNullOrWhiteSpace(o.EffectiveKey))
            {
                failures.Add($"{S}:{nameof(o.StoreKey)} ({CloudSyncConfiguration.StoreKeyVariable}) or {S}:{nameof(o.ServiceKey)} ({CloudSyncConfiguration.ServiceKeyVariable}) is required when the cloud stage is enabled.");
            }
        }

        if (string.IsNullOrWhiteSpace(o.FunctionName) || o.FunctionName.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            failures.Add($"{S}:{nameof(o.FunctionName)} must be letters, digits, '-' or '_'; got '{o.FunctionName}'.");
        }

        if (string.IsNullOrWhiteSpace(o.Cron))
        {
            Positive(failures, nameof(o.Interval), o.Interval);
        }
        else if (!IsValidCron(o.Cron))
        {
            failures.Add($"{S}:{nameof(o.Cron)} is not a valid Quartz cron expression: '{o.Cron}'.");
        }

        Range(failures, nameof(o.BatchSize), o.BatchSize, 1, 10_000);
        Range(failures, nameof(o.MaxInFlightBatches), o.MaxInFlightBatches, 1, 64);
        Range(failures, nameof(o.MaxBatchSize), o.MaxBatchSize, Math.Max(1, o.BatchSize), 10_000);
        Range(failures, nameof(o.MaxInFlightLimit), o.MaxInFlightLimit, Math.Max(1, o.MaxInFlightBatches), 64);
        Range(failures, nameof(o.MaxRetries), o.MaxRetries, 0, 100);
        Range(failures, nameof(o.MaxRequestBytes), o.MaxRequestBytes, 64 * 1024, int.MaxValue);
        Range(failures, $"{nameof(o.BackoffBaseMs)} ({CloudSyncConfiguration.BackoffBaseMsVariable})", o.BackoffBaseMs, 1, int.MaxValue);
        Range(failures, nameof(o.BackoffMaxMs), o.BackoffMaxMs, Math.Max(1, o.BackoffBaseMs), int.MaxValue);
        Range(failures, nameof(o.PoisonAfterFailures), o.PoisonAfterFailures, 1, 100);
        Positive(failures, nameof(o.PassTimeBudget), o.PassTimeBudget);
        Positive(failures, nameof(o.HttpTimeout), o.HttpTimeout);
        Positive(failures, nameof(o.TargetLatency), o.TargetLatency);
        NotNegative(failures, nameof(o.PendingUploadAfter), o.PendingUploadAfter);
        NotNegative(failures, nameof(o.FailoverGrace), o.FailoverGrace);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    static bool IsValidCron(string cron)
    {
        try
        {
            _ = new Quartz.CronExpression(cron);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return false;
        }
    }

    static void Range(List<string> failures, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{S}:{key} must be between {min} and {max}; got {value}.");
        }
    }

    static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{S}:{key} must be greater than zero; got {value}.");
        }
    }

    static void NotNegative(List<string> failures, string key, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            failures.Add($"{S}:{key} must not be negative; got {value}.");
        }
    }
}
