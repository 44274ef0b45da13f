using System.Text.Json.Nodes;
using PosBus.Ledger;
using PosBus.Ledger.Stores;
using PosBus.Operations.Status;
using Prometheus;

namespace PosBus.Operations.Metrics;

/// <summary>
/// The lane's Prometheus registry for <c>/metrics</c>. Gauges are refreshed from the same status object as
/// <c>/status</c> just before each scrape, so the two never disagree; histograms and counters come through
/// <see cref="MeterBridge"/>. Names are documented in docs/ops.md.
/// </summary>
public sealed class LaneMetrics : IDisposable
{
    static readonly string[] States = [LedgerStatus.Pending, LedgerStatus.PeerAck, LedgerStatus.CloudAck, LedgerStatus.DeadLetter];
    readonly Gauge _messages;
    readonly Gauge _backlogAge;
    readonly Gauge _oldestUnsentSale;
    readonly Gauge _peerConnected;
    readonly Gauge _peerLagMessages;
    readonly Gauge _peerLagSeconds;
    readonly Gauge _alarm;
    readonly Gauge _retentionRemoved;
    readonly Gauge _localDeadLetters;
    readonly HashSet<string> _deadLetterConsumers = new(StringComparer.Ordinal);
    readonly Gauge _cloudBatchSize;
    readonly Gauge _cloudInFlight;
    readonly MeterBridge _bridge;

    public LaneMetrics(LaneStatusReporter reporter)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _messages = Labelled(factory, "posbus_messages", "Own messages in the ledger by state", "state");
        _backlogAge = Labelled(factory, "posbus_backlog_age_seconds", "Age of the oldest own message in each waiting state (0 when none)", "state");
        _oldestUnsentSale = factory.CreateGauge("posbus_oldest_unsent_sale_age_seconds", "Age of the oldest sale the cloud does not hold yet (0 when none)");
        _peerConnected = Labelled(factory, "posbus_peer_connected", "1 when the link to the peer is up", "peer");
        _peerLagMessages = Labelled(factory, "posbus_peer_lag_messages", "Own messages the peer has not acknowledged", "peer");
        _peerLagSeconds = Labelled(factory, "posbus_peer_lag_seconds", "Age of the oldest own message the peer has not acknowledged", "peer");
        _alarm = Labelled(factory, "posbus_alarm_active", "1 while a backlog alarm is raised (not_peer_acked, not_in_cloud)", "alarm");
        _retentionRemoved = Labelled(factory, "posbus_retention_last_removed_rows", "Rows the last retention run removed, by table", "table");
        _localDeadLetters = Labelled(factory, "posbus_local_dead_letters", "Messages a lane-local consumer failed on after its retries (local dead letters), by consumer", "consumer");
        _cloudBatchSize = factory.CreateGauge("posbus_cloud_batch_size", "Messages per request to the cloud function in use (adapted while a backlog remains)");
        _cloudInFlight = factory.CreateGauge("posbus_cloud_in_flight", "Requests to the cloud function a pass may keep in flight now");
        _bridge = new MeterBridge(factory);
        Registry.AddBeforeCollectCallback(async cancellationToken => Update((await reporter.ReadAsync(cancellationToken).ConfigureAwait(false)).ToJson()));
    }

    public CollectorRegistry Registry { get; }

    public void Dispose() => _bridge.Dispose();

    void Update(JsonObject status)
    {
        foreach (var state in States)
        {
            _messages.WithLabels(state).Set(Number(status["counts"]?[state]));
        }

        foreach (var (state, age) in status["backlogAgeSeconds"]?.AsObject() ?? [])
        {
            _backlogAge.WithLabels(state).Set(Number(age));
        }

        _oldestUnsentSale.Set(Number(status["oldestUnsentSaleAgeSeconds"]));
        foreach (var peer in status["peers"]?.AsArray() ?? [])
        {
            var name = peer?["id"]?.GetValue<string>() ?? peer?["url"]?.GetValue<string>() ?? "";
            _peerConnected.WithLabels(name).Set(peer?["connected"]?.GetValue<bool>() == true ? 1 : 0);
            _peerLagMessages.WithLabels(name).Set(Number(peer?["lagMessages"]));
            _peerLagSeconds.WithLabels(name).Set(Number(peer?["lagSeconds"]));
        }

        foreach (var alarm in status["alarms"]?.AsArray() ?? [])
        {
            _alarm.WithLabels(alarm?["name"]?.GetValue<string>() ?? "").Set(alarm?["active"]?.GetValue<bool>() == true ? 1 : 0);
        }

        foreach (var table in new[] { "outbox", "replica", "inbox" })
        {
            _retentionRemoved.WithLabels(table).Set(Number(status["retention"]?[table]));
        }

        // A consumer whose dead letters were all replayed reads 0, not its last count.
        var consumers = status["localDeadLetters"]?["consumers"]?.AsObject() ?? [];
        _deadLetterConsumers.UnionWith(consumers.Select(c => c.Key));
        foreach (var consumer in _deadLetterConsumers)
        {
            _localDeadLetters.WithLabels(consumer).Set(Number(consumers[consumer]));
        }

        _cloudBatchSize.Set(Number(status["cloud"]?["batchSize"]));
        _cloudInFlight.Set(Number(status["cloud"]?["inFlight"]));
    }

    static Gauge Labelled(MetricFactory factory, string name, string help, string label) =>
        factory.CreateGauge(name, help, new GaugeConfiguration { LabelNames = [label] });

    // Status values are doubles or longs (counts), and absent or null when nothing waits: that reads 0.
    static double Number(JsonNode? node) => node is not JsonValue value ? 0
        : value.TryGetValue<double>(out var d) ? d
        : value.TryGetValue<long>(out var l) ? l
        : 0;
}
