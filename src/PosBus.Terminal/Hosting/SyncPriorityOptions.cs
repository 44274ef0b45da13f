namespace PosBus.Terminal.Hosting;

/// <summary>How the lane process (<c>run</c>) shares the terminal's CPU with the tills.</summary>
public sealed class SyncPriorityOptions
{
    public const string SectionName = "Priority";

    /// <summary>Linux nice value of every thread of the <c>run</c> process (0–19; 0 leaves it alone): sync is background work, a till's sale comes first.</summary>
    public int SyncNice { get; set; } = 10;
}
