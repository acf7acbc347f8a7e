using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using NodaTime;
using Workflows.CrisisCare;
using Workflows.DistrictDirect;
using Workflows.Storage;

namespace Workflows.Reporting;

/// <summary>
/// The pilot report's facts in the ReportFacts table, one partition per UK day, so a report reads the days it covers
/// (one query a day) and nothing else: a day a year ago costs what today costs, and a year costs its 365 days, however
/// much is stored.
/// <para>
/// <c>day-yyyy-MM-dd</c> holds, for each case whose 111 call came that day, up to three rows, each written by the
/// one owner of what it records: the case's (RowKey the case id, by <see cref="CaseStore"/> from the case's row), its
/// timeline's (id + <c>~events</c>, by <see cref="CaseTimeline"/>, the kinds the report reads) and its visits' (id +
/// <c>~visits</c>, where the visit is recorded); and one row per District Direct referral that arrived that day
/// (<c>referral~</c> + its id, by <see cref="ReferralStore"/>).
/// </para>
/// <para>
/// Kept per case within the day, not summed: medians and 90th percentiles do not add up across days, and a case still
/// bridging counts its days up to the time of the report, so a day keeps the values those need and the report sums
/// the counts as it reads (<see cref="PilotReportBuilder"/>, the same rules as from the records).
/// </para>
/// <para>
/// Each fact is written after its record, and again whenever its record is written again: a step re-run after a crash
/// between the two writes finds its record as it left it and rewrites the fact. Existing records get their facts from
/// the one-off store upgrade <see cref="Upgrade"/> (<see cref="BuildAsync"/>).
/// </para>
/// </summary>
public sealed class ReportFacts(TableStore store)
{
    /// <summary>The one-off step that wrote the facts of the records stored before them (<see cref="BuildAsync"/>).</summary>
    public const string Upgrade = "report-facts";

    private const string EventsRow = "~events", VisitsRow = "~visits", ReferralRow = "referral~";
    private const string EcssReferredAt = "EcssReferredAt", HcaAcceptedAt = "HcaAcceptedAt", BridgingEndedAt = "BridgingEndedAt";
    private const string BereavementSignposted = "BereavementSignposted", BereavedFollowedUp = "BereavedFollowedUp", CarerCheckedIn = "CarerCheckedIn";

    /// <summary>Timeline kinds the report reads (written by the crisis-care and ECSS activities).</summary>
    public static class Kinds
    {
        public const string EcssReferred = "ecss-referred";
        public const string HcaAccepted = "hca-accepted";
        public const string BridgingEnded = "bridging-ended";
        public const string BereavementSignposting = "bereavement-signposting";
        public const string BereavementFollowUp = "bereavement-follow-up";
        public const string CarerCheckInReply = "carer-check-in-reply";

        public static readonly string[] All = [EcssReferred, HcaAccepted, BridgingEnded, BereavementSignposting, BereavementFollowUp, CarerCheckInReply];

        /// <summary>Visit care that supports the carer: counted under "carers supported".</summary>
        public static readonly string[] CarerSupportCare = ["emotional-support"];
    }

    private TableClient Table => store.Table(TableNames.ReportFacts);

    /// <summary>The case's own facts, from its row as just written.</summary>
    public Task CaseAsync(CaseRecord c, CancellationToken ct = default) => Table.UpsertEntityAsync(CaseRow(c), TableUpdateMode.Replace, ct);

    /// <summary>A case whose intake could not be completed has no facts (its timeline and visits have none yet).</summary>
    public Task RemoveCaseAsync(CaseRecord c, CancellationToken ct = default) => DeleteAsync(CaseRow(c), ct);

    /// <summary>A timeline event of a case whose call came at <paramref name="receivedAt"/>; kinds the report does not read are ignored.</summary>
    public Task EventAsync(DateTimeOffset receivedAt, string caseId, string eventId, string kind, DateTimeOffset at, CancellationToken ct = default) =>
        Kinds.All.Contains(kind)
            ? ChangeAsync(DayPartition(receivedAt), caseId + EventsRow, row => AddEvent(row, kind, at, eventId), ct)
            : Task.CompletedTask;

    /// <summary>A visit to a case, as recorded or corrected (the same visit id again replaces what it said).</summary>
    public Task VisitAsync(DateTimeOffset receivedAt, string caseId, string visitId, IEnumerable<string> care, CancellationToken ct = default) =>
        ChangeAsync(DayPartition(receivedAt), caseId + VisitsRow, row => AddVisit(row, visitId, care), ct);

    /// <summary>The referral's facts, from its row as just written.</summary>
    public Task ReferralAsync(ReferralRecord r, CancellationToken ct = default) => Table.UpsertEntityAsync(ReferralFacts(r), TableUpdateMode.Replace, ct);

    /// <summary>A referral whose intake could not be completed has no facts.</summary>
    public Task RemoveReferralAsync(ReferralRecord r, CancellationToken ct = default) => DeleteAsync(ReferralFacts(r), ct);

    /// <summary>The facts of the period, each day's partition read by key: the cases whose call came in it, the referrals that arrived in it.</summary>
    public async Task<(IReadOnlyList<CaseFacts> Cases, IReadOnlyList<DischargeFacts> Referrals)> PeriodAsync(ReportPeriod period, CancellationToken ct = default)
    {
        var cases = new List<CaseFacts>();
        var referrals = new List<DischargeFacts>();
        foreach (var day in await DaysAsync(period, ct))
        {
            foreach (var r in day.Where(e => e.RowKey.StartsWith(ReferralRow, StringComparison.Ordinal)))
                referrals.Add(new DischargeFacts(r.RowKey[ReferralRow.Length..], r.GetDateTimeOffset("ReceivedAt")!.Value, r.GetString("Source"),
                    r.GetBoolean("NeededSpend") ?? false, r.GetInt64("CommittedPence") ?? 0, r.GetInt64("SpentPence") ?? 0,
                    r.GetDateTimeOffset("DischargedAt"), r.GetInt32("BedDaysSaved") ?? 0));
            foreach (var c in day.Where(e => !e.RowKey.StartsWith(ReferralRow, StringComparison.Ordinal)).GroupBy(e => e.RowKey.Split('~')[0]))
            {
                var rows = c.ToDictionary(e => e.RowKey[c.Key.Length..]);
                if (rows.GetValueOrDefault("") is { } row) cases.Add(CaseFactsOf(row, rows.GetValueOrDefault(EventsRow), rows.GetValueOrDefault(VisitsRow)));
            }
        }
        return (cases, referrals);
    }

    /// <summary>
    /// The one-off step (<see cref="Upgrade"/>) for records stored before the facts: reads every case, the timeline
    /// events the report reads, every visit and every referral once, and writes the facts the writers would have,
    /// a partition's rows in batches of up to 100. Idempotent. The rows written.
    /// </summary>
    public async Task<int> BuildAsync(CancellationToken ct = default)
    {
        var rows = new List<TableEntity>();
        var received = new Dictionary<string, DateTimeOffset>();
        await foreach (var c in store.Table(TableNames.Cases).QueryAsync<CaseRecord>(x => x.RowKey == CaseRecord.Row, cancellationToken: ct))
        {
            received[c.CaseId] = c.ReceivedAt;
            rows.Add(CaseRow(c));
        }

        var built = new Dictionary<string, TableEntity>();
        TableEntity RowOf(string caseId, string suffix) => built.TryGetValue(caseId + suffix, out var row)
            ? row : built[caseId + suffix] = new TableEntity(DayPartition(received[caseId]), caseId + suffix);
        var kinds = string.Join(" or ", Kinds.All.Select(k => TableClient.CreateQueryFilter($"Kind eq {k}")));
        await foreach (var e in store.Table(TableNames.CaseEvents).QueryAsync<TableEntity>(kinds, select: ["PartitionKey", "RowKey", "Kind", "At"], cancellationToken: ct))
            if (received.ContainsKey(e.PartitionKey))
                AddEvent(RowOf(e.PartitionKey, EventsRow), e.GetString("Kind"), e.GetDateTimeOffset("At")!.Value, e.RowKey);
        await foreach (var v in store.Table(TableNames.CaseVisits).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey", "Care"], cancellationToken: ct))
            if (received.ContainsKey(v.PartitionKey))
                AddVisit(RowOf(v.PartitionKey, VisitsRow), v.RowKey, Care(v.GetString("Care")));
        rows.AddRange(built.Values);

        await foreach (var r in store.Table(TableNames.DischargeReferrals).QueryAsync<ReferralRecord>(x => x.RowKey == ReferralRecord.Row, cancellationToken: ct))
            rows.Add(ReferralFacts(r));

        var batches = rows.GroupBy(r => r.PartitionKey).SelectMany(p => p.Chunk(100));
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (b, token) =>
            await Table.SubmitTransactionAsync(b.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), token));
        return rows.Count;
    }

    /// <summary>The care recorded for a visit, as the visits table holds it (comma-separated).</summary>
    public static string[] Care(string? care) => (care ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);

    private static string DayPartition(DateTimeOffset at) => Partition(ReportPeriod.DayOf(at));

    private static string Partition(LocalDate day) => $"day-{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    /// <summary>Each day's partition, read at most 8 at once, in the order of the days.</summary>
    private async Task<List<TableEntity>[]> DaysAsync(ReportPeriod period, CancellationToken ct)
    {
        var days = period.Days().ToArray();
        var read = new List<TableEntity>[days.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, days.Length), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            var partition = Partition(days[i]);
            var rows = new List<TableEntity>();
            await foreach (var e in Table.QueryAsync<TableEntity>(x => x.PartitionKey == partition, cancellationToken: token)) rows.Add(e);
            read[i] = rows;
        });
        return read;
    }

    private async Task DeleteAsync(TableEntity row, CancellationToken ct)
    {
        try { await Table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, ct); }
        catch (RequestFailedException e) when (e.IsNotFound()) { }
    }

    /// <summary>Reads, changes and writes a row on its ETag, again when another writer got there first; no write when nothing changed.</summary>
    private async Task ChangeAsync(string partition, string rowKey, Func<TableEntity, bool> change, CancellationToken ct)
    {
        while (true)
        {
            var found = await Table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: ct);
            var row = found.HasValue ? found.Value! : new TableEntity(partition, rowKey);
            if (!change(row)) return;
            try
            {
                if (found.HasValue) await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, ct);
                else await Table.AddEntityAsync(row, ct);
                return;
            }
            catch (RequestFailedException e) when (e.IsPreconditionFailed() || e.IsConflict()) { }
        }
    }

    private static TableEntity CaseRow(CaseRecord c)
    {
        var row = new TableEntity(DayPartition(c.ReceivedAt), c.CaseId)
        {
            ["ReceivedAt"] = c.ReceivedAt, ["CallerRole"] = c.CallerRole, ["Status"] = c.Status,
        };
        void Set(string column, object? value) { if (value is not null) row[column] = value; }
        Set("TriageOutcome", c.TriageOutcome);
        Set("TriagedAt", c.TriagedAt);
        Set("CloseReason", c.CloseReason);
        Set("ClosedAt", c.ClosedAt);
        Set("ReferredServiceId", ServiceId(c.ReferralJson));
        Set("BridgingSince", c.BridgingSince);
        Set("PreferredPlaceOfDeath", c.PreferredPlaceOfDeath);
        Set("PlaceOfDeath", c.PlaceOfDeath);
        return row;
    }

    /// <summary>
    /// Folds one event into a case's events row: the first time of each step the report times, and whether the family
    /// was texted (ECSS logs texts sent to the family as the step's "-family" part; the same kind without it means
    /// nobody was texted) or the carer answered. False when the row already said so.
    /// </summary>
    private static bool AddEvent(TableEntity row, string kind, DateTimeOffset at, string eventId)
    {
        bool First(string column)
        {
            if (row.GetDateTimeOffset(column) is { } first && first <= at) return false;
            row[column] = at;
            return true;
        }
        bool Yes(string column, bool yes)
        {
            if (!yes || row.GetBoolean(column) == true) return false;
            row[column] = true;
            return true;
        }
        var texted = eventId.EndsWith("-family", StringComparison.Ordinal);
        return kind switch
        {
            Kinds.EcssReferred => First(EcssReferredAt),
            Kinds.HcaAccepted => First(HcaAcceptedAt),
            Kinds.BridgingEnded => First(BridgingEndedAt),
            Kinds.BereavementSignposting => Yes(BereavementSignposted, texted),
            Kinds.BereavementFollowUp => Yes(BereavedFollowedUp, texted),
            Kinds.CarerCheckInReply => Yes(CarerCheckedIn, true),
            _ => false,
        };
    }

    /// <summary>Folds one visit into a case's visits row: each visit id with whether its care supported the carer.</summary>
    private static bool AddVisit(TableEntity row, string visitId, IEnumerable<string> care)
    {
        var visits = Visits(row);
        var support = care.Intersect(Kinds.CarerSupportCare).Any();
        if (visits.TryGetValue(visitId, out var was) && was == support) return false;
        visits[visitId] = support;
        row["Visits"] = JsonSerializer.Serialize(visits);
        return true;
    }

    private static Dictionary<string, bool> Visits(TableEntity? row) =>
        row?.GetString("Visits") is { } json ? JsonSerializer.Deserialize<Dictionary<string, bool>>(json)! : [];

    private static CaseFacts CaseFactsOf(TableEntity c, TableEntity? events, TableEntity? visitsRow)
    {
        var visits = Visits(visitsRow);
        return new CaseFacts(c.RowKey, c.GetDateTimeOffset("ReceivedAt")!.Value, c.GetString("CallerRole"), c.GetString("Status"),
            c.GetString("TriageOutcome"), c.GetDateTimeOffset("TriagedAt"), c.GetString("CloseReason"), c.GetDateTimeOffset("ClosedAt"),
            ReferredServiceId: c.GetString("ReferredServiceId"),
            EcssReferredAt: events?.GetDateTimeOffset(EcssReferredAt),
            HcaAcceptedAt: events?.GetDateTimeOffset(HcaAcceptedAt),
            BridgingSince: c.GetDateTimeOffset("BridgingSince"),
            BridgingEndedAt: events?.GetDateTimeOffset(BridgingEndedAt),
            BereavementSignposted: events?.GetBoolean(BereavementSignposted) == true,
            CarerSupportVisit: visits.ContainsValue(true),
            Visits: visits.Count,
            PreferredPlaceOfDeath: c.GetString("PreferredPlaceOfDeath"),
            PlaceOfDeath: c.GetString("PlaceOfDeath"),
            BereavedFollowedUp: events?.GetBoolean(BereavedFollowedUp) == true,
            CarerCheckedIn: events?.GetBoolean(CarerCheckedIn) == true);
    }

    private static TableEntity ReferralFacts(ReferralRecord r)
    {
        var row = new TableEntity(DayPartition(r.CreatedAt), ReferralRow + r.ReferralId)
        {
            // SpendPence is money still committed plus money spent.
            ["ReceivedAt"] = r.CreatedAt, ["Source"] = r.Source, ["NeededSpend"] = r.SpendRequestCount > 0,
            ["CommittedPence"] = r.SpendPence - r.SpentPence, ["SpentPence"] = r.SpentPence, ["BedDaysSaved"] = r.BedDaysSaved ?? 0,
        };
        if (r.DischargedAt is { } discharged) row["DischargedAt"] = discharged;
        return row;
    }

    private static string? ServiceId(string? referralJson)
    {
        if (referralJson is null) return null;
        using var doc = JsonDocument.Parse(referralJson);
        return doc.RootElement.TryGetProperty("serviceId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
    }
}
