using System.Text.Json;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Workflows.CrisisCare;
using Workflows.Messaging;

namespace Workflows.Tests.Messaging;

/// <summary>The Event Grid webhooks on the local host: the handshake, the app key, and STOP/START end to end.</summary>
public sealed class SmsWebhookTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static StringContent EventGrid(string type, object data, string? id = null) =>
        new(new JsonArray(new JsonObject
        {
            ["id"] = id ?? Guid.NewGuid().ToString(),
            ["eventType"] = type,
            ["subject"] = "/phonenumber/447700900000",
            ["eventTime"] = DateTimeOffset.UtcNow.ToString("O"),
            ["dataVersion"] = "1.0",
            ["data"] = JsonSerializer.SerializeToNode(data),
        }).ToJsonString(), Encoding.UTF8, "application/json");

    private static object Received(string from, string message, DateTimeOffset? at = null) => new
    {
        MessageId = $"Incoming_{Guid.NewGuid():N}", From = from, To = "+447700900000", Message = message,
        ReceivedTimestamp = (at ?? DateTimeOffset.UtcNow).ToString("O"),
    };

    [Fact]
    public async Task EventGridSubscriptionValidationIsAnswered()
    {
        var r = await _host.Client.PostAsync("/api/sms/inbound",
            EventGrid(SmsEvent.SubscriptionValidation, new { validationCode = "512d38b6-c7b8-40c8-89fe-f46f9e9622b6", validationUrl = "https://x" }));

        r.StatusCode.Should().Be(HttpStatusCode.OK);
        (await r.Content.ReadFromJsonAsync<JsonObject>())!["validationResponse"]!.GetValue<string>()
            .Should().Be("512d38b6-c7b8-40c8-89fe-f46f9e9622b6");
    }

    [Fact]
    public async Task CloudEventsWebhookHandshakeIsAnswered()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/sms/delivery");
        request.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");

        var r = await _host.Client.SendAsync(request);

        r.StatusCode.Should().Be(HttpStatusCode.OK);
        r.Headers.GetValues("WebHook-Allowed-Origin").Should().Equal("eventgrid.azure.net");
    }

    [Fact]
    public async Task InboundWithoutTheAppKeyIsRefusedAndNothingHappens()
    {
        using var anonymous = _host.NewClient();
        var phone = MessagingParts.NewPhone();

        var r = await anonymous.PostAsync("/api/sms/inbound", EventGrid(SmsEvent.Received, Received(phone, "STOP")));

        r.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await _host.Services.GetRequiredService<SmsOptOuts>().IsOptedOutAsync(phone)).Should().BeFalse();
    }

    /// <summary>
    /// The local host takes the app key in its header only: a key in the URL is written to request logs, browser
    /// history and proxies. (In Azure the Functions host takes Event Grid's ?code= itself; host.json keeps its request
    /// log at Warning.) Nothing the host logs may carry it either.
    /// </summary>
    [Fact]
    public async Task AppKeyInTheQueryStringIsRefusedAndNeverLogged()
    {
        var logs = LogCapture.On(_host);
        using var webhook = _host.NewClient();
        var phone = MessagingParts.NewPhone();

        var r = await webhook.PostAsync($"/api/sms/inbound?code={TestHost.FunctionsKey}", EventGrid(SmsEvent.Received, Received(phone, "STOP")));

        r.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await _host.Services.GetRequiredService<SmsOptOuts>().IsOptedOutAsync(phone)).Should().BeFalse();
        // Also when the header carries it and the route answers: the request log writes every URL.
        (await _host.Client.GetAsync($"/api/dev/sms/outbox?code={TestHost.FunctionsKey}")).StatusCode.Should().Be(HttpStatusCode.OK);
        logs.Lines.Should().NotContain(l => l.Message.Contains(TestHost.FunctionsKey));
    }

    [Fact]
    public async Task NotAnEventGridDeliveryIsABadRequestWithAProblem()
    {
        var r = await _host.Client.PostAsync("/api/sms/inbound", new StringContent("[{\"hello\":1}]", Encoding.UTF8, "application/json"));

        r.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        r.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task StopByTextStopsEveryLaterTextUntilStart()
    {
        var phone = MessagingParts.NewPhone();
        var sms = _host.Services.GetRequiredService<ISmsSender>();
        var outbox = _host.Services.GetRequiredService<LocalSmsSink>();

        (await _host.Client.PostAsync("/api/sms/inbound", EventGrid(SmsEvent.Received, Received(phone, "  stop ")))).EnsureSuccessStatusCode();
        var whileStopped = await sms.SendAsync(new SmsMessage($"test-{Guid.NewGuid():N}", phone, SmsTemplates.FamilyTriaged("Claire"), "case-x", SmsAudience.Family));
        (await _host.Client.PostAsync("/api/sms/inbound", EventGrid(SmsEvent.Received, Received(phone, "Start")))).EnsureSuccessStatusCode();
        var afterStart = await sms.SendAsync(new SmsMessage($"test-{Guid.NewGuid():N}", phone, SmsTemplates.FamilyTriaged("Claire"), "case-x", SmsAudience.Family));

        whileStopped.Sent.Should().BeFalse();
        afterStart.Sent.Should().BeTrue();
        (await outbox.OutboxAsync(to: phone)).Select(m => m.Message).Should().BeEquivalentTo(
            [SmsTemplates.OptedOut(), SmsTemplates.OptedIn(), SmsTemplates.FamilyTriaged("Claire")]);
    }

    [Fact]
    public async Task DeliveryReceiptIsRecordedAgainstTheMessageWhateverTheFieldCase()
    {
        var message = new SmsMessage($"test-{Guid.NewGuid():N}", MessagingParts.NewPhone(), SmsTemplates.FamilyTriaged("Claire"), "case-x", SmsAudience.Family);
        var sent = await _host.Services.GetRequiredService<ISmsSender>().SendAsync(message);

        var r = await _host.Client.PostAsync("/api/sms/delivery", EventGrid(SmsEvent.DeliveryReport, new
        {
            MessageId = sent.ProviderMessageId, From = "+447700900000", To = message.To, DeliveryStatus = "Delivered",
            DeliveryStatusDetails = "No error.", ReceivedTimestamp = DateTimeOffset.UtcNow.ToString("O"), Tag = "case-x",
        }));

        r.StatusCode.Should().Be(HttpStatusCode.OK);
        var row = await _host.Services.GetRequiredService<SentMessages>().FindAsync(message.Id);
        row!.Status.Should().Be(SmsStatus.Delivered);
        row.DeliveryDetails.Should().Be("No error.");
    }

    /// <summary>
    /// The later of STOP and START wins, whatever order Event Grid delivers them in. A STOP dated years ahead (a phone's
    /// clock, or anyone holding the app key) would win over every START after it: an event time is taken as now at most.
    /// </summary>
    [Fact]
    public async Task AStopDatedInTheFutureIsTakenAsNowSoALaterStartStillWins()
    {
        var phone = MessagingParts.NewPhone();
        var optOuts = _host.Services.GetRequiredService<SmsOptOuts>();

        (await _host.Client.PostAsync("/api/sms/inbound", EventGrid(SmsEvent.Received, Received(phone, "STOP", DateTimeOffset.UtcNow.AddYears(10)))))
            .EnsureSuccessStatusCode();
        (await optOuts.IsOptedOutAsync(phone)).Should().BeTrue();
        (await _host.Client.PostAsync("/api/sms/inbound", EventGrid(SmsEvent.Received, Received(phone, "START", DateTimeOffset.UtcNow.AddSeconds(1)))))
            .EnsureSuccessStatusCode();

        (await optOuts.IsOptedOutAsync(phone)).Should().BeFalse();
    }

    /// <summary>A receipt older than the one recorded changes nothing; one dated years ahead must not freeze the message's state.</summary>
    [Fact]
    public async Task ADeliveryReportDatedInTheFutureIsTakenAsNowSoALaterReportStillWins()
    {
        var message = new SmsMessage($"test-{Guid.NewGuid():N}", MessagingParts.NewPhone(), SmsTemplates.FamilyTriaged("Claire"), "case-x", SmsAudience.Family);
        var sent = await _host.Services.GetRequiredService<ISmsSender>().SendAsync(message);
        object Report(string status, DateTimeOffset at) => new
        {
            MessageId = sent.ProviderMessageId, From = "+447700900000", To = message.To, DeliveryStatus = status,
            DeliveryStatusDetails = "Test.", ReceivedTimestamp = at.ToString("O"), Tag = "case-x",
        };

        (await _host.Client.PostAsync("/api/sms/delivery", EventGrid(SmsEvent.DeliveryReport, Report("Failed", DateTimeOffset.UtcNow.AddYears(10)))))
            .EnsureSuccessStatusCode();
        (await _host.Client.PostAsync("/api/sms/delivery", EventGrid(SmsEvent.DeliveryReport, Report("Delivered", DateTimeOffset.UtcNow.AddSeconds(1)))))
            .EnsureSuccessStatusCode();

        var row = await _host.Services.GetRequiredService<SentMessages>().FindAsync(message.Id);
        row!.Status.Should().Be(SmsStatus.Delivered);
        row.DeliveryReportAt.Should().BeBefore(DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task TheOutboxShowsTheTextsACrisisCaseSent()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["CrisisCare:TriageResponseMinutes"] = "0.01",
            ["CrisisCare:TriageEscalationRepeatMinutes"] = "60",
            ["CrisisCare:CoordinatorPhone"] = "+447700900002",
        });
        var caseId = await host.OpenCaseAsync();
        await host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "triage-overdue"));

        var outbox = await host.Client.GetFromJsonAsync<JsonArray>($"/api/dev/sms/outbox?tag={caseId}");

        var text = outbox!.Should().ContainSingle().Subject!;
        text["to"]!.GetValue<string>().Should().Be("+447700900002");
        text["message"]!.GetValue<string>().Should().StartWith($"SPOC: case {CaseActivities.ShortId(caseId)} has waited");
        text["tag"]!.GetValue<string>().Should().Be(caseId);
        text["sentAt"].Should().NotBeNull();
    }
}
