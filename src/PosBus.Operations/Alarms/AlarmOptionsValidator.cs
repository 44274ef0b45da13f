using Microsoft.Extensions.Options;

namespace PosBus.Operations.Alarms;

/// <summary>Reports every bad <see cref="AlarmOptions"/> value at once, by key.</summary>
public sealed class AlarmOptionsValidator : IValidateOptions<AlarmOptions>
{
    const string S = AlarmOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, AlarmOptions o)
    {
        var failures = new List<string>();
        Positive(failures, nameof(o.PendingAgeThreshold), o.PendingAgeThreshold);
        Positive(failures, nameof(o.NotInCloudAgeThreshold), o.NotInCloudAgeThreshold);
        if (o.CheckInterval < TimeSpan.FromMilliseconds(100) || o.CheckInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{S}:{nameof(o.CheckInterval)} must be between 00:00:00.1 and 01:00:00; got {o.CheckInterval}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{S}:{key} must be greater than zero; got {value}.");
        }
    }
}
