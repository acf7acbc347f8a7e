using System.Text.Json;
using Azure.Data.Tables;
using Workflows.CrisisCare;
using Workflows.DistrictDirect;
using Workflows.Storage;

namespace Workflows.Reporting;

/// <summary>Reads the facts of a period from the tables: cases by call time, and the timeline events the measures need.</summary>
public sealed class PilotReportSource(TableStore store, FundLedger ledger)
{
    /// <summary>Timeline kinds the report reads (written by the crisis-care and ECSS activities).</summary>
    public static class Kinds
    {
        public const string EcssReferred = "ecss-referred";
    }

    public async Task<IReadOnlyList<CaseFacts>> CasesAsync(ReportPeriod period, CancellationToken ct = default)
    {
        var (start, end) = (period.Start, period.End);
        var rows = new List<CaseRecord>();
        await foreach (var c in store.Table(TableNames.Cases).QueryAsync<CaseRecord>(
            x => x.RowKey == CaseRecord.Row && x.ReceivedAt >= start && x.ReceivedAt < end, cancellationToken: ct))
            rows.Add(c);
        if (rows.Count == 0) return [];

        // One scan of the period's events rather than one query per case: a case's events follow its call.
        var events = new Dictionary<string, List<(string Kind, DateTimeOffset At)>>();
        var kinds = string.Join(" or ", new[] { Kinds.EcssReferred }.Select(k => TableClient.CreateQueryFilter($"Kind eq {k}")));
        var filter = $"{TableClient.CreateQueryFilter($"At ge {start}")} and ({kinds})";
        await foreach (var e in store.Table(TableNames.CaseEvents).QueryAsync<TableEntity>(filter, select: ["PartitionKey", "Kind", "At"], cancellationToken: ct))
        {
            if (!events.TryGetValue(e.PartitionKey, out var list)) events[e.PartitionKey] = list = [];
            list.Add((e.GetString("Kind"), e.GetDateTimeOffset("At")!.Value));
        }

        return rows.Select(c =>
        {
            var timeline = events.GetValueOrDefault(c.CaseId) ?? [];
            DateTimeOffset? First(string kind) => timeline.Where(e => e.Kind == kind).Select(e => (DateTimeOffset?)e.At).Min();
            return new CaseFacts(c.CaseId, c.ReceivedAt, c.CallerRole, c.Status, c.TriageOutcome, c.TriagedAt, c.CloseReason, c.ClosedAt,
                ReferredServiceId: ServiceId(c.ReferralJson),
                EcssReferredAt: First(Kinds.EcssReferred));
        }).ToList();
    }

    /// <summary>District Direct referrals that arrived in the period, with their spend and discharge.</summary>
    public async Task<IReadOnlyList<DischargeFacts>> DischargesAsync(ReportPeriod period, CancellationToken ct = default)
    {
        var (start, end) = (period.Start, period.End);
        var list = new List<DischargeFacts>();
        await foreach (var r in store.Table(TableNames.DischargeReferrals).QueryAsync<ReferralRecord>(
            x => x.RowKey == ReferralRecord.Row && x.CreatedAt >= start && x.CreatedAt < end, cancellationToken: ct))
            // SpendPence is money still committed plus money spent.
            list.Add(new DischargeFacts(r.ReferralId, r.CreatedAt, r.Source, r.SpendRequestCount > 0,
                r.SpendPence - r.SpentPence, r.SpentPence, r.DischargedAt, r.BedDaysSaved ?? 0));
        return list;
    }

    /// <summary>The fund of the financial year the period ends in, as the ledger holds it now.</summary>
    public async Task<FundPosition?> FundAsync(ReportPeriod period, CancellationToken ct = default) =>
        await ledger.BalanceAsync(FundYear.Of(period.To), ct) is { } f
            ? new FundPosition(f.Year, f.TotalPence, f.CommittedPence, f.SpentPence, f.AvailablePence)
            : null;

    private static string? ServiceId(string? referralJson)
    {
        if (referralJson is null) return null;
        using var doc = JsonDocument.Parse(referralJson);
        return doc.RootElement.TryGetProperty("serviceId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
    }
}
