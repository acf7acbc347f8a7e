using Azure;
using Azure.Data.Tables;
using Workflows.Storage;

namespace Workflows.Ecss;

/// <summary>
/// Which HCA is on their way to or with a patient now (HcaClaims: PartitionKey = team, RowKey = HCA id).
/// Accepting an offer inserts the HCA's row, and Table Storage lets only one insert of a key succeed, so of two
/// cases an HCA says YES to at once only one becomes theirs. The row goes when they record the visit, hand over,
/// or the case ends.
/// </summary>
public sealed class HcaClaims(TableStore store)
{
    private TableClient Table => store.Table(TableNames.HcaClaims);

    /// <summary>True when the HCA is now attending <paramref name="caseId"/> (also when this claim was already made).</summary>
    public async Task<bool> TryClaimAsync(string team, string hcaId, string caseId, DateTimeOffset at, CancellationToken ct = default)
    {
        if (await TryInsertAsync(team, hcaId, caseId, at, ct)) return true;
        var held = await Table.GetEntityIfExistsAsync<TableEntity>(team, hcaId, cancellationToken: ct);
        // Released in between: try once more rather than tell the HCA they are busy when they are not.
        if (!held.HasValue) return await TryInsertAsync(team, hcaId, caseId, at, ct);
        return held.Value!.GetString("CaseId") == caseId;
    }

    private async Task<bool> TryInsertAsync(string team, string hcaId, string caseId, DateTimeOffset at, CancellationToken ct)
    {
        try
        {
            await Table.AddEntityAsync(new TableEntity(team, hcaId) { ["CaseId"] = caseId, ["ClaimedAt"] = at }, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict()) { return false; }
    }

    /// <summary>Frees the HCA if (and only if) their claim is for this case; the ETag keeps a newer claim safe.</summary>
    public async Task ReleaseAsync(string team, string hcaId, string caseId, CancellationToken ct = default)
    {
        var held = await Table.GetEntityIfExistsAsync<TableEntity>(team, hcaId, cancellationToken: ct);
        if (!held.HasValue || held.Value!.GetString("CaseId") != caseId) return;
        try { await Table.DeleteEntityAsync(team, hcaId, held.Value.ETag, ct); }
        catch (RequestFailedException e) when (e.IsPreconditionFailed() || e.IsNotFound()) { }
    }

    /// <summary>The HCAs of a team attending a patient now, and which case.</summary>
    public async Task<IReadOnlyDictionary<string, string>> AttendingAsync(string team, CancellationToken ct = default)
    {
        var map = new Dictionary<string, string>();
        await foreach (var e in Table.QueryAsync<TableEntity>(x => x.PartitionKey == team, cancellationToken: ct))
            map[e.RowKey] = e.GetString("CaseId");
        return map;
    }
}
