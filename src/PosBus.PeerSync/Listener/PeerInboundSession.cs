using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using PosBus.Ledger;
using PosBus.Ledger.Lane;
using PosBus.Ledger.Stores;
using PosBus.PeerSync.Protocol;
using PosBus.PeerSync.Status;

namespace PosBus.PeerSync.Listener;

/// <summary>
/// One inbound connection: challenge, authenticate the hello, answer where to resume, then store each batch in one
/// transaction and ack it after commit. Any protocol breach closes the link with its code and one log line; nothing
/// of the offending frame is written.
/// </summary>
internal sealed class PeerInboundSession(
    PeerSocket socket,
    string remote,
    PeerSyncOptions options,
    LaneOptions lane,
    ReplicaStore store,
    PeerSyncState state,
    LedgerSignals signals,
    TimeProvider time,
    ILogger<PeerInboundSession> logger)
{
    static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);
    string? _origin;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        InboundPeerState? claimed = null;
        try
        {
            var (peer, held) = await HandshakeAsync(cancellationToken).ConfigureAwait(false);
            claimed = peer;
            await ReceiveBatchesAsync(peer, held, cancellationToken).ConfigureAwait(false);
        }
        catch (PeerProtocolException e)
        {
            logger.LogWarning("Peer link from {Remote} (terminal {Terminal}) closed: {CloseCode} {Reason}", remote, _origin ?? "?", e.CloseCode, e.Reason);
            await socket.CloseAsync(e.CloseCode, e.Reason, CloseGrace).ConfigureAwait(false);
        }
        catch (PeerClosedException e)
        {
            logger.LogInformation("Peer {Terminal} at {Remote} closed its link: {CloseCode} {Reason}", _origin ?? "?", remote, e.CloseCode, e.Reason);
            await socket.CloseAsync((int)WebSocketCloseStatus.NormalClosure, "bye", CloseGrace).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            logger.LogInformation("Peer link from {Terminal} at {Remote} ended: {Message}", _origin ?? "?", remote, e.Message);
            socket.WebSocket.Abort();
        }
        finally
        {
            if (claimed is not null)
            {
                state.ReleaseInbound(claimed);
            }
        }
    }

    async Task<(InboundPeerState Peer, long Held)> HandshakeAsync(CancellationToken cancellationToken)
    {
        var nonce = PeerProof.NewNonce();
        var challenge = PeerFrame.Introduction(PeerFrameTypes.Challenge, lane.TerminalId, lane.StoreId, time.GetUtcNow());
        challenge.Nonce = nonce;
        await socket.SendAsync(challenge, cancellationToken).ConfigureAwait(false);

        var hello = await socket.ReceiveAsync(
            TimeSpan.FromMilliseconds(options.HelloTimeoutMs), PeerCloseCodes.HelloTimeout, $"no hello within {options.HelloTimeoutMs} ms", cancellationToken).ConfigureAwait(false);
        PeerHandshake.RequireIdentity(hello, PeerFrameTypes.Hello);
        _origin = hello.TerminalId!;
        PeerHandshake.CheckPeer(hello, lane.StoreId, lane.TerminalId);
        if (hello.Nonce is null || hello.Proof is null)
        {
            throw new PeerProtocolException(PeerCloseCodes.MalformedFrame, "hello needs nonce and proof");
        }

        var expected = PeerProof.ForHello(options.StoreSecret, nonce, hello.Nonce, _origin, lane.StoreId, lane.TerminalId, PeerFrameTypes.ProtocolVersion);
        if (!PeerProof.Matches(expected, hello.Proof))
        {
            throw new PeerProtocolException(PeerCloseCodes.BadProof, "bad proof of the store secret");
        }

        var now = time.GetUtcNow();
        var skew = PeerHandshake.CheckSkew(hello, now, options.MaxClockSkewMs, logger);
        var peer = new InboundPeerState(_origin, remote, now, skew);
        if (!state.TryClaimInbound(peer))
        {
            throw new PeerProtocolException(PeerCloseCodes.DuplicateTerminal, $"terminal '{_origin}' is already connected");
        }

        try
        {
            var held = await store.HeldThroughAsync(_origin, cancellationToken).ConfigureAwait(false);
            var welcome = PeerFrame.Introduction(PeerFrameTypes.Welcome, lane.TerminalId, lane.StoreId, time.GetUtcNow());
            welcome.HeldThrough = held;
            welcome.Proof = PeerProof.ForWelcome(options.StoreSecret, hello.Nonce, nonce, lane.TerminalId, lane.StoreId, _origin, PeerFrameTypes.ProtocolVersion);
            await socket.SendAsync(welcome, cancellationToken).ConfigureAwait(false);

            logger.LogInformation("Peer {Terminal} connected from {Remote}; it resumes after sequence {HeldThrough}", _origin, remote, held);
            return (peer, held);
        }
        catch
        {
            state.ReleaseInbound(peer);
            throw;
        }
    }

    async Task ReceiveBatchesAsync(InboundPeerState peer, long held, CancellationToken cancellationToken)
    {
        var deadLink = TimeSpan.FromMilliseconds(options.DeadLinkTimeoutMs);
        var deadReason = $"nothing received for {options.DeadLinkTimeoutMs} ms";
        var last = held;
        var cloudThrough = 0L;
        CloudSettlement? settlement = null;
        while (true)
        {
            var frame = await socket.ReceiveAsync(deadLink, PeerCloseCodes.DeadLink, deadReason, cancellationToken).ConfigureAwait(false);
            switch (frame.Type)
            {
                case PeerFrameTypes.Ping:
                    await socket.SendAsync(PeerFrame.Pong(time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
                    if (frame.CloudThrough is { } settled)
                    {
                        if (settled < 0)
                        {
                            throw new PeerProtocolException(PeerCloseCodes.MalformedFrame, $"cloudThrough must not be negative; got {settled}");
                        }

                        if (settled > cloudThrough)
                        {
                            await store.MarkCloudSettledAsync(peer.TerminalId, cloudThrough + 1, settled, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                            cloudThrough = settled;
                        }
                    }

                    if (CheckSettlement(frame) is { } incoming && incoming.DiffersFrom(settlement))
                    {
                        await ApplySettlementAsync(peer.TerminalId, settlement, incoming, cancellationToken).ConfigureAwait(false);
                        settlement = incoming;
                    }

                    break;
                case PeerFrameTypes.Batch:
                    var rows = CheckBatch(frame, peer.TerminalId, last);
                    var now = time.GetUtcNow();
                    await store.StoreAsync(rows, now, cancellationToken).ConfigureAwait(false);
                    if (settlement is { } known && known.SettledThrough >= rows[0].Sequence)
                    {
                        // Rows settled (or dead-lettered) before they reached us (a backlog after an outage).
                        var through = Math.Min(known.SettledThrough, rows[^1].Sequence);
                        var dead = known.DeadLetters.Where(d => d.Sequence >= rows[0].Sequence && d.Sequence <= through).ToList();
                        await store.ApplyOriginSettlementAsync(peer.TerminalId, rows[0].Sequence, through, dead, [], now, cancellationToken).ConfigureAwait(false);
                    }
                    else if (cloudThrough >= rows[0].Sequence)
                    {
                        // Rows that reached the cloud before they reached us (a backlog after an outage).
                        await store.MarkCloudSettledAsync(peer.TerminalId, rows[0].Sequence, Math.Min(cloudThrough, rows[^1].Sequence), now, cancellationToken).ConfigureAwait(false);
                    }

                    last = rows[^1].Sequence;
                    peer.LastBatchAt = now;
                    signals.ReplicaStored.Pulse();
                    await socket.SendAsync(PeerFrame.Ack(frame.BatchId!.Value, last), cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new PeerProtocolException(PeerCloseCodes.OutOfOrder, $"unexpected {frame.Type} after hello");
            }
        }
    }

    /// <summary>
    /// The dialer's settlement (<c>settledThrough</c> with its <c>deadLetters</c>) applied to the copies: its dead letters
    /// stay dead letters here, everything else up to the mark is settled, and dead letters it no longer lists (retried and
    /// uploaded, or discarded by its operator) are settled too.
    /// </summary>
    async Task ApplySettlementAsync(string origin, CloudSettlement? known, CloudSettlement incoming, CancellationToken cancellationToken)
    {
        var listed = incoming.DeadLetters.Select(d => d.Sequence).ToHashSet();
        var released = known?.DeadLetters.Select(d => d.Sequence).Where(s => s <= incoming.SettledThrough && !listed.Contains(s)).ToList() ?? [];
        var from = (known?.SettledThrough ?? 0) + 1;
        await store.ApplyOriginSettlementAsync(origin, from, incoming.SettledThrough, incoming.DeadLetters, released, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A ping's settlement, or null when it carries none; checked whole before anything is written.</summary>
    static CloudSettlement? CheckSettlement(PeerFrame frame)
    {
        if (frame.SettledThrough is not { } settled)
        {
            return frame.DeadLetters is null ? null : throw new PeerProtocolException(PeerCloseCodes.MalformedFrame, "deadLetters needs settledThrough");
        }

        if (settled < 0)
        {
            throw new PeerProtocolException(PeerCloseCodes.MalformedFrame, $"settledThrough must not be negative; got {settled}");
        }

        var letters = new List<OriginDeadLetter>();
        var previous = 0L;
        foreach (var letter in frame.DeadLetters ?? [])
        {
            if (letter is null || letter.Sequence <= previous || letter.Sequence > settled)
            {
                throw new PeerProtocolException(PeerCloseCodes.MalformedFrame, $"deadLetters must rise within 1..settledThrough ({settled})");
            }

            previous = letter.Sequence;
            letters.Add(new OriginDeadLetter(letter.Sequence, letter.Reason));
        }

        return new CloudSettlement(frame.CloudThrough ?? 0, settled, letters);
    }

    /// <summary>The whole batch is checked before anything is written: every row from the authenticated origin, sequences rising past what is held.</summary>
    static List<LedgerRow> CheckBatch(PeerFrame frame, string origin, long last)
    {
        if (frame.BatchId is null || frame.Rows is not { Count: > 0 } rows)
        {
            throw new PeerProtocolException(PeerCloseCodes.MalformedFrame, "batch needs batchId and at least one row");
        }

        foreach (var row in rows)
        {
            // JSON null is a valid list element to the deserializer; it used to end here in a NullReferenceException
            // (an unhandled error logged with a stack trace, the link dropped without a close code).
            if (row is null)
            {
                throw new PeerProtocolException(PeerCloseCodes.MalformedFrame, "batch rows must be objects, not null");
            }

            if (!string.Equals(row.OriginTerminal, origin, StringComparison.Ordinal))
            {
                throw new PeerProtocolException(PeerCloseCodes.ForeignOrigin, $"row {row.Sequence} claims origin '{row.OriginTerminal}', link is '{origin}'");
            }

            if (row.Sequence <= last)
            {
                throw new PeerProtocolException(PeerCloseCodes.OutOfOrder, $"row sequence {row.Sequence} does not follow {last}");
            }

            last = row.Sequence;
        }

        return rows;
    }
}
