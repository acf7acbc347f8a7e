using System.Runtime.Serialization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Workflows.Storage;

namespace Workflows.CrisisCare;

/// <summary>
/// Something a person told a case (a triage, a close, a resume, an HCA's visit or check-in, a care package), as raised
/// on its orchestration (CaseReports table: PartitionKey = case id, RowKey = the report's id).
/// </summary>
public sealed class CaseReport : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    [IgnoreDataMember] public string CaseId => PartitionKey;
    [IgnoreDataMember] public string ReportId => RowKey;
    /// <summary>The orchestration event it is raised as.</summary>
    public string Event { get; set; } = "";
    /// <summary>The event's payload, as System.Text.Json writes it by default (what both hosts' converters read).</summary>
    public string PayloadJson { get; set; } = "";
    public DateTimeOffset RecordedAt { get; set; }
    /// <summary>When it was raised (or acted on); null while it waits (its raise failed, or the case has not started yet).</summary>
    public DateTimeOffset? RaisedAt { get; set; }

    public T Payload<T>() => JsonSerializer.Deserialize<T>(PayloadJson)!;
}

/// <summary>
/// Tells a case's orchestration what people report, exactly once. A report is recorded before it is raised and marked
/// once raised, so a request retried after its raise failed finds the report and raises it, and one retried after it
/// was raised changes nothing. (Two tries at the same moment can both raise it: the case keys the step that records a
/// report by the report, so it is still recorded once.) A report made before the case's orchestration has started
/// waits here and is raised when the case starts (<see cref="DeliverWaitingAsync"/>).
/// </summary>
public sealed class CaseReports(TableStore store, TimeProvider time)
{
    /// <summary>The same report sent again within this (a retry) is the same report; after it, a new one.</summary>
    public static readonly TimeSpan RetryWindow = TimeSpan.FromMinutes(10);

    private TableClient Table => store.Table(TableNames.CaseReports);

    /// <summary>A report id part that stands for what was reported (who, and what they said), short enough for a key.</summary>
    public static string Key(params object?[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(parts))))[..16];

    /// <summary>
    /// The report <paramref name="reportId"/> of the case: recorded now with <paramref name="payload"/> (given the time it
    /// is recorded) unless it was recorded before, in which case the earlier one is returned as it was. A report that
    /// may be made again later (<paramref name="repeatable"/>: a second check-in with the same words) is a new report once
    /// <see cref="RetryWindow"/> has passed.
    /// </summary>
    public async Task<(CaseReport Report, bool New)> RecordAsync<T>(string caseId, string reportId, string eventName,
        Func<DateTimeOffset, T> payload, bool repeatable = false, CancellationToken ct = default)
    {
        while (true)
        {
            var now = time.GetUtcNow();
            var found = await Table.GetEntityIfExistsAsync<CaseReport>(caseId, reportId, cancellationToken: ct);
            if (found.HasValue && !(repeatable && now - found.Value!.RecordedAt > RetryWindow)) return (found.Value!, false);
            var report = new CaseReport
            {
                PartitionKey = caseId, RowKey = reportId, Event = eventName,
                PayloadJson = JsonSerializer.Serialize(payload(now)), RecordedAt = now,
            };
            try
            {
                if (found.HasValue) await Table.UpdateEntityAsync(report, found.Value!.ETag, TableUpdateMode.Replace, ct);
                else await Table.AddEntityAsync(report, ct);
                return (report, true);
            }
            catch (RequestFailedException e) when (e.IsConflict() || e.IsPreconditionFailed())
            {
                // Another try of the same request recorded it a moment ago: read theirs.
            }
        }
    }

    /// <summary>Raises the report on its case's orchestration unless that was done already, then marks it raised.</summary>
    public async Task DeliverAsync(DurableTaskClient client, CaseReport report, CancellationToken ct = default)
    {
        if (report.RaisedAt is not null) return;
        await client.RaiseEventAsync(report.CaseId, report.Event, JsonSerializer.Deserialize<JsonElement>(report.PayloadJson), ct);
        await MarkDeliveredAsync(report, ct);
    }

    /// <summary>Marks the report told to the case (raised, or acted on another way), so a retry does not tell it again.</summary>
    public async Task MarkDeliveredAsync(CaseReport report, CancellationToken ct = default)
    {
        report.RaisedAt = time.GetUtcNow();
        await Table.UpdateEntityAsync(new TableEntity(report.PartitionKey, report.RowKey) { ["RaisedAt"] = report.RaisedAt },
            ETag.All, TableUpdateMode.Merge, ct);
    }

    /// <summary>Reports of the case not yet raised, in the order they were made.</summary>
    public async Task<IReadOnlyList<CaseReport>> WaitingAsync(string caseId, CancellationToken ct = default)
    {
        var list = new List<CaseReport>();
        // Table storage keeps no nulls to filter on: a case has a handful of reports, read them all.
        await foreach (var r in Table.QueryAsync<CaseReport>(x => x.PartitionKey == caseId, cancellationToken: ct))
            if (r.RaisedAt is null) list.Add(r);
        return list.OrderBy(r => r.RecordedAt).ToList();
    }

    /// <summary>
    /// Raises what was reported before the case's orchestration started, once it has run its first episode (H18; throws
    /// <see cref="OrchestrationNotStartedException"/> when it has not yet, so the start is tried again).
    /// </summary>
    public async Task DeliverWaitingAsync(DurableTaskClient client, string caseId, CancellationToken ct = default)
    {
        var waiting = await WaitingAsync(caseId, ct);
        if (waiting.Count == 0) return;
        await OrchestrationEvents.StartedAsync(client, caseId, ct: ct);
        foreach (var report in waiting) await DeliverAsync(client, report, ct);
    }
}
