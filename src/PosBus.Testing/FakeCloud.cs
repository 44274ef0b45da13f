using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PosBus.PeerSync.Hosting;

namespace PosBus.Testing;

/// <summary>
/// A stand-in for the Supabase function, for unit tests of an app without Postgres: a real HTTP server on 127.0.0.1 that
/// takes <c>POST /functions/v1/sync-pos-message</c> batches as the function does, checks the key, stores each message once
/// by id (a repeat answers <c>duplicate</c>) and answers per message. <see cref="FailNext"/> makes it answer like an
/// outage, so an app's test can see uploads retried. It checks no message content: the real function's rules are
/// tested against the local cloud (<see cref="LocalCloudClient"/>).
/// </summary>
public sealed class FakeCloud : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly ConcurrentDictionary<Guid, FakeCloudMessage> _messages = new();
    int _failures;
    HttpStatusCode _failureStatus = HttpStatusCode.ServiceUnavailable;

    FakeCloud(WebApplication app, Uri url, string key)
    {
        _app = app;
        Url = url;
        Key = key;
    }

    /// <summary>The base URL lanes use as <c>CloudSync:SupabaseUrl</c>.</summary>
    public Uri Url { get; }

    /// <summary>The key lanes must send (<c>CloudSync:ServiceKey</c> or <c>CloudSync:StoreKey</c>).</summary>
    public string Key { get; }

    /// <summary>Every message stored, by id.</summary>
    public IReadOnlyDictionary<Guid, FakeCloudMessage> Messages => _messages;

    /// <summary>How many upload requests arrived (answered or failed).</summary>
    public int Requests => _requests;

    int _requests;

    /// <summary>Starts the fake cloud on a free loopback port.</summary>
    public static async Task<FakeCloud> StartAsync(string key = "fake-cloud-key", CancellationToken cancellationToken = default)
    {
        var port = UnusedLoopbackPort.Next();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url.ToString());
        var app = builder.Build();
        var cloud = new FakeCloud(app, url, key);
        app.MapPost("/functions/v1/{name}", (Delegate)cloud.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return cloud;
    }

    /// <summary>The next <paramref name="requests"/> uploads fail with <paramref name="status"/> (default 503) and store nothing.</summary>
    public void FailNext(int requests, HttpStatusCode status = HttpStatusCode.ServiceUnavailable)
    {
        _failureStatus = status;
        Interlocked.Exchange(ref _failures, requests);
    }

    /// <summary>Waits until the message with <paramref name="messageId"/> is stored.</summary>
    public async Task<FakeCloudMessage> WaitForMessageAsync(Guid messageId, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        return await StateWait.UntilAsync(() => Task.FromResult(_messages.GetValueOrDefault(messageId)), limit, cancellationToken).ConfigureAwait(false)
            ?? throw new TimeoutException($"The fake cloud did not receive message {messageId} within {limit.TotalSeconds:0.#} s ({_messages.Count} stored, {Requests} requests).");
    }

    async Task<IResult> HandleAsync(HttpContext http)
    {
        Interlocked.Increment(ref _requests);
        if (http.Request.Headers.Authorization.ToString() != $"Bearer {Key}")
        {
            return Results.Json(new { error = "unauthorized" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        if (Interlocked.Decrement(ref _failures) >= 0)
        {
            return Results.Json(new { error = "fake outage" }, statusCode: (int)_failureStatus);
        }

        Interlocked.Exchange(ref _failures, 0);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return Results.Json(new { error = $"body is not JSON: {e.Message}" }, statusCode: StatusCodes.Status400BadRequest);
        }

        using (document)
        {
            return Store(document.RootElement);
        }
    }

    IResult Store(JsonElement batch)
    {
        if (!batch.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return Results.Json(new { error = "no messages array" }, statusCode: StatusCodes.Status400BadRequest);
        }

        var terminal = batch.GetProperty("terminalId").GetString() ?? "";
        var store = batch.GetProperty("storeId").GetString() ?? "";
        var results = new List<object>();
        foreach (var m in messages.EnumerateArray())
        {
            var message = new FakeCloudMessage(
                m.GetProperty("messageId").GetGuid(),
                terminal,
                store,
                m.GetProperty("originTerminalId").GetString() ?? "",
                m.GetProperty("topic").GetString() ?? "",
                m.GetProperty("data").Clone(),
                DateTimeOffset.Parse(m.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture));
            var status = _messages.TryAdd(message.MessageId, message) ? "inserted" : "duplicate";
            results.Add(new { messageId = message.MessageId, status });
        }

        return Results.Json(new { results });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
