using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace Workflows.Tests.Hosting;

/// <summary>
/// patches/azurite+3.35.0.patch changes how Azurite finds entities and messages, never what it returns: these
/// queries and queue operations must answer as Azure Storage does. Each table query is checked against the same filter
/// applied in C# to the entities written.
/// </summary>
public sealed class AzuritePatchTests : IAsyncLifetime
{
    // Keys that a careless partition lookup would mix up: numeric look-alikes (Loki's index compares "1", "01" and
    // "1.0" as numbers), a quote, an empty key, and a prefix of another key.
    private static readonly string[] Partitions = ["a", "ab", "b", "1", "01", "1.0", "it's", ""];
    private TableClient _table = null!;
    private List<TableEntity> _written = null!;

    public async Task InitializeAsync()
    {
        _table = new TableServiceClient((await Azurite.Shared).ConnectionString).GetTableClient("patch" + Guid.NewGuid().ToString("N")[..12]);
        await _table.CreateAsync();
        _written = [.. Partitions.SelectMany(p => Enumerable.Range(1, 3).Select(r => new TableEntity(p, $"r{r}") { ["n"] = r }))];
        foreach (var e in _written) await _table.AddEntityAsync(e);
    }

    public Task DisposeAsync() => _table.DeleteAsync();

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task TableQueriesReturnExactlyTheEntitiesTheFilterMatches(string filter)
    {
        var found = new List<string>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter)) found.Add($"{e.PartitionKey}/{e.RowKey}");

        var expected = _written.Where(Matches[filter])
            .OrderBy(e => e.PartitionKey, StringComparer.Ordinal).ThenBy(e => e.RowKey, StringComparer.Ordinal);
        found.Should().Equal(expected.Select(e => $"{e.PartitionKey}/{e.RowKey}"), "Azure Storage returns a query's entities in PartitionKey, RowKey order");
    }

    [Fact]
    public async Task APartitionQueryPagesThroughEveryRowInOrder()
    {
        var rows = Enumerable.Range(0, 45).Select(i => new TableEntity("paged", $"row{i:D3}")).ToList();
        foreach (var e in rows) await _table.AddEntityAsync(e);

        var pages = new List<int>();
        var found = new List<string>();
        await foreach (var page in _table.QueryAsync<TableEntity>("PartitionKey eq 'paged'", maxPerPage: 20).AsPages())
        {
            pages.Add(page.Values.Count);
            found.AddRange(page.Values.Select(e => e.RowKey));
        }

        pages.Should().Equal(20, 20, 5);
        found.Should().Equal(rows.Select(e => e.RowKey));
    }

    [Fact]
    public async Task QueueMessagesAreHandedOutOnceEachUntilDeletedAndExpiredOnesDisappear()
    {
        var service = new QueueServiceClient((await Azurite.Shared).ConnectionString);
        var queue = service.GetQueueClient("patch-" + Guid.NewGuid().ToString("N")[..12]);
        var other = service.GetQueueClient("patch-" + Guid.NewGuid().ToString("N")[..12]);
        await queue.CreateAsync();
        await other.CreateAsync();
        try
        {
            for (var i = 0; i < 40; i++) await queue.SendMessageAsync($"m{i}");
            for (var i = 0; i < 5; i++) await other.SendMessageAsync($"o{i}");
            await queue.SendMessageAsync("short-lived", timeToLive: TimeSpan.FromSeconds(1));
            await Task.Delay(TimeSpan.FromSeconds(2));

            var seen = new List<string>();
            while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value is { Length: > 0 } batch)
                foreach (var m in batch)
                {
                    seen.Add(m.Body.ToString());
                    m.DequeueCount.Should().Be(1);
                    if (seen.Count % 2 == 0) await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
                }

            seen.Should().BeEquivalentTo(Enumerable.Range(0, 40).Select(i => $"m{i}"), "each live message once, the expired one never");
            (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount.Should().Be(20, "half were deleted, half are invisible");
            (await other.ReceiveMessagesAsync(32)).Value.Select(m => m.Body.ToString()).Should().BeEquivalentTo(["o0", "o1", "o2", "o3", "o4"]);
        }
        finally
        {
            await queue.DeleteAsync();
            await other.DeleteAsync();
        }
    }

    /// <summary>Each filter sent, with what Azure Storage matches for it written in C#.</summary>
    private static readonly Dictionary<string, Func<TableEntity, bool>> Matches = new()
    {
        ["PartitionKey eq 'a'"] = e => e.PartitionKey == "a",
        ["PartitionKey eq '1'"] = e => e.PartitionKey == "1",
        ["PartitionKey eq 'it''s'"] = e => e.PartitionKey == "it's",
        ["PartitionKey eq ''"] = e => e.PartitionKey == "",
        ["PartitionKey eq 'none'"] = _ => false,
        ["'b' eq PartitionKey"] = e => e.PartitionKey == "b",
        ["(PartitionKey eq 'a') and (RowKey ge 'r2')"] = e => e.PartitionKey == "a" && string.CompareOrdinal(e.RowKey, "r2") >= 0,
        ["RowKey eq 'r1' and PartitionKey eq '01'"] = e => e.PartitionKey == "01" && e.RowKey == "r1",
        ["PartitionKey eq 'a' and (n eq 1 or n eq 3)"] = e => e.PartitionKey == "a" && (int)e["n"] is 1 or 3,
        ["PartitionKey eq 'a' or PartitionKey eq 'b'"] = e => e.PartitionKey is "a" or "b",
        ["(PartitionKey eq 'a' and n eq 1) or PartitionKey eq 'b'"] = e => (e.PartitionKey == "a" && (int)e["n"] == 1) || e.PartitionKey == "b",
        ["not (PartitionKey eq 'a')"] = e => e.PartitionKey != "a",
        ["PartitionKey ne 'a' and n eq 2"] = e => e.PartitionKey != "a" && (int)e["n"] == 2,
        ["PartitionKey eq 'a' and PartitionKey eq 'b'"] = _ => false,
        ["PartitionKey ge 'a' and PartitionKey lt 'b'"] = e => string.CompareOrdinal(e.PartitionKey, "a") >= 0 && string.CompareOrdinal(e.PartitionKey, "b") < 0,
    };

    public static TheoryData<string> Filters() => [.. Matches.Keys];
}
