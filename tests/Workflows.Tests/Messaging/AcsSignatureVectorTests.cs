using System.Text;
using Workflows.Messaging;

namespace Workflows.Tests.Messaging;

/// <summary>
/// Pins the request signing to a known vector: once checked byte for byte beside the ACS SDK's HMAC policy, and
/// recomputed independently (Python's hmac, from the documented string to sign), so a change to the string to sign,
/// the date format or the body hash fails here, not in a trust's first night on Azure.
/// </summary>
public sealed class AcsSignatureVectorTests
{
    private const string Key = "YW4gYWNjZXNzIGtleSBmb3IgYSBwaW5uZWQgdmVjdG9yLCBub3QgYSByZWFsIG9uZQ==";
    private const string Body = """{"from":"+447700900000","smsRecipients":[{"to":"+447700900123","repeatabilityRequestId":"0b9a6d6e-0f7c-5a4b-8d1e-3c2b1a0f9e8d","repeatabilityFirstSent":"Mon, 07 Dec 2026 01:00:00 GMT"}],"message":"Test","smsSendOptions":{"enableDeliveryReport":true,"tag":"t"}}""";

    [Fact]
    public async Task ASendIsSignedAsTheKnownVectorSays()
    {
        var seen = new Seen();
        var connection = AcsConnection.Parse($"endpoint=https://contoso.communication.azure.com/;accesskey={Key}");
        using var signing = new AcsRequestSigning(connection, new At(new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero))) { InnerHandler = seen };
        using var client = new HttpClient(signing);

        await client.PostAsync("https://contoso.communication.azure.com/sms?api-version=2021-03-07",
            new StringContent(Body, Encoding.UTF8, "application/json"));

        var r = seen.Request!;
        r.Headers.GetValues("x-ms-date").Should().Equal("Mon, 07 Dec 2026 01:00:00 GMT");
        r.Headers.GetValues("x-ms-content-sha256").Should().Equal("ZO6fFqDh23yofb+uhqhqbxKqI7rrsMdnwj6VER3jFro=");
        r.Headers.Authorization!.ToString().Should().Be(
            "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=x9jcKZB4QhwhGxeyCwnq+m4lcVdx/J8Gz0jETNOuUZ0=");
        seen.Body.Should().Be(Body, "the body signed is the body sent");
    }

    private sealed class At(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class Seen : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }
        public string? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            (Request, Body) = (request, await request.Content!.ReadAsStringAsync(ct));
            return new HttpResponseMessage(System.Net.HttpStatusCode.Accepted);
        }
    }
}
