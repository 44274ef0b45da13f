namespace PosBus.Chaos;

/// <summary>What a cloud outage takes away.</summary>
public enum CloudPart
{
    /// <summary>The Edge Function: lanes get connection refused.</summary>
    Function,

    /// <summary>Postgres: the function answers 503, or a request in flight fails mid-transaction.</summary>
    Database,

    /// <summary>Both at once.</summary>
    Everything,
}
