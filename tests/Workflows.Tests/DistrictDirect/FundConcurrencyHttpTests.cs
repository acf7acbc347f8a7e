using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Workflows.DistrictDirect;
using Xunit.Abstractions;
using static Workflows.Tests.DistrictDirect.Referrals;

namespace Workflows.Tests.DistrictDirect;

/// <summary>
/// 100 managers' approvals at once over real HTTP, against a fund that covers only some of them. The host has an
/// Azurite of its own, so the fund is the fresh seeded £100,000 that no other test touches.
/// </summary>
public sealed class FundConcurrencyHttpTests(ITestOutputHelper output) : IAsyncLifetime
{
    private Azurite _azurite = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _azurite = await Azurite.StartAsync();
        _host = await TestHost.StartAsync(azurite: _azurite);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task HundredConcurrentApprovalsOverHttpCommitExactlyWhatTheFundCovers()
    {
        const long amount = 150_000;
        var before = await _host.FundAsync();
        before.TotalPence.Should().Be(10_000_000, "seeds/fund.json holds £100,000 for the year");
        var spend = new List<string>();
        var referralIds = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            referralIds.Add(await _host.ReferAsync());
            spend.AddRange(await _host.AssessAsync(referralIds[^1], Enumerable.Range(1, 20).Select(n => ($"Works {n}", amount, "Derby Builders")).ToArray()));
        }

        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(spend.Select(async id =>
        {
            var r = await _host.DecideAsync(id, "approve", role: "dd-manager", userId: "dd-rdh-manager");
            return (r.StatusCode, Body: JsonNode.Parse(await r.Content.ReadAsStringAsync())!);
        }));
        clock.Stop();

        var expected = (int)(before.AvailablePence / amount);
        var approved = answers.Count(a => a.StatusCode == HttpStatusCode.OK);
        output.WriteLine($"100 HTTP approvals: {approved} approved, {answers.Count(a => a.StatusCode == HttpStatusCode.Conflict)} refused (409), {clock.ElapsedMilliseconds} ms");
        approved.Should().Be(expected);
        answers.Where(a => a.StatusCode != HttpStatusCode.OK).Should().HaveCount(100 - expected)
            .And.OnlyContain(a => a.StatusCode == HttpStatusCode.Conflict && a.Body["availablePence"]!.GetValue<long>() < amount);

        var after = await _host.FundAsync();
        after.CommittedPence.Should().Be(before.CommittedPence + expected * amount);
        after.AvailablePence.Should().Be(after.TotalPence - after.CommittedPence - after.SpentPence).And.BeGreaterThanOrEqualTo(0);
        var requests = await _host.Services.GetRequiredService<FundLedger>().RequestsAsync(after.Year);
        requests.Sum(r => r.CommittedPence).Should().Be(after.CommittedPence);
        requests.Count(r => r.Status == SpendStatus.Approved).Should().Be(expected);
        // Twenty approvals of each referral at once: its row ends with what its requests hold.
        foreach (var referralId in referralIds)
            (await _host.ReferralAsync(referralId))["spendPence"]!.GetValue<long>()
                .Should().Be(requests.Where(r => r.ReferralId == referralId).Sum(r => r.FundPence), $"referral {referralId}'s spend");
    }

    [Fact]
    public async Task EachSpendRefreshReadsAfterThePostingThatAskedForIt()
    {
        const long amount = 1_000;
        var ledger = _host.Services.GetRequiredService<FundLedger>();
        var referrals = _host.Services.GetRequiredService<ReferralStore>();
        var referralIds = new List<string>();
        var pending = new ConcurrentQueue<(string ReferralId, string SpendId)>();
        for (var i = 0; i < 8; i++)
        {
            referralIds.Add(await _host.ReferAsync());
            foreach (var id in await _host.AssessAsync(referralIds[^1], Enumerable.Range(1, 20).Select(n => ($"Works {n}", amount, "Derby Builders")).ToArray()))
                pending.Enqueue((referralIds[^1], id));
        }

        // Refreshes of one referral share runs: one that joined a run already reading would miss its own posting.
        // Callers in turn post and refresh, so postings land while refreshes are reading.
        var posted = referralIds.ToDictionary(id => id, _ => new StrongBox<long>());
        var seen = new ConcurrentBag<(long AtLeast, long Refreshed)>();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            while (pending.TryDequeue(out var next))
            {
                (await ledger.CommitAsync(next.SpendId, "dd-rdh-manager", "Manager", "web", DateTimeOffset.UtcNow)).Result.Should().Be(PostingResult.Posted);
                var atLeast = Interlocked.Add(ref posted[next.ReferralId].Value, amount);
                seen.Add((atLeast, (await referrals.RefreshSpendAsync(next.ReferralId)).SpendPence));
            }
        }));

        seen.Should().HaveCount(160).And.OnlyContain(s => s.Refreshed >= s.AtLeast);
        foreach (var referralId in referralIds)
            (await referrals.FindAsync(referralId))!.SpendPence.Should().Be(20 * amount);
    }
}
