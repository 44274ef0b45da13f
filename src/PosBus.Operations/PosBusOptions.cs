namespace PosBus.Operations;

/// <summary>
/// Which PosBus stages <c>AddPosBus</c> registers in this process. Bound from section <c>PosBus</c>, then changed in code
/// through <see cref="PosBusConfigurator.Stages"/> (code wins). A switched-off stage is not registered at all; the cloud
/// stage also stays idle, with one warning, while <c>CloudSync:Enabled</c> is false or <c>CloudSync:SupabaseUrl</c> empty.
/// No validator: every value is a boolean, and the binder names a key it cannot read as one.
/// </summary>
public sealed class PosBusOptions
{
    public const string SectionName = "PosBus";

    /// <summary>Publish inside the app's <c>SaveChangesAsync</c> (the outbox), the inbox, and local delivery to this process's consumers.</summary>
    public bool Capture { get; set; } = true;

    /// <summary>The peer WebSocket listener on <c>PeerSync:Port</c> and a sender per peer (needs <c>PeerSync:StoreSecret</c>).</summary>
    public bool PeerSync { get; set; } = true;

    /// <summary>Scheduled uploads to the Supabase function, dead letters and sync-now.</summary>
    public bool CloudSync { get; set; } = true;

    /// <summary>Retention, backlog alarms, status, metrics, readiness and the status page with their HTTP endpoints.</summary>
    public bool Operations { get; set; } = true;

    /// <summary>The section's values; a value that is not a boolean fails as a configuration error naming its key.</summary>
    public static PosBusOptions From(IConfiguration configuration)
    {
        var options = new PosBusOptions();
        try
        {
            configuration.GetSection(SectionName).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(SectionName, typeof(PosBusOptions), [e.Message]);
        }

        return options;
    }
}
