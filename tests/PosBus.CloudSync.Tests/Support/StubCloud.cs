using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace PosBus.CloudSync.Tests.Support;

/// <summary>
/// An in-process stand-in for the function, for pure-logic tests (status mapping, splitting, backoff): by default it
/// answers every message <c>inserted</c> (or <c>duplicate</c> when seen before); <see cref="Respond"/> overrides that.
/// </summary>
public sealed class StubCloud : HttpMessageHandler
{
    readonly ConcurrentDictionary<Guid, bool> _seen = new();

    public ConcurrentQueue<StubRequest> Requests { get; } = new();

    /// <summary>Given the request and its parsed body, a response, or null for the default behaviour.</summary>
    public Func<StubRequest, HttpResponseMessage?>? Respond { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        var stub = new StubRequest(request, body, JsonDocument.Parse(body).RootElement.Clone());
        Requests.Enqueue(stub);
        return Respond?.Invoke(stub) ?? Default(stub);
    }

    HttpResponseMessage Default(StubRequest request) => Results(request.MessageIds.Select(id => (id, _seen.TryAdd(id, true) ? "inserted" : "duplicate", (string?)null)));

    public static HttpResponseMessage Results(IEnumerable<(Guid Id, string Status, string? Reason)> results) =>
        Json(HttpStatusCode.OK, new { results = results.Select(r => new { messageId = r.Id, status = r.Status, reason = r.Reason }) });

    public static HttpResponseMessage Json(HttpStatusCode status, object body) =>
        new(status) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
}

public sealed record StubRequest(HttpRequestMessage Message, string Body, JsonElement Json)
{
    public IReadOnlyList<Guid> MessageIds => Json.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("messageId").GetGuid()).ToList();
}
