namespace PosBus.CloudSync;

/// <summary>
/// How the lane uploads its ledger to the Supabase Edge Function. Bound from section <c>CloudSync</c>, onto which the
/// host maps the seed's environment variables (see <see cref="CloudSyncConfiguration"/>).
/// </summary>
public sealed class CloudSyncOptions
{
    public const string SectionName = "CloudSync";

    /// <summary>Base URL of the Supabase project, e.g. https://xyz.supabase.co (<c>SUPABASE_URL</c>); empty turns the cloud stage off.</summary>
    public string SupabaseUrl { get; set; } = "";

    /// <summary>Service key sent as <c>Authorization: Bearer</c> and <c>apikey</c> (<c>SUPABASE_SERVICE_KEY</c>); from the environment only.</summary>
    public string ServiceKey { get; set; } = "";

    /// <summary>
    /// Key of this lane's store, issued by <c>infra/supabase/store-key.sh</c> (<c>POSBUS_STORE_KEY</c>); from the environment only.
    /// When set it is sent instead of <see cref="ServiceKey"/>: the cloud then writes and reads this store only.
    /// </summary>
    public string StoreKey { get; set; } = "";

    /// <summary>Name of the Edge Function, served at <c>/functions/v1/{FunctionName}</c>.</summary>
    public string FunctionName { get; set; } = "sync-pos-message";

    /// <summary>False turns the cloud stage off (one warning at start); the ledger keeps every row until it is on again.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between scheduled passes when <see cref="Cron"/> is empty.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Quartz cron expression (e.g. <c>0/30 * * * * ?</c>); wins over <see cref="Interval"/> when set.</summary>
    public string? Cron { get; set; }

    /// <summary>Messages per request to the function; with <see cref="Adaptive"/> on, the starting and smallest batch size.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Requests a pass keeps in flight at once (1 = strictly one after the other); with <see cref="Adaptive"/> on, the starting and lowest number.</summary>
    public int MaxInFlightBatches { get; set; } = 2;

    /// <summary>
    /// Largest request the function accepts, in bytes (its <c>POSBUS_MAX_BODY_BYTES</c>, 5 MiB by default): a message that
    /// alone makes a larger request could never be uploaded, so publishing it fails in <c>SaveChangesAsync</c>.
    /// </summary>
    public int MaxRequestBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>True lets batch size and requests in flight grow while a backlog remains and shrink on failures or slow answers (<see cref="CloudUploadWindow"/>); false keeps <see cref="BatchSize"/> × <see cref="MaxInFlightBatches"/>.</summary>
    public bool Adaptive { get; set; } = true;

    /// <summary>Largest batch size <see cref="Adaptive"/> grows to; the function refuses more than its <c>POSBUS_MAX_BATCH_MESSAGES</c> (1000) with a 413.</summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Most requests in flight <see cref="Adaptive"/> grows to.</summary>
    public int MaxInFlightLimit { get; set; } = 4;

    /// <summary>An answer slower than this halves batch size and requests in flight (with <see cref="Adaptive"/> on), as a transient failure does.</summary>
    public TimeSpan TargetLatency { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries of the upload consumer's MassTransit retry policy after a transient failure.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First backoff step in ms, doubled per attempt, with jitter (<c>SYNC_BACKOFF_BASE_MS</c>).</summary>
    public int BackoffBaseMs { get; set; } = 1000;

    /// <summary>Upper bound of one backoff step in ms.</summary>
    public int BackoffMaxMs { get; set; } = 300_000;

    /// <summary>A pass stops starting new batches after this long; the next pass carries on.</summary>
    public TimeSpan PassTimeBudget { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Timeout of one request to the function; a timeout is a transient failure.</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Failed attempts after which a message that the cloud's database keeps refusing on its own (a 500 naming a data
    /// SQLSTATE, e.g. a constraint) is dead-lettered with the server's reason; outages never count towards a dead letter.
    /// </summary>
    public int PoisonAfterFailures { get; set; } = 3;

    /// <summary>A <c>pending</c> row (no peer holds it yet) is uploaded anyway once it is this old.</summary>
    public TimeSpan PendingUploadAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Whether the lane has peers; null reads <c>PeerSync:Peers</c> / <c>PEER_TERMINALS</c>. Without peers pending rows go at once.</summary>
    public bool? HasPeers { get; set; }

    /// <summary>A copy held for another lane is uploaded by this lane once it is this old and not known to be in the cloud.</summary>
    public TimeSpan FailoverGrace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The key sent to the function: the store key when one is set, else the service key.</summary>
    public string EffectiveKey => string.IsNullOrWhiteSpace(StoreKey) ? ServiceKey : StoreKey;

    /// <summary>The variable that sets <see cref="EffectiveKey"/>, for error messages that tell an operator what to fix.</summary>
    public string EffectiveKeyVariable => string.IsNullOrWhiteSpace(StoreKey) ? CloudSyncConfiguration.ServiceKeyVariable : CloudSyncConfiguration.StoreKeyVariable;

    /// <summary>True when the stage runs: enabled and a URL is configured.</summary>
    public bool IsActive => Enabled && !string.IsNullOrWhiteSpace(SupabaseUrl);

    /// <summary>The function's endpoint.</summary>
    public Uri FunctionUri => new(new Uri(SupabaseUrl.TrimEnd('/') + "/"), $"functions/v1/{FunctionName}");
}
