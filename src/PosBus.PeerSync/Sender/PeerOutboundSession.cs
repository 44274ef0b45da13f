using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PosBus.Ledger;
using PosBus.Ledger.Stores;
using PosBus.PeerSync.Protocol;
using PosBus.PeerSync.Status;

namespace PosBus.PeerSync.Sender;

/// <summary>
/// One outbound connection: handshake, then stream own rows from where the peer says it holds them, keeping at
/// most <c>MaxUnackedBatches</c> in flight; acks are recorded in the ledger (coalesced) as they come back.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification =
    "The SemaphoreSlim is only waited on asynchronously and released, never asked for its wait handle, so it holds nothing to free; " +
    "the session's loops may still release it briefly after the session returns, which a Dispose would turn into ObjectDisposedException.")]
internal sealed class PeerOutboundSession(Uri url, PeerLinkState link, PeerSenderContext context)
{
    static readonly TimeSpan AckCoalesce = TimeSpan.FromMilliseconds(5);
    readonly ConcurrentQueue<(long BatchId, long Through)> _inflight = new();
    readonly Channel<long> _acks = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
    readonly SemaphoreSlim _window = new(context.Options.MaxUnackedBatches, context.Options.MaxUnackedBatches);

    /// <summary>The handshake succeeded (the supervisor then resets its backoff).</summary>
    public bool Established { get; private set; }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var client = new ClientWebSocket();
        client.Options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => context.Trust.Validate(certificate, errors);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
        {
            connect.CancelAfter(context.Options.HelloTimeoutMs);
            await client.ConnectAsync(url, connect.Token).ConfigureAwait(false);
        }

        var socket = new PeerSocket(client, context.Options.MaxFrameBytes);
        Task? recorder = null;
        try
        {
            var (peerId, held) = await HandshakeAsync(socket, session.Token).ConfigureAwait(false);
            Established = true;
            link.PeerId = peerId;
            link.Connected = true;
            context.Logger.LogInformation("Peer link to {Url} ({PeerId}) up; resuming after sequence {HeldThrough}", url, peerId, held);
            _acks.Writer.TryWrite(held);
            recorder = RecordAcksAsync(peerId);
            var first = await Task.WhenAny(ReceiveAsync(socket, session.Token), SendBatchesAsync(socket, held, session.Token), HeartbeatAsync(socket, session.Token), recorder).ConfigureAwait(false);
            await first.ConfigureAwait(false);
        }
        catch (PeerProtocolException e)
        {
            await socket.CloseAsync(e.CloseCode, e.Reason, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            throw;
        }
        finally
        {
            await session.CancelAsync().ConfigureAwait(false);
            client.Abort();
            link.Connected = false;
            _acks.Writer.TryComplete();
            if (recorder is not null)
            {
                await recorder.ConfigureAwait(false);
            }
        }
    }

    async Task<(string PeerId, long Held)> HandshakeAsync(PeerSocket socket, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromMilliseconds(context.Options.HelloTimeoutMs);
        var challenge = await socket.ReceiveAsync(timeout, PeerCloseCodes.HelloTimeout, "no challenge in time", cancellationToken).ConfigureAwait(false);
        PeerHandshake.RequireIdentity(challenge, PeerFrameTypes.Challenge);
        PeerHandshake.CheckPeer(challenge, context.Lane.StoreId, context.Lane.TerminalId);
        var peerId = challenge.TerminalId!;
        var listenerNonce = challenge.Nonce ?? throw new PeerProtocolException(PeerCloseCodes.MalformedFrame, "challenge needs a nonce");
        var nonce = PeerProof.NewNonce();
        var hello = PeerFrame.Introduction(PeerFrameTypes.Hello, context.Lane.TerminalId, context.Lane.StoreId, context.Time.GetUtcNow());
        hello.Nonce = nonce;
        hello.Proof = PeerProof.ForHello(context.Options.StoreSecret, listenerNonce, nonce, context.Lane.TerminalId, context.Lane.StoreId, peerId, PeerFrameTypes.ProtocolVersion);
        await socket.SendAsync(hello, cancellationToken).ConfigureAwait(false);

        var welcome = await socket.ReceiveAsync(timeout, PeerCloseCodes.HelloTimeout, "no welcome in time", cancellationToken).ConfigureAwait(false);
        PeerHandshake.RequireIdentity(welcome, PeerFrameTypes.Welcome);
        var expected = PeerProof.ForWelcome(context.Options.StoreSecret, nonce, listenerNonce, peerId, context.Lane.StoreId, context.Lane.TerminalId, PeerFrameTypes.ProtocolVersion);
        if (welcome.TerminalId != peerId || !PeerProof.Matches(expected, welcome.Proof))
        {
            throw new PeerProtocolException(PeerCloseCodes.BadProof, "the peer's welcome does not prove the store secret");
        }

        if (welcome.HeldThrough is not { } held || held < 0)
        {
            throw new PeerProtocolException(PeerCloseCodes.MalformedFrame, "welcome needs heldThrough >= 0");
        }

        var last = await context.Ledger.LastSequenceAsync(cancellationToken).ConfigureAwait(false);
        if (held > last)
        {
            // Acking would be a lie: rows this lane writes next would reuse sequences the peer already holds, and be ignored there.
            throw new PeerProtocolException(PeerCloseCodes.OutOfOrder, $"peer holds sequence {held} but this lane's last is {last}: was this lane's database reset?");
        }

        link.ClockSkewMs = PeerHandshake.CheckSkew(welcome, context.Time.GetUtcNow(), context.Options.MaxClockSkewMs, context.Logger);
        return (peerId, held);
    }

    async Task SendBatchesAsync(PeerSocket socket, long held, CancellationToken cancellationToken)
    {
        var next = held;
        var batchId = 0L;
        var caughtUp = true;
        var poll = TimeSpan.FromMilliseconds(context.Options.PollIntervalMs);
        while (true)
        {
            await _window.WaitAsync(cancellationToken).ConfigureAwait(false);
            // Arm the wake-up BEFORE reading, so a commit landing between the read and the wait is not missed.
            var wake = caughtUp ? context.Signals.OutboxCommitted.WaitAsync(poll, cancellationToken) : null;
            var rows = await context.Ledger.ReadAfterAsync(next, context.Options.BatchSize, cancellationToken).ConfigureAwait(false);
            if (rows.Count == 0)
            {
                _window.Release();
                caughtUp = true;
                if (wake is not null)
                {
                    await wake.ConfigureAwait(false);
                }

                continue;
            }

            var (frame, sent) = PeerBatchFrame.Fit(batchId + 1, rows, context.Options.MaxFrameBytes);
            if (frame.Length > context.Options.MaxFrameBytes)
            {
                // It used to be sent anyway, refused with 1009, and sent again after every reconnect: the lane's whole
                // stream stopped behind one row. Publishing refuses such a message now; one from an older version is
                // dead-lettered here and skipped, so the rows after it still reach the peer.
                await SkipUnsendableAsync(rows[0], frame.Length, cancellationToken).ConfigureAwait(false);
                next = rows[0].Sequence;
                _window.Release();
                caughtUp = false;
                continue;
            }

            batchId++;
            caughtUp = sent == rows.Count && rows.Count < context.Options.BatchSize;
            next = rows[sent - 1].Sequence;
            _inflight.Enqueue((batchId, next));
            await socket.SendSerializedAsync(frame, cancellationToken).ConfigureAwait(false);
        }
    }

    async Task SkipUnsendableAsync(LedgerRow row, int bytes, CancellationToken cancellationToken)
    {
        var reason = $"{bytes}-byte peer frame on its own, over PeerSync:MaxFrameBytes ({context.Options.MaxFrameBytes}): no peer can hold a copy";
        var deadLettered = await context.Ledger.DeadLetterUnsendableAsync(row.Sequence, reason, cancellationToken).ConfigureAwait(false);
        context.Logger.LogError("Row {Sequence} ({MessageId}) makes a {Bytes}-byte frame alone, over PeerSync:MaxFrameBytes ({MaxFrameBytes}); skipped on the link to {Url}{Outcome}",
            row.Sequence, row.MessageId, bytes, context.Options.MaxFrameBytes, url, deadLettered ? " and dead-lettered for the operator" : "");
    }

    async Task ReceiveAsync(PeerSocket socket, CancellationToken cancellationToken)
    {
        var deadLink = TimeSpan.FromMilliseconds(context.Options.DeadLinkTimeoutMs);
        var deadReason = $"nothing received for {context.Options.DeadLinkTimeoutMs} ms";
        while (true)
        {
            var frame = await socket.ReceiveAsync(deadLink, PeerCloseCodes.DeadLink, deadReason, cancellationToken).ConfigureAwait(false);
            switch (frame.Type)
            {
                case PeerFrameTypes.Pong:
                    break;
                case PeerFrameTypes.Ack when _inflight.TryPeek(out var head) && frame.BatchId == head.BatchId && frame.Through == head.Through:
                    _inflight.TryDequeue(out _);
                    _window.Release();
                    _acks.Writer.TryWrite(head.Through);
                    break;
                case PeerFrameTypes.Ack:
                    throw new PeerProtocolException(PeerCloseCodes.OutOfOrder, $"ack {frame.BatchId}/{frame.Through} does not match the oldest batch in flight");
                default:
                    throw new PeerProtocolException(PeerCloseCodes.OutOfOrder, $"unexpected {frame.Type} from the listener");
            }
        }
    }

    async Task HeartbeatAsync(PeerSocket socket, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(context.Options.HeartbeatIntervalMs), context.Time);
        var sentCloudThrough = 0L;
        CloudSettlement? sentSettlement = null;
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            // The cloud settlement rides on the heartbeat, only when it changed: it keeps peers from uploading copies this
            // lane already got to the cloud (failover is for a lane that cannot), and keeps its dead letters on them.
            var ping = PeerFrame.Ping(context.Time.GetUtcNow());
            if (await context.CloudWatermark.ReadAsync(cancellationToken).ConfigureAwait(false) is { } settlement)
            {
                if (settlement.CloudThrough > sentCloudThrough)
                {
                    ping.CloudThrough = sentCloudThrough = settlement.CloudThrough;
                }

                if (settlement.DiffersFrom(sentSettlement))
                {
                    ping.SettledThrough = settlement.SettledThrough;
                    ping.DeadLetters = settlement.DeadLetters.Select(d => new PeerDeadLetter { Sequence = d.Sequence, Reason = d.Reason }).ToList();
                    sentSettlement = settlement;
                }
            }

            await socket.SendAsync(ping, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records acks in the ledger: cumulative, so a burst of acks becomes one write. Runs until the session ends, then flushes.</summary>
    async Task RecordAcksAsync(string peerId)
    {
        var recorded = 0L;
        while (await _acks.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var through = recorded;
            while (_acks.Reader.TryRead(out var ack))
            {
                through = Math.Max(through, ack);
            }

            if (through <= recorded)
            {
                continue;
            }

            var now = context.Time.GetUtcNow();
            var moved = await context.Ledger.MarkPeerAckedAsync(peerId, through, now).ConfigureAwait(false);
            recorded = through;
            link.LastAckAt = now;
            if (moved > 0)
            {
                context.Signals.CloudEligible.Pulse();
            }

            // Under load (more batches in flight) let acks pile up briefly: one mark write for several batches.
            // At a steady trickle nothing is in flight after an ack, so the next mark is written at once.
            if (!_inflight.IsEmpty)
            {
                await Task.Delay(AckCoalesce).ConfigureAwait(false);
            }
        }
    }
}
