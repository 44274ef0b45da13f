using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PosBus.EndToEnd.Tests;

/// <summary>The HTTP surface of a running lane process on 127.0.0.1, as ops scripts use it.</summary>
public sealed class LaneHttp(int port) : IDisposable
{
    readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Waits until the lane answers <c>/health</c>; fails with the lane's log when it does not within the time.</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan within, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await _http.GetAsync("health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        Assert.Fail($"the lane on port {_http.BaseAddress!.Port} did not become healthy within {within}: {describe()}");
    }

    public async Task<JsonObject> StatusAsync() => (await _http.GetFromJsonAsync<JsonObject>("status"))!;

    /// <summary>Any path of the lane's surface: the status code, the content type and the body as text.</summary>
    public async Task<(int Status, string? ContentType, string Body)> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path.TrimStart('/'));
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _http.Dispose();
}
