using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace PosBus.Ledger.Lane;

/// <summary>Rejects ids that would be ambiguous on the wire, in file names or in the cloud.</summary>
public sealed partial class LaneOptionsValidator : IValidateOptions<LaneOptions>
{
    public ValidateOptionsResult Validate(string? name, LaneOptions options)
    {
        var failures = new List<string>();
        if (!IdPattern().IsMatch(options.TerminalId ?? ""))
        {
            failures.Add($"{LaneOptions.SectionName}:{nameof(LaneOptions.TerminalId)} (TERMINAL_ID) must be 1-32 characters of letters, digits, '-' or '_'; got '{options.TerminalId}'.");
        }

        if (!IdPattern().IsMatch(options.StoreId ?? ""))
        {
            failures.Add($"{LaneOptions.SectionName}:{nameof(LaneOptions.StoreId)} (STORE_ID) must be 1-32 characters of letters, digits, '-' or '_'; got '{options.StoreId}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex IdPattern();
}
