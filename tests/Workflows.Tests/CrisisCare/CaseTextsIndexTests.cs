using Azure.Data.Tables;
using Workflows.CrisisCare;
using Workflows.Messaging;
using Workflows.Storage;

namespace Workflows.Tests.CrisisCare;

/// <summary>
/// A case's texts are read through the tag index the send writes (not a scan of every text ever sent), and a store from
/// before the index answers the same once its one-off upgrade has run.
/// </summary>
public sealed class CaseTextsIndexTests : IAsyncLifetime
{
    private const string Family = "+447700900456";
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AStoreFromBeforeTheIndexListsACasesTextsTheSameOnceUpgraded()
    {
        var caseId = await CaseWithTextsAsync(3);
        var fresh = await TextsAsync(caseId);
        fresh["messages"]!.AsArray().Should().HaveCount(3);

        // The store as the previous version left it: the texts, without their index rows.
        var table = _host.Services.GetRequiredService<TableStore>().Table(TableNames.SmsMessages);
        await foreach (var row in table.QueryAsync<TableEntity>(x => x.PartitionKey == "tag-" + caseId))
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        (await TextsAsync(caseId))["messages"]!.AsArray().Should().BeEmpty("the route reads the index, not every text");

        var upgrade = _host.Services.GetServices<StoreUpgrade>().Single(u => u.Name == SentMessages.TagIndexUpgrade);
        await upgrade.RunAsync(default);
        (await TextsAsync(caseId)).ToJsonString().Should().Be(fresh.ToJsonString());

        await upgrade.RunAsync(default);
        (await TextsAsync(caseId)).ToJsonString().Should().Be(fresh.ToJsonString(), "the upgrade is idempotent");
    }

    [Fact]
    public async Task AnIndexRowWhoseTextWasNeverAddedIsPassedOver()
    {
        var caseId = await CaseWithTextsAsync(1);
        var table = _host.Services.GetRequiredService<TableStore>().Table(TableNames.SmsMessages);
        // The send writes the index row first: a crash before the text leaves this behind until the send is run again.
        await table.AddEntityAsync(new TableEntity("tag-" + caseId, $"{caseId}-lost") { ["MessageId"] = $"{caseId}-lost" });

        (await TextsAsync(caseId))["messages"]!.AsArray().Should().ContainSingle();
    }

    /// <summary>A case written straight to its store (no orchestration sending texts of its own) and texts about it.</summary>
    private async Task<string> CaseWithTextsAsync(int texts)
    {
        var caseId = CaseRecord.IdFor("texts-index-" + Guid.NewGuid());
        (await _host.Services.GetRequiredService<CaseStore>().TryAddAsync(new CaseRecord
        {
            PartitionKey = caseId, CallId = caseId, ReceivedAt = DateTimeOffset.UtcNow, AcceptedAt = DateTimeOffset.UtcNow,
            CallerRole = "family", CallbackNumber = Family, Reason = "Breathless", NhsNumber = "9990079196", PatientName = "Margaret Ashworth",
            DateOfBirth = "1941-03-02", Address = "14 Kedleston Road, Derby", Postcode = "DE22 3NE",
        })).Should().BeTrue();
        var sms = _host.Services.GetRequiredService<SmsOutbound>();
        for (var n = 1; n <= texts; n++)
            await sms.SendAsync(new SmsMessage($"{caseId}-family-{n}", Family, SmsTemplates.FamilyTriaged("Claire"), caseId, SmsAudience.Family));
        return caseId;
    }

    private Task<System.Text.Json.Nodes.JsonNode> TextsAsync(string caseId) => _host.GetJsonAsStaffAsync($"/api/cases/{caseId}/messages", "coordinator");
}
