using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Workflows.CrisisCare;
using Workflows.Storage;

namespace Workflows.Tests.Safety;

/// <summary>
/// 111 delivers at least once, sometimes many times at once. A storm of redeliveries must make one case per call:
/// one row, one orchestration, one "case-opened". Two ANPs deciding at once: see
/// <see cref="Workflows.Tests.CrisisCare.CrisisCaseFlowTests.TwoAnpsTriagingAtOnceGetOneOutcome"/>.
/// </summary>
public sealed class DuplicateDeliveryTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ThousandShuffledParallelDeliveriesOfAHundredCallsMakeExactlyAHundredCases()
    {
        var calls = Enumerable.Range(0, 100).Select(i => Calls.Valid($"111-storm-{i:D3}-{Guid.NewGuid():N}")).ToList();
        var deliveries = calls.SelectMany(c => Enumerable.Repeat(c, 10)).OrderBy(_ => Random.Shared.Next()).ToList();
        var answers = new System.Collections.Concurrent.ConcurrentBag<(string Call, HttpStatusCode Status, string Body)>();

        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (call, _) =>
        {
            using var r = await _host.PostCallAsync(call);
            answers.Add((call, r.StatusCode, await r.Content.ReadAsStringAsync()));
        });

        answers.Where(a => a.Status != HttpStatusCode.Accepted).Select(a => $"{a.Status} {a.Body}").Should().BeEmpty();
        var caseByCall = answers.GroupBy(a => a.Call).ToDictionary(g => g.Key,
            g => g.Select(a => JsonNode.Parse(a.Body)!["caseId"]!.GetValue<string>()).Distinct().ToList());
        caseByCall.Should().HaveCount(100);
        caseByCall.Values.Should().OnlyContain(ids => ids.Count == 1, "every delivery of a call answers with the same case");
        var caseIds = caseByCall.Values.Select(ids => ids[0]).ToList();
        caseIds.Should().OnlyHaveUniqueItems();

        var cases = _host.Services.GetRequiredService<TableStore>().Table(TableNames.Cases);
        foreach (var id in caseIds)
        {
            var opened = await _host.WaitForCaseAsync(id, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "case-opened"), TimeSpan.FromMinutes(2));
            opened["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "case-opened").Should().Be(1);
            var rows = 0;
            await foreach (var _ in cases.QueryAsync<TableEntity>(e => e.PartitionKey == id)) rows++;
            rows.Should().Be(1);
        }

        // Every case has opened, so every start has run (they are queued after the 202). This host has its own task
        // hub: it holds exactly the orchestrations these calls started.
        var client = _host.Services.GetRequiredService<DurableTaskClient>();
        var instances = new List<string>();
        await foreach (var i in client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 500 })) instances.Add(i.InstanceId);
        instances.Should().BeEquivalentTo(caseIds);
    }
}
