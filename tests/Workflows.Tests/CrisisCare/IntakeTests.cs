using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Workflows.CrisisCare;
using Workflows.Http;
using Workflows.Storage;

namespace Workflows.Tests.CrisisCare;

/// <summary>POST /api/intake/111: who may call, what is accepted, and that a call makes exactly one case.</summary>
public sealed class IntakeTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(new Dictionary<string, string?>
    {
        ["Intake:SecretPrevious"] = "the-secret-being-rotated-out",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private TableClient Cases => _host.Services.GetRequiredService<TableStore>().Table(TableNames.Cases);

    private async Task<bool> CaseExistsForCall(string callId) =>
        (await Cases.GetEntityIfExistsAsync<TableEntity>(CaseRecord.IdFor(callId), CaseRecord.Row)).HasValue;

    [Fact]
    public async Task ValidCallIsAcceptedWithACaseIdAndStatusUrl()
    {
        var r = await _host.PostCallAsync(Calls.Valid());

        r.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var body = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        var caseId = body["caseId"]!.GetValue<string>();
        body["status"]!.GetValue<string>().Should().Be("awaiting-triage");
        body["statusUrl"]!.GetValue<string>().Should().Be($"/api/cases/{caseId}");
    }

    /// <summary>
    /// Invisible characters pasted into a name make it a different name that never matches the patient's record, so
    /// they are removed; a direction override (refused, the hostile corpus) would show it in another order.
    /// </summary>
    [Fact]
    public async Task InvisibleCharactersAreRemovedFromNamesBeforeTheCaseIsStored()
    {
        var caseId = await _host.OpenCaseAsync(Calls.Valid(change: c =>
        {
            c["patient"]!["name"] = "Mar\u200Bgaret\uFEFF Ashworth";
            c["familyContacts"]![0]!["name"] = "Claire\u2060 Ash\u00ADworth";
            c["reason"] = "Breathless\u200D and distressed";
        }));

        var c = await _host.GetJsonAsStaffAsync($"/api/cases/{caseId}");

        c["patient"]!["name"]!.GetValue<string>().Should().Be("Margaret Ashworth");
        c["familyContacts"]![0]!["name"]!.GetValue<string>().Should().Be("Claire Ashworth");
        c["reason"]!.GetValue<string>().Should().Be("Breathless and distressed");
    }

    [Fact]
    public async Task FiftyParallelDeliveriesOfOneCallMakeOneCase()
    {
        var callId = $"111-storm-{Guid.NewGuid():N}";
        var json = Calls.Valid(callId);

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => _host.PostCallAsync(json)));

        answers.Should().OnlyContain(a => a.StatusCode == HttpStatusCode.Accepted);
        var ids = await Task.WhenAll(answers.Select(async a => JsonNode.Parse(await a.Content.ReadAsStringAsync())!["caseId"]!.GetValue<string>()));
        ids.Distinct().Should().ContainSingle().Which.Should().Be(CaseRecord.IdFor(callId));
        var c = await _host.WaitForCaseAsync(ids[0], c => c["timeline"]!.AsArray().Count > 0);
        await Task.Delay(500);
        c = await _host.GetJsonAsStaffAsync($"/api/cases/{ids[0]}");
        c["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "case-opened").Should().Be(1);
        var rows = 0;
        await foreach (var _ in Cases.QueryAsync<TableEntity>(e => e.PartitionKey == ids[0])) rows++;
        rows.Should().Be(1);
    }

    [Fact]
    public async Task CallSignedWithThePreviousSecretIsAcceptedDuringRotation()
    {
        var r = await _host.PostCallAsync(Calls.Valid(), secret: "the-secret-being-rotated-out");

        r.StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    public static TheoryData<string, string?, int> BadSignatures => new()
    {
        { "wrong secret", "not-the-secret", 0 },
        { "signed 6 minutes ago", null, -360 },
        { "signed 6 minutes ahead", null, 360 },
    };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task BadlySignedCallIsUnauthorisedAndStoresNothing(string why, string? secret, int skewSeconds)
    {
        var callId = $"111-sig-{Guid.NewGuid():N}";

        var r = await _host.PostCallAsync(Calls.Valid(callId), secret, DateTimeOffset.UtcNow.AddSeconds(skewSeconds));

        r.StatusCode.Should().Be(HttpStatusCode.Unauthorized, why);
        r.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await CaseExistsForCall(callId)).Should().BeFalse();
    }

    [Fact]
    public async Task TamperedBodyFailsTheSignature()
    {
        var callId = $"111-tamper-{Guid.NewGuid():N}";
        var raw = Encoding.UTF8.GetBytes(Calls.Valid(callId));
        var (ts, sig) = WebhookSignature.Sign(TestHost.IntakeSecret, raw, DateTimeOffset.UtcNow);
        var tampered = Encoding.UTF8.GetBytes(Calls.Valid(callId, change: c => c["callbackNumber"] = "+447700900999"));

        var r = await Send(tampered, ("X-Signature-Timestamp", ts), ("X-Signature", sig));

        r.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await CaseExistsForCall(callId)).Should().BeFalse();
    }

    [Fact]
    public async Task UnsignedCallIsUnauthorised()
    {
        var r = await Send(Encoding.UTF8.GetBytes(Calls.Valid()));

        r.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task CallWithoutTheAppKeyIsUnauthorised()
    {
        using var anonymous = _host.NewClient();
        var raw = Encoding.UTF8.GetBytes(Calls.Valid());
        var (ts, sig) = WebhookSignature.Sign(TestHost.IntakeSecret, raw, DateTimeOffset.UtcNow);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/intake/111") { Content = new ByteArrayContent(raw) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Signature-Timestamp", ts);
        request.Headers.Add("X-Signature", sig);

        var r = await anonymous.SendAsync(request);

        r.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    /// <summary>Each body is signed correctly, so only validation can refuse it.</summary>
    public static TheoryData<string, string, int, string> InvalidCalls()
    {
        var data = new TheoryData<string, string, int, string>();
        void Add(string why, Action<JsonObject> change, string field, int status = 400) =>
            data.Add(why, Calls.Valid(change: change), status, field);
        Add("not palliative", c => c["palliative"] = false, "palliative", 422);
        Add("NHS number fails Modulus 11", c => c["patient"]!["nhsNumber"] = "9990079197", "patient.nhsNumber");
        Add("NHS number too short", c => c["patient"]!["nhsNumber"] = "999007919", "patient.nhsNumber");
        Add("callback not E.164", c => c["callbackNumber"] = "07700 900123", "callbackNumber");
        Add("family phone not a number", c => c["familyContacts"]![0]!["phone"] = "call me", "familyContacts[0].phone");
        Add("missing callId", c => c.Remove("callId"), "callId");
        Add("callId with OData quote", c => c["callId"] = "111' or PartitionKey ne '", "callId");
        Add("missing patient", c => c.Remove("patient"), "patient");
        Add("missing reason", c => c.Remove("reason"), "reason");
        Add("palliative as a string", c => c["palliative"] = "yes", "palliative");
        Add("receivedAt without offset", c => c["receivedAt"] = "2026-11-24T21:14:00", "receivedAt");
        Add("receivedAt in the future", c => c["receivedAt"] = DateTimeOffset.UtcNow.AddHours(2).ToString("yyyy-MM-ddTHH:mm:sszzz"), "receivedAt");
        Add("born before 1900", c => c["patient"]!["dateOfBirth"] = "1899-12-31", "patient.dateOfBirth");
        Add("born in the future", c => c["patient"]!["dateOfBirth"] = "2999-01-01", "patient.dateOfBirth");
        Add("not a postcode", c => c["patient"]!["postcode"] = "NOT A PC", "patient.postcode");
        Add("unknown caller role", c => c["callerRole"] = "alien", "callerRole");
        Add("control characters in the name", c => c["patient"]!["name"] = "Mar\u0000garet", "patient.name");
        Add("familyContacts not an array", c => c["familyContacts"] = "none", "familyContacts");
        Add("smsConsent missing", c => c["familyContacts"]![0]!.AsObject().Remove("smsConsent"), "familyContacts[0].smsConsent");
        Add("reason too long", c => c["reason"] = new string('x', 1001), "reason");
        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidCalls))]
    public async Task InvalidCallIsRefusedWithAProblemNamingTheFieldAndStoresNothing(string why, string json, int status, string field)
    {
        var callId = JsonNode.Parse(json)!["callId"]?.GetValue<string>();

        var r = await _host.PostCallAsync(json);

        ((int)r.StatusCode).Should().Be(status, why);
        r.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        problem["title"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
        problem["detail"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(field, why);
        if (callId is not null) (await CaseExistsForCall(callId)).Should().BeFalse();
    }

    [Fact]
    public async Task MalformedJsonIsABadRequest()
    {
        var r = await _host.PostCallAsync("{\"callId\": \"111-x\", ");

        r.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        r.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task BodyOverSixtyFourKilobytesIsTooLarge()
    {
        var json = Calls.Valid(change: c => c["padding"] = new string('x', 70 * 1024));

        var r = await _host.PostCallAsync(json);

        r.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task NonJsonContentTypeIsUnsupported()
    {
        var raw = Encoding.UTF8.GetBytes(Calls.Valid());
        var (ts, sig) = WebhookSignature.Sign(TestHost.IntakeSecret, raw, DateTimeOffset.UtcNow);

        var r = await Send(raw, ("X-Signature-Timestamp", ts), ("X-Signature", sig), contentType: "text/plain");

        r.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
    }

    private Task<HttpResponseMessage> Send(byte[] raw, params (string, string)[] headers) => Send(raw, headers, "application/json");

    private async Task<HttpResponseMessage> Send(byte[] raw, (string, string)[] headers, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/intake/111") { Content = new ByteArrayContent(raw) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        foreach (var (k, v) in headers) request.Headers.Add(k, v);
        return await _host.Client.SendAsync(request);
    }

    private Task<HttpResponseMessage> Send(byte[] raw, (string, string) h1, (string, string) h2, string contentType) =>
        Send(raw, [h1, h2], contentType);
}

/// <summary>Staff routes admit only the roles the HTTP contract (docs/openapi.yaml) names.</summary>
public sealed class CrisisCareRoleTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("GET", "/api/triage/queue", "anp", HttpStatusCode.OK)]
    [InlineData("GET", "/api/triage/queue", "coordinator", HttpStatusCode.OK)]
    [InlineData("GET", "/api/triage/queue", "hca", HttpStatusCode.Forbidden)]
    [InlineData("GET", "/api/triage/queue", "dd-officer", HttpStatusCode.Forbidden)]
    [InlineData("GET", "/api/triage/queue", "reporting", HttpStatusCode.Forbidden)]
    [InlineData("POST", "/api/cases/case-00000000000000000000/triage", "coordinator", HttpStatusCode.Forbidden)]
    [InlineData("POST", "/api/cases/case-00000000000000000000/triage", "hca", HttpStatusCode.Forbidden)]
    [InlineData("POST", "/api/cases/case-00000000000000000000/close", "hca", HttpStatusCode.Forbidden)]
    [InlineData("GET", "/api/cases/case-00000000000000000000", "dd-officer", HttpStatusCode.Forbidden)]
    [InlineData("GET", "/api/cases/case-00000000000000000000", "anp", HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/directory/open-now", "dd-officer", HttpStatusCode.OK)]
    public async Task OnlyTheNamedRolesMayCall(string method, string path, string role, HttpStatusCode expected)
    {
        var r = await _host.SendAsStaffAsync(new HttpMethod(method), path, role, method == "POST" ? new { outcome = "advice", notes = "x", reason = "resolved" } : null);

        r.StatusCode.Should().Be(expected);
    }

    [Theory]
    [InlineData("/api/triage/queue")]
    [InlineData("/api/cases/case-00000000000000000000")]
    [InlineData("/api/directory/open-now")]
    public async Task StaffRouteWithoutAPrincipalIsUnauthorised(string path)
    {
        var r = await _host.Client.GetAsync(path);

        r.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task MalformedPrincipalIsUnauthorised()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/triage/queue");
        request.Headers.Add(StaffPrincipal.Header, "not base64 json");

        var r = await _host.Client.SendAsync(request);

        r.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
