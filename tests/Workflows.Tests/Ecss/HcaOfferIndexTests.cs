using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Workflows.CrisisCare;
using Workflows.Ecss;
using Workflows.Storage;

namespace Workflows.Tests.Ecss;

/// <summary>
/// The HCA's page reads their open offers through the offer store's index keyed by HCA: an answered offer leaves it, and
/// a store from before the index lists the same offers once its one-off upgrade has run.
/// </summary>
public sealed class HcaOfferIndexTests : IAsyncLifetime
{
    private TestHost _host = null!;
    private readonly string _hca = "hca-offers-" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HcaOfferStore Offers => _host.Services.GetRequiredService<HcaOfferStore>();

    [Fact]
    public async Task AnAnsweredOfferLeavesTheHcasOpenOffers()
    {
        var (caseId, offerId) = await OfferAsync(TimeSpan.FromMinutes(10));
        (await OpenOffersAsync()).Should().Equal(caseId);

        await Offers.SettleAsync(caseId, offerId, _hca, OfferOutcome.Declined, DateTimeOffset.UtcNow);

        (await IndexRowsAsync()).Should().Be(0, "the answered offer left the index as it was answered");
        (await OpenOffersAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task AStoreFromBeforeTheIndexListsTheSameOffersOnceUpgraded()
    {
        var (open, _) = await OfferAsync(TimeSpan.FromMinutes(10));
        var (answered, answeredOffer) = await OfferAsync(TimeSpan.FromMinutes(10));
        await Offers.SettleAsync(answered, answeredOffer, _hca, OfferOutcome.Declined, DateTimeOffset.UtcNow);
        await OfferAsync(TimeSpan.FromMinutes(-1));
        var fresh = await OpenOffersAsync();
        fresh.Should().Equal(open);

        // The store as the previous version left it: the offers, without their index rows.
        var table = _host.Services.GetRequiredService<TableStore>().Table(TableNames.HcaOffers);
        await foreach (var row in table.QueryAsync<TableEntity>(x => x.PartitionKey == $"hca-{_hca}"))
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        (await OpenOffersAsync()).Should().BeEmpty("the page reads the index, not every offer");

        var upgrade = _host.Services.GetServices<StoreUpgrade>().Single(u => u.Name == HcaOfferStore.IndexUpgrade);
        await upgrade.RunAsync(default);
        (await OpenOffersAsync()).Should().Equal(fresh);
        await upgrade.RunAsync(default);
        (await OpenOffersAsync()).Should().Equal(fresh, "the upgrade is idempotent");
    }

    /// <summary>A case offered to this test's HCA, written straight to the stores (no dispatch running); the offer expires in <paramref name="expiresIn"/>.</summary>
    private async Task<(string CaseId, string OfferId)> OfferAsync(TimeSpan expiresIn)
    {
        var callId = $"{_hca}-{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        var record = new CaseRecord
        {
            PartitionKey = CaseRecord.IdFor(callId), CallId = callId, ReceivedAt = now, AcceptedAt = now, Status = CaseStatus.AwaitingHca,
            CallerRole = "family", CallbackNumber = "+447700900456", Reason = "Breathless", NhsNumber = "9990079196",
            PatientName = "Margaret Ashworth", DateOfBirth = "1941-03-02", Address = "14 Kedleston Road, Derby", Postcode = "DE22 3NE",
            OfferedTo = _hca, OfferedAt = now,
        };
        (await _host.Services.GetRequiredService<CaseStore>().TryAddAsync(record)).Should().BeTrue();
        var offerId = "offer-" + Guid.NewGuid().ToString("N")[..8];
        (await Offers.TryAddAsync(new TableEntity(record.CaseId, offerId)
        {
            ["HcaId"] = _hca, ["HcaName"] = "Test HCA", ["Round"] = 1, ["OfferedAt"] = now, ["ExpiresAt"] = now + expiresIn,
            ["Code"] = "ABC123", ["Outcome"] = HcaOfferStore.Offered,
        })).Should().BeTrue();
        return (record.CaseId, offerId);
    }

    /// <summary>The case ids of the offers the HCA's page lists.</summary>
    private async Task<List<string>> OpenOffersAsync()
    {
        var page = await _host.GetJsonAsStaffAsync("/api/ecss/my-cases", "hca", _hca);
        return page["offers"]!.AsArray().Select(o => o!["caseId"]!.GetValue<string>()).ToList();
    }

    private async Task<int> IndexRowsAsync()
    {
        var n = 0;
        await foreach (var _ in _host.Services.GetRequiredService<TableStore>().Table(TableNames.HcaOffers)
            .QueryAsync<TableEntity>(x => x.PartitionKey == $"hca-{_hca}")) n++;
        return n;
    }
}
