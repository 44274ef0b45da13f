using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using static PosBus.CloudFunction.Tests.Messages;

namespace PosBus.CloudFunction.Tests;

/// <summary>Whole-request rejections: nothing of the body may be written.</summary>
[Collection(CloudCollection.Name)]
public sealed class When_the_request_is_rejected(CloudFixture f)
{
    [Fact]
    public async Task Malformed_json_is_400_and_nothing_is_written()
    {
        var sale = Sale("L1");
        var broken = Batch("L1", sale).ToJsonString()[..^3]; // cut off: not JSON any more

        using var response = await f.PostRawAsync(new StringContent(broken, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]);
        Assert.Equal(0, await f.CountAsync("pos_messages", [Id(sale)]));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"messages\": []}")]
    [InlineData("{\"terminalId\": \"L1\", \"messages\": {}}")]
    [InlineData("{\"terminalId\": 7, \"messages\": []}")]
    public async Task A_body_of_the_wrong_shape_is_400(string body)
    {
        using var response = await f.PostRawAsync(new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("sb_secret_wrong")]
    [InlineData("")]
    public async Task A_wrong_or_missing_key_is_401_and_nothing_is_written(string key)
    {
        var sale = Sale("L1");
        using var request = new HttpRequestMessage(HttpMethod.Post, f.Cloud.FunctionUrl)
        {
            Content = new StringContent(Batch("L1", sale).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (key.Length > 0) request.Headers.Add("apikey", key);

        using var response = await f.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await f.CountAsync("pos_messages", [Id(sale)]));
    }

    [Fact]
    public async Task A_prefix_of_the_key_is_401()
    {
        using var response = await f.PostAsync(Batch("L1"), key: f.Cloud.ServiceKey[..^1]);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_get_is_405()
    {
        using var response = await f.Http.GetAsync(f.Cloud.FunctionUrl);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task More_messages_than_the_limit_is_413()
    {
        var messages = Enumerable.Range(0, 1001).Select(_ => Inventory("L1", "SKU-X", -1)).ToArray();

        using var response = await f.PostAsync(Batch("L1", messages));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await f.CountAsync("pos_messages", messages.Select(Id)));
    }

    [Fact]
    public async Task A_body_over_the_byte_limit_is_413()
    {
        var padding = new string('x', 5 * 1024 * 1024);
        var body = $"{{\"terminalId\":\"L1\",\"messages\":[],\"pad\":\"{padding}\"}}";

        using var response = await f.PostRawAsync(new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_chunked_body_over_the_byte_limit_is_413()
    {
        // No Content-Length: the function must count the bytes it actually reads.
        var bytes = Encoding.UTF8.GetBytes($"{{\"terminalId\":\"L1\",\"messages\":[],\"pad\":\"{new string('x', 6 * 1024 * 1024)}\"}}");
        var content = new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new("application/json");

        using var response = await f.PostRawAsync(content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    /// <summary>A stream that cannot tell its length, so HttpClient sends it chunked.</summary>
    sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
