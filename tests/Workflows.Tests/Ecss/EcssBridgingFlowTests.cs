using System.Net;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Ecss;
using static Workflows.Tests.Ecss.EcssHost;

namespace Workflows.Tests.Ecss;

/// <summary>Bridging a case with HCA visits until substantive care lands, on the real durable engine over Azurite.</summary>
public sealed class EcssBridgingFlowTests
{
    private static async Task<string> BridgedCaseAsync(EcssHost ecss, string hcaId = "hca-01")
    {
        var caseId = await ecss.ReferToEcssAsync();
        await ecss.ReplyAsync(hcaId, $"YES {await ecss.OfferCodeAsync(caseId, hcaId)}");
        await ecss.WaitForCaseAsync(caseId, c => Status(c) == "bridging");
        return caseId;
    }

    [Fact]
    public async Task CarePackageInPlaceEndsBridgingAfterTheHcasVisits()
    {
        await using var ecss = await EcssHost.StartAsync();
        var caseId = await BridgedCaseAsync(ecss);
        var arrived = DateTimeOffset.UtcNow.AddHours(-3);

        (await ecss.RecordVisitAsync(caseId, "hca-01", arrived, ["personal-care", "emotional-support"], "Washed and settled; daughter resting"))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        (await ecss.RecordVisitAsync(caseId, "hca-01", arrived.AddHours(2), ["comfort-call"])).StatusCode.Should().Be(HttpStatusCode.Created);
        var c = await ecss.WaitForCaseAsync(caseId, c => Count(c, "visit") == 2);
        c["ecss"]!["visits"]!.AsArray().Should().HaveCount(2);
        c["ecss"]!["visits"]![0]!["care"]!.AsArray().Select(x => x!.GetValue<string>()).Should().Equal("personal-care", "emotional-support");

        var package = await ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/package", "coordinator",
            new { provider = "Peak Home Care", startsAt = DateTimeOffset.UtcNow.ToString("O") });
        package.StatusCode.Should().Be(HttpStatusCode.Accepted);

        c = await ecss.WaitForCaseAsync(caseId, c => Status(c) == "closed");
        c["closed"]!["reason"]!.GetValue<string>().Should().Be("package");
        c["ecss"]!["package"]!["provider"]!.GetValue<string>().Should().Be("Peak Home Care");
        Kinds(c).Should().ContainInOrder("hca-assigned", "visit", "visit", "package-arranged", "bridging-ended", "family-updated", "closed");
        (await ecss.TextsAsync(caseId)).Should().Contain(t => t.To == "+447700900789" && t.Message.Contains("longer-term care is now in place"));
        (await ecss.Services.GetRequiredService<HcaClaims>().AttendingAsync(ecss.Team)).Should().BeEmpty("the HCA is free for the next crisis");
        await Replay.RecordedHistories.SaveAsync(ecss.Host, caseId, "crisis-case-ecss-accepted-visits-package");
        await Replay.RecordedHistories.SaveAsync(ecss.Host, HcaDispatchWorkflow.InstanceId(caseId, 1), "hca-dispatch-accepted");
    }

    [Fact]
    public async Task OnlyTheAssignedHcaRecordsVisitsAndBadVisitsAreRefused()
    {
        await using var ecss = await EcssHost.StartAsync();
        var caseId = await BridgedCaseAsync(ecss);
        var arrived = DateTimeOffset.UtcNow.AddHours(-1);

        (await ecss.RecordVisitAsync(caseId, "hca-04", arrived, ["personal-care"])).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var bad = await ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/visits", "hca",
            new { arrivedAt = arrived.ToString("O"), leftAt = arrived.AddMinutes(-5).ToString("O"), care = new[] { "haircut" } }, userId: "hca-01");
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = JsonNode.Parse(await bad.Content.ReadAsStringAsync())!;
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(["leftAt", "care[0]"]);

        (await ecss.RecordVisitAsync(caseId, "hca-01", arrived, ["continence-care"])).StatusCode.Should().Be(HttpStatusCode.Created);
        (await ecss.RecordVisitAsync(caseId, "hca-01", arrived, ["continence-care"])).StatusCode.Should().Be(HttpStatusCode.OK, "a resent visit is recorded once");
        var c = await ecss.WaitForCaseAsync(caseId, c => Has(c, "visit"));
        c["ecss"]!["visits"]!.AsArray().Should().HaveCount(1);
    }

    [Fact]
    public async Task AVisitSentAgainWithOtherDetailsCorrectsIt()
    {
        await using var ecss = await EcssHost.StartAsync();
        var caseId = await BridgedCaseAsync(ecss);
        var arrived = DateTimeOffset.UtcNow.AddMinutes(-50);
        (await ecss.RecordVisitAsync(caseId, "hca-01", arrived, ["personal-care"])).StatusCode.Should().Be(HttpStatusCode.Created);

        var corrected = await ecss.RecordVisitAsync(caseId, "hca-01", arrived, ["personal-care", "continence-care"], "Pad changed too");
        var again = await ecss.RecordVisitAsync(caseId, "hca-01", arrived, ["personal-care", "continence-care"], "Pad changed too");

        corrected.StatusCode.Should().Be(HttpStatusCode.OK);
        var answer = JsonNode.Parse(await corrected.Content.ReadAsStringAsync())!;
        (answer["recorded"]!.GetValue<bool>(), answer["corrected"]!.GetValue<bool>()).Should().Be((true, true));
        JsonNode.Parse(await again.Content.ReadAsStringAsync())!["recorded"]!.GetValue<bool>().Should().BeFalse("the correction sent twice is a retry");
        var c = await ecss.WaitForCaseAsync(caseId, c => Has(c, "visit-corrected"));
        c["ecss"]!["visits"]!.AsArray().Single()!["care"]!.AsArray().Select(x => x!.GetValue<string>()).Should().Equal("personal-care", "continence-care");
        Count(c, "visit").Should().Be(1);
        Count(c, "visit-corrected").Should().Be(1);
    }

    [Fact]
    public async Task TheVisitAtADeathIsRecordedAfterTheCaseIsClosed()
    {
        await using var ecss = await EcssHost.StartAsync();
        var caseId = await BridgedCaseAsync(ecss);
        (await ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "coordinator",
            new { reason = "died", notes = "Died at home with the HCA and daughter present" })).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var closed = await ecss.WaitForCaseAsync(caseId, c => Status(c) == "closed");
        var closedAt = closed["closed"]!["at"]!.GetValue<DateTimeOffset>();

        Task<HttpResponseMessage> Visit(string hcaId, DateTimeOffset arrived, DateTimeOffset left, string notes = "") =>
            ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/visits", "hca",
                new { arrivedAt = arrived.ToString("O"), leftAt = left.ToString("O"), care = new[] { "comfort-call", "emotional-support" }, notes }, userId: hcaId);

        (await Visit("hca-04", closedAt.AddMinutes(-40), closedAt)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await Visit("hca-01", closedAt.AddSeconds(1), closedAt.AddSeconds(2))).StatusCode.Should().Be(HttpStatusCode.Conflict,
            "a visit that began after the close is not this case's");
        var atDeath = await Visit("hca-01", closedAt.AddMinutes(-40), closedAt, "With the family at the death");

        atDeath.StatusCode.Should().Be(HttpStatusCode.Created);
        var c = await ecss.WaitForCaseAsync(caseId, c => Has(c, "visit"));
        c["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "visit")!["summary"]!.GetValue<string>().Should().Contain("With the family at the death");
        (await ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/check-ins", "hca", new { notes = "" }, userId: "hca-01"))
            .StatusCode.Should().Be(HttpStatusCode.Conflict, "there is nobody to check in on");
        var mine = await ecss.Host.GetJsonAsStaffAsync("/api/ecss/my-cases", "hca", userId: "hca-01");
        mine["cases"]!.AsArray().Single(x => x!["caseId"]!.GetValue<string>() == caseId)!["closed"]!["reason"]!.GetValue<string>().Should().Be("died");
    }

    [Fact]
    public async Task SilentBridgeAndOverlongBridgeAreEscalatedToTheCoordinator()
    {
        await using var ecss = await EcssHost.StartAsync(new Dictionary<string, string?>
        {
            ["Ecss:CheckInHours"] = "0.002", ["Ecss:BridgingLimitHours"] = "0.003", ["Ecss:BridgingOverLimitRepeatHours"] = "0.002",
        });
        var caseId = await BridgedCaseAsync(ecss);

        var c = await ecss.WaitForCaseAsync(caseId, c => Has(c, "check-in-overdue") && Has(c, "bridging-over-limit", 2));

        var texts = await ecss.TextsAsync(caseId);
        texts.Should().Contain(t => t.To == Coordinator && t.Message.Contains("check-in"));
        texts.Should().Contain(t => t.To == Coordinator && t.Message.Contains("past the"));
        (await ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/check-ins", "hca", new { notes = "Phoned the daughter" }, userId: "hca-01"))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
        await ecss.WaitForCaseAsync(caseId, c => Has(c, "check-in"));
        await Replay.RecordedHistories.SaveAsync(ecss.Host, caseId, "crisis-case-ecss-check-in-overdue-over-limit-in-flight");
    }

    [Fact]
    public async Task HandoverOffersAnOpenCaseToTheIncomingShiftOncePerBoundary()
    {
        await using var ecss = await EcssHost.StartAsync();
        var caseId = await BridgedCaseAsync(ecss);
        var incoming = Shift.At(DateTimeOffset.UtcNow).Next.Next;
        await ecss.Roster.SetShiftAsync(incoming, ["hca-05", "hca-08", "hca-02"], "test", DateTimeOffset.UtcNow);
        var handover = ecss.Services.GetRequiredService<ShiftHandover>();
        var client = ecss.Services.GetRequiredService<DurableTaskClient>();

        (await handover.HandOverAsync(incoming, client)).Should().Be(1);
        await handover.HandOverAsync(incoming, client);

        var code = await ecss.OfferCodeAsync(caseId, "hca-02");
        await ecss.ReplyAsync("hca-02", $"YES {code}");
        var c = await ecss.WaitForCaseAsync(caseId, c => AssignedHca(c) == "hca-02");
        (await handover.HandOverAsync(incoming, client)).Should().Be(0, "the new HCA is on the incoming shift");
        c = await ecss.WaitForCaseAsync(caseId, c => Status(c) == "bridging");
        Count(c, "handover").Should().Be(1);
        Kinds(c).Should().ContainInOrder("hca-assigned", "handover", "dispatch-round", "hca-offered", "hca-accepted", "hca-assigned");
        c["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "handover")!["summary"]!.GetValue<string>()
            .Should().Contain("Amira Khan").And.Contain(Shift.KindName(incoming.Kind));
        (await ecss.Services.GetRequiredService<HcaClaims>().AttendingAsync(ecss.Team)).Keys.Should().Equal("hca-02");
        await Replay.RecordedHistories.SaveAsync(ecss.Host, caseId, "crisis-case-ecss-handover-in-flight");
    }

    [Fact]
    public async Task DeathSendsBereavementSignpostingOnceTheNextMorning()
    {
        await using var ecss = await EcssHost.StartAsync(new Dictionary<string, string?> { ["Ecss:SignpostingDelayMinutes"] = "0.05" });
        var caseId = await BridgedCaseAsync(ecss);

        (await ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "coordinator",
            new { reason = "died", notes = "Died peacefully at home, family present" })).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var c = await ecss.WaitForCaseAsync(caseId, c => Has(c, "bereavement-signposting"));
        Status(c).Should().Be("closed");
        (await ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "coordinator", new { reason = "died" }))
            .StatusCode.Should().Be(HttpStatusCode.Conflict);
        var client = ecss.Services.GetRequiredService<DurableTaskClient>();
        (await client.WaitForInstanceCompletionAsync(caseId, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token))
            .RuntimeStatus.Should().Be(OrchestrationRuntimeStatus.Completed);
        var texts = await ecss.TextsAsync(caseId);
        texts.Where(t => t.Message.Contains("sorry for your loss")).Should().ContainSingle()
            .Which.Should().Match<Workflows.Messaging.OutboxEntry>(t => t.To == "+447700900789" && t.Message.Contains("Bereavement"));
        await Replay.RecordedHistories.SaveAsync(ecss.Host, caseId, "crisis-case-ecss-died-while-bridging-signposted");
    }

    [Fact]
    public async Task DeathAtNightWaitsForNineInTheMorningToSignpost()
    {
        await using var ecss = await EcssHost.StartAsync();
        var caseId = await BridgedCaseAsync(ecss);

        (await ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "coordinator", new { reason = "died" }))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);

        var c = await ecss.WaitForCaseAsync(caseId, c => Status(c) == "closed" && Has(c, "bereavement-signposting-planned"));
        var closedAt = DateTimeOffset.Parse(c["closed"]!["at"]!.ToString());
        var expected = BereavementSignposting.NextMorning(closedAt);
        c["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "bereavement-signposting-planned")!["summary"]!
            .GetValue<string>().Should().Contain($"09:00 on {NodaTime.Instant.FromDateTimeOffset(expected).InZone(Shift.UkTime).Date:yyyy-MM-dd}");
        Has(c, "bereavement-signposting").Should().BeFalse();
        var instance = await ecss.Services.GetRequiredService<DurableTaskClient>().GetInstanceAsync(caseId);
        instance!.RuntimeStatus.Should().Be(OrchestrationRuntimeStatus.Running, "the case waits on a durable timer until the morning");
    }

    /// <summary>
    /// Version 2.0 on: the check-in clock runs from when the HCA reported, not from when the case got to the report. A
    /// check-in whose raise failed reaches the case only when the HCA sends it again, seconds later; the next check-in
    /// is due a check-in interval after the first send (older versions counted from the second).
    /// </summary>
    [Fact]
    public async Task ACheckInTheCaseHearsOfLateStartsTheClockWhenTheHcaReportedIt()
    {
        var checkInEvery = TimeSpan.FromHours(0.01);
        await using var ecss = await EcssHost.StartAsync(new Dictionary<string, string?> { ["Ecss:CheckInHours"] = "0.01" }, faults: true);
        var caseId = await BridgedCaseAsync(ecss);
        ecss.Host.Faults.FailNextRaise(caseId, EcssCaseWorkflow.CheckInEvent);
        Task<HttpResponseMessage> CheckIn() => ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/check-ins", "hca",
            new { notes = "Phoned the daughter: settled" }, userId: "hca-01");

        var reporting = DateTimeOffset.UtcNow;
        ((int)(await CheckIn()).StatusCode).Should().BeGreaterThanOrEqualTo(500, "the raise failed");
        var reported = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(8));
        (await CheckIn()).StatusCode.Should().Be(HttpStatusCode.Accepted);

        await ecss.WaitForCaseAsync(caseId, c => Has(c, "check-in") && Has(c, "check-in-overdue"), seconds: 120);
        var timeline = await ecss.Services.GetRequiredService<Workflows.CrisisCare.CaseTimeline>().ReadAsync(caseId);
        var due = timeline.Where(e => e.Kind == "check-in-overdue")
            .Select(e => DateTimeOffset.ParseExact(e.EventId[(e.EventId.LastIndexOf('-') + 1)..], "yyyyMMddHHmmssfff",
                System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal))
            .Where(d => d >= reporting + checkInEvery).Min();
        due.Should().BeOnOrBefore(reported + checkInEvery, "the clock runs from the first send, not from when the case heard of it");
    }

    [Fact]
    public async Task LongBridgeContinuesAsNewWithoutLosingAnyCheckIn()
    {
        await using var ecss = await EcssHost.StartAsync();
        var caseId = await BridgedCaseAsync(ecss);

        // More events than one execution handles, sent at once so some are pending when the case continues as new.
        await Task.WhenAll(Enumerable.Range(1, 30).Select(i => ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/check-ins", "hca",
            new { notes = $"Check-in {i}" }, userId: "hca-01")));

        var c = await ecss.WaitForCaseAsync(caseId, c => Count(c, "check-in") == 30);
        // The last check-in's activity writes the timeline before the case continues as new: wait for the new execution.
        var client = ecss.Services.GetRequiredService<DurableTaskClient>();
        var input = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !input.Contains("\"Phase\":\"bridging\"") && DateTime.UtcNow < deadline; await Task.Delay(200))
            input = (await client.GetInstanceAsync(caseId, getInputsAndOutputs: true))!.SerializedInput ?? "";
        input.Should().Contain("\"Phase\":\"bridging\"", "the case carried its ECSS state into a new execution");
        (await ecss.RecordVisitAsync(caseId, "hca-01", DateTimeOffset.UtcNow.AddHours(-1), ["comfort-call"])).StatusCode.Should().Be(HttpStatusCode.Created);
        await ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/package", "anp",
            new { provider = "District nursing and Peak Home Care", startsAt = DateTimeOffset.UtcNow.ToString("O") });
        c = await ecss.WaitForCaseAsync(caseId, c => Status(c) == "closed");
        Kinds(c).Should().ContainInOrder("visit", "package-arranged", "bridging-ended");
        Count(c, "check-in").Should().Be(30);
        await Replay.RecordedHistories.SaveAsync(ecss.Host, caseId, "crisis-case-ecss-continued-as-new-visit-package");
    }
}
