using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Workflows.Storage;

namespace Workflows.Ecss;

/// <summary>
/// The HcaOffers table: one row per offer of a case to an HCA (PartitionKey the case, RowKey the offer step), and the one
/// writer of an offer's outcome. An <c>hca-&lt;id&gt;</c> partition per HCA names their offers still open
/// (<see cref="OpenIndex"/>: added before the offer is written, removed after it is answered or withdrawn), so the HCA's
/// page reads their open offers by key however many offers the service has made. Open offers are few and short-lived
/// (an offer expires within its shift), so the HCA is the key; an index row of an offer that expired unanswered is
/// removed by the next read.
/// </summary>
public sealed class HcaOfferStore(TableStore store)
{
    /// <summary>The one-off step that indexed the open offers made before the index (<see cref="IndexAsync"/>).</summary>
    public const string IndexUpgrade = "hca-offers-open";
    public const string Offered = "offered";

    private TableClient Table => store.Table(TableNames.HcaOffers);

    private OpenIndex OpenOf(string hcaId) => new(() => Table, IndexPartition(hcaId));

    public async Task<TableEntity?> FindAsync(string caseId, string offerId, CancellationToken ct = default)
    {
        var r = await Table.GetEntityIfExistsAsync<TableEntity>(caseId, offerId, cancellationToken: ct);
        return r.HasValue ? r.Value : null;
    }

    /// <summary>A case's offers, in the order they were made.</summary>
    public IAsyncEnumerable<TableEntity> ForCaseAsync(string caseId, CancellationToken ct = default) =>
        Table.QueryAsync<TableEntity>(x => x.PartitionKey == caseId, cancellationToken: ct);

    /// <summary>
    /// Inserts a new offer (its Outcome "offered", its HcaId set); false when its row exists already (the same step
    /// run twice at once: the first row stands).
    /// </summary>
    public async Task<bool> TryAddAsync(TableEntity offer, CancellationToken ct = default)
    {
        await OpenOf(offer.GetString("HcaId")).AddAsync(IndexRow(offer.PartitionKey, offer.RowKey), ct);
        try
        {
            await Table.AddEntityAsync(offer, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict()) { return false; }
    }

    /// <summary>Records how an offer to <paramref name="hcaId"/> ended; it leaves the HCA's open offers.</summary>
    public async Task SettleAsync(string caseId, string offerId, string hcaId, string outcome, DateTimeOffset at, CancellationToken ct = default)
    {
        await Table.UpsertEntityAsync(new TableEntity(caseId, offerId) { ["Outcome"] = outcome, ["AnsweredAt"] = at }, TableUpdateMode.Merge, ct);
        await OpenOf(hcaId).RemoveAsync(IndexRow(caseId, offerId), ct);
    }

    /// <summary>The HCA's offers still open at <paramref name="now"/> (not answered, withdrawn or expired), each read by key.</summary>
    public IAsyncEnumerable<TableEntity> OpenForAsync(string hcaId, DateTimeOffset now, CancellationToken ct = default) =>
        OpenOf(hcaId).ReadAsync((row, token) => FindAsync(row.Split('~')[0], row[(row.IndexOf('~') + 1)..], token),
            o => o.GetString("Outcome") == Offered && o.GetString("HcaId") == hcaId && o.GetDateTimeOffset("ExpiresAt") > now, ct);

    /// <summary>
    /// The one-off step (<see cref="IndexUpgrade"/>) for offers made before the index: reads every offer once and indexes
    /// those still open, a partition's rows in batches of up to 100. Idempotent. The rows written.
    /// </summary>
    public async Task<int> IndexAsync(CancellationToken ct = default)
    {
        var byHca = new Dictionary<string, List<string>>();
        var open = TableClient.CreateQueryFilter($"Outcome eq {Offered} and ExpiresAt gt {DateTimeOffset.UtcNow}");
        await foreach (var o in Table.QueryAsync<TableEntity>(open, select: ["PartitionKey", "RowKey", "HcaId"], cancellationToken: ct))
        {
            var partition = IndexPartition(o.GetString("HcaId"));
            if (!byHca.TryGetValue(partition, out var rows)) byHca[partition] = rows = [];
            rows.Add(IndexRow(o.PartitionKey, o.RowKey));
        }
        return await new OpenIndex(() => Table).UpsertAllAsync(byHca, ct);
    }

    private static string IndexPartition(string hcaId) => $"hca-{hcaId}";

    /// <summary>The case id never holds a '~', so the first one splits the case from the offer.</summary>
    private static string IndexRow(string caseId, string offerId) => $"{caseId}~{offerId}";
}
