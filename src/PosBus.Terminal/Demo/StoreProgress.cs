using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PosBus.Ledger;

namespace PosBus.Terminal.Demo;

/// <summary>Polls every lane's <c>/status</c> and renders one line of the store's progress through the three states.</summary>
public sealed class StoreProgress(IReadOnlyList<(string TerminalId, int Port)> lanes) : IDisposable
{
    readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(3) };

    public sealed record LaneCounts(string TerminalId, long Pending, long PeerAck, long CloudAck, long DeadLetter, bool Reachable);

    public async Task<IReadOnlyList<LaneCounts>> ReadAsync(CancellationToken cancellationToken)
    {
        var results = new List<LaneCounts>();
        foreach (var (terminalId, port) in lanes)
        {
            try
            {
                var status = await _http.GetFromJsonAsync<JsonObject>($"http://127.0.0.1:{port}/status", cancellationToken);
                var counts = status?["counts"]?.AsObject();
                results.Add(new LaneCounts(terminalId,
                    Count(counts, LedgerStatus.Pending), Count(counts, LedgerStatus.PeerAck), Count(counts, LedgerStatus.CloudAck), Count(counts, LedgerStatus.DeadLetter), true));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                results.Add(new LaneCounts(terminalId, 0, 0, 0, 0, false));
            }
        }

        return results;
    }

    public static string Render(IReadOnlyList<LaneCounts> counts, int committedSales)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"sales committed {committedSales,6} |");
        foreach (var lane in counts)
        {
            line.Append(lane.Reachable
                ? string.Create(CultureInfo.InvariantCulture, $" {lane.TerminalId}: pending {lane.Pending,5} peer_ack {lane.PeerAck,5} cloud_ack {lane.CloudAck,6}{(lane.DeadLetter > 0 ? $" dead {lane.DeadLetter}" : "")} |")
                : $" {lane.TerminalId}: (not answering) |");
        }

        return line.ToString();
    }

    static long Count(JsonObject? counts, string key) => counts?[key]?.GetValue<long>() ?? 0;

    public void Dispose() => _http.Dispose();
}
