using Azure.Data.Tables;
using Workflows.DistrictDirect;
using Workflows.Storage;

namespace Workflows.Tests.DistrictDirect;

/// <summary>
/// The District Direct work lists read the referral store's "open" index: a discharged or withdrawn referral leaves it,
/// and a store from before the index lists the same referrals once its one-off upgrade has run.
/// </summary>
public sealed class ReferralIndexTests : IAsyncLifetime
{
    private TestHost _host = null!;
    private readonly string _prefix = "IDX-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ReferralStore Referrals => _host.Services.GetRequiredService<ReferralStore>();
    private TableClient Table => _host.Services.GetRequiredService<TableStore>().Table(TableNames.DischargeReferrals);

    [Fact]
    public async Task ADischargedReferralLeavesTheOpenIndex()
    {
        var r = await AddAsync(1, ReferralStatus.AwaitingDischarge);
        (await Table.GetEntityIfExistsAsync<TableEntity>("open", r.ReferralId)).HasValue.Should().BeTrue();

        var row = (await Referrals.FindAsync(r.ReferralId))!;
        (row.Status, row.DischargedAt) = (ReferralStatus.Discharged, DateTimeOffset.UtcNow);
        (await Referrals.TryReplaceAsync(row)).Should().BeTrue();

        (await Table.GetEntityIfExistsAsync<TableEntity>("open", r.ReferralId)).HasValue.Should().BeFalse();
        (await ListsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task AStoreFromBeforeTheIndexListsTheSameReferralsOnceUpgraded()
    {
        var waiting = await AddAsync(1, ReferralStatus.AwaitingAssessment);
        var parked = await AddAsync(2, ReferralStatus.AwaitingApproval, parked: true);
        var leaving = await AddAsync(3, ReferralStatus.AwaitingDischarge);
        var fresh = await ListsAsync();
        fresh.Should().Equal(new[]
        {
            $"{waiting.ReferralId} work awaiting-assessment", $"{parked.ReferralId} work awaiting-approval",
            $"{leaving.ReferralId} discharge awaiting-discharge",
        }.Order());

        // The store as the previous version left it: the referrals, without their index rows.
        foreach (var r in new[] { waiting, parked, leaving }) await Table.DeleteEntityAsync("open", r.ReferralId);
        (await ListsAsync()).Should().BeEmpty("the lists read the index, not every referral");

        var upgrade = _host.Services.GetServices<StoreUpgrade>().Single(u => u.Name == ReferralStore.IndexUpgrade);
        await upgrade.RunAsync(default);
        (await ListsAsync()).Should().Equal(fresh);
        await upgrade.RunAsync(default);
        (await ListsAsync()).Should().Equal(fresh, "the upgrade is idempotent");
    }

    /// <summary>This test's referrals on the officer's work list and the awaiting-discharge list: "id list status".</summary>
    private async Task<List<string>> ListsAsync()
    {
        async Task<IEnumerable<string>> Of(string path, string list) =>
            (await _host.GetJsonAsStaffAsync(path, "dd-officer"))["referrals"]!.AsArray()
                .Where(r => r!["referralId"]!.GetValue<string>().StartsWith(_prefix, StringComparison.Ordinal))
                .Select(r => $"{r!["referralId"]!.GetValue<string>()} {list} {r["status"]!.GetValue<string>()}");
        return (await Of("/api/district-direct/referrals", "work"))
            .Concat(await Of("/api/district-direct/referrals?status=awaiting-discharge", "discharge")).Order().ToList();
    }

    /// <summary>A referral written straight to its store (no orchestration moving it on).</summary>
    private async Task<ReferralRecord> AddAsync(int n, string status, bool parked = false)
    {
        var r = new ReferralRecord
        {
            PartitionKey = $"{_prefix}-{n}", Source = "ward", Hospital = "royal-derby", Blockers = "clutter", FitForDischargeAt = DateTimeOffset.UtcNow,
            CreatedAt = DateTimeOffset.UtcNow.AddMinutes(n), Status = status, NhsNumber = "9990079196", PatientName = "Margaret Ashworth",
            DateOfBirth = "1941-03-02", Address = "14 Kedleston Road, Derby", Postcode = "DE22 3NE",
            AttentionReason = parked ? "The approval text could not be sent." : null, AttentionAt = parked ? DateTimeOffset.UtcNow : null,
        };
        (await Referrals.TryAddAsync(r)).Should().BeTrue();
        return r;
    }
}
