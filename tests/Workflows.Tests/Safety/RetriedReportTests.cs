using System.Net;
using System.Text.Json.Nodes;
using Workflows.CrisisCare;
using Workflows.Ecss;
using Workflows.Tests.Ecss;
using static Workflows.Tests.Ecss.EcssHost;

namespace Workflows.Tests.Safety;

/// <summary>
/// What a person tells a case lands exactly once when their request is retried: the raise on the case's orchestration
/// is made to fail once (as a network blip would) and the request sent again, as the pages and the HCA's phone do.
/// Before, a triage retried after a failed raise was refused (409) while its case kept escalating; a visit retried
/// answered "not recorded" and the case never heard of it; a check-in or package sent twice was recorded twice (H24).
/// </summary>
public sealed class RetriedReportTests
{
    private static async Task<string> BridgedCaseAsync(EcssHost ecss)
    {
        var caseId = await ecss.ReferToEcssAsync();
        await ecss.ReplyAsync("hca-01", $"YES {await ecss.OfferCodeAsync(caseId, "hca-01")}");
        await ecss.WaitForCaseAsync(caseId, c => Status(c) == "bridging");
        return caseId;
    }

    private static Task<HttpResponseMessage> CheckInAsync(EcssHost ecss, string caseId, string notes) =>
        ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/check-ins", "hca", new { notes }, userId: "hca-01");

    private static Task<HttpResponseMessage> PackageAsync(EcssHost ecss, string caseId, DateTimeOffset startsAt, string provider = "Peak Home Care") =>
        ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/package", "coordinator",
            new { provider, startsAt = startsAt.ToString("O") });

    /// <summary>How many timeline rows say <paramref name="text"/>.</summary>
    private static int Saying(JsonNode c, string text) =>
        c["timeline"]!.AsArray().Count(e => e!["summary"]!.GetValue<string>().Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task TriageWhoseRaiseFailedIsHeardOnceWhenTheAnpRetries()
    {
        await using var host = await TestHost.StartAsync(faults: true);
        var caseId = await host.OpenCaseAsync();
        await host.WaitForCaseAsync(caseId, c => Kinds(c).Contains("case-opened"));
        host.Faults.FailNextRaise(caseId, CrisisCaseWorkflow.TriageEvent);
        var decision = new { outcome = "advice", notes = "Talked the daughter through the syringe driver" };

        var first = await host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", decision);
        var retry = await host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", decision);

        ((int)first.StatusCode).Should().BeGreaterThanOrEqualTo(500, "the injected fault failed the first try");
        host.Faults.Thrown.Should().Be(1);
        retry.StatusCode.Should().Be(HttpStatusCode.Accepted, await retry.Content.ReadAsStringAsync());
        var closed = await host.WaitForCaseAsync(caseId, c => Status(c) == "closed");
        Kinds(closed).Count(k => k == "triaged").Should().Be(1);
        var other = await host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", new { outcome = "ecss", notes = "another" });
        other.StatusCode.Should().Be(HttpStatusCode.Conflict, "a different decision is still refused");
    }

    [Fact]
    public async Task VisitWhoseRaiseFailedReachesTheCaseWhenTheHcaRetries()
    {
        await using var ecss = await EcssHost.StartAsync(faults: true);
        var caseId = await BridgedCaseAsync(ecss);
        var arrived = DateTimeOffset.UtcNow.AddHours(-3);
        ecss.Host.Faults.FailNextRaise(caseId, EcssCaseWorkflow.VisitEvent);

        var first = await ecss.RecordVisitAsync(caseId, "hca-01", arrived, ["personal-care"]);
        var retry = await ecss.RecordVisitAsync(caseId, "hca-01", arrived, ["personal-care"]);
        var again = await ecss.RecordVisitAsync(caseId, "hca-01", arrived, ["personal-care"]);

        ((int)first.StatusCode).Should().BeGreaterThanOrEqualTo(500);
        retry.StatusCode.Should().Be(HttpStatusCode.Created, "the retry completed what the first try began");
        JsonNode.Parse(await retry.Content.ReadAsStringAsync())!["recorded"]!.GetValue<bool>().Should().BeTrue();
        again.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonNode.Parse(await again.Content.ReadAsStringAsync())!["recorded"]!.GetValue<bool>().Should().BeFalse();
        // Another visit after them: the case takes one event's reports in the order they came, so once this one is on
        // its timeline, every visit sent before it has been taken.
        (await ecss.RecordVisitAsync(caseId, "hca-01", arrived.AddMinutes(50), ["comfort-call"])).StatusCode.Should().Be(HttpStatusCode.Created);
        var c = await ecss.WaitForCaseAsync(caseId, c => Saying(c, "comfort-call") == 1);
        Saying(c, "personal-care").Should().Be(1);
        c["ecss"]!["visits"]!.AsArray().Should().HaveCount(2);
    }

    [Fact]
    public async Task CheckInWhoseRaiseFailedOrThatIsSentTwiceIsRecordedOnce()
    {
        await using var ecss = await EcssHost.StartAsync(faults: true);
        var caseId = await BridgedCaseAsync(ecss);
        ecss.Host.Faults.FailNextRaise(caseId, EcssCaseWorkflow.CheckInEvent);

        var first = await CheckInAsync(ecss, caseId, "Phoned the daughter: settled");
        var retry = await CheckInAsync(ecss, caseId, "Phoned the daughter: settled");
        var twice = await CheckInAsync(ecss, caseId, "Phoned the daughter: settled");

        ((int)first.StatusCode).Should().BeGreaterThanOrEqualTo(500);
        retry.StatusCode.Should().Be(HttpStatusCode.Accepted);
        twice.StatusCode.Should().Be(HttpStatusCode.Accepted);
        // Another check-in after them: the case takes one event's reports in the order they came.
        (await CheckInAsync(ecss, caseId, "marker")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var c = await ecss.WaitForCaseAsync(caseId, c => Saying(c, "marker") == 1);
        Saying(c, "settled").Should().Be(1);
        await Replay.RecordedHistories.SaveAsync(ecss.Host, caseId, "crisis-case-ecss-check-ins-in-flight");
    }

    [Fact]
    public async Task PackageWhoseRaiseFailedOrThatIsSentTwiceIsRecordedOnce()
    {
        await using var ecss = await EcssHost.StartAsync(faults: true);
        var caseId = await BridgedCaseAsync(ecss);
        var startsAt = DateTimeOffset.UtcNow.AddDays(2);
        ecss.Host.Faults.FailNextRaise(caseId, EcssCaseWorkflow.PackageEvent);

        var first = await PackageAsync(ecss, caseId, startsAt);
        var retry = await PackageAsync(ecss, caseId, startsAt);
        var twice = await PackageAsync(ecss, caseId, startsAt);

        ((int)first.StatusCode).Should().BeGreaterThanOrEqualTo(500);
        retry.StatusCode.Should().Be(HttpStatusCode.Accepted);
        twice.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await PackageAsync(ecss, caseId, startsAt.AddDays(1), "Marker Care")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var c = await ecss.WaitForCaseAsync(caseId, c => Saying(c, "Marker Care") == 1);
        Saying(c, "Peak Home Care").Should().Be(1);
    }
}
