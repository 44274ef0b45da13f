namespace PosBus.Operations.Alarms;

/// <summary>One backlog alarm as status, the page and metrics show it.</summary>
/// <param name="Name"><c>not_peer_acked</c> or <c>not_in_cloud</c>.</param>
/// <param name="Active">The oldest waiting message is older than the threshold.</param>
public sealed record BacklogAlarm(string Name, bool Active, double ThresholdSeconds, double? AgeSeconds)
{
    public const string NotPeerAcked = "not_peer_acked";
    public const string NotInCloud = "not_in_cloud";

    public static IReadOnlyList<BacklogAlarm> Evaluate(LedgerBacklog backlog, AlarmOptions options, DateTimeOffset now) =>
    [
        Of(NotPeerAcked, options.PendingAgeThreshold, LedgerBacklog.AgeSeconds(now, backlog.OldestPendingAt)),
        Of(NotInCloud, options.NotInCloudAgeThreshold, LedgerBacklog.AgeSeconds(now, backlog.OldestNotCloudAckedAt)),
    ];

    static BacklogAlarm Of(string name, TimeSpan threshold, double? age) =>
        new(name, age > threshold.TotalSeconds, threshold.TotalSeconds, age);
}
