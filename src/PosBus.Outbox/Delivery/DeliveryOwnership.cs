using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PosBus.Outbox.Configuration;
using PosBus.Ledger;
using PosBus.Ledger.Stores;
using PosBus.Ledger.Sqlite;

namespace PosBus.Outbox.Delivery;

/// <summary>
/// This process's side of the local-delivery lease (<see cref="DeliveryLeaseStore"/>): stands by, saying once who owns
/// delivery, until it can take the lease; then renews it every third of <see cref="PosBusOutboxOptions.DeliveryLeaseTime"/>
/// while it delivers, and gives it up on a clean stop. Two processes on one database (an app and <c>posbus run</c>, or two
/// tills) therefore never run two delivery loops over the same checkpoint.
/// </summary>
sealed class DeliveryOwnership(
    DeliveryLeaseStore ledger, LaneDatabase database, IOptions<PosBusOutboxOptions> options, TimeProvider time, ILogger<DeliveryOwnership> logger)
{
    readonly string _owner = Guid.NewGuid().ToString("N");
    readonly string _process = $"{System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? Process.GetCurrentProcess().ProcessName} pid {Environment.ProcessId} on {Environment.MachineName}";
    readonly TimeSpan _leaseTime = options.Value.DeliveryLeaseTime;
    long _renewedAt;
    string? _reportedOwner;

    /// <summary>This process's id in the lease row; positions are saved under it (<see cref="DeliveryStore.SavePositionsAsync"/>).</summary>
    public string Owner => _owner;

    TimeSpan RenewEvery => _leaseTime / 3;

    /// <summary>Returns once this process holds the lease, logging who does meanwhile.</summary>
    public async Task WaitUntilOwnedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var holder = await TryTakeAsync(cancellationToken).ConfigureAwait(false);
            if (holder?.Owner == _owner)
            {
                logger.LogInformation("This process ({Process}) owns local delivery on {Database}; if it stops renewing, a process standing by takes over within {LeaseSeconds:0} s",
                    _process, database.Options.DatabasePath, _leaseTime.TotalSeconds);
                return;
            }

            if (holder is not null && holder.Owner != _reportedOwner)
            {
                _reportedOwner = holder.Owner;
                logger.LogInformation("Local delivery on {Database} is owned by {Owner} (lease until {ExpiresAt:O}); this process stands by and takes over when that lease expires",
                    database.Options.DatabasePath, holder.Process, holder.ExpiresAt);
            }

            await Task.Delay(RenewEvery, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Renews the lease when a third of it has passed; false when another process has taken it over meanwhile.</summary>
    public async Task<bool> RenewIfDueAsync(CancellationToken cancellationToken)
    {
        if (time.GetElapsedTime(_renewedAt) < RenewEvery)
        {
            return true;
        }

        var holder = await TryTakeAsync(cancellationToken).ConfigureAwait(false);
        if (holder is null || holder.Owner == _owner)
        {
            return true;
        }

        _reportedOwner = holder.Owner;
        logger.LogWarning("Local delivery on {Database} was taken over by {Owner}: this process did not renew its lease within {LeaseSeconds:0} s; it stands by",
            database.Options.DatabasePath, holder.Process, _leaseTime.TotalSeconds);
        return false;
    }

    /// <summary>Gives the lease up (a clean stop), so that a process standing by takes over at its next look.</summary>
    public async Task ReleaseAsync()
    {
        try
        {
            await ledger.ReleaseAsync(_owner, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (SqliteException exception)
        {
            logger.LogWarning(exception, "Could not give up the local delivery lease; another process takes over when it expires");
        }
    }

    /// <summary>The holder after an attempt to take or renew the lease; null when the database was too busy to tell.</summary>
    async Task<DeliveryLeaseHolder?> TryTakeAsync(CancellationToken cancellationToken)
    {
        var attemptAt = time.GetTimestamp();
        try
        {
            var holder = await ledger.TryTakeAsync(new DeliveryLeaseHolder(_owner, _process, time.GetUtcNow() + _leaseTime), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (holder.Owner == _owner)
            {
                _renewedAt = attemptAt;
            }

            return holder;
        }
        catch (SqliteException exception)
        {
            // Busy past busy_timeout: keep the current role and try again at the next look, well before the lease runs out.
            logger.LogWarning("Could not read or renew the local delivery lease: {Reason}", exception.Message);
            return null;
        }
    }
}
