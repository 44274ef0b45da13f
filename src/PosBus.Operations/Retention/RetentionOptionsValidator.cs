using Microsoft.Extensions.Options;

namespace PosBus.Operations.Retention;

/// <summary>Reports every bad <see cref="RetentionOptions"/> value at once, by key.</summary>
public sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    const string S = RetentionOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RetentionOptions o)
    {
        var failures = new List<string>();
        if (o.Interval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{S}:{nameof(o.Interval)} must be at least 00:00:01; got {o.Interval}.");
        }

        if (o.CloudAckedAge < TimeSpan.Zero)
        {
            failures.Add($"{S}:{nameof(o.CloudAckedAge)} must not be negative; got {o.CloudAckedAge}.");
        }

        if (o.InboxAge < TimeSpan.Zero)
        {
            failures.Add($"{S}:{nameof(o.InboxAge)} must not be negative; got {o.InboxAge}.");
        }

        if (o.BatchSize is < 1 or > 100_000)
        {
            failures.Add($"{S}:{nameof(o.BatchSize)} must be between 1 and 100000; got {o.BatchSize}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
