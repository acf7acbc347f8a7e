using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Workflows.Messaging;

namespace Workflows.Tests.Messaging;

/// <summary>
/// The webhooks against the SMS events Microsoft publishes for ACS (copies in conformance/, with their sources): each
/// is read and used, a STOP written as ACS writes a sender is honoured, and an event the app cannot use is answered 2xx
/// (Event Grid drops or dead-letters what gets a 400) and logged, with nothing stored.
/// </summary>
public sealed class AcsConformanceTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static readonly string Folder = Path.Combine(RepoRoot.Path, "tests", "Workflows.Tests", "Messaging", "conformance");

    public static TheoryData<string> Samples() => [.. Directory.GetFiles(Folder, "*.json").Select(Path.GetFileName).Order()!];

    private static JsonNode Sample(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, file)))!;

    /// <summary>The route ACS's subscription for the event's type calls, and the content type Event Grid sends it with.</summary>
    private static HttpRequestMessage Post(JsonNode delivery)
    {
        var first = First(delivery);
        var cloudEvent = first["specversion"] is not null;
        var type = (first["eventType"] ?? first["type"])!.GetValue<string>();
        var route = type == SmsEvent.Received ? "/api/sms/inbound" : "/api/sms/delivery";
        return new HttpRequestMessage(HttpMethod.Post, route)
        {
            Content = new StringContent(delivery.ToJsonString(), Encoding.UTF8, cloudEvent ? "application/cloudevents+json" : "application/json"),
        };
    }

    private static JsonObject First(JsonNode delivery) => (delivery is JsonArray a ? a[0]! : delivery).AsObject();

    private static JsonObject Data(JsonNode delivery) => First(delivery)["data"]!.AsObject();

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task EveryPublishedSampleIsReadAndUsed(string file)
    {
        var r = await _host.Client.SendAsync(Post(Sample(file)));

        r.StatusCode.Should().Be(HttpStatusCode.OK, await r.Content.ReadAsStringAsync());
        var answer = (await r.Content.ReadFromJsonAsync<JsonObject>())!;
        answer["handled"]!.GetValue<int>().Should().Be(1);
        answer["unusable"]!.GetValue<int>().Should().Be(0);
    }

    [Theory]
    [InlineData("specs_eg_sms_received.json")]
    [InlineData("specs_ce_sms_received.json")]
    [InlineData("docs2022_eg_sms_received.json")]
    public async Task AStopAndAStartFromASenderWrittenWithoutItsPlusAreHonoured(string file)
    {
        var phone = MessagingParts.NewPhone();
        var optOuts = _host.Services.GetRequiredService<SmsOptOuts>();

        (await _host.Client.SendAsync(Post(AsText(file, phone[1..], "STOP", DateTimeOffset.UtcNow.AddMinutes(-2))))).EnsureSuccessStatusCode();
        (await optOuts.IsOptedOutAsync(phone)).Should().BeTrue("ACS writes the sender as {0} and that is {1}", phone[1..], phone);

        (await _host.Client.SendAsync(Post(AsText(file, phone[1..], "START", DateTimeOffset.UtcNow.AddMinutes(-1))))).EnsureSuccessStatusCode();
        (await optOuts.IsOptedOutAsync(phone)).Should().BeFalse();
    }

    [Theory]
    [InlineData("not a number")]
    [InlineData("+44 7700 900123")]
    [InlineData("123456")]
    [InlineData("")]
    public async Task AnEventFromASenderThatIsNotAPhoneNumberIsAnsweredOkLoggedAndChangesNothing(string from)
    {
        var logs = LogCapture.On(_host);
        var delivery = AsText("specs_eg_sms_received.json", from, "STOP", DateTimeOffset.UtcNow);
        var eventId = First(delivery)["id"]!.GetValue<string>();

        var r = await _host.Client.SendAsync(Post(delivery));

        r.StatusCode.Should().Be(HttpStatusCode.OK);
        var answer = (await r.Content.ReadFromJsonAsync<JsonObject>())!;
        (answer["handled"]!.GetValue<int>(), answer["unusable"]!.GetValue<int>()).Should().Be((0, 1));
        logs.Lines.Should().Contain(l => l.Level == LogLevel.Warning && l.Message.Contains(eventId) && l.Message.Contains("could not be used"));
        if (from.Length >= 8) logs.Lines.Should().NotContain(l => l.Message.Contains(from), "a sender is never written to the log");
    }

    [Fact]
    public async Task ADeliveryReportWithoutItsMessageIdIsAnsweredOkAndLogged()
    {
        var logs = LogCapture.On(_host);
        var delivery = Sample("specs_eg_sms_delivery_report_received.json");
        Data(delivery).Remove("MessageId");

        var r = await _host.Client.SendAsync(Post(delivery));

        r.StatusCode.Should().Be(HttpStatusCode.OK);
        (await r.Content.ReadFromJsonAsync<JsonObject>())!["unusable"]!.GetValue<int>().Should().Be(1);
        logs.Lines.Should().Contain(l => l.Level == LogLevel.Warning && l.Message.Contains("could not be used"));
    }

    /// <summary>A published sample as a new text: its own message id, and the sender and words the test needs.</summary>
    private static JsonNode AsText(string file, string from, string message, DateTimeOffset at)
    {
        var delivery = Sample(file);
        var data = Data(delivery);
        data["MessageId"] = $"Incoming_{Guid.NewGuid():N}";
        data["From"] = from;
        data["Message"] = message;
        data["ReceivedTimestamp"] = at.ToString("O");
        First(delivery)["id"] = data["MessageId"]!.GetValue<string>();
        return delivery;
    }
}
