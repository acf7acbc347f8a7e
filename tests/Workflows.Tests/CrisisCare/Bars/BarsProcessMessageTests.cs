using System.Net;
using System.Text.Json.Nodes;
using Hl7.Fhir.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Workflows.CrisisCare;
using Workflows.CrisisCare.Bars;

namespace Workflows.Tests.CrisisCare.Bars;

/// <summary>One local host over Azurite for the BaRS route tests (each test uses its own referral ids).</summary>
public sealed class BarsHost : IAsyncLifetime
{
    public TestHost Host { get; private set; } = null!;
    public async Task InitializeAsync() => Host = await TestHost.StartAsync();
    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>POST /api/intake/bars/$process-message end to end: signed BaRS messages into crisis cases on the real engine.</summary>
public sealed class BarsProcessMessageTests(BarsHost fixture) : IClassFixture<BarsHost>
{
    private TestHost Host => fixture.Host;

    private static string CaseIdOf(JsonObject response) =>
        BarsMessages.Resource(response, "ServiceRequest")["id"]!.GetValue<string>();

    private static bool Has(JsonNode c, string kind) => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == kind);

    private async Task<bool> MessageRecordedAsync(Guid requestId) =>
        (await Host.Services.GetRequiredService<BarsMessageLog>().FindAsync(requestId)) is not null;

    private async Task<string> ReferAsync(string referralId)
    {
        var r = await Host.PostAsync(BarsMessages.New(referralId));
        ((int)r.StatusCode).Should().Be(200, await r.Content.ReadAsStringAsync());
        return CaseIdOf(await r.JsonAsync());
    }

    [Fact]
    public async Task NewReferralOpensACaseAndIsAcknowledgedWithAResponseMessage()
    {
        var referralId = BarsMessages.NewReferralId();
        var (requestId, correlationId) = (Guid.NewGuid(), Guid.NewGuid());
        var request = BarsMessages.New(referralId);

        var r = await Host.PostAsync(request, requestId, correlationId);

        ((int)r.StatusCode).Should().Be(200, await r.Content.ReadAsStringAsync());
        r.Content.Headers.ContentType!.MediaType.Should().Be("application/fhir+json");
        r.Headers.GetValues("X-Request-ID").Should().Equal(requestId.ToString());
        r.Headers.GetValues("X-Correlation-ID").Should().Equal(correlationId.ToString());
        var response = await r.JsonAsync();
        response["type"]!.GetValue<string>().Should().Be("message");
        var header = BarsMessages.Resource(response, "MessageHeader");
        header["response"]!["code"]!.GetValue<string>().Should().Be("ok");
        header["response"]!["identifier"]!.GetValue<string>().Should().Be(BarsMessages.Resource(request, "MessageHeader")["id"]!.GetValue<string>());
        header["destination"]![0]!["endpoint"]!.GetValue<string>().Should().Be("https://fhir.nhs.uk/Id/dos-service-id|2000099900");
        var caseId = CaseIdOf(response);
        caseId.Should().Be(CaseRecord.IdFor(referralId));
        BarsMessages.Resource(response, "ServiceRequest")["identifier"]!.AsArray().Select(i => i!["value"]!.GetValue<string>())
            .Should().Contain([CaseActivities.ShortId(caseId), referralId]);

        var c = await Host.WaitForCaseAsync(caseId, x => Has(x, "case-opened"));
        c["status"]!.GetValue<string>().Should().Be(CaseStatus.AwaitingTriage);
        c["callId"]!.GetValue<string>().Should().Be(referralId);
        c["callbackNumber"]!.GetValue<string>().Should().Be("+447700900413");
        c["patient"]!["nhsNumber"]!.GetValue<string>().Should().Be("9990237573");
        (await MessageRecordedAsync(requestId)).Should().BeTrue();
    }

    [Fact]
    public async Task RetryWithTheSameRequestIdIsADuplicateOfTheSameCase()
    {
        var referralId = BarsMessages.NewReferralId();
        var (requestId, correlationId) = (Guid.NewGuid(), Guid.NewGuid());
        var body = BarsMessages.New(referralId).ToJsonString();
        var first = await Host.PostAsync(body, requestId, correlationId);
        first.StatusCode.Should().Be(HttpStatusCode.OK);

        var retry = await Host.PostAsync(body, requestId, correlationId);

        retry.StatusCode.Should().Be(HttpStatusCode.Conflict);
        retry.Headers.GetValues("X-Request-ID").Should().Equal(requestId.ToString());
        var issue = BarsMessages.Issue(await retry.JsonAsync());
        issue["code"]!.GetValue<string>().Should().Be("duplicate");
        issue["details"]!["coding"]![0]!["code"]!.GetValue<string>().Should().Be("REC_CONFLICT");
        issue["diagnostics"]!.GetValue<string>().Should().Contain(CaseRecord.IdFor(referralId));
    }

    [Fact]
    public async Task SameReferralAgainWithANewRequestIdGivesTheSameCase()
    {
        var referralId = BarsMessages.NewReferralId();
        var first = await ReferAsync(referralId);
        var again = await ReferAsync(referralId);
        again.Should().Be(first);
    }

    [Fact]
    public async Task BarsReferralAndJsonCallWithTheSameIdAreOneCase()
    {
        var referralId = BarsMessages.NewReferralId();
        var caseId = await ReferAsync(referralId);
        var r = await Host.PostCallAsync(Calls.Valid(callId: referralId));
        r.StatusCode.Should().Be(HttpStatusCode.Accepted);
        JsonNode.Parse(await r.Content.ReadAsStringAsync())!["caseId"]!.GetValue<string>().Should().Be(caseId);
    }

    [Fact]
    public async Task UpdateChangesTheCallbackNumberAndIsOnTheTimeline()
    {
        var referralId = BarsMessages.NewReferralId();
        var caseId = await ReferAsync(referralId);
        await Host.WaitForCaseAsync(caseId, c => Has(c, "case-opened"));

        var r = await Host.PostAsync(BarsMessages.Update(referralId));

        ((int)r.StatusCode).Should().Be(200, await r.Content.ReadAsStringAsync());
        CaseIdOf(await r.JsonAsync()).Should().Be(caseId);
        var updated = await Host.WaitForCaseAsync(caseId, c => Has(c, "referral-updated"));
        updated["callbackNumber"]!.GetValue<string>().Should().Be("+447700900415");
        updated["status"]!.GetValue<string>().Should().Be(CaseStatus.AwaitingTriage);
        updated["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "referral-updated")!["summary"]!
            .GetValue<string>().Should().Contain("callback number").And.Contain("family contacts");
    }

    [Fact]
    public async Task CancellationClosesTheCaseAsCancelledWithTheReason()
    {
        var referralId = BarsMessages.NewReferralId();
        var caseId = await ReferAsync(referralId);
        await Host.WaitForCaseAsync(caseId, c => Has(c, "case-opened"));

        var r = await Host.PostAsync(BarsMessages.Cancel(referralId));

        ((int)r.StatusCode).Should().Be(200, await r.Content.ReadAsStringAsync());
        BarsMessages.Resource(await r.JsonAsync(), "ServiceRequest")["status"]!.GetValue<string>().Should().Be("revoked");
        var closed = await Host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == CaseStatus.Closed);
        closed["closed"]!["reason"]!.GetValue<string>().Should().Be("cancelled");
        closed["timeline"]!.AsArray().Select(e => e!["summary"]!.GetValue<string>()).Should().Contain(s => s.Contains("GP visited"));

        var again = await Host.PostAsync(BarsMessages.Cancel(referralId));
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        BarsMessages.Issue(await again.JsonAsync())["code"]!.GetValue<string>().Should().Be("conflict");
    }

    [Fact]
    public async Task UpdateForAReferralWeNeverHadIsNotFound()
    {
        var referralId = BarsMessages.NewReferralId();
        var r = await Host.PostAsync(BarsMessages.Update(referralId));
        r.StatusCode.Should().Be(HttpStatusCode.NotFound);
        BarsMessages.Issue(await r.JsonAsync())["code"]!.GetValue<string>().Should().Be("not-found");
        (await Host.CaseExistsAsync(referralId)).Should().BeFalse();
    }

    public static TheoryData<string, int, string> BadMessages => new()
    {
        { "bad-nhs-number", 400, "invalid" },
        { "no-message-header", 400, "required" },
        { "booking-event", 422, "not-supported" },
        { "malformed-json", 400, "structure" },
        { "collection-bundle", 400, "structure" },
        { "not-palliative", 422, "business-rule" },
        { "two-focuses", 400, "invariant" },
        { "definition-version-2", 406, "processing" },
    };

    [Theory]
    [MemberData(nameof(BadMessages))]
    public async Task BadMessageGetsAnOperationOutcomeAndNothingIsStored(string spoil, int status, string issueCode)
    {
        var referralId = BarsMessages.NewReferralId();
        var requestId = Guid.NewGuid();
        var bundle = BarsMessages.New(referralId, b =>
        {
            switch (spoil)
            {
                case "bad-nhs-number": BarsMessages.Resource(b, "Patient")["identifier"]![0]!["value"] = "9990237574"; break;
                case "no-message-header": b["entry"]!.AsArray().RemoveAt(0); break;
                case "booking-event": BarsMessages.Resource(b, "MessageHeader")["eventCoding"]!["code"] = "booking-request"; break;
                case "collection-bundle": b["type"] = "collection"; break;
                case "not-palliative": BarsMessages.Resource(b, "ServiceRequest")["category"]!.AsArray().RemoveAt(1); break;
                case "two-focuses":
                    BarsMessages.Resource(b, "MessageHeader")["focus"]!.AsArray().Add(new JsonObject { ["reference"] = b["entry"]![1]!["fullUrl"]!.GetValue<string>() });
                    break;
                case "definition-version-2":
                    BarsMessages.Resource(b, "MessageHeader")["definition"] = "https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-referral|2.0.0";
                    break;
            }
        }).ToJsonString();
        if (spoil == "malformed-json") bundle = bundle[..^20];

        var r = await Host.PostAsync(bundle, requestId);

        ((int)r.StatusCode).Should().Be(status, await r.Content.ReadAsStringAsync());
        r.Content.Headers.ContentType!.MediaType.Should().Be("application/fhir+json");
        var outcome = await r.JsonAsync();
        outcome["resourceType"]!.GetValue<string>().Should().Be("OperationOutcome");
        outcome["issue"]!.AsArray().Select(i => i!["code"]!.GetValue<string>()).Should().Contain(issueCode);
        BarsMessages.Issue(outcome)["diagnostics"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
        (await Host.CaseExistsAsync(referralId)).Should().BeFalse();
        (await MessageRecordedAsync(requestId)).Should().BeFalse();
    }

    [Theory]
    [InlineData("application/fhir+json; version=2.0.0", 406)]
    [InlineData("application/fhir+json; version=1.2.0", 200)]
    [InlineData("application/fhir+json", 200)]
    public async Task ASenderOnAnotherMajorVersionOfBarsIsNotAcceptableAndNothingIsStored(string accept, int status)
    {
        var referralId = BarsMessages.NewReferralId();

        var r = await Host.PostAsync(BarsMessages.New(referralId).ToJsonString(), accept: accept);

        ((int)r.StatusCode).Should().Be(status, await r.Content.ReadAsStringAsync());
        (await Host.CaseExistsAsync(referralId)).Should().Be(status == 200);
        if (status == 406)
        {
            var issue = BarsMessages.Issue(await r.JsonAsync());
            issue["code"]!.GetValue<string>().Should().Be("processing");
            issue["details"]!["coding"]![0]!["code"]!.GetValue<string>().Should().Be("REC_NOT_ACCEPTABLE");
        }
    }

    [Fact]
    public async Task MessageWithoutTransactionHeadersIsRefusedAndNothingIsStored()
    {
        var referralId = BarsMessages.NewReferralId();
        var r = await Host.PostAsync(BarsMessages.New(referralId).ToJsonString(), transactionHeaders: false);
        r.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await r.JsonAsync())["issue"]!.AsArray().Select(i => (i!["code"]!.GetValue<string>(), i["expression"]![0]!.GetValue<string>()))
            .Should().BeEquivalentTo([("required", "X-Request-ID"), ("required", "X-Correlation-ID")]);
        (await Host.CaseExistsAsync(referralId)).Should().BeFalse();
    }

    [Fact]
    public async Task UnsignedMessageIsUnauthorizedAndNothingIsStored()
    {
        var referralId = BarsMessages.NewReferralId();
        var r = await Host.PostAsync(BarsMessages.New(referralId).ToJsonString(), sign: false);
        r.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        BarsMessages.Issue(await r.JsonAsync())["code"]!.GetValue<string>().Should().Be("security");
        (await Host.CaseExistsAsync(referralId)).Should().BeFalse();
    }

    /// <summary>The seed's referral as FHIR XML (the Firely SDK writes it from the JSON).</summary>
    private static string AsXml(JsonObject bundle) =>
        new Hl7.Fhir.Serialization.FhirJsonDeserializer().DeserializeResource(bundle.ToJsonString()).ToXml();

    [Fact]
    public async Task AReferralInFhirXmlMakesTheCaseAndIsAnsweredInXmlWhenAcceptAsksForIt()
    {
        var referralId = BarsMessages.NewReferralId();

        var r = await Host.PostAsync(AsXml(BarsMessages.New(referralId)), contentType: "application/fhir+xml", accept: "application/fhir+xml");

        r.StatusCode.Should().Be(HttpStatusCode.OK, await r.Content.ReadAsStringAsync());
        r.Content.Headers.ContentType!.MediaType.Should().Be("application/fhir+xml");
        var answer = (Hl7.Fhir.Model.Bundle)new Hl7.Fhir.Serialization.FhirXmlDeserializer().DeserializeResource(await r.Content.ReadAsStringAsync());
        var header = answer.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.MessageHeader>().Single();
        header.Response.Code.Should().Be(Hl7.Fhir.Model.MessageHeader.ResponseType.Ok);
        (await Host.CaseExistsAsync(referralId)).Should().BeTrue();
    }

    [Fact]
    public async Task AnXmlReferralIsAnsweredInJsonUnlessAcceptPrefersXml()
    {
        var referralId = BarsMessages.NewReferralId();

        var r = await Host.PostAsync(AsXml(BarsMessages.New(referralId)), contentType: "application/fhir+xml",
            accept: "application/fhir+json, application/fhir+xml;q=0.5");

        r.StatusCode.Should().Be(HttpStatusCode.OK);
        r.Content.Headers.ContentType!.MediaType.Should().Be("application/fhir+json");
        CaseIdOf(await r.JsonAsync()).Should().Be(CaseRecord.IdFor(referralId));
    }

    [Fact]
    public async Task XmlWithADocumentTypeIsRefusedAndNothingOutsideTheBodyIsRead()
    {
        var referralId = BarsMessages.NewReferralId();
        var xml = AsXml(BarsMessages.New(referralId));
        var withEntity = "<?xml version=\"1.0\"?><!DOCTYPE Bundle [<!ENTITY note SYSTEM \"file:///etc/hostname\">]>" + xml[xml.IndexOf("<Bundle", StringComparison.Ordinal)..]
            .Replace("<type value=\"message\" />", "<type value=\"message\" /><!-- &note; -->", StringComparison.Ordinal);

        var r = await Host.PostAsync(withEntity, contentType: "application/fhir+xml");

        r.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        BarsMessages.Issue(await r.JsonAsync())["diagnostics"]!.GetValue<string>().Should().Contain("no DTD or entities");
        (await Host.CaseExistsAsync(referralId)).Should().BeFalse();
    }

    [Fact]
    public async Task ABodyNeitherFhirJsonNorXmlIsUnsupported()
    {
        var r = await Host.PostAsync("<Bundle xmlns=\"http://hl7.org/fhir\"/>", contentType: "text/plain");
        r.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        BarsMessages.Issue(await r.JsonAsync())["code"]!.GetValue<string>().Should().Be("not-supported");
    }
}
