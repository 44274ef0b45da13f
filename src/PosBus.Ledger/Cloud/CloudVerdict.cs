namespace PosBus.Ledger.Cloud;

/// <summary>What a pass learned about one row, to be written back to the ledger.</summary>
public abstract record CloudVerdict
{
    /// <summary>The cloud holds it (inserted or duplicate): <c>cloud_ack</c>.</summary>
    public sealed record Acked : CloudVerdict;

    /// <summary>The cloud refused it for its content: <c>dead_letter</c> with the reason.</summary>
    public sealed record Refused(string Reason) : CloudVerdict;

    /// <summary>A transient failure: one more attempt recorded, eligible again at <see cref="NextAttemptAt"/>.</summary>
    public sealed record Retry(DateTimeOffset NextAttemptAt, string Error) : CloudVerdict;

    public static readonly CloudVerdict Ack = new Acked();
}
