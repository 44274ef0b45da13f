using Microsoft.Extensions.Logging;
using PosBus.PeerSync.Protocol;
using PosBus.PeerSync.Tests.Fixtures;
using PosBus.TestSupport;

namespace PosBus.PeerSync.Tests;

/// <summary>Each bad input: closed with its code, one log line, nothing written, and the honest peer L2 keeps syncing.</summary>
public sealed class When_a_peer_sends_bad_input(BadInputLanes lanes) : IClassFixture<BadInputLanes>
{
    static readonly Dictionary<string, Func<PeerRawClient, Task>> Cases = new()
    {
        ["malformed JSON"] = c => c.SendTextAsync("""{"type":"hello","terminalId":"""),
        ["binary frame"] = c => c.SendBinaryAsync([0xde, 0xad, 0xbe, 0xef]),
        ["unknown frame type"] = c => c.SendTextAsync("""{"type":"gossip"}"""),
        ["ack before hello"] = c => c.SendTextAsync("""{"type":"ack","batchId":1,"through":5}"""),
        ["batch before hello"] = c => c.SendFrameAsync(Batch(1, PeerOutboxWriter.Row("L9", 1) with { Sequence = 1 })),
        ["oversized frame"] = c => c.SendTextAsync($$"""{"type":"hello","pad":"{{new string('x', 100_000)}}"}"""),
        ["this lane's own id"] = c => SendHelloAsync(c, "L1"),
        ["id of a live peer"] = c => SendHelloAsync(c, "L2"),
        ["no hello in time"] = _ => Task.CompletedTask,
        ["unknown store"] = c => SendHelloAsync(c, "L9", storeId: "store-9"),
        ["unsupported version"] = c => SendHelloAsync(c, "L9", version: 2),
        ["wrong secret"] = c => SendHelloAsync(c, "L9", secret: "not-the-store-secret-at-all"),
        ["replayed hello"] = c => SendHelloAsync(c, "L9", signNonce: PeerProof.NewNonce()),
        ["rows of another origin"] = async c =>
        {
            await SendHelloAsync(c, "L9");
            await c.ReceiveTextAsync();
            await c.SendFrameAsync(Batch(1, PeerOutboxWriter.Row("L9", 1) with { Sequence = 1 }, PeerOutboxWriter.Row("L2", 2) with { Sequence = 2 }));
        },
        ["sequences going back"] = async c =>
        {
            await SendHelloAsync(c, "L9");
            await c.ReceiveTextAsync();
            await c.SendFrameAsync(Batch(1, PeerOutboxWriter.Row("L9", 1) with { Sequence = 5 }, PeerOutboxWriter.Row("L9", 2) with { Sequence = 3 }));
        },
        ["a null row"] = async c =>
        {
            await SendHelloAsync(c, "L9");
            await c.ReceiveTextAsync();
            await c.SendTextAsync("{\"type\":\"batch\",\"batchId\":1,\"rows\":[null]}");
        },
        ["second hello"] = async c =>
        {
            await SendHelloAsync(c, "L9");
            await c.ReceiveTextAsync();
            await SendHelloAsync(c, "L9");
        },
    };

    [Theory]
    [InlineData("malformed JSON", PeerCloseCodes.MalformedFrame)]
    [InlineData("binary frame", PeerCloseCodes.BinaryFrame)]
    [InlineData("unknown frame type", PeerCloseCodes.UnknownFrameType)]
    [InlineData("ack before hello", PeerCloseCodes.OutOfOrder)]
    [InlineData("batch before hello", PeerCloseCodes.HelloRequired)]
    [InlineData("oversized frame", PeerCloseCodes.FrameTooLarge)]
    [InlineData("this lane's own id", PeerCloseCodes.DuplicateTerminal)]
    [InlineData("id of a live peer", PeerCloseCodes.DuplicateTerminal)]
    [InlineData("no hello in time", PeerCloseCodes.HelloTimeout)]
    [InlineData("unknown store", PeerCloseCodes.UnknownStore)]
    [InlineData("unsupported version", PeerCloseCodes.UnsupportedVersion)]
    [InlineData("wrong secret", PeerCloseCodes.BadProof)]
    [InlineData("replayed hello", PeerCloseCodes.BadProof)]
    [InlineData("rows of another origin", PeerCloseCodes.ForeignOrigin)]
    [InlineData("sequences going back", PeerCloseCodes.OutOfOrder)]
    [InlineData("second hello", PeerCloseCodes.OutOfOrder)]
    [InlineData("a null row", PeerCloseCodes.MalformedFrame)]
    public async Task The_link_is_closed_with_its_code_and_nothing_is_written(string input, int expectedCode)
    {
        await lanes.HonestPeerStillSyncsAsync();
        var refusalsBefore = lanes.L1.Logs.Count(LogLevel.Warning, $"closed: {expectedCode} ");
        var heldBefore = await PeerDb.ReplicaCountAsync(lanes.L1.Database);

        await using (var client = await PeerRawClient.ConnectAsync(new Uri(lanes.L1.Url)))
        {
            await Cases[input](client);
            var (code, reason) = await client.ClosedAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(expectedCode, code);
            Assert.False(string.IsNullOrWhiteSpace(reason));
        }

        Assert.Equal(heldBefore, await PeerDb.ReplicaCountAsync(lanes.L1.Database));
        Assert.Equal(0, await PeerDb.ScalarAsync(lanes.L1.Database, "SELECT COUNT(*) FROM replica WHERE origin_terminal <> 'L2'"));
        Assert.Equal(refusalsBefore + 1, lanes.L1.Logs.Count(LogLevel.Warning, $"closed: {expectedCode} "));
        await lanes.HonestPeerStillSyncsAsync();
    }

    /// <summary>A hello as an honest dialer of the fixture's store would send it, with any field overridden; <paramref name="signNonce"/> replays a proof made for another connection.</summary>
    static Task SendHelloAsync(PeerRawClient client, string terminalId, string storeId = "store-1", int version = PeerFrameTypes.ProtocolVersion, string secret = PeerTestLane.Secret, string? signNonce = null) =>
        client.SendFrameAsync(client.Hello(terminalId, storeId, secret, signNonce, version));

    static PeerFrame Batch(long batchId, params PosBus.Ledger.LedgerRow[] rows) =>
        new() { Type = PeerFrameTypes.Batch, BatchId = batchId, Rows = rows.ToList() };
}
