using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using PosBus.TestSupport;

namespace PosBus.CloudFunction.Tests;

/// <summary>The shared local cloud plus an HTTP client and SQL helpers for the function's tests.</summary>
public sealed class CloudFixture : IAsyncLifetime
{
    public LocalCloud Cloud { get; private set; } = null!;
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync() => Cloud = await LocalCloud.EnsureUpAsync();

    public Task DisposeAsync()
    {
        Http.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>POSTs a raw body with the service key (or <paramref name="key"/>) to the function.</summary>
    public Task<HttpResponseMessage> PostRawAsync(HttpContent content, string? key = null, Uri? url = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url ?? Cloud.FunctionUrl) { Content = content };
        request.Headers.Add("apikey", key ?? Cloud.ServiceKey);
        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostAsync(JsonNode body, string? key = null, Uri? url = null) =>
        PostRawAsync(new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), key, url);

    /// <summary>Posts a batch that must be answered 200; returns the status of each message in request order.</summary>
    public async Task<IReadOnlyList<Result>> SyncAsync(JsonNode body)
    {
        using var response = await PostAsync(body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["results"]!.AsArray()
            .Select(r => new Result(r!["messageId"]?.ToString(), r["status"]!.GetValue<string>(), r["reason"]?.GetValue<string>()))
            .ToList();
    }

    public async Task<T?> ScalarAsync<T>(string sql, params object[] args)
    {
        await using var conn = await Cloud.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        var value = await cmd.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>How many rows of <paramref name="table"/> have one of the message ids.</summary>
    public async Task<long> CountAsync(string table, IEnumerable<Guid> messageIds) =>
        await ScalarAsync<long>($"select count(*) from {table} where message_id = any($1)", messageIds.ToArray());

    public static AuthenticationHeaderValue Bearer(string key) => new("Bearer", key);

    public static string Json(object value) => JsonSerializer.Serialize(value);
}

public sealed record Result(string? MessageId, string Status, string? Reason);
