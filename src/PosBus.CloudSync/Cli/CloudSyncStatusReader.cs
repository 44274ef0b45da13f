using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PosBus.Ledger;
using PosBus.Ledger.Stores;

namespace PosBus.CloudSync.Cli;

/// <summary>Reads <see cref="CloudSyncStatus"/> from the facts the running lane wrote to <c>lane_state</c>.</summary>
public sealed class CloudSyncStatusReader(SyncLedger ledger, IOptions<CloudSyncOptions> options)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<CloudSyncStatus> ReadAsync(CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var lastResult = await ledger.ReadStateAsync(CloudSyncStateKeys.LastResult, cancellationToken).ConfigureAwait(false);
        return new CloudSyncStatus
        {
            Enabled = o.IsActive,
            Endpoint = o.IsActive ? o.FunctionUri.ToString() : null,
            LastSyncAt = await TimeAsync(CloudSyncStateKeys.LastSyncAt, cancellationToken).ConfigureAwait(false),
            LastOutcome = await ledger.ReadStateAsync(CloudSyncStateKeys.LastOutcome, cancellationToken).ConfigureAwait(false),
            LastSuccessAt = await TimeAsync(CloudSyncStateKeys.LastSuccessAt, cancellationToken).ConfigureAwait(false),
            NextRunAt = await TimeAsync(CloudSyncStateKeys.NextRunAt, cancellationToken).ConfigureAwait(false),
            LastResult = lastResult is null ? null : JsonSerializer.Deserialize<CloudSyncResult>(lastResult, Json),
            Adaptive = o.Adaptive,
            BatchSize = await NumberAsync(CloudSyncStateKeys.BatchSize, cancellationToken).ConfigureAwait(false) ?? o.BatchSize,
            InFlight = await NumberAsync(CloudSyncStateKeys.InFlight, cancellationToken).ConfigureAwait(false) ?? o.MaxInFlightBatches,
        };
    }

    async Task<int?> NumberAsync(string key, CancellationToken cancellationToken) =>
        int.TryParse(await ledger.ReadStateAsync(key, cancellationToken).ConfigureAwait(false), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    async Task<DateTimeOffset?> TimeAsync(string key, CancellationToken cancellationToken) =>
        LedgerTime.ParseOrNull(await ledger.ReadStateAsync(key, cancellationToken).ConfigureAwait(false));
}
