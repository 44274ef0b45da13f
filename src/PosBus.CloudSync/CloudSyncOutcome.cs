namespace PosBus.CloudSync;

/// <summary>How a pass ended, as written to <c>lane_state</c> key <see cref="CloudSyncStateKeys.LastOutcome"/>.</summary>
public static class CloudSyncOutcome
{
    /// <summary>Every eligible row was handled (uploaded, or dead-lettered as invalid).</summary>
    public const string Ok = "ok";

    /// <summary>The time budget ended first; the next pass carries on.</summary>
    public const string Partial = "partial";

    /// <summary>The cloud was unreachable or failing (network, timeout, 429, 5xx); rows back off and stay eligible.</summary>
    public const string TransientFailure = "transient_failure";

    /// <summary>The cloud refused the lane (wrong key, no such function): an operator must act.</summary>
    public const string ConfigurationError = "configuration_error";

    /// <summary>The cloud stage is off (CloudSync:Enabled false or no URL).</summary>
    public const string Disabled = "disabled";
}
