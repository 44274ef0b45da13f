using Microsoft.Extensions.Options;

namespace PosBus.Terminal.Hosting;

/// <summary>Fails start-up with the key's name when the lane's CPU priority is out of range.</summary>
public sealed class SyncPriorityOptionsValidator : IValidateOptions<SyncPriorityOptions>
{
    public ValidateOptionsResult Validate(string? name, SyncPriorityOptions options) =>
        options.SyncNice is >= 0 and <= 19
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{SyncPriorityOptions.SectionName}:{nameof(SyncPriorityOptions.SyncNice)} must be between 0 (off) and 19; got {options.SyncNice}.");
}
