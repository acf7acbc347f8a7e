using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Options;
using Workflows.Tests.DistrictDirect;
using Workflows.Tests.Ecss;
using static Workflows.Tests.Ecss.EcssHost;

namespace Workflows.Tests.Hosting;

/// <summary>
/// Orchestration versions on the real local engine: a case started before versioning (no version) and one started on
/// the current version both run to completion on today's host, and a long bridge takes up the current version when it
/// continues as new. The upgrade: cases waiting in every state on an earlier version (the app before versioning, and
/// each version before this code's), the host stopped, this code on the same storage: every case completes as it would have.
/// The Functions app starts new instances on the same version (host.json).
/// </summary>
public sealed class OrchestrationVersionTests
{
    /// <summary>The app as it was before orchestration versioning: instances start with no version, any is run.</summary>
    private static void BeforeVersioning(IServiceCollection services)
    {
        services.Configure<DurableTaskClientOptions>(Options.DefaultName, o => o.DefaultVersion = "");
        services.Configure<DurableTaskWorkerOptions>(Options.DefaultName, o => o.Versioning = null);
    }

    /// <summary>The app as it was on <paramref name="version"/>: instances start on it, and it runs it or older.</summary>
    private static Action<IServiceCollection> OnVersion(string version) => version == "" ? BeforeVersioning : services =>
    {
        services.Configure<DurableTaskClientOptions>(Options.DefaultName, o => o.DefaultVersion = version);
        services.Configure<DurableTaskWorkerOptions>(Options.DefaultName, o => o.Versioning = new DurableTaskWorkerOptions.VersioningOptions
        {
            Version = version,
            DefaultVersion = version,
            MatchStrategy = DurableTaskWorkerOptions.VersionMatchStrategy.CurrentOrOlder,
            FailureStrategy = DurableTaskWorkerOptions.VersionFailureStrategy.Reject,
        });
    };

    /// <summary>
    /// A message the stopped host had taken (a step's completion, say) comes back to the next host after 10 s rather
    /// than 90: until it does, the case it belongs to waits.
    /// </summary>
    private static readonly Dictionary<string, string?> Restarted = new() { ["LocalHost:QueueVisibilitySeconds"] = "10" };

    /// <summary>The version the engine stored for the instance's current execution ("" for none).</summary>
    private static async Task<string> VersionAsync(TestHost host, string instanceId)
    {
        var instances = new TableClient(host.Azurite.ConnectionString, $"{host.TaskHub}Instances");
        var row = await instances.GetEntityAsync<TableEntity>(instanceId, "");
        return row.Value.GetString("Version") ?? "";
    }

    [Fact]
    public void FunctionsStartNewInstancesOnTheCurrentVersionAndLeaveNewerOnesAlone()
    {
        var durable = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "host.json")))!["extensions"]!["durableTask"]!;
        durable["defaultVersion"]!.GetValue<string>().Should().Be(OrchestrationVersions.Current);
        durable["versionMatchStrategy"]!.GetValue<string>().Should().Be("CurrentOrOlder");
        durable["versionFailureStrategy"]!.GetValue<string>().Should().Be("Reject", "a newer case waits for a worker with its code; it never fails");
    }

    [Fact]
    public async Task CasesStartedWithNoVersionAndOnTheCurrentVersionBothComplete()
    {
        string caseId, team, hub;
        await using (var before = await EcssHost.StartAsync(Restarted, services: BeforeVersioning))
        {
            (team, hub) = (before.Team, before.Host.TaskHub);
            caseId = await before.ReferToEcssAsync();
            await before.ReplyAsync("hca-01", $"YES {await before.OfferCodeAsync(caseId, "hca-01")}");
            await before.WaitForCaseAsync(caseId, c => Status(c) == "bridging");
            (await VersionAsync(before.Host, caseId)).Should().BeEmpty("the case started before versioning");
            await Replay.RecordedHistories.SaveAsync(before.Host, caseId, "crisis-case-unversioned-bridging-in-flight");
        }

        await using var ecss = await EcssHost.StartAsync(Restarted, team: team, taskHub: hub);
        var current = await ecss.Host.OpenCaseAsync();
        await ecss.Host.WaitForCaseAsync(current, c => Has(c, "case-opened"));
        (await VersionAsync(ecss.Host, current)).Should().Be(OrchestrationVersions.Current);
        (await ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{current}/triage", "anp", new { outcome = "advice", notes = "Advised on pain relief" }))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
        await ecss.Host.WaitForCaseAsync(current, c => Status(c) == "closed");

        // The case with no version carries on where it was, and takes up this version when its long bridge continues as new.
        await Task.WhenAll(Enumerable.Range(1, 25).Select(i => ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/check-ins", "hca",
            new { notes = $"Check-in {i}" }, userId: "hca-01")));
        await ecss.WaitForCaseAsync(caseId, c => Count(c, "check-in") == 25);
        var version = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(60); version != OrchestrationVersions.Current && DateTime.UtcNow < deadline; await Task.Delay(200))
            version = await VersionAsync(ecss.Host, caseId);
        version.Should().Be(OrchestrationVersions.Current, "the bridge continued as new on the current version");
        (await ecss.RecordVisitAsync(caseId, "hca-01", DateTimeOffset.UtcNow.AddHours(-1), ["comfort-call"])).StatusCode.Should().Be(HttpStatusCode.Created);
        (await ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/package", "coordinator",
            new { provider = "Peak Home Care", startsAt = DateTimeOffset.UtcNow.ToString("O") })).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var done = await ecss.WaitForCaseAsync(caseId, c => Status(c) == "closed");
        Kinds(done).Should().ContainInOrder("hca-assigned", "check-in", "visit", "package-arranged", "bridging-ended", "closed");
        Count(done, "check-in").Should().Be(25);
    }

    [Theory]
    [InlineData("")]
    [InlineData(OrchestrationVersions.CheckInClockFromReport)]
    public async Task CasesWaitingInEveryStateOnThePreviousVersionCompleteAfterTheUpgrade(string previousVersion)
    {
        string team, hub, waiting, referred, offered, offerCode, referral;
        List<string> spend;
        await using (var previous = await EcssHost.StartAsync(Restarted, services: OnVersion(previousVersion)))
        {
            (team, hub) = (previous.Team, previous.Host.TaskHub);
            var host = previous.Host;
            waiting = await host.OpenCaseAsync();
            referred = await host.OpenCaseAsync();
            await host.WaitForCaseAsync(referred, c => Has(c, "case-opened"));
            (await host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{referred}/triage", "anp",
                new { outcome = "refer", notes = "Needs consultant advice on breathlessness", needs = new[] { "specialist-advice" } })).StatusCode.Should().Be(HttpStatusCode.Accepted);
            offered = await previous.ReferToEcssAsync();
            offerCode = await previous.OfferCodeAsync(offered, "hca-01");
            referral = await host.ReferAsync();
            await host.WaitForReferralAsync(referral, r => Has(r, "referral-received"));
            spend = await host.AssessAsync(referral, ("Deep clean of kitchen and bathroom", 45_000, "Derby Clean Co"));
            await host.WaitForReferralAsync(referral, r => Has(r, "approval-requested"));
            await host.WaitForCaseAsync(waiting, c => Has(c, "case-opened"));
            await host.WaitForCaseAsync(referred, c => Status(c) == "referred");
            foreach (var id in new[] { waiting, referred, offered, Workflows.DistrictDirect.ReferralRecord.InstanceIdFor(referral) })
                (await VersionAsync(host, id)).Should().Be(previousVersion);
        }

        await using var next = await EcssHost.StartAsync(Restarted, team: team, taskHub: hub);
        var h = next.Host;
        (await h.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{waiting}/triage", "anp", new { outcome = "advice", notes = "Talked the carer through the syringe driver" }))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await h.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{referred}/close", "coordinator", new { reason = "resolved", notes = "Seen by the consultant" }))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
        await next.ReplyAsync("hca-01", $"YES {offerCode}");
        await next.WaitForCaseAsync(offered, c => Status(c) == "bridging");
        (await h.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{offered}/package", "coordinator",
            new { provider = "Peak Home Care", startsAt = DateTimeOffset.UtcNow.ToString("O") })).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await h.DecideAsync(spend[0], "approve")).StatusCode.Should().Be(HttpStatusCode.OK);
        await h.WaitForReferralAsync(referral, r => Status(r) == "awaiting-discharge");
        (await h.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/referrals/{referral}/discharged", "dd-officer",
            new { dischargedAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:sszzz") }, Referrals.Officer)).StatusCode.Should().Be(HttpStatusCode.OK);

        Kinds(await h.WaitForCaseAsync(waiting, c => Status(c) == "closed" && Has(c, "closed"))).Should().ContainInOrder("case-opened", "triaged", "closed");
        Kinds(await h.WaitForCaseAsync(referred, c => Status(c) == "closed" && Has(c, "closed"))).Should().ContainInOrder("case-opened", "triaged", "referred", "closed");
        Kinds(await next.WaitForCaseAsync(offered, c => Status(c) == "closed" && Has(c, "closed")))
            .Should().ContainInOrder("triaged", "hca-offered", "hca-accepted", "hca-assigned", "package-arranged", "bridging-ended", "closed");
        Kinds(await h.WaitForReferralAsync(referral, r => Status(r) == "discharged"))
            .Should().ContainInOrder("referral-received", "assessed", "approval-requested", "spend-approved", "approvals-complete", "discharged");
    }
}
