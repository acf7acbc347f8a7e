using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Workflows.CrisisCare;
using Workflows.Storage;

namespace Workflows.Tests.CrisisCare;

/// <summary>
/// The staff lists read open cases through the case store's "open" index, and an HCA's recently closed cases through
/// the day they closed: a closed case leaves the open index, and a store from before the indices answers the same once
/// its one-off upgrade has run.
/// </summary>
public sealed class CaseIndexTests : IAsyncLifetime
{
    private TestHost _host = null!;
    private readonly string _hca = "hca-index-" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private CaseStore Cases => _host.Services.GetRequiredService<CaseStore>();
    private TableClient Table => _host.Services.GetRequiredService<TableStore>().Table(TableNames.Cases);

    [Fact]
    public async Task AClosedCaseLeavesTheOpenIndex()
    {
        var caseId = await AddAsync();
        (await IndexedAsync("open", caseId)).Should().BeTrue();

        await Cases.UpdateAsync(caseId, c => (c.Status, c.CloseReason, c.ClosedAt) = (CaseStatus.Closed, "care-in-place", DateTimeOffset.UtcNow));

        (await IndexedAsync("open", caseId)).Should().BeFalse();
        (await ListsAsync()).Should().NotContain(i => i.StartsWith(caseId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStoreFromBeforeTheIndicesListsTheSameCasesOnceUpgraded()
    {
        var waiting = await AddAsync();
        var bridged = await AddAsync();
        await Cases.UpdateAsync(bridged, c => (c.Status, c.EcssTeam, c.AssignedHca, c.BridgingSince) = (CaseStatus.Bridging, "derby", _hca, DateTimeOffset.UtcNow));
        var closed = await AddAsync();
        await Cases.UpdateAsync(closed, c => (c.Status, c.AssignedHca, c.CloseReason, c.ClosedAt) = (CaseStatus.Closed, _hca, "died", DateTimeOffset.UtcNow.AddHours(-1)));
        var fresh = await ListsAsync();
        fresh.Should().Equal(new[] { $"{waiting} queue awaiting-triage", $"{bridged} open bridging", $"{bridged} hca bridging", $"{closed} hca closed" }.Order());

        // The store as the previous version left it: the cases, without their index rows.
        foreach (var id in new[] { waiting, bridged, closed })
            await foreach (var row in Table.QueryAsync<TableEntity>(x => x.RowKey == id))
                await Table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        (await ListsAsync()).Should().BeEmpty("the lists read the indices, not every case");

        var upgrade = _host.Services.GetServices<StoreUpgrade>().Single(u => u.Name == CaseStore.IndexUpgrade);
        await upgrade.RunAsync(default);
        (await ListsAsync()).Should().Equal(fresh);
        await upgrade.RunAsync(default);
        (await ListsAsync()).Should().Equal(fresh, "the upgrade is idempotent");
    }

    /// <summary>This test's cases as the triage queue, the open cases list and the HCA's page show them: "id list status".</summary>
    private async Task<List<string>> ListsAsync()
    {
        var mine = new HashSet<string>();
        await foreach (var e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"CallId ge {_hca} and CallId lt {_hca + "~"}")))
            mine.Add(e.PartitionKey);
        IEnumerable<string> Of(JsonNode body, string list, string array = "cases") => body[array]!.AsArray()
            .Where(c => mine.Contains(c!["caseId"]!.GetValue<string>()))
            .Select(c => $"{c!["caseId"]!.GetValue<string>()} {list} {c["status"]!.GetValue<string>()}");
        var queue = await _host.GetJsonAsStaffAsync("/api/triage/queue", "anp");
        var open = await _host.GetJsonAsStaffAsync("/api/cases", "coordinator");
        var hca = await _host.GetJsonAsStaffAsync("/api/ecss/my-cases", "hca", _hca);
        return Of(queue, "queue").Concat(Of(open, "open")).Concat(Of(hca, "hca")).Order().ToList();
    }

    private async Task<bool> IndexedAsync(string partition, string caseId) =>
        (await Table.GetEntityIfExistsAsync<TableEntity>(partition, caseId)).HasValue;

    /// <summary>A call awaiting triage, written straight to its store (no orchestration moving it on).</summary>
    private async Task<string> AddAsync()
    {
        var callId = $"{_hca}-{Guid.NewGuid():N}";
        var record = new CaseRecord
        {
            PartitionKey = CaseRecord.IdFor(callId), CallId = callId, ReceivedAt = DateTimeOffset.UtcNow, AcceptedAt = DateTimeOffset.UtcNow,
            CallerRole = "family", CallbackNumber = "+447700900456", Reason = "Breathless", NhsNumber = "9990079196",
            PatientName = "Margaret Ashworth", DateOfBirth = "1941-03-02", Address = "14 Kedleston Road, Derby", Postcode = "DE22 3NE",
        };
        (await Cases.TryAddAsync(record)).Should().BeTrue();
        return record.CaseId;
    }
}
