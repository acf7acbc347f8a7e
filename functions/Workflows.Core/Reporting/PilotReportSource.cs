using System.Text.Json;
using Azure.Data.Tables;
using Workflows.CrisisCare;
using Workflows.DistrictDirect;
using Workflows.Storage;

namespace Workflows.Reporting;

/// <summary>Reads the facts of a period from the tables: cases by call time, and the timeline events the measures need.</summary>
public sealed class PilotReportSource(TableStore store, CaseStore cases, FundLedger ledger)
{
    /// <summary>Timeline kinds the report reads (written by the crisis-care and ECSS activities).</summary>
    public static class Kinds
    {
        public const string EcssReferred = "ecss-referred";
        public const string HcaAccepted = "hca-accepted";
        public const string BridgingEnded = "bridging-ended";
        public const string BereavementSignposting = "bereavement-signposting";
        public const string BereavementFollowUp = "bereavement-follow-up";
        public const string CarerCheckInReply = "carer-check-in-reply";

        /// <summary>Visit care that supports the carer: counted under "carers supported".</summary>
        public static readonly string[] CarerSupportCare = ["emotional-support"];
    }

    public async Task<IReadOnlyList<CaseFacts>> CasesAsync(ReportPeriod period, CancellationToken ct = default)
    {
        var (start, end) = (period.Start, period.End);
        var rows = new List<CaseRecord>();
        await foreach (var c in cases.ReceivedAsync(start, end, ct))
            rows.Add(c);
        if (rows.Count == 0) return [];

        // One scan of the period's events rather than one query per case: a case's events follow its call.
        var events = new Dictionary<string, List<(string Kind, DateTimeOffset At, bool Texted)>>();
        var read = new[] { Kinds.EcssReferred, Kinds.HcaAccepted, Kinds.BridgingEnded, Kinds.BereavementSignposting, Kinds.BereavementFollowUp, Kinds.CarerCheckInReply };
        var kinds = string.Join(" or ", read.Select(k => TableClient.CreateQueryFilter($"Kind eq {k}")));
        var filter = $"{TableClient.CreateQueryFilter($"At ge {start}")} and ({kinds})";
        await foreach (var e in store.Table(TableNames.CaseEvents).QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "Kind", "At"], cancellationToken: ct))
        {
            if (!events.TryGetValue(e.PartitionKey, out var list)) events[e.PartitionKey] = list = [];
            // ECSS logs texts sent to the family as the step's "-family" part; the same kind without it means nobody was texted.
            list.Add((e.GetString("Kind"), e.GetDateTimeOffset("At")!.Value, e.RowKey.EndsWith("-family", StringComparison.Ordinal)));
        }

        var visits = new Dictionary<string, (int Count, bool CarerSupport)>();
        await foreach (var v in store.Table(TableNames.CaseVisits).QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"ArrivedAt ge {start}"), select: ["PartitionKey", "Care"], cancellationToken: ct))
        {
            var (count, support) = visits.GetValueOrDefault(v.PartitionKey);
            var care = (v.GetString("Care") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
            visits[v.PartitionKey] = (count + 1, support || care.Intersect(Kinds.CarerSupportCare).Any());
        }

        return rows.Select(c =>
        {
            var timeline = events.GetValueOrDefault(c.CaseId) ?? [];
            DateTimeOffset? First(string kind) => timeline.Where(e => e.Kind == kind).Select(e => (DateTimeOffset?)e.At).Min();
            var (visitCount, carerSupport) = visits.GetValueOrDefault(c.CaseId);
            return new CaseFacts(c.CaseId, c.ReceivedAt, c.CallerRole, c.Status, c.TriageOutcome, c.TriagedAt, c.CloseReason, c.ClosedAt,
                ReferredServiceId: ServiceId(c.ReferralJson),
                EcssReferredAt: First(Kinds.EcssReferred),
                HcaAcceptedAt: First(Kinds.HcaAccepted),
                BridgingSince: c.BridgingSince,
                BridgingEndedAt: First(Kinds.BridgingEnded),
                BereavementSignposted: timeline.Any(e => e.Kind == Kinds.BereavementSignposting && e.Texted),
                CarerSupportVisit: carerSupport,
                Visits: visitCount,
                PreferredPlaceOfDeath: c.PreferredPlaceOfDeath,
                PlaceOfDeath: c.PlaceOfDeath,
                BereavedFollowedUp: timeline.Any(e => e.Kind == Kinds.BereavementFollowUp && e.Texted),
                CarerCheckedIn: timeline.Any(e => e.Kind == Kinds.CarerCheckInReply));
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

    /// <summary>The fund of the financial year the period ends in, as it stood when the period ended (now, if it has not).</summary>
    public async Task<FundPosition?> FundAsync(ReportPeriod period, DateTimeOffset now, CancellationToken ct = default)
    {
        var year = FundYear.Of(period.To);
        if (await ledger.BalanceAsync(year, ct) is not { } fund) return null;
        return FundPosition.At(year, fund.TotalPence, await ledger.RequestsAsync(year, ct), period.End < now ? period.End : now);
    }

    private static string? ServiceId(string? referralJson)
    {
        if (referralJson is null) return null;
        using var doc = JsonDocument.Parse(referralJson);
        return doc.RootElement.TryGetProperty("serviceId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
    }
}
