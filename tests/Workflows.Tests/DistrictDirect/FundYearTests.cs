using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.DurableTask.Client;
using Workflows.DistrictDirect;
using Workflows.Http;
using Workflows.Messaging;
using static Workflows.Tests.DistrictDirect.Referrals;

namespace Workflows.Tests.DistrictDirect;

/// <summary>
/// Fund years are opened and changed in the app by District Direct managers and admins (hazard H43), and the end of a
/// year with the next not open is flagged and texted to the managers once (hazard H42). No test relies on today's
/// date: each opens the years it needs, far from any other test's, and a host that must be in March is started there.
/// </summary>
public sealed class FundYearTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<JsonNode> Json(HttpResponseMessage r, HttpStatusCode expected)
    {
        var text = await r.Content.ReadAsStringAsync();
        r.StatusCode.Should().Be(expected, text);
        return JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task AManagerOpensAYearAndChangesItsTotalButNeverBelowWhatIsCommittedAndSpent()
    {
        const string year = "2087-88";
        var opened = await Json(await _host.SendAsStaffAsync(HttpMethod.Put, $"/api/district-direct/fund/{year}", Roles.DdManager, new { totalPence = 500_000 }),
            HttpStatusCode.Created);
        opened["availablePence"]!.GetValue<long>().Should().Be(500_000);
        var ledger = _host.Services.GetRequiredService<FundLedger>();
        var ids = new[] { (SpendRequest.IdFor(year, "fy-test", 1), 200_000L), (SpendRequest.IdFor(year, "fy-test", 2), 150_000L) };
        await ledger.AddRequestsAsync(ids.Select((r, i) => new SpendRequest
        {
            PartitionKey = year, RowKey = r.Item1, ReferralId = "fy-test", Number = i + 1, Item = "Works", Supplier = "Test Supplies",
            AmountPence = r.Item2, RequestedBy = "dd-test", RequestedAt = DateTimeOffset.UtcNow,
        }));
        foreach (var (id, _) in ids) (await ledger.CommitAsync(id, "dd-test", "Test", "web", DateTimeOffset.UtcNow)).Result.Should().Be(PostingResult.Posted);
        (await ledger.InvoiceAsync(ids[1].Item1, 100_000, DateTimeOffset.UtcNow)).Result.Should().Be(PostingResult.Posted);

        // 200,000 committed and 100,000 spent: the total can come down to 300,000 and no further.
        var refused = await Json(await _host.SendAsStaffAsync(HttpMethod.Put, $"/api/district-direct/fund/{year}", Roles.DdManager, new { totalPence = 299_999 }),
            HttpStatusCode.Conflict);
        refused["minimumPence"]!.GetValue<long>().Should().Be(300_000);
        (await ledger.BalanceAsync(year))!.TotalPence.Should().Be(500_000, "nothing changes on a refusal");

        var lowered = await Json(await _host.SendAsStaffAsync(HttpMethod.Put, $"/api/district-direct/fund/{year}", Roles.Admin, new { totalPence = 300_000 }),
            HttpStatusCode.OK);
        lowered["availablePence"]!.GetValue<long>().Should().Be(0);
        var read = await _host.GetJsonAsStaffAsync($"/api/district-direct/fund?year={year}", Roles.Admin);
        read["endsOn"]!.GetValue<string>().Should().Be("2088-03-31");
        read["yearEndWarning"].Should().BeNull("only this financial year is warned about");

        var trail = (await _host.GetJsonAsStaffAsync($"/api/admin/audit?entity=fund:{year}", Roles.Admin))["changes"]!.AsArray();
        trail.Select(c => (c!["action"]!.GetValue<string>(), c["by"]!["id"]!.GetValue<string>()))
            .Should().Equal(("created", TestHost.DefaultUser(Roles.DdManager)), ("changed", TestHost.DefaultUser(Roles.Admin)));
        trail[1]!["before"]!["totalPence"]!.GetValue<long>().Should().Be(500_000);
        trail[1]!["after"]!["totalPence"]!.GetValue<long>().Should().Be(300_000);
    }

    [Fact]
    public async Task AYearEndingWithTheNextNotOpenIsFlaggedAndEachManagerTextedOnceEvenAfterTheyRepliedStop()
    {
        // 10:00 on 15 March 2089: the 2088-89 fund (the sample's "current" year) ends in 16 days and 2089-90 is not open.
        var clock = new ShiftedClock(DateTimeOffset.Parse("2089-03-15T10:00:00+00:00"));
        var settings = new Dictionary<string, string?> { ["Ecss:Team"] = $"fund-year-{Guid.NewGuid():N}"[..20] };
        const string phone = "+447700900987";
        var manager = $"dd-fy-manager-{Guid.NewGuid():N}"[..24];
        var outbox = _host.Services.GetRequiredService<LocalSmsSink>();
        Task<IReadOnlyList<OutboxEntry>> TextsAsync() => outbox.OutboxAsync(to: phone, tag: FundLedger.AuditEntity("2088-89"));

        await using (var march = await TestHost.StartAsync(settings, clock: clock))
        {
            await StaffRecords.EnsureAsync(march.Services.GetRequiredService<Workflows.Staff.StaffDirectory>(), manager, Roles.DdManager, "Sarah Fundwatch", phone);
            (await march.Client.PostAsync("/api/sms/inbound", new StringContent(SmsReceivedEvent.From(phone, "STOP"), System.Text.Encoding.UTF8, "application/json")))
                .StatusCode.Should().Be(HttpStatusCode.OK);

            var fund = await march.GetJsonAsStaffAsync("/api/district-direct/fund", Roles.DdOfficer);
            fund["year"]!.GetValue<string>().Should().Be("2088-89");
            fund["yearEndWarning"]!.GetValue<string>().Should().Contain("ends on 31 March 2089 (in 16 days)").And.Contain("no 2089-90 fund is open")
                .And.Contain("From 1 April 2089 every approval will be refused");

            var watch = march.Services.GetRequiredService<FundYearEndWatch>();
            (await watch.CheckAsync()).ManagersTexted.Should().Contain(manager, "a STOP never silences a staff alert");
            await watch.CheckAsync();
        }
        await using (var restarted = await TestHost.StartAsync(settings, clock: clock))
        {
            await restarted.Services.GetRequiredService<FundYearEndWatch>().CheckAsync();

            var texts = await TextsAsync();
            texts.Should().ContainSingle("once per year, however often the check runs and across a restart");
            texts[0].Message.Should().Contain("2088-89 fund ends on 31 Mar 2089").And.Contain("please open 2089-90").And.NotContain("Fundwatch");

            await Json(await restarted.SendAsStaffAsync(HttpMethod.Put, "/api/district-direct/fund/2089-90", Roles.DdManager, new { totalPence = 9_000_000 }),
                HttpStatusCode.Created);
            (await restarted.GetJsonAsStaffAsync("/api/district-direct/fund", Roles.DdManager))["yearEndWarning"].Should().BeNull();
            (await restarted.Services.GetRequiredService<FundYearEndWatch>().CheckAsync()).Notice.Should().BeNull();
        }
    }

    [Theory]
    [InlineData("2089-02-28", null)]
    [InlineData("2089-03-01", 30)]
    [InlineData("2089-03-31", 0)]
    [InlineData("2089-04-01", null)]
    public void TheWarningStartsThirtyDaysBeforeTheThirtyFirstOfMarch(string today, int? daysLeft) =>
        FundYearEndWatch.DaysToYearEnd(NodaTime.Text.LocalDatePattern.Iso.Parse(today).Value).Should().Be(daysLeft);
}

/// <summary>
/// An approval when no fund year is open (the year rolled over and nobody opened it) is refused with a clear 409 and,
/// by SMS, a text saying to ask a manager; once a manager opens the year, the same approval goes through (hazard H42).
/// Its own Azurite and sample data with no fund, so no other test's fund years are open.
/// </summary>
public sealed class NoFundYearTests : IAsyncLifetime
{
    private readonly string _seeds = Directory.CreateTempSubdirectory("seeds-no-fund").FullName;
    private Azurite _azurite = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepoRoot.Path, "seeds"), "*.json"))
            File.Copy(file, Path.Combine(_seeds, Path.GetFileName(file)));
        var fund = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_seeds, "fund.json")))!;
        fund["funds"] = new JsonArray();
        await File.WriteAllTextAsync(Path.Combine(_seeds, "fund.json"), fund.ToJsonString());
        _azurite = await Azurite.StartAsync();
        _host = await TestHost.StartAsync(new Dictionary<string, string?> { ["LocalHost:SeedsPath"] = _seeds }, _azurite);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _azurite.DisposeAsync();
        Directory.Delete(_seeds, recursive: true);
    }

    [Fact]
    public async Task AnApprovalWithNoFundYearOpenIsRefusedUntilAManagerOpensTheYear()
    {
        var id = await _host.ReferAsync();
        var spend = (await _host.AssessAsync(id, ("Deep clean", 30_000, "Derby Clean Co")))[0];
        var year = (await _host.ReferralAsync(id))["fundYear"]!.GetValue<string>();

        var refused = await _host.DecideAsync(spend, "approve");
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        refused.StatusCode.Should().Be(HttpStatusCode.Conflict);
        problem["detail"]!.GetValue<string>().Should().Contain($"No District Direct fund is open for {year}")
            .And.Contain($"Ask a District Direct manager to open the {year} fund");
        var missing = await _host.SendAsStaffAsync(HttpMethod.Get, "/api/district-direct/fund", Roles.DdOfficer);
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await missing.Content.ReadAsStringAsync()).Should().Contain("every approval is refused until a District Direct manager opens it");

        // The same by SMS: the officer is told why, and how to get it unblocked.
        var code = await CodeTextedToOfficerAsync(id);
        await _host.Services.GetRequiredService<SmsInbox>().ReceiveAsync(
            new InboundSms($"Incoming_{Guid.NewGuid():N}", OfficerPhone, $"APPROVE {code}", DateTimeOffset.UtcNow),
            _host.Services.GetRequiredService<DurableTaskClient>());
        await _host.WaitForReferralAsync(id, r => r["timeline"]!.AsArray().Any(e => e!["summary"]!.GetValue<string>().Contains($"no {year} fund is open")));
        (await _host.TextsAsync(id)).Should().Contain(t => t.To == OfficerPhone && t.Message.Contains($"NOT approved") &&
                                                           t.Message.Contains($"no {year} fund is open") && t.Message.Contains("ask a District Direct manager"));

        (await _host.SendAsStaffAsync(HttpMethod.Put, $"/api/district-direct/fund/{year}", Roles.DdManager, new { totalPence = 1_000_000 }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var approved = await _host.DecideAsync(spend, "approve");
        approved.StatusCode.Should().Be(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        (await _host.WaitForReferralAsync(id, r => Status(r) == "awaiting-discharge"))["spendPence"]!.GetValue<long>().Should().Be(30_000);
    }

    private async Task<string> CodeTextedToOfficerAsync(string referralId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var text = (await _host.TextsAsync(referralId)).FirstOrDefault(t => t.To == OfficerPhone && t.Message.Contains("Reply APPROVE"));
            if (text is not null) return Regex.Match(text.Message, @"APPROVE (\w+)").Groups[1].Value;
            await Task.Delay(150);
        }
        throw new TimeoutException($"No approval code was texted to the officer for {referralId}.");
    }
}
