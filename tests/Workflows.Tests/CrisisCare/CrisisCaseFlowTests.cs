using Workflows.Storage;
using Microsoft.DurableTask.Client;
using System.Net;
using System.Text.Json.Nodes;
using Workflows.CrisisCare;
using Workflows.Messaging;

namespace Workflows.Tests.CrisisCare;

/// <summary>A crisis case from the 111 call to the ANP's decision, on the Azurite-backed durable engine.</summary>
public sealed class CrisisCaseFlowTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string[] Kinds(JsonNode c) => c["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToArray();

    private static string Status(JsonNode c) => c["status"]!.GetValue<string>();

    private async Task<string> TriagedCaseAsync(object decision)
    {
        var caseId = await _host.OpenCaseAsync();
        await _host.WaitForCaseAsync(caseId, c => Kinds(c).Contains("case-opened"));
        var r = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", decision);
        r.StatusCode.Should().Be(HttpStatusCode.Accepted, await r.Content.ReadAsStringAsync());
        return caseId;
    }

    [Fact]
    public async Task NewCallWaitsInTheTriageQueue()
    {
        var caseId = await _host.OpenCaseAsync();

        var queue = await _host.GetJsonAsStaffAsync("/api/triage/queue", "anp");

        var entry = queue["cases"]!.AsArray().Single(c => c!["caseId"]!.GetValue<string>() == caseId)!;
        entry["minutesWaited"]!.GetValue<int>().Should().BeInRange(0, 1);
        entry["overdue"]!.GetValue<bool>().Should().BeFalse();
        var c = await _host.WaitForCaseAsync(caseId, c => Kinds(c).Contains("case-opened"));
        Status(c).Should().Be("awaiting-triage");
    }

    [Fact]
    public async Task AdviceClosesTheCaseWithTheAnpsNotes()
    {
        var caseId = await TriagedCaseAsync(new { outcome = "advice", notes = "Talked the daughter through resetting the syringe driver" });

        var closed = await _host.WaitForCaseAsync(caseId, c => Status(c) == "closed");

        closed["closed"]!["reason"]!.GetValue<string>().Should().Be("advice");
        closed["triage"]!["notes"]!.GetValue<string>().Should().Contain("syringe driver");
        Kinds(closed).Should().ContainInOrder("case-opened", "triaged", "closed");
        await Replay.RecordedHistories.SaveAsync(_host, caseId, "crisis-case-advice");
        var queue = await _host.GetJsonAsStaffAsync("/api/triage/queue", "anp");
        queue["cases"]!.AsArray().Should().NotContain(c => c!["caseId"]!.GetValue<string>() == caseId);
    }

    [Fact]
    public async Task PrescriptionClosesTheCase()
    {
        var caseId = await TriagedCaseAsync(new { outcome = "prescription", notes = "EPS issued for midazolam PRN to the out-of-hours pharmacy" });

        var closed = await _host.WaitForCaseAsync(caseId, c => Status(c) == "closed");

        closed["closed"]!["reason"]!.GetValue<string>().Should().Be("prescription");
        closed["triage"]!["by"]!.GetValue<string>().Should().Be("Test anp");
        await Replay.RecordedHistories.SaveAsync(_host, caseId, "crisis-case-prescription");
    }

    [Fact]
    public async Task ReferralByNeedGoesToAServiceThatIsOpen()
    {
        // The specialist advice line is open 24/7, so this referral always finds an open service.
        var caseId = await TriagedCaseAsync(new { outcome = "refer", notes = "Needs consultant advice on breathlessness", needs = new[] { "specialist-advice" } });

        var referred = await _host.WaitForCaseAsync(caseId, c => Status(c) == "referred");

        referred["referral"]!["serviceId"]!.GetValue<string>().Should().Be("palliative-advice-line");
        referred["referral"]!["openAtReferral"]!.GetValue<bool>().Should().BeTrue();
        referred["referral"]!["route"]!["method"]!.GetValue<string>().Should().Be("phone");
        Kinds(referred).Should().ContainInOrder("case-opened", "triaged", "referred");
        await Replay.RecordedHistories.SaveAsync(_host, caseId, "crisis-case-referred-in-flight");
    }

    [Fact]
    public async Task ReferralToANamedServiceRecordsItsRoute()
    {
        var caseId = await TriagedCaseAsync(new { outcome = "refer", notes = "Known to the night roaming team", serviceId = "night-roaming-service" });

        var referred = await _host.WaitForCaseAsync(caseId, c => Status(c) == "referred");

        referred["referral"]!["serviceName"]!.GetValue<string>().Should().Be("Night Roaming Service");
        referred["referral"]!["route"]!["contact"]!.GetValue<string>().Should().Be("+441164960103");
        var summary = referred["timeline"]!.AsArray().Last()!["summary"]!.GetValue<string>();
        summary.Should().Contain("Night Roaming Service");
    }

    [Fact]
    public async Task EcssReferralLeavesTheTriageQueue()
    {
        var caseId = await TriagedCaseAsync(new { outcome = "ecss", notes = "Carer exhausted, package not started" });

        var c = await _host.WaitForCaseAsync(caseId, c => Kinds(c).Contains("ecss-referred"));

        Status(c).Should().NotBe("awaiting-triage");
        c["triage"]!["outcome"]!.GetValue<string>().Should().Be("ecss");
    }

    [Fact]
    public async Task OpenCasesListsTriagedCasesUntilTheyAreClosed()
    {
        var referred = await TriagedCaseAsync(new { outcome = "refer", notes = "Consultant advice", needs = new[] { "specialist-advice" } });
        var advised = await TriagedCaseAsync(new { outcome = "advice", notes = "Settled" });
        await _host.WaitForCaseAsync(referred, c => Status(c) == "referred");
        await _host.WaitForCaseAsync(advised, c => Status(c) == "closed");

        var open = (await _host.GetJsonAsStaffAsync("/api/cases", "coordinator"))["cases"]!.AsArray();
        var onlyBridging = (await _host.GetJsonAsStaffAsync("/api/cases?status=bridging", "anp"))["cases"]!.AsArray();
        var bad = await _host.SendAsStaffAsync(HttpMethod.Get, "/api/cases?status=closed", "coordinator");

        var entry = open.Single(c => c!["caseId"]!.GetValue<string>() == referred)!;
        (entry["status"]!.GetValue<string>(), entry["referredTo"]!.GetValue<string>()).Should().Be(("referred", "Specialist Palliative Care Advice Line"));
        open.Should().NotContain(c => c!["caseId"]!.GetValue<string>() == advised);
        onlyBridging.Should().NotContain(c => c!["caseId"]!.GetValue<string>() == referred);
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        (await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{referred}/close", "coordinator", new { reason = "resolved" })).EnsureSuccessStatusCode();
        await _host.WaitForCaseAsync(referred, c => Status(c) == "closed");
        (await _host.GetJsonAsStaffAsync("/api/cases", "coordinator"))["cases"]!.AsArray().Should().NotContain(c => c!["caseId"]!.GetValue<string>() == referred);
    }

    [Fact]
    public async Task SecondTriageOfTheSameCaseIsRefused()
    {
        var caseId = await TriagedCaseAsync(new { outcome = "advice", notes = "first" });

        var second = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", new { outcome = "ecss", notes = "second" });

        second.StatusCode.Should().Be(HttpStatusCode.Conflict);
        second.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var c = await _host.WaitForCaseAsync(caseId, c => Status(c) == "closed");
        c["triage"]!["outcome"]!.GetValue<string>().Should().Be("advice");
    }

    [Fact]
    public async Task TwoAnpsTriagingAtOnceGetOneOutcome()
    {
        var caseId = await _host.OpenCaseAsync();

        var answers = await Task.WhenAll(
            _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", new { outcome = "advice", notes = "a" }, "anp-a"),
            _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", new { outcome = "prescription", notes = "b" }, "anp-b"));

        answers.Select(a => a.StatusCode).Should().BeEquivalentTo([HttpStatusCode.Accepted, HttpStatusCode.Conflict]);
        var c = await _host.WaitForCaseAsync(caseId, c => Status(c) == "closed");
        Kinds(c).Count(k => k == "triaged").Should().Be(1);
    }

    [Fact]
    public async Task CoordinatorCanCloseACaseBeforeTriage()
    {
        var caseId = await _host.OpenCaseAsync();

        var r = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "coordinator", new { reason = "admitted", notes = "Admitted by ambulance crew" });

        r.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var c = await _host.WaitForCaseAsync(caseId, c => Status(c) == "closed");
        c["closed"]!["reason"]!.GetValue<string>().Should().Be("admitted");
        var late = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", new { outcome = "advice", notes = "too late" });
        late.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task TriageOfAnUnknownCaseIsNotFound()
    {
        var r = await _host.SendAsStaffAsync(HttpMethod.Post, "/api/cases/case-00000000000000000000/triage", "anp", new { outcome = "advice", notes = "x" });

        r.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OpenNowListsServicesForANeedWithTheirReferralRoute()
    {
        var open = await _host.GetJsonAsStaffAsync("/api/directory/open-now?need=specialist-advice", "anp");

        var services = open["services"]!.AsArray();
        services.Should().Contain(s => s!["id"]!.GetValue<string>() == "palliative-advice-line");
        services.Should().OnlyContain(s => s!["referral"]!["contact"] != null);
        services.Single(s => s!["id"]!.GetValue<string>() == "palliative-advice-line")!["needs"]!.AsArray().Select(n => n!.GetValue<string>())
            .Should().Equal("specialist-advice", "symptom-control", "medication");
        var all = (await _host.GetJsonAsStaffAsync("/api/directory/open-now", "anp"))["services"]!.AsArray();
        all.SelectMany(s => s!["needs"]!.AsArray().Select(n => n!.GetValue<string>())).Should().OnlyContain(n => Workflows.CareDirectory.Needs.Known.Contains(n),
            "the triage form offers these needs, and triage takes only the known ones");
    }
}

/// <summary>The response timer: an untriaged case escalates to the coordinator, again and again, until triaged.</summary>
public sealed class TriageEscalationTests : IAsyncLifetime
{
    private const string Coordinator = "+447700900001";
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(new Dictionary<string, string?>
    {
        ["CrisisCare:TriageResponseMinutes"] = "0.03",
        ["CrisisCare:TriageEscalationRepeatMinutes"] = "0.03",
        ["CrisisCare:CoordinatorPhone"] = Coordinator,
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task OverdueTriageEscalatesToTheCoordinatorUntilTriaged()
    {
        var caseId = await _host.OpenCaseAsync();

        var overdue = await _host.WaitForCaseAsync(caseId,
            c => c["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "triage-overdue") >= 2);
        overdue["escalations"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(2);
        var queue = await _host.GetJsonAsStaffAsync("/api/triage/queue", "anp");
        queue["cases"]!.AsArray().Single(c => c!["caseId"]!.GetValue<string>() == caseId)!["overdue"]!.GetValue<bool>().Should().BeTrue();

        var outbox = await _host.Services.GetRequiredService<LocalSmsSink>().OutboxAsync(1000);
        var alerts = outbox.Where(m => m.Tag == caseId && m.To == Coordinator).ToList();
        alerts.Should().HaveCountGreaterThanOrEqualTo(2);
        alerts.Should().OnlyContain(m => !m.Message.Contains("Breathless") && !m.Message.Contains("Ashworth") && !m.Message.Contains("9990079196"));

        var r = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", new { outcome = "advice", notes = "Called back" });
        r.StatusCode.Should().Be(HttpStatusCode.Accepted);
        await _host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "closed");
        await Replay.RecordedHistories.SaveAsync(_host, caseId, "crisis-case-triage-overdue-escalated-advice");
    }

    /// <summary>
    /// An untriaged case escalates on its interval for as long as it waits, each escalation on the timeline, but the
    /// coordinator is texted every time only for the first four, then whenever the backoff has passed since the last text
    /// (hourly; 6 s here): a case nobody triages texted them 96 times a day (H26).
    /// </summary>
    [Fact]
    public async Task AfterTheFourthEscalationTheCoordinatorIsTextedOncePerBackoff()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["CrisisCare:TriageResponseMinutes"] = "0.02",
            ["CrisisCare:TriageEscalationRepeatMinutes"] = "0.02",
            ["CrisisCare:TriageTextBackoffMinutes"] = "0.1",
            ["CrisisCare:CoordinatorPhone"] = Coordinator,
        });
        var caseId = await host.OpenCaseAsync();

        // Until a text after the fourth has gone, with escalations that were not texted before it.
        var c = await host.WaitForCaseAsync(caseId, c => Escalations(c).Any(e => e.N > 4 && !e.Texted) && Escalations(c).Any(e => e.N > 5 && e.Texted),
            TimeSpan.FromMinutes(2));

        var escalations = Escalations(c);
        escalations.Select(e => e.N).Should().Equal(Enumerable.Range(1, escalations.Count), "every escalation is on the timeline");
        escalations.Take(4).Should().OnlyContain(e => e.Texted);
        var lastText = escalations[3].At;
        foreach (var e in escalations.Skip(4))
        {
            e.Texted.Should().Be(e.At - lastText >= TimeSpan.FromMinutes(0.1), $"escalation {e.N} is texted once the backoff has passed since the last text");
            if (e.Texted) lastText = e.At;
        }
        var outbox = await host.Services.GetRequiredService<LocalSmsSink>().OutboxAsync(1000, tag: caseId);
        outbox.Count(m => m.To == Coordinator).Should().BeGreaterThanOrEqualTo(escalations.Count(e => e.Texted)).And.BeLessThan(escalations.Count);
    }

    /// <summary>
    /// A case nobody triages continues as new every few escalations (3.0), so its history stops growing; the wait goes
    /// on as one: every escalation once and in order, the case opened once, and the triage taken as its next step.
    /// </summary>
    [Fact]
    public async Task AWaitLongerThanOneExecutionContinuesAsNewAndKeepsEveryEscalation()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["CrisisCare:TriageResponseMinutes"] = "0.01",
            ["CrisisCare:TriageEscalationRepeatMinutes"] = "0.01",
            ["CrisisCare:CoordinatorPhone"] = Coordinator,
        });
        var caseId = await host.OpenCaseAsync();
        var beyond = CrisisCaseWorkflow.EscalationsPerExecution + 2;

        var c = await host.WaitForCaseAsync(caseId, c => Escalations(c).Count >= beyond, TimeSpan.FromMinutes(2));
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        var instance = await client.GetInstanceAsync(caseId, getInputsAndOutputs: true);
        instance!.SerializedInput.Should().Contain("\"Waiting\"", "the wait continued as new, carrying where it stood");
        instance.RuntimeStatus.Should().Be(OrchestrationRuntimeStatus.Running);

        (await host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", new { outcome = "advice", notes = "Called back" }))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
        c = await host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "closed"
                                                     && c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "closed"));
        var escalations = Escalations(c);
        escalations.Select(e => e.N).Should().Equal(Enumerable.Range(1, escalations.Count), "every escalation is on the timeline once");
        escalations.Count.Should().BeGreaterThanOrEqualTo(beyond);
        var timeline = await host.Services.GetRequiredService<CaseTimeline>().ReadAsync(caseId);
        timeline.Where(e => e.Kind is "case-opened" or "triaged" or "closed").Select(e => (e.Kind, e.EventId)).Should().Equal(
            [("case-opened", StepIds.For(caseId, 1)), ("triaged", StepIds.For(caseId, 2)), ("closed", StepIds.For(caseId, 3))],
            "the case is opened once, and the steps after the wait count on as if it had never continued");
        await Replay.RecordedHistories.SaveAsync(host, caseId, "crisis-case-triage-wait-continued-as-new-advice");
    }

    private static List<(int N, DateTimeOffset At, bool Texted)> Escalations(JsonNode c) =>
        c["timeline"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "triage-overdue").Select(e =>
        {
            var summary = e!["summary"]!.GetValue<string>();
            var n = int.Parse(System.Text.RegularExpressions.Regex.Match(summary, @"escalation (\d+)").Groups[1].Value);
            return (n, e["at"]!.GetValue<DateTimeOffset>(), !summary.Contains("Not texted", StringComparison.Ordinal));
        }).OrderBy(e => e.n).ToList();

    /// <summary>
    /// A host killed just after the ANP's triage ran its step, back after the response target passed: the episode run
    /// again can take the overdue timer before the triage. The triage must land on the row its first run wrote, not a
    /// second one, and so must every step after it (H17; the SIGKILL test found "triaged" twice).
    /// </summary>
    [Fact]
    public async Task TriageTakenAfterAnOverdueTimerIsTheStepItsFirstRunRecorded()
    {
        var caseId = await _host.OpenCaseAsync();
        // What the first run wrote, having taken the triage before the timer: OpenCase is the case's 1st step, RecordTriage its 2nd.
        await _host.Services.GetRequiredService<CaseTimeline>().AppendAsync(
            new TimelineEntry(caseId, StepIds.For(caseId, 2), DateTimeOffset.UtcNow, "triaged", "Test anp", "Triaged by the ANP: advice. Called back"));

        await _host.WaitForCaseAsync(caseId, c => c["escalations"]!.GetValue<int>() >= 1);
        (await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", new { outcome = "advice", notes = "Called back" }))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);

        var closed = await _host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "closed" &&
            c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "closed"));
        var kinds = closed["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToList();
        kinds.Count(k => k == "triaged").Should().Be(1);
        kinds.Should().Contain("triage-overdue");
    }
}

/// <summary>The minutes the coordinator's overdue text gives, as the case counts them when its timer wakes it.</summary>
public sealed class TriageOverdueMinutesTests
{
    [Fact]
    public void ACaseWokenAMomentBeforeItsTargetHasWaitedTheWholeTarget()
    {
        var received = new DateTimeOffset(2026, 11, 24, 21, 0, 0, 400, TimeSpan.Zero);
        var due = received.UtcDateTime.AddMinutes(15);

        CrisisCaseWorkflow.MinutesWaited(received, due, due.AddMilliseconds(-700)).Should().Be(15, "the timer was due at 15 minutes");
        CrisisCaseWorkflow.MinutesWaited(received, due, due.AddSeconds(75)).Should().Be(16);
        CrisisCaseWorkflow.MinutesWaited(received, due.AddMinutes(15), due.AddMinutes(15).AddMilliseconds(-1)).Should().Be(30, "the repeat was due at 30");
    }
}

/// <summary>A patient who dies before anyone triages the call: the family still hears about bereavement support, once.</summary>
public sealed class DeathBeforeTriageTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(new Dictionary<string, string?>
    {
        ["Ecss:SignpostingDelayMinutes"] = "0.02",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task DeathBeforeTriageSignpostsBereavementSupportToConsentedFamilyOnce()
    {
        var caseId = await _host.OpenCaseAsync();

        var r = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "coordinator", new { reason = "died", notes = "GP verified the death" });
        r.StatusCode.Should().Be(HttpStatusCode.Accepted);

        await _host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "bereavement-signposting"));
        var texts = (await _host.Services.GetRequiredService<LocalSmsSink>().OutboxAsync(1000)).Where(m => m.Tag == caseId).ToList();
        texts.Where(m => m.Message.Contains("sorry for your loss")).Select(m => m.To).Should().Equal("+447700900789");
        texts.Should().NotContain(m => m.To == "+447700900790", "the son did not consent to texts");
        await Replay.RecordedHistories.SaveAsync(_host, caseId, "crisis-case-died-before-triage-signposted");
    }

    /// <summary>
    /// A case referred to a service has no orchestration running: closed as died later, it was closed directly with no
    /// signposting. It is closed by a closing orchestration of its own, as any other case (H25).
    /// </summary>
    [Fact]
    public async Task ReferredCaseClosedAsDiedSignpostsBereavementSupport()
    {
        var caseId = await _host.OpenCaseAsync();
        await _host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "case-opened"));
        (await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp",
            new { outcome = "refer", notes = "Needs the night roaming team", serviceId = "night-roaming-service" })).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await _host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "referred");

        var r = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "coordinator", new { reason = "died", notes = "Died overnight" });
        var again = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "coordinator", new { reason = "died", notes = "Died overnight" });

        r.StatusCode.Should().Be(HttpStatusCode.Accepted);
        ((int)again.StatusCode).Should().BeOneOf(202, 409);
        var closed = await _host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "bereavement-signposting"));
        closed["status"]!.GetValue<string>().Should().Be("closed");
        closed["closed"]!["reason"]!.GetValue<string>().Should().Be("died");
        closed["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "closed").Should().Be(1);
        var texts = (await _host.Services.GetRequiredService<LocalSmsSink>().OutboxAsync(1000)).Where(m => m.Tag == caseId).ToList();
        texts.Where(m => m.Message.Contains("sorry for your loss")).Select(m => m.To).Should().Equal("+447700900789");
    }
}
