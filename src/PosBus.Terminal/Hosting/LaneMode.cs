namespace PosBus.Terminal.Hosting;

/// <summary>What a lane process is started for; decides which background parts it runs.</summary>
public enum LaneMode
{
    /// <summary>The lane itself: HTTP/WebSocket listener, local delivery, peer senders, cloud schedule.</summary>
    Run,

    /// <summary>A writer beside a running lane (e.g. <c>simulate</c>): only the POS domain and the outbox's write path.</summary>
    Writer,

    /// <summary>Reads or edits the ledger only (status, dead letters): no bus, no listener.</summary>
    Tool,
}
