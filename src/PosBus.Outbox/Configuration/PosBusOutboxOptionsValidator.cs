using Microsoft.Extensions.Options;

namespace PosBus.Outbox.Configuration;

/// <summary>Reports every bad outbox setting at once, naming its configuration key.</summary>
public sealed class PosBusOutboxOptionsValidator : IValidateOptions<PosBusOutboxOptions>
{
    public ValidateOptionsResult Validate(string? name, PosBusOutboxOptions options)
    {
        var failures = new List<string>();
        Positive(failures, nameof(PosBusOutboxOptions.PollInterval), options.PollInterval, TimeSpan.FromMilliseconds(10));
        Positive(failures, nameof(PosBusOutboxOptions.CheckpointInterval), options.CheckpointInterval, TimeSpan.FromMilliseconds(10));
        if (options.DeliveryLinger < TimeSpan.Zero || options.DeliveryLinger > TimeSpan.FromSeconds(1))
        {
            failures.Add($"{Key(nameof(PosBusOutboxOptions.DeliveryLinger))} must be between 00:00:00 and 00:00:01; got {options.DeliveryLinger}.");
        }

        if (options.DeliveryBatchSize is < 1 or > 10_000)
        {
            failures.Add($"{Key(nameof(PosBusOutboxOptions.DeliveryBatchSize))} must be between 1 and 10000; got {options.DeliveryBatchSize}.");
        }

        if (options.ConsumerRetryLimit is < 0 or > 100)
        {
            failures.Add($"{Key(nameof(PosBusOutboxOptions.ConsumerRetryLimit))} must be between 0 and 100; got {options.ConsumerRetryLimit}.");
        }

        Positive(failures, nameof(PosBusOutboxOptions.ConsumerRetryInterval), options.ConsumerRetryInterval, TimeSpan.FromMilliseconds(1));
        if (options.ConsumerRetryMaxInterval < options.ConsumerRetryInterval || options.ConsumerRetryMaxInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{Key(nameof(PosBusOutboxOptions.ConsumerRetryMaxInterval))} must be between {Key(nameof(PosBusOutboxOptions.ConsumerRetryInterval))} " +
                         $"and 01:00:00; got {options.ConsumerRetryMaxInterval}.");
        }

        // The holder renews every third of the lease, and its delivery loop comes round at least once per poll interval.
        if (options.DeliveryLeaseTime < TimeSpan.FromSeconds(3) || options.DeliveryLeaseTime > TimeSpan.FromMinutes(10) ||
            options.DeliveryLeaseTime < 3 * options.PollInterval)
        {
            failures.Add($"{Key(nameof(PosBusOutboxOptions.DeliveryLeaseTime))} must be between 00:00:03 and 00:10:00 and at least three " +
                         $"{Key(nameof(PosBusOutboxOptions.PollInterval))}; got {options.DeliveryLeaseTime}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    static void Positive(List<string> failures, string property, TimeSpan value, TimeSpan minimum)
    {
        if (value < minimum)
        {
            failures.Add($"{Key(property)} must be at least {minimum}; got {value}.");
        }
    }

    static string Key(string property) => $"{PosBusOutboxOptions.SectionName}:{property}";
}
