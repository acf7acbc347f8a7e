using Azure;
using Azure.Data.Tables;
using Workflows.Storage;

namespace Workflows.Messaging;

/// <summary>
/// Who replied STOP (and has not replied START since), with the time, in the SmsOptOuts table keyed by phone.
/// Applies to every case and flow: the send path checks it before anything goes out.
/// </summary>
public sealed class SmsOptOuts(TableStore store)
{
    private const string Row = "optout";

    private TableClient Table => store.Table(TableNames.SmsOptOuts);

    public async Task<bool> IsOptedOutAsync(string phone, CancellationToken ct = default)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(phone, Row, cancellationToken: ct);
        return row.HasValue && row.Value!.GetBoolean("OptedOut") == true;
    }

    /// <summary>Records a STOP; true when the number was not opted out before (a STOP repeated, or older than a START, is not).</summary>
    public Task<bool> StopAsync(string phone, DateTimeOffset at, CancellationToken ct = default) => SetAsync(phone, true, at, ct);

    public Task StartAsync(string phone, DateTimeOffset at, CancellationToken ct = default) => SetAsync(phone, false, at, ct);

    /// <summary>The later of STOP and START wins, whatever order the two deliveries arrive in. True when it changed the state.</summary>
    private async Task<bool> SetAsync(string phone, bool optedOut, DateTimeOffset at, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var existing = await Table.GetEntityIfExistsAsync<TableEntity>(phone, Row, cancellationToken: ct);
            var row = existing.HasValue ? existing.Value! : new TableEntity(phone, Row);
            if (row.GetDateTimeOffset("ChangedAt") is { } changed && changed > at) return false;
            var was = row.GetBoolean("OptedOut") == true;
            row["OptedOut"] = optedOut;
            row["ChangedAt"] = at;
            row[optedOut ? "StoppedAt" : "StartedAt"] = at;
            try
            {
                if (existing.HasValue) await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, ct);
                else await Table.AddEntityAsync(row, ct);
                return was != optedOut;
            }
            catch (RequestFailedException e) when (e.IsConflict() || e.IsPreconditionFailed()) { }
        }
        throw new InvalidOperationException("The opt-out row kept changing under us; the delivery will be retried.");
    }
}
