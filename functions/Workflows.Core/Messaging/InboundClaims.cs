using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Workflows.Storage;

namespace Workflows.Messaging;

/// <summary>
/// Event Grid delivers at least once: each inbound event is claimed in the SmsInbound table before it is acted on,
/// so a second delivery of the same event does nothing. A claim whose handling failed is released (Event Grid
/// retries); one left by a process that died mid-way is taken over after a while.
/// </summary>
public sealed class InboundClaims(TableStore store, TimeProvider time)
{
    private static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(2);

    private TableClient Table => store.Table(TableNames.SmsInbound);

    public sealed record Claim(string Key, string Kind, ETag ETag);

    /// <summary>The claim, or null when this event was (or is being) handled already.</summary>
    public async Task<Claim?> TryClaimAsync(string kind, string eventKey, CancellationToken ct = default)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(eventKey)))[..40];
        var now = time.GetUtcNow();
        var row = new TableEntity(key, kind) { ["Status"] = "handling", ["ClaimedAt"] = now };
        try
        {
            var added = await Table.AddEntityAsync(row, ct);
            return new Claim(key, kind, added.Headers.ETag ?? ETag.All);
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            var existing = await Table.GetEntityIfExistsAsync<TableEntity>(key, kind, cancellationToken: ct);
            if (!existing.HasValue) return null;
            var old = existing.Value!;
            if (old.GetString("Status") == "done" || old.GetDateTimeOffset("ClaimedAt") > now - Abandoned) return null;
            try
            {
                var taken = await Table.UpdateEntityAsync(row, old.ETag, TableUpdateMode.Replace, ct);
                return new Claim(key, kind, taken.Headers.ETag ?? ETag.All);
            }
            catch (RequestFailedException x) when (x.IsPreconditionFailed()) { return null; }
        }
    }

    public async Task CompleteAsync(Claim claim, string outcome, CancellationToken ct = default) =>
        await Table.UpsertEntityAsync(new TableEntity(claim.Key, claim.Kind)
        {
            ["Status"] = "done", ["Outcome"] = outcome, ["DoneAt"] = time.GetUtcNow(),
        }, TableUpdateMode.Merge, ct);

    public async Task ReleaseAsync(Claim claim)
    {
        try { await Table.DeleteEntityAsync(claim.Key, claim.Kind, claim.ETag); }
        catch (RequestFailedException) { }
    }
}
