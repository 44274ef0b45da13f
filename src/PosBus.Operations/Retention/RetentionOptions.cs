namespace PosBus.Operations.Retention;

/// <summary>What the retention job removes and when. Bound from section <c>Retention</c>; ages retune live.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>False keeps every row forever (the database then grows without bound).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between retention runs (read at start).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>An own <c>cloud_ack</c> row, or a copy the cloud is known to hold, is deleted once acked this long ago.</summary>
    public TimeSpan CloudAckedAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>An inbox entry (consumer dedup) is deleted once this old.</summary>
    public TimeSpan InboxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Rows per delete transaction, so that retention never holds SQLite's write lock for long.</summary>
    public int BatchSize { get; set; } = 100;
}
