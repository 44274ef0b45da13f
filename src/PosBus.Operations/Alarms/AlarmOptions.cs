namespace PosBus.Operations.Alarms;

/// <summary>Backlog alarms. Bound from section <c>Alarms</c>; thresholds retune live.</summary>
public sealed class AlarmOptions
{
    public const string SectionName = "Alarms";

    /// <summary>Alarm when the oldest message no peer holds (<c>pending</c>) is older than this.</summary>
    public TimeSpan PendingAgeThreshold { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Alarm when the oldest message the cloud does not hold (<c>pending</c> or <c>peer_ack</c>) is older than this.</summary>
    public TimeSpan NotInCloudAgeThreshold { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the running lane checks the thresholds.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(10);
}
