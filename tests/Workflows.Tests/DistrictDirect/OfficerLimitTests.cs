using System.Net;
using System.Text.Json.Nodes;
using static Workflows.Tests.DistrictDirect.Referrals;

namespace Workflows.Tests.DistrictDirect;

/// <summary>
/// An officer's approval limit holds when they approve a referral's items at the same moment (the hostile review saw
/// 200,000p and 300,000p approved against a 150,000p limit): the limit is decided in the ledger's transaction.
/// </summary>
public sealed class OfficerLimitTests : IAsyncLifetime
{
    private const long Limit = 150_000;
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(string ReferralId, List<string> Spend)> AssessedAsync(int items, long pence)
    {
        var id = await _host.ReferAsync();
        return (id, await _host.AssessAsync(id, Enumerable.Range(1, items).Select(n => ($"Works {n}", pence, "Derby Builders")).ToArray()));
    }

    [Fact]
    public async Task OfficerApprovingAReferralsItemsAtOnceNeverGoesOverTheLimit()
    {
        // Any two of the three take the referral over the limit: in every trial exactly one may be approved by the officer.
        var trials = new List<(string ReferralId, List<string> Spend)>();
        for (var i = 0; i < 12; i++) trials.Add(await AssessedAsync(3, 80_000));

        var answers = await Task.WhenAll(trials.Select(async t =>
            await Task.WhenAll(t.Spend.Select(async s =>
            {
                var r = await _host.DecideAsync(s, "approve");
                return (r.StatusCode, Body: JsonNode.Parse(await r.Content.ReadAsStringAsync())!);
            }))));

        foreach (var (trial, i) in trials.Select((t, i) => (t, i)))
        {
            answers[i].Count(a => a.StatusCode == HttpStatusCode.OK).Should().Be(1, $"one item of referral {trial.ReferralId} fits the limit");
            answers[i].Where(a => a.StatusCode != HttpStatusCode.OK).Should().OnlyContain(a =>
                a.StatusCode == HttpStatusCode.Forbidden && a.Body["limitPence"]!.GetValue<long>() == Limit && a.Body["approvedPence"]!.GetValue<long>() == 80_000);
            var referral = await _host.ReferralAsync(trial.ReferralId);
            referral["spendRequests"]!.AsArray().Where(s => s!["status"]!.GetValue<string>() == "approved")
                .Sum(s => s!["committedPence"]!.GetValue<long>()).Should().BeLessThanOrEqualTo(Limit);
        }
    }

    [Fact]
    public async Task ManagerApprovingAReferralsItemsAtOnceMayGoOverTheOfficerLimit()
    {
        var (referralId, spend) = await AssessedAsync(3, 80_000);

        var answers = await Task.WhenAll(spend.Select(s => _host.DecideAsync(s, "approve", role: "dd-manager", userId: "dd-rdh-manager")));

        answers.Should().OnlyContain(a => a.StatusCode == HttpStatusCode.OK);
        (await _host.WaitForReferralAsync(referralId, r => Status(r) == "awaiting-discharge"))["spendPence"]!.GetValue<long>().Should().Be(240_000);
    }
}
