using Microsoft.Extensions.Options;
using PosBus.Ledger.Sqlite;

namespace PosBus.Operations.Hosting;

/// <summary>Fails start-up with the key's name when the database settings are unusable.</summary>
public sealed class DatabaseOptionsValidator : IValidateOptions<LaneDatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, LaneDatabaseOptions options)
    {
        var failures = new List<string>();
        const string section = LaneDatabaseOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add($"{section}:{nameof(options.DataDirectory)} (POSBUS_DATA_DIR) must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.FileName) || options.FileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            failures.Add($"{section}:{nameof(options.FileName)} must be a plain file name; got '{options.FileName}'.");
        }

        if (!SqlitePragmas.IsValidSynchronous(options.Synchronous ?? ""))
        {
            failures.Add($"{section}:{nameof(options.Synchronous)} must be OFF, NORMAL, FULL or EXTRA; got '{options.Synchronous}'.");
        }

        if (options.BusyTimeoutMs is < 100 or > 600_000)
        {
            failures.Add($"{section}:{nameof(options.BusyTimeoutMs)} must be between 100 and 600000 ms; got {options.BusyTimeoutMs}.");
        }

        if (options.WalCheckpointInterval < TimeSpan.FromMilliseconds(50) || options.WalCheckpointInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{section}:{nameof(options.WalCheckpointInterval)} must be between 00:00:00.050 and 00:10:00; got {options.WalCheckpointInterval}.");
        }

        if (options.WalCheckpointBytes is < 64 * 1024 or > 1024L * 1024 * 1024)
        {
            failures.Add($"{section}:{nameof(options.WalCheckpointBytes)} must be between 65536 and 1073741824; got {options.WalCheckpointBytes}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
