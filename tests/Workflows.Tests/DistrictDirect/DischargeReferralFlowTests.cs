using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Messaging;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Workflows.Storage;
using static Workflows.Tests.DistrictDirect.Referrals;

namespace Workflows.Tests.DistrictDirect;

/// <summary>District Direct referrals on the Azurite-backed durable engine, through the HTTP routes.</summary>
public sealed class DischargeReferralFlowTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ReferralRunsFromIntakeThroughApprovalAndInvoiceToBedDaysSaved()
    {
        var id = await _host.ReferAsync(Body(fitDaysAgo: 2));
        await _host.WaitForReferralAsync(id, r => Has(r, "referral-received"));

        var spend = await _host.AssessAsync(id, ("Deep clean of kitchen and bathroom", 45_000, "Derby Clean Co"), ("Key safe fitted", 8_500, "Safe Hands Locks"));
        spend.Should().HaveCount(2);
        await _host.WaitForReferralAsync(id, r => r["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "approval-requested") == 2);
        (await _host.TextsAsync(id)).Where(t => t.To == OfficerPhone && t.Message.Contains("APPROVE"))
            .Should().HaveCount(2).And.OnlyContain(t => !t.Message.Contains("Edith") && !t.Message.Contains("9434765919"));

        foreach (var s in spend)
            (await _host.DecideAsync(s, "approve")).StatusCode.Should().Be(HttpStatusCode.OK);
        var approved = await _host.WaitForReferralAsync(id, r => Status(r) == "awaiting-discharge");
        approved["spendPence"]!.GetValue<long>().Should().Be(53_500);

        var invoice = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/spend-requests/{spend[0]}/invoice", "dd-officer", new { amountPence = 40_000 });
        invoice.StatusCode.Should().Be(HttpStatusCode.OK, await invoice.Content.ReadAsStringAsync());
        (await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/spend-requests/{spend[1]}/invoice", "dd-officer", new { amountPence = 8_500 }))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        var discharged = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/referrals/{id}/discharged", "dd-officer",
            new { dischargedAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:sszzz") }, Officer);
        discharged.StatusCode.Should().Be(HttpStatusCode.OK, await discharged.Content.ReadAsStringAsync());

        var done = await _host.WaitForReferralAsync(id, r => Status(r) == "discharged");
        done["discharge"]!["dtocDays"]!.GetValue<int>().Should().Be(2);
        done["discharge"]!["bedDaysSaved"]!.GetValue<int>().Should().Be(8, "10 days' average delay less the 2 days it took");
        done["spendPence"]!.GetValue<long>().Should().Be(48_500, "the deep clean came in £50 under its approval, which went back to the fund");
        done["spentPence"]!.GetValue<long>().Should().Be(48_500);
        done["spendRequests"]!.AsArray().Select(s => s!["status"]!.GetValue<string>()).Should().AllBe("invoiced");
        done["spendRequests"]![0]!["releasedPence"]!.GetValue<long>().Should().Be(5_000);
        done["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).Should()
            .ContainInOrder("referral-received", "assessed", "approval-requested", "spend-approved", "approvals-complete", "spend-invoiced", "discharged");
        await WaitUntilAsync(async () => (await _host.InstanceAsync(id))?.RuntimeStatus == OrchestrationRuntimeStatus.Completed);
        await Replay.RecordedHistories.SaveAsync(_host, Workflows.DistrictDirect.ReferralRecord.InstanceIdFor(id), "discharge-referral-approved-discharged");
    }

    [Fact]
    public async Task OfficerApprovesByReplyingToTheText()
    {
        var id = await _host.ReferAsync();
        var spend = await _host.AssessAsync(id, ("Deep clean", 30_000, "Derby Clean Co"));
        var code = await CodeTextedToAsync(id, OfficerPhone);

        var outcome = await _host.Services.GetRequiredService<SmsInbox>().ReceiveAsync(
            new InboundSms($"Incoming_{Guid.NewGuid():N}", OfficerPhone, $"APPROVE {code}", DateTimeOffset.UtcNow),
            _host.Services.GetRequiredService<DurableTaskClient>());

        outcome.Should().Be(InboundOutcome.Applied);
        var referral = await _host.WaitForReferralAsync(id, r => Status(r) == "awaiting-discharge");
        referral["spendRequests"]![0]!["status"]!.GetValue<string>().Should().Be("approved");
        referral["spendRequests"]![0]!["decidedVia"]!.GetValue<string>().Should().Be("sms");
        referral["spendRequests"]![0]!["spendRequestId"]!.GetValue<string>().Should().Be(spend[0]);
        referral["spendPence"]!.GetValue<long>().Should().Be(30_000);
        (await _host.TextsAsync(id)).Should().Contain(t => t.To == OfficerPhone && t.Message.Contains("is approved"));
    }

    [Fact]
    public async Task SpendAboveTheOfficersLimitIsTextedToTheManagerWhoseRejectionIsRecorded()
    {
        var id = await _host.ReferAsync();
        await _host.AssessAsync(id, ("Full rewire", 400_000, "Peak Electrical"));
        var code = await CodeTextedToAsync(id, ManagerPhone);
        (await _host.TextsAsync(id)).Should().NotContain(t => t.To == OfficerPhone && t.Message.Contains("APPROVE"));

        var inbox = _host.Services.GetRequiredService<SmsInbox>();
        var client = _host.Services.GetRequiredService<DurableTaskClient>();
        (await inbox.ReceiveAsync(new InboundSms($"Incoming_{Guid.NewGuid():N}", OfficerPhone, $"APPROVE {code}", DateTimeOffset.UtcNow), client))
            .Should().Be(InboundOutcome.Ignored, "the code was sent to the manager's phone");
        (await inbox.ReceiveAsync(new InboundSms($"Incoming_{Guid.NewGuid():N}", ManagerPhone, $"reject {code}", DateTimeOffset.UtcNow), client))
            .Should().Be(InboundOutcome.Applied);

        var referral = await _host.WaitForReferralAsync(id, r => Status(r) == "awaiting-discharge");
        referral["spendRequests"]![0]!["status"]!.GetValue<string>().Should().Be("rejected");
        referral["spendRequests"]![0]!["reason"]!.GetValue<string>().Should().Be("Rejected by SMS reply.");
        referral["spendPence"]!.GetValue<long>().Should().Be(0);
        await Replay.RecordedHistories.SaveAsync(_host, Workflows.DistrictDirect.ReferralRecord.InstanceIdFor(id), "discharge-referral-over-limit-rejected-in-flight");
    }

    private async Task<string> CodeTextedToAsync(string referralId, string phone)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var text = (await _host.TextsAsync(referralId)).FirstOrDefault(t => t.To == phone && t.Message.Contains("Reply APPROVE"));
            if (text is not null) return Regex.Match(text.Message, @"APPROVE (\w+)").Groups[1].Value;
            await Task.Delay(150);
        }
        throw new TimeoutException($"No approval code was texted to {phone} for {referralId}.");
    }

    [Fact]
    public async Task TheSameReferralSentTwiceMakesOneReferral()
    {
        var body = Body();
        var first = await _host.SubmitAsync(body);
        var second = await _host.SubmitAsync(body);

        first.StatusCode.Should().Be(HttpStatusCode.Accepted);
        second.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await second.Content.ReadAsStringAsync()).Should().Be(await first.Content.ReadAsStringAsync());
        var id = body["referralId"]!.GetValue<string>();
        var referral = await _host.WaitForReferralAsync(id, r => Has(r, "referral-received"));
        referral["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "referral-received").Should().Be(1);
        (await _host.InstanceAsync(id))!.InstanceId.Should().Be($"dd-{id}");
    }

    [Fact]
    public async Task InvalidReferralIsRefusedFieldByFieldAndNothingIsStored()
    {
        var body = Body();
        body["source"] = "gp";
        body["hospital"] = "st-elsewhere";
        body["patient"]!["nhsNumber"] = "9434765918";
        body["blockers"] = new JsonArray("clutter", "moat");
        var r = await _host.SubmitAsync(body);

        r.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        r.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var errors = JsonNode.Parse(await r.Content.ReadAsStringAsync())!["errors"]!.AsObject().Select(e => e.Key);
        errors.Should().BeEquivalentTo(["source", "hospital", "patient.nhsNumber", "blockers[1]"]);
        var missing = await _host.SendAsStaffAsync(HttpMethod.Get, $"/api/district-direct/referrals/{body["referralId"]}", "dd-officer");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OtherBlockerNeedsItsTextAndFurnitureIsUnderstood()
    {
        var body = Body(blockers: ["other", "furniture"]);
        var refused = await _host.SubmitAsync(body);
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("otherBlocker");

        body["otherBlocker"] = "Front door lock broken";
        var id = await _host.ReferAsync(body);
        var referral = await _host.ReferralAsync(id);
        referral["blockers"]!.AsArray().Select(b => b!.GetValue<string>()).Should().Equal("other", "furniture-removal");
    }

    [Fact]
    public async Task OfficerApprovalBeyondTheOfficerLimitNeedsAManager()
    {
        var id = await _host.ReferAsync();
        var spend = await _host.AssessAsync(id, ("Boiler repair", 120_000, "Peak Heating"), ("Bed removal and replacement", 60_000, "Derby Removals"));

        (await _host.DecideAsync(spend[0], "approve")).StatusCode.Should().Be(HttpStatusCode.OK);
        var refused = await _host.DecideAsync(spend[1], "approve");

        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        problem["title"]!.GetValue<string>().Should().Be("A manager must approve");
        problem["limitPence"]!.GetValue<long>().Should().Be(150_000);
        (await _host.ReferralAsync(id))["spendRequests"]![1]!["status"]!.GetValue<string>().Should().Be("pending");

        var byManager = await _host.DecideAsync(spend[1], "approve", role: "dd-manager", userId: "dd-rdh-manager");
        byManager.StatusCode.Should().Be(HttpStatusCode.OK);
        (await _host.WaitForReferralAsync(id, r => Status(r) == "awaiting-discharge"))["spendPence"]!.GetValue<long>().Should().Be(180_000);
    }

    [Fact]
    public async Task RejectedItemKeepsItsReasonAndCommitsNothing()
    {
        var id = await _host.ReferAsync();
        var spend = await _host.AssessAsync(id, ("New carpets throughout", 240_000, "Floors R Us"));

        var noReason = await _host.DecideAsync(spend[0], "reject", role: "dd-manager", userId: "dd-rdh-manager");
        noReason.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var rejected = await _host.DecideAsync(spend[0], "reject", role: "dd-manager", reason: "Not needed for a safe discharge", userId: "dd-rdh-manager");
        rejected.StatusCode.Should().Be(HttpStatusCode.OK);

        var referral = await _host.WaitForReferralAsync(id, r => Status(r) == "awaiting-discharge");
        referral["spendRequests"]![0]!["reason"]!.GetValue<string>().Should().Be("Not needed for a safe discharge");
        referral["spendRequests"]![0]!["committedPence"]!.GetValue<long>().Should().Be(0);
        referral["spendPence"]!.GetValue<long>().Should().Be(0);
        (await _host.DecideAsync(spend[0], "approve", role: "dd-manager", userId: "dd-rdh-manager")).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task InvoiceAboveTheApprovalNeedsANewApprovalAndCancellingReleasesTheCommitment()
    {
        var id = await _host.ReferAsync();
        var spend = await _host.AssessAsync(id, ("Rail fitted to stairs", 30_000, "Handy Lads"), ("Skip hire", 25_000, "Derby Skips"));
        foreach (var s in spend) (await _host.DecideAsync(s, "approve")).StatusCode.Should().Be(HttpStatusCode.OK);

        var over = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/spend-requests/{spend[0]}/invoice", "dd-officer", new { amountPence = 30_001 });
        over.StatusCode.Should().Be(HttpStatusCode.Conflict);
        JsonNode.Parse(await over.Content.ReadAsStringAsync())!["approvedPence"]!.GetValue<long>().Should().Be(30_000);

        var cancel = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/spend-requests/{spend[1]}/cancel", "dd-officer", new { reason = "Family cleared it" });
        cancel.StatusCode.Should().Be(HttpStatusCode.OK);
        var again = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/spend-requests/{spend[1]}/cancel", "dd-officer", new { reason = "Family cleared it" });
        again.StatusCode.Should().Be(HttpStatusCode.OK);

        var referral = await _host.ReferralAsync(id);
        referral["spendPence"]!.GetValue<long>().Should().Be(30_000);
        referral["spendRequests"]![1]!["status"]!.GetValue<string>().Should().Be("cancelled");
        referral["spendRequests"]![1]!["releasedPence"]!.GetValue<long>().Should().Be(25_000);
    }

    [Fact]
    public async Task HomelessPatientIsReferredToTheHousingAuthorityForTheirPostcodeWithSupportLinked()
    {
        var id = await _host.ReferAsync(Body(blockers: ["homeless"], postcode: "S41 7PQ"));

        // The GET reads the row before the timeline, so it can show the timeline row before the housing it follows.
        var referral = await _host.WaitForReferralAsync(id, r => Has(r, "duty-to-refer") && r["housing"] is not null);

        referral["housing"]!["authority"]!["id"]!.GetValue<string>().Should().Be("chesterfield");
        referral["housing"]!["dutyToReferAt"].Should().NotBeNull();
        referral["housing"]!["support"]!.AsArray().Select(s => s!["serviceId"]!.GetValue<string>())
            .Should().Contain(["housing-options-chesterfield", "homelessness-out-of-hours"]).And.NotContain("housing-options-derby");
        referral["timeline"]!.AsArray().First(e => e!["kind"]!.GetValue<string>() == "duty-to-refer")!["summary"]!.GetValue<string>()
            .Should().Contain("Homelessness Reduction Act 2017").And.Contain("Chesterfield Borough Council");
        await Replay.RecordedHistories.SaveAsync(_host, Workflows.DistrictDirect.ReferralRecord.InstanceIdFor(id), "discharge-referral-homeless-duty-to-refer-in-flight");
    }

    [Fact]
    public async Task HomelessPatientFromOutsideTheCountyIsReferredToTheHospitalsAuthority()
    {
        var id = await _host.ReferAsync(Body(blockers: ["homeless"], postcode: "M1 1AE"));

        var referral = await _host.WaitForReferralAsync(id, r => Has(r, "duty-to-refer") && r["housing"] is not null);

        referral["housing"]!["authority"]!["id"]!.GetValue<string>().Should().Be("derby-city");
    }

    [Fact]
    public async Task DischargeBeforeFitForDischargeIsRefused()
    {
        var id = await _host.ReferAsync(Body(fitDaysAgo: 0));
        var r = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/referrals/{id}/discharged", "dd-officer",
            new { dischargedAt = DateTimeOffset.UtcNow.AddDays(-3).ToString("yyyy-MM-ddTHH:mm:sszzz") });
        r.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        Status(await _host.ReferralAsync(id)).Should().Be("awaiting-assessment");
    }

    [Fact]
    public async Task StaffRoutesNeedTheirRoles()
    {
        var id = await _host.ReferAsync();
        (await _host.SendAsStaffAsync(HttpMethod.Get, $"/api/district-direct/referrals/{id}", "anp")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/referrals/{id}/assessment", "dd-manager", new { findings = "x" }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await _host.Client.GetAsync("/api/district-direct/fund")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var fund = await _host.FundAsync();
        fund.Year.Should().Be(Workflows.DistrictDirect.FundYear.Of(DateTimeOffset.UtcNow));
        fund.AvailablePence.Should().Be(fund.TotalPence - fund.CommittedPence - fund.SpentPence);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition never held.");
            await Task.Delay(150);
        }
    }
}
