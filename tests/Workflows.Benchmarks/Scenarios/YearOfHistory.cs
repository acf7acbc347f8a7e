using System.Diagnostics;
using System.Text.Json;
using Azure.Data.Tables;
using Workflows.CrisisCare;
using Workflows.DistrictDirect;
using Workflows.Http;
using Workflows.Messaging;
using Workflows.Reporting;
using Workflows.Storage;

namespace Workflows.Benchmarks.Scenarios;

/// <summary>
/// A year of service written straight into the app's tables, as its stores wrote them before their indices (no engine,
/// no routes; <see cref="HistoryReads"/> then runs the one-off store upgrades, as on a store in service): cases
/// with their timelines, texts, HCA offers and visits; District Direct referrals with their spend. Fictional people only:
/// phones in the drama range 07700 900xxx, NHS numbers in the 999 test range. Rows sharing a partition go in
/// entity-group batches of up to 100; rows alone in theirs are written many at a time.
/// </summary>
public sealed class YearOfHistory(TableStore store, int cases, DateTimeOffset now)
{
    public const int TextsPerCase = 10;
    /// <summary>One ECSS referral in four calls; each has about three offers and four visits.</summary>
    private const int EcssEvery = 4, OffersPerEcssCase = 3, VisitsPerEcssCase = 4;
    /// <summary>District Direct takes about one referral for every eight calls.</summary>
    public const int CasesPerReferral = 8;
    public const int Hcas = 30;
    /// <summary>Indices of the open records (<see cref="LoadOpenAsync"/>), past any year's.</summary>
    private const int OpenBase = 8_000_000;

    private static readonly string[] GivenNames = ["Margaret", "Edith", "Arthur", "Doris", "Harold", "Joan", "Stanley", "Irene", "Walter", "Sylvia"];
    private static readonly string[] FamilyNames = ["Ashworth", "Turner", "Bennett", "Hollis", "Marsh", "Pickering", "Dawson", "Fenwick"];

    public int Cases => cases;
    public int Texts => cases * TextsPerCase;
    public int Offers => cases / EcssEvery * OffersPerEcssCase;
    public int Referrals => cases / CasesPerReferral;

    public sealed record Loaded(int Cases, int Events, int Texts, int Offers, int Visits, int Referrals, int SpendRequests, double Seconds, double RowsPerSecond);

    public async Task<Loaded> LoadAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var (events, visits, spend) = (0, 0, 0);
        var singles = new List<(string Table, ITableEntity Row)>();
        var groups = new List<(string Table, List<ITableEntity> Rows)>();
        for (var i = 0; i < cases; i++)
        {
            var (c, timeline, texts, offers, caseVisits) = Case(i);
            singles.Add((TableNames.Cases, c));
            groups.Add((TableNames.CaseEvents, timeline));
            singles.AddRange(texts.Select(t => (TableNames.SmsMessages, (ITableEntity)t)));
            if (offers.Count > 0) groups.Add((TableNames.HcaOffers, offers));
            if (caseVisits.Count > 0) groups.Add((TableNames.CaseVisits, caseVisits));
            (events, visits) = (events + timeline.Count, visits + caseVisits.Count);
        }
        var requestsByYear = new Dictionary<string, List<ITableEntity>>();
        for (var i = 0; i < Referrals; i++)
        {
            var (r, requests) = Referral(i);
            singles.Add((TableNames.DischargeReferrals, r));
            foreach (var s in requests)
            {
                if (!requestsByYear.TryGetValue(s.PartitionKey, out var list)) requestsByYear[s.PartitionKey] = list = [];
                list.Add(s);
            }
            spend += requests.Count;
        }
        groups.AddRange(requestsByYear.Values.SelectMany(rows => rows.Chunk(100)).Select(rows => (TableNames.DischargeFund, rows.ToList())));

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct };
        await Parallel.ForEachAsync(groups, parallel, async (g, token) =>
        {
            foreach (var chunk in g.Rows.Chunk(100))
                await store.Table(g.Table).SubmitTransactionAsync(chunk.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)), token);
        });
        await Parallel.ForEachAsync(singles, parallel, async (s, token) => await store.Table(s.Table).AddEntityAsync(s.Row, token));
        var rows = singles.Count + groups.Sum(g => g.Rows.Count);
        var seconds = clock.Elapsed.TotalSeconds;
        return new Loaded(cases, events, Texts, Offers, visits, Referrals, spend, Math.Round(seconds, 1), Math.Round(rows / seconds));
    }

    /// <summary>
    /// The records the measured routes look at, open now, the same on the empty store and on the year: a call awaiting
    /// triage, a case bridged by <paramref name="hcaId"/> with its texts, a case offered to them, a referral awaiting assessment.
    /// </summary>
    public async Task<(string BridgedCase, string ReferralId)> LoadOpenAsync(string hcaId, CancellationToken ct)
    {
        var (waiting, waitingEvents, _, _, _) = Case(OpenBase + 1, now.AddMinutes(-10));
        (waiting.Status, waiting.TriageOutcome, waiting.TriagedBy, waiting.TriagedAt, waiting.CloseReason, waiting.ClosedAt) =
            (CaseStatus.AwaitingTriage, null, null, null, null, null);
        var (bridged, bridgedEvents, texts, _, visits) = Case(OpenBase + EcssEvery, now.AddDays(-2));
        (bridged.Status, bridged.AssignedHca, bridged.CloseReason, bridged.ClosedAt) = (CaseStatus.Bridging, hcaId, null, null);
        var (offered, offeredEvents, _, _, _) = Case(OpenBase + 2 * EcssEvery, now.AddMinutes(-30));
        (offered.Status, offered.AssignedHca, offered.DispatchState, offered.OfferedTo, offered.CloseReason, offered.ClosedAt) =
            (CaseStatus.AwaitingHca, null, "offering", hcaId, null, null);
        var offer = new TableEntity(offered.CaseId, $"{offered.CaseId}-offer-open")
        {
            ["HcaId"] = hcaId, ["HcaName"] = "Bench HCA", ["Round"] = 1, ["OfferedAt"] = now.AddMinutes(-2), ["ExpiresAt"] = now.AddDays(1),
            ["Code"] = "7001", ["LinkId"] = "bench-open-offer", ["Outcome"] = "offered",
        };
        var (referral, _) = Referral(OpenBase + 1, now.AddHours(-1));
        (referral.Status, referral.AssessedBy, referral.AssessedAt, referral.Findings, referral.FundYear, referral.SpendRequestCount,
            referral.SpendPence, referral.SpentPence, referral.DischargedAt) = (ReferralStatus.AwaitingAssessment, null, null, null, null, 0, 0, 0, null);

        foreach (var timeline in new[] { waitingEvents, bridgedEvents, offeredEvents })
            timeline.RemoveAll(e => e.RowKey.EndsWith("-closed", StringComparison.Ordinal) || e.RowKey.EndsWith("-bridging-ended", StringComparison.Ordinal));
        foreach (var c in new[] { waiting, bridged, offered }) await store.Table(TableNames.Cases).AddEntityAsync(c, ct);
        foreach (var timeline in new[] { waitingEvents, bridgedEvents, offeredEvents })
            await store.Table(TableNames.CaseEvents).SubmitTransactionAsync(timeline.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), ct);
        foreach (var t in texts) await store.Table(TableNames.SmsMessages).AddEntityAsync(t, ct);
        await store.Table(TableNames.CaseVisits).SubmitTransactionAsync(visits.Select(v => new TableTransactionAction(TableTransactionActionType.Add, v)), ct);
        await store.Table(TableNames.HcaOffers).AddEntityAsync(offer, ct);
        await store.Table(TableNames.DischargeReferrals).AddEntityAsync(referral, ct);
        return (bridged.CaseId, referral.ReferralId);
    }

    /// <summary>The i-th call of the year: calls spread evenly over the 365 days before <c>now</c>, nearly all closed.</summary>
    private (CaseRecord Case, List<ITableEntity> Timeline, List<SentMessage> Texts, List<ITableEntity> Offers, List<ITableEntity> Visits) Case(int i, DateTimeOffset? receivedAt = null)
    {
        var received = receivedAt ?? now.AddDays(-365).AddSeconds(365.0 * 24 * 3600 * i / Math.Max(1, cases));
        var callId = $"hist-{i:D7}";
        var caseId = CaseRecord.IdFor(callId);
        var ecss = i % EcssEvery == 0;
        var hca = $"bench-hist-hca-{i % Hcas:D2}";
        var triaged = received.AddMinutes(25);
        var closed = received.AddDays(ecss ? 4 : 0).AddHours(2);
        var c = new CaseRecord
        {
            PartitionKey = caseId, CallId = callId, ReceivedAt = received, AcceptedAt = received, Status = CaseStatus.Closed,
            CallerRole = i % 3 == 0 ? "patient" : "family", CallbackNumber = Phone(i), Reason = "Breathless at home; family asking for help overnight.",
            NhsNumber = NhsNumberFor(i), PatientName = $"{GivenNames[i % GivenNames.Length]} {FamilyNames[i / GivenNames.Length % FamilyNames.Length]}",
            DateOfBirth = "1940-01-01", Address = $"{1 + i % 200} Station Road, Derby", Postcode = "DE22 3NE", PatientPhone = Phone(i + 1),
            FamilyContactsJson = JsonSerializer.Serialize(new[] { new FamilyContact(GivenNames[(i + 3) % GivenNames.Length] + " Ashworth", "daughter", Phone(i + 2), SmsConsent: true) }, Json.Options),
            TriageOutcome = ecss ? TriageOutcome.Ecss : TriageOutcome.Advice, TriagedBy = "bench-anp", TriagedAt = triaged,
            AssignedHca = ecss ? hca : null, AssignedHcaName = ecss ? "Bench HCA" : null, EcssTeam = ecss ? "derby" : null,
            DispatchState = ecss ? "assigned" : null, BridgingSince = ecss ? triaged.AddHours(1) : null,
            CloseReason = "care-in-place", ClosedAt = closed,
        };
        var timeline = new List<ITableEntity>
        {
            Event(caseId, "started", received, "started"),
            Event(caseId, "triaged", triaged, "triaged"),
            Event(caseId, "closed", closed, "closed"),
        };
        if (ecss)
        {
            timeline.Add(Event(caseId, "ecss-referred", triaged, ReportFacts.Kinds.EcssReferred));
            timeline.Add(Event(caseId, "hca-accepted", triaged.AddMinutes(40), ReportFacts.Kinds.HcaAccepted));
            timeline.Add(Event(caseId, "bridging-ended", closed, ReportFacts.Kinds.BridgingEnded));
        }
        var texts = Enumerable.Range(0, TextsPerCase).Select(n => new SentMessage
        {
            PartitionKey = SentMessages.Key($"{caseId}-text-{n}"), MessageId = $"{caseId}-text-{n}", To = Phone(i + n),
            Body = "The crisis care team has your call and will ring you back shortly.", Tag = caseId, Audience = nameof(SmsAudience.Family),
            Status = SmsStatus.Delivered, FirstSentAt = received.AddMinutes(n * 30), SentAt = received.AddMinutes(n * 30),
            DeliveryReportAt = received.AddMinutes(n * 30 + 1), DeliveryStatus = "Delivered",
        }).ToList();
        var offers = !ecss ? [] : Enumerable.Range(1, OffersPerEcssCase).Select(n => (ITableEntity)new TableEntity(caseId, $"{caseId}-offer-{n}")
        {
            ["HcaId"] = n == OffersPerEcssCase ? hca : $"bench-hist-hca-{(i + n) % Hcas:D2}", ["HcaName"] = "Bench HCA", ["Round"] = 1,
            ["OfferedAt"] = triaged.AddMinutes(n * 10), ["ExpiresAt"] = triaged.AddMinutes(n * 10 + 10), ["Code"] = $"{n}{i % 1000:D3}",
            ["Outcome"] = n == OffersPerEcssCase ? "accepted" : "declined", ["AnsweredAt"] = triaged.AddMinutes(n * 10 + 5),
        }).ToList();
        var visits = !ecss ? [] : Enumerable.Range(0, VisitsPerEcssCase).Select(n =>
        {
            var arrived = triaged.AddHours(2 + n * 20);
            return (ITableEntity)new TableEntity(caseId, $"{arrived.UtcTicks:D19}-{hca}")
            {
                ["HcaId"] = hca, ["HcaName"] = "Bench HCA", ["ArrivedAt"] = arrived, ["LeftAt"] = arrived.AddHours(1),
                ["Care"] = n % 2 == 0 ? "personal-care,emotional-support" : "personal-care", ["Notes"] = "", ["RecordedAt"] = arrived.AddHours(1),
            };
        }).ToList();
        return (c, timeline, texts, offers, visits);
    }

    /// <summary>The i-th District Direct referral of the year: discharged, its two works approved and invoiced.</summary>
    private (ReferralRecord Referral, List<SpendRequest> Requests) Referral(int i, DateTimeOffset? createdAt = null)
    {
        var created = createdAt ?? now.AddDays(-365).AddSeconds(365.0 * 24 * 3600 * i / Math.Max(1, Referrals));
        var referralId = $"RDH-HIST-{i:D7}";
        var year = FundYear.Of(created);
        var requests = Enumerable.Range(1, 2).Select(n => new SpendRequest
        {
            PartitionKey = year, RowKey = SpendRequest.IdFor(year, referralId, n), ReferralId = referralId, Number = n,
            Item = n == 1 ? "Key safe fitted" : "Deep clean", Supplier = "Derby Builders", AmountPence = 15000, Status = SpendStatus.Invoiced,
            RequestedBy = "bench-dd-officer", RequestedAt = created.AddHours(3), SpentPence = 15000,
            DecidedBy = "bench-dd-manager", DecidedAt = created.AddHours(4), DecidedVia = "page", InvoicedAt = created.AddDays(3),
        }).ToList();
        var referral = new ReferralRecord
        {
            PartitionKey = referralId, Source = "ward", Hospital = i % 2 == 0 ? "royal-derby" : "chesterfield-royal", Blockers = "clutter,key-safe",
            FitForDischargeAt = created, CreatedAt = created, Status = ReferralStatus.Discharged, AverageDelayDays = 5,
            NhsNumber = NhsNumberFor(i + 500_000), PatientName = $"{GivenNames[(i + 5) % GivenNames.Length]} Turner", DateOfBirth = "1938-06-14",
            Address = "12 Station Road, Mickleover, Derby", Postcode = "DE3 9GB", AssessedBy = "bench-dd-officer", AssessedByName = "Bench officer",
            AssessedAt = created.AddHours(3), Findings = "Clutter on the stairs; a key safe is needed for carers.", FundYear = year,
            SpendRequestCount = requests.Count, SpendPence = 30000, SpentPence = 30000, DischargedAt = created.AddDays(1), BedDaysSaved = 4,
        };
        return (referral, requests);
    }

    private static ITableEntity Event(string caseId, string step, DateTimeOffset at, string kind) =>
        new TableEntity(caseId, $"{caseId}-{step}") { ["At"] = at, ["Kind"] = kind, ["Actor"] = "system", ["Summary"] = kind };

    /// <summary>Ofcom's drama range: 07700 900000 to 900999.</summary>
    private static string Phone(int i) => $"+447700900{i % 1000:D3}";

    /// <summary>A valid NHS number in the 999 range, which is never issued to a patient.</summary>
    public static string NhsNumberFor(int i)
    {
        for (var n = i; ; n++)
        {
            var stem = $"999{n % 1_000_000:D6}";
            var sum = 0;
            for (var d = 0; d < 9; d++) sum += (stem[d] - '0') * (10 - d);
            var check = (11 - sum % 11) % 11;
            if (check != 10) return stem + check;
        }
    }
}
