using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workflows.CrisisCare;

namespace Workflows.Tests.CrisisCare.Bars;

/// <summary>
/// $process-message against the BaRS examples NHS England publishes (conformance/, with their sources), answered as
/// their sender expects: 422 business-rule for the referrals that are not palliative, 200 with MessageHeader.response
/// for a palliative one, the 111 narrative read as the reason, and the published cancellation finding its referral.
/// </summary>
public sealed partial class BarsConformanceTests(BarsHost fixture) : IClassFixture<BarsHost>
{
    private TestHost Host => fixture.Host;

    private static readonly string Folder = Path.Combine(RepoRoot.Path, "tests", "Workflows.Tests", "CrisisCare", "Bars", "conformance");

    /// <summary>
    /// A published example, sendable today: every dateTime moved by one delta so the referral (authoredOn, else the
    /// Bundle's timestamp) was made two minutes ago, the NHS number's wrong check digit corrected, and the referral's
    /// ServiceRequest fullUrl (its identity: the examples have no identifier) made <paramref name="referralUuid"/>.
    /// </summary>
    private static JsonObject Sendable(string file, string referralUuid, bool palliative = false)
    {
        var published = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, file)))!.AsObject();
        var oldUuid = Entry(published, "ServiceRequest")["fullUrl"]!.GetValue<string>()["urn:uuid:".Length..];
        var bundle = JsonNode.Parse(published.ToJsonString().Replace(oldUuid, referralUuid).Replace("3478526985", "3478526981"))!.AsObject();

        var sr = Entry(bundle, "ServiceRequest")["resource"]!.AsObject();
        var anchor = DateTimeOffset.Parse((sr["authoredOn"] ?? bundle["timestamp"])!.GetValue<string>(), CultureInfo.InvariantCulture);
        Shift(bundle, DateTimeOffset.UtcNow.AddMinutes(-2) - anchor);
        if (palliative)
            sr["category"]!.AsArray().Add(new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://snomed.info/sct", ["code"] = "103735009", ["display"] = "Palliative care" }),
            });
        return bundle;
    }

    private static JsonObject Entry(JsonObject bundle, string type) =>
        bundle["entry"]!.AsArray().Select(e => e!.AsObject()).First(e => e["resource"]!["resourceType"]!.GetValue<string>() == type);

    private static void Shift(JsonNode node, TimeSpan by)
    {
        IEnumerable<JsonNode?> children = node switch { JsonObject o => o.Select(p => p.Value), JsonArray a => a, _ => [] };
        foreach (var child in children.ToList())
        {
            if (child is JsonValue v && v.TryGetValue<string>(out var s) && DateTime().IsMatch(s))
                child.ReplaceWith(DateTimeOffset.Parse(s, CultureInfo.InvariantCulture).Add(by).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));
            else if (child is not null) Shift(child, by);
        }
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")]
    private static partial Regex DateTime();

    [Theory]
    [InlineData("REFREQ01.json")]
    [InlineData("REFREQ02.json")]
    [InlineData("REFREQ03.json")]
    public async Task EveryPublishedReferralIsReadAndRefusedOnlyForNotBeingPalliative(string file)
    {
        var referral = Guid.NewGuid().ToString();

        var r = await Host.PostAsync(Sendable(file, referral));

        ((int)r.StatusCode).Should().Be(422, await r.Content.ReadAsStringAsync());
        var issue = BarsMessages.Issue(await r.JsonAsync());
        issue["code"]!.GetValue<string>().Should().Be("business-rule");
        issue["expression"]![0]!.GetValue<string>().Should().Be("ServiceRequest.category");
        (await Host.CaseExistsAsync(referral)).Should().BeFalse();
    }

    [Fact]
    public async Task ThePublishedValidationRequestNamesAMessageDefinitionThisReceiverDoesNotTake()
    {
        var referral = Guid.NewGuid().ToString();

        var r = await Host.PostAsync(Sendable("VALIDATION.json", referral, palliative: true));

        ((int)r.StatusCode).Should().Be(422, await r.Content.ReadAsStringAsync());
        var issue = BarsMessages.Issue(await r.JsonAsync());
        issue["code"]!.GetValue<string>().Should().Be("not-supported");
        issue["expression"]![0]!.GetValue<string>().Should().Be("MessageHeader.definition");
        (await Host.CaseExistsAsync(referral)).Should().BeFalse();
    }

    [Fact]
    public async Task ANewReferralNamingTheCancellationDefinitionIsRefusedForNotKeepingToIt()
    {
        var referral = Guid.NewGuid().ToString();
        var request = Sendable("REFREQ01.json", referral, palliative: true);
        Entry(request, "MessageHeader")["resource"]!["definition"] = "https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-cancelled";

        var r = await Host.PostAsync(request);

        ((int)r.StatusCode).Should().Be(400, await r.Content.ReadAsStringAsync());
        BarsMessages.Issue(await r.JsonAsync())["expression"]![0]!.GetValue<string>().Should().Be("MessageHeader.definition");
        (await Host.CaseExistsAsync(referral)).Should().BeFalse();
    }

    [Fact]
    public async Task MetadataSaysWhatThisReceiverTakes()
    {
        var r = await Host.Client.GetAsync("/api/intake/bars/metadata");

        r.StatusCode.Should().Be(HttpStatusCode.OK);
        r.Content.Headers.ContentType!.MediaType.Should().Be("application/fhir+json");
        var capability = await r.JsonAsync();
        capability["resourceType"]!.GetValue<string>().Should().Be("CapabilityStatement");
        capability["fhirVersion"]!.GetValue<string>().Should().Be("4.0.1");
        capability["rest"]![0]!["operation"]![0]!["name"]!.GetValue<string>().Should().Be("process-message");
        capability["version"]!.GetValue<string>().Should().StartWith("1.", "a sender compares its BaRS version with this");
        var supported = capability["messaging"]![0]!["supportedMessage"]!.AsArray();
        supported.Where(m => m!["mode"]!.GetValue<string>() == "sender").Select(m => m!["definition"]!.GetValue<string>())
            .Should().Equal(["https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-response-referral"], "it sends the referral's status updates");
        supported.Where(m => m!["mode"]!.GetValue<string>() == "receiver").Select(m => m!["definition"]!.GetValue<string>()).Should().BeEquivalentTo(
            [Entry(Sendable("REFREQ01.json", Guid.NewGuid().ToString()), "MessageHeader")["resource"]!["definition"]!.GetValue<string>(),
             Entry(Sendable("SERVREQ01.json", Guid.NewGuid().ToString()), "MessageHeader")["resource"]!["definition"]!.GetValue<string>()],
            "it takes the published referral and cancellation");
        capability["messaging"]![0]!["endpoint"]![0]!["address"]!.GetValue<string>().Should().EndWith("/api/intake/bars/$process-message");

        using var anonymous = Host.NewClient();
        (await anonymous.GetAsync("/api/intake/bars/metadata")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task APalliativeReferralLikeThePublishedOneOpensACaseThatReadsThe111Narrative()
    {
        var referral = Guid.NewGuid().ToString();
        var request = Sendable("REFREQ01.json", referral, palliative: true);

        var r = await Host.PostAsync(request);

        ((int)r.StatusCode).Should().Be(200, await r.Content.ReadAsStringAsync());
        var response = await r.JsonAsync();
        var header = BarsMessages.Resource(response, "MessageHeader");
        header["response"]!["code"]!.GetValue<string>().Should().Be("ok");
        header["response"]!["identifier"]!.GetValue<string>().Should().Be(
            Entry(request, "MessageHeader")["fullUrl"]!.GetValue<string>()["urn:uuid:".Length..], "the request's MessageHeader has no id: its fullUrl names it");
        var caseId = BarsMessages.Resource(response, "ServiceRequest")["id"]!.GetValue<string>();
        caseId.Should().Be(CaseRecord.IdFor(referral), "the ServiceRequest's fullUrl is the referral's identity");

        var c = await Host.WaitForCaseAsync(caseId, c => c["reason"] is not null);
        c["reason"]!.GetValue<string>().Should().StartWith("PATHWAYS ASSESSMENT", "the narrative is the outcome with text and no coding, not a coded outcome's label");
    }

    [Fact]
    public async Task ThePublishedCancellationOfAReferralNeverReceivedIsNotFound()
    {
        var referral = Guid.NewGuid().ToString();

        var r = await Host.PostAsync(Sendable("SERVREQ01.json", referral));

        ((int)r.StatusCode).Should().Be(404, await r.Content.ReadAsStringAsync());
        BarsMessages.Issue(await r.JsonAsync())["code"]!.GetValue<string>().Should().Be("not-found");
        (await Host.CaseExistsAsync(referral)).Should().BeFalse();
    }

    [Fact]
    public async Task ThePublishedCancellationFindsThePalliativeReferralByItsFullUrlAndClosesIt()
    {
        var referral = Guid.NewGuid().ToString();
        var opened = await Host.PostAsync(Sendable("REFREQ01.json", referral, palliative: true));
        ((int)opened.StatusCode).Should().Be(200, await opened.Content.ReadAsStringAsync());
        var caseId = CaseRecord.IdFor(referral);
        await Host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "case-opened"));

        var r = await Host.PostAsync(Sendable("SERVREQ01.json", referral));

        ((int)r.StatusCode).Should().Be(200, await r.Content.ReadAsStringAsync());
        var closed = await Host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == CaseStatus.Closed);
        closed["closed"]!["reason"]!.GetValue<string>().Should().Be("cancelled");
    }
}
