using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Workflows.CrisisCare;
using Workflows.CrisisCare.Bars;
using Task = System.Threading.Tasks.Task;

namespace Workflows.Tests.CrisisCare.Bars;

/// <summary>
/// The asynchronous BaRS response: a case that came by BaRS tells its sender, through the BaRS API, when it is triaged
/// and when it closes; a sender that cannot be reached is retried and then parked on the case's timeline, never holding
/// the case up (H74).
/// </summary>
public sealed class BarsResponseTests
{
    private static string[] Kinds(JsonNode c) => c["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToArray();

    private static async Task<(TestHost Host, FakeBarsApi Api)> StartAsync(int status = 200, bool configured = true, int attempts = 6,
        RSA? platformKey = null)
    {
        var api = await FakeBarsApi.StartAsync();
        api.Status = status;
        var settings = new Dictionary<string, string?>
        {
            ["Bars:ApiUrl"] = configured ? api.Url : "",
            ["CrisisCare:StepAttempts"] = attempts.ToString(),
            ["CrisisCare:StepFirstRetrySeconds"] = "1",
        };
        if (platformKey is not null)
        {
            api.Platform = (RSA.Create(platformKey.ExportParameters(false)), "test-key-1", "test-api-key");
            settings["Bars:ApiKey"] = "test-api-key";
            settings["Bars:KeyId"] = "test-key-1";
            settings["Bars:TokenUrl"] = api.TokenUrl;
            settings["Bars:PrivateKey"] = platformKey.ExportPkcs8PrivateKeyPem();
        }
        return (await TestHost.StartAsync(settings), api);
    }

    /// <summary>A palliative referral by BaRS, triaged as advice (which closes it); the case once closed.</summary>
    private static async Task<(string CaseId, Guid CorrelationId)> ReferAndTriageAsync(TestHost host)
    {
        var referralId = BarsMessages.NewReferralId();
        var caseId = CaseRecord.IdFor(referralId);
        var correlationId = Guid.NewGuid();
        var referred = await host.PostAsync(BarsMessages.New(referralId), correlationId: correlationId);
        referred.StatusCode.Should().Be(HttpStatusCode.OK, await referred.Content.ReadAsStringAsync());
        await host.WaitForCaseAsync(caseId, c => Kinds(c).Contains("case-opened"));
        var triaged = await host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp",
            new { outcome = "advice", notes = "Talked the daughter through the syringe driver" });
        triaged.StatusCode.Should().Be(HttpStatusCode.Accepted, await triaged.Content.ReadAsStringAsync());
        return (caseId, correlationId);
    }

    private static Bundle Read(FakeBarsApi.Received message)
    {
        var (bundle, refused) = BarsReferral.Parse(Encoding.UTF8.GetBytes(message.Body));
        refused.Should().BeNull("the response is FHIR R4 the strict parser reads");
        return bundle!;
    }

    private static T Resource<T>(Bundle b) where T : Resource => b.Entry.Select(e => e.Resource).OfType<T>().Single();

    [Fact]
    public async Task TheSenderIsToldThroughTheBarsApiWhenTheCaseIsTriagedAndWhenItCloses()
    {
        var (host, api) = await StartAsync();
        await using var hostScope = host;
        await using var apiScope = api;

        var (caseId, correlationId) = await ReferAndTriageAsync(host);

        var messages = await api.WaitForAsync(2);
        var c = await host.WaitForCaseAsync(caseId, c => Kinds(c).Count(k => k == "bars-response-sent") == 2);
        c["status"]!.GetValue<string>().Should().Be(CaseStatus.Closed);
        messages.Should().HaveCount(2);
        var statuses = new List<Encounter.EncounterStatus?>();
        foreach (var m in messages)
        {
            m.ContentType.Should().StartWith("application/fhir+json");
            m.CorrelationId.Should().Be(correlationId.ToString(), "every message about one referral carries its correlation id");
            Guid.TryParse(m.RequestId, out _).Should().BeTrue();
            // The seed's MessageHeader.source.endpoint, as the BaRS API reads the address.
            m.TargetIdentifier["system"]!.GetValue<string>().Should().Be("https://fhir.nhs.uk/Id/dos-service-id");
            m.TargetIdentifier["value"]!.GetValue<string>().Should().Be("2000099900");

            var bundle = Read(m);
            bundle.Type.Should().Be(Bundle.BundleType.Message);
            var header = (MessageHeader)bundle.Entry[0].Resource;
            header.Event.Should().BeOfType<Coding>().Which.Code.Should().Be("servicerequest-response");
            header.Definition.Should().Be(BarsCodes.ResponseDefinition);
            header.Response.Identifier.Should().Be("5d3c1e2a-8b7f-4c61-a0d4-3f9e2b6c7a01", "it answers the referral's MessageHeader");
            header.Destination.Single().Endpoint.Should().Be("https://fhir.nhs.uk/Id/dos-service-id|2000099900");
            header.Focus.Single().Reference.Should().Be(bundle.Entry.Single(e => e.Resource is Encounter).FullUrl);
            var serviceRequest = Resource<ServiceRequest>(bundle);
            serviceRequest.Id.Should().Be(caseId);
            serviceRequest.Category.Should().NotBeEmpty();
            serviceRequest.AuthoredOn.Should().NotBeNull();
            var encounter = Resource<Encounter>(bundle);
            encounter.Subject.Identifier.Value.Should().Be(c["patient"]!["nhsNumber"]!.GetValue<string>());
            statuses.Add(encounter.Status);
        }
        statuses.Should().Equal(Encounter.EncounterStatus.Triaged, Encounter.EncounterStatus.Finished);
        messages.Select(m => m.RequestId).Should().OnlyHaveUniqueItems();
        await Replay.RecordedHistories.SaveAsync(host, BarsResponseWorkflow.InstanceId(caseId, BarsResponses.Closed), "bars-response-sent");
    }

    [Fact]
    public async Task ASenderThatCannotBeReachedIsRetriedThenParkedOnTheTimelineAndTheCaseCarriesOn()
    {
        var (host, api) = await StartAsync(status: 503, attempts: 2);
        await using var hostScope = host;
        await using var apiScope = api;

        var (caseId, _) = await ReferAndTriageAsync(host);

        var c = await host.WaitForCaseAsync(caseId, c => Kinds(c).Count(k => k == "bars-response-parked") == 2);
        c["status"]!.GetValue<string>().Should().Be(CaseStatus.Closed, "a response that cannot be sent never parks the case");
        Kinds(c).Should().NotContain("bars-response-sent");
        // Each response tried twice (the case's step policy), both tries with the same X-Request-ID.
        api.Messages.GroupBy(m => m.RequestId).Select(g => g.Count()).Should().Equal(2, 2);
        await Replay.RecordedHistories.SaveAsync(host, BarsResponseWorkflow.InstanceId(caseId, BarsResponses.Closed), "bars-response-parked");
    }

    [Fact]
    public async Task AResponseTheApiRefusesIsParkedWithoutRetrying()
    {
        var (host, api) = await StartAsync(status: 422, attempts: 3);
        await using var hostScope = host;
        await using var apiScope = api;

        var (caseId, _) = await ReferAndTriageAsync(host);

        var c = await host.WaitForCaseAsync(caseId, c => Kinds(c).Count(k => k == "bars-response-parked") == 2);
        c["timeline"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "bars-response-parked")
            .Should().AllSatisfy(e => e!["summary"]!.GetValue<string>().Should().Contain("refused it with 422"));
        api.Messages.Should().HaveCount(2, "a refusal would be refused again: one try each");
    }

    [Fact]
    public async Task WithNoBarsApiConfiguredTheCaseSaysItsSenderWasNotTold()
    {
        var (host, api) = await StartAsync(configured: false);
        await using var hostScope = host;
        await using var apiScope = api;

        var (caseId, _) = await ReferAndTriageAsync(host);

        var c = await host.WaitForCaseAsync(caseId, c => Kinds(c).Count(k => k == "bars-response-not-sent") == 2);
        c["timeline"]!.AsArray().First(e => e!["kind"]!.GetValue<string>() == "bars-response-not-sent")!["summary"]!.GetValue<string>()
            .Should().Contain("Bars__ApiUrl");
        api.Messages.Should().BeEmpty();
    }

    [Fact]
    public async Task BehindTheNhsApiPlatformEachResponseCarriesABearerTokenGotWithASignedJwt()
    {
        using var key = RSA.Create(4096);
        var (host, api) = await StartAsync(platformKey: key);
        await using var hostScope = host;
        await using var apiScope = api;

        var (caseId, _) = await ReferAndTriageAsync(host);

        await host.WaitForCaseAsync(caseId, c => Kinds(c).Count(k => k == "bars-response-sent") == 2);
        api.Tokens.Should().ContainSingle("the token is kept until a minute before it expires");
        api.Messages.Should().HaveCount(2).And.AllSatisfy(m => m.Authorization.Should().Be("Bearer " + api.Tokens[0]));
    }

    [Fact]
    public void TheTargetIdentifierIsTheSourceEndpointAsBase64Json()
    {
        var target = JsonNode.Parse(Convert.FromBase64String(BarsTargetIdentifier.For("https://fhir.nhs.uk/Id/dos-service-id|2222222222")))!;
        target["system"]!.GetValue<string>().Should().Be("https://fhir.nhs.uk/Id/dos-service-id");
        target["value"]!.GetValue<string>().Should().Be("2222222222");
        var uri = JsonNode.Parse(Convert.FromBase64String(BarsTargetIdentifier.For("https://sender.example.nhs.uk/bars")))!;
        uri["system"]!.GetValue<string>().Should().Be("urn:ietf:rfc:3986");
        uri["value"]!.GetValue<string>().Should().Be("https://sender.example.nhs.uk/bars");
    }
}
