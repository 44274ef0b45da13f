using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using PosBus.Reliability.Tests.Support;
using PosBus.Terminal.Demo;
using PosBus.TestSupport;
using Xunit.Abstractions;
using LocalCloud = PosBus.TestSupport.LocalCloud;

namespace PosBus.Reliability.Tests;

/// <summary>
/// 1,200 generated bad requests against the real function while an honest lane process keeps uploading its sales:
/// each is refused with its 4xx (or, for a batch of invalid messages, every message answered invalid), no row of
/// them is written, the function never answers 5xx, and every sale of the honest lane reaches Postgres exactly once.
/// </summary>
public sealed class When_bad_requests_hit_the_function(ITestOutputHelper output)
{
    const int Requests = 1_200;

    [Fact]
    public async Task None_is_written_and_the_honest_lane_keeps_uploading()
    {
        var cloud = await LocalCloud.EnsureUpAsync();
        await using var store = TestStore.Plan(1, cloud);
        await store.RunAsync(0);
        var committed = new List<Guid>();
        var writer = store.Simulate(0, events: 1_000_000, rate: 10, committed);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(TestStore.Count(committed) >= 10), TimeSpan.FromSeconds(60)), store.Logs(0));
        var generator = new BadRequests(cloud.FunctionUrl, cloud.ServiceKey);
        var outcomes = new ConcurrentDictionary<string, int>();
        var wrong = new ConcurrentBag<string>();
        var ids = new ConcurrentBag<Guid>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var random = new Random(1000 + worker);
            for (var i = worker; i < Requests; i += 8)
            {
                var request = generator.Next(random);
                using var response = await http.SendAsync(request.Message);
                var status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync();
                outcomes.AddOrUpdate($"{request.Kind} {status}", 1, (_, n) => n + 1);
                foreach (var id in request.MessageIds)
                {
                    ids.Add(id);
                }

                if (!request.Expected.Contains(status) || (status == 200 && !EveryResultInvalid(text)))
                {
                    wrong.Add($"{request.Kind}: {status} {text[..Math.Min(text.Length, 200)]}");
                }
            }
        })));

        output.WriteLine(string.Join('\n', outcomes.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}")));
        Assert.Empty(wrong);
        Assert.Equal(Requests, outcomes.Values.Sum());
        await using (var connection = await cloud.OpenAsync())
        await using (var command = new Npgsql.NpgsqlCommand("select count(*) from pos_messages where message_id = any($1)", connection))
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = ids.ToArray() });
            Assert.Equal(0L, await command.ExecuteScalarAsync());
        }

        await writer.StopAsync(TimeSpan.FromSeconds(20));
        var verifier = new CloudVerifier(cloud.DbUri);
        Assert.True(await Eventually.TrueAsync(async () => (await verifier.VerifyAsync(committed, CancellationToken.None)).ExactlyOnce == committed.Count,
            TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1)), $"not every honest sale reached the cloud exactly once:\n{store.Logs(0)}");
    }

    static bool EveryResultInvalid(string body) =>
        JsonNode.Parse(body)?["results"]?.AsArray() is { Count: > 0 } results && results.All(r => r?["status"]?.GetValue<string>() == "invalid");
}
