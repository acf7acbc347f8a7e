using Workflows.DistrictDirect;

namespace Workflows.Reporting;

/// <summary>What the report needs to know of one crisis case, read from the Cases row and its timeline.</summary>
public sealed record CaseFacts(
    string CaseId,
    DateTimeOffset ReceivedAt,
    string CallerRole,
    string Status,
    string? TriageOutcome = null,
    DateTimeOffset? TriagedAt = null,
    string? CloseReason = null,
    DateTimeOffset? ClosedAt = null,
    string? ReferredServiceId = null,
    DateTimeOffset? EcssReferredAt = null,
    DateTimeOffset? HcaAcceptedAt = null,
    DateTimeOffset? BridgingSince = null,
    DateTimeOffset? BridgingEndedAt = null,
    bool BereavementSignposted = false,
    bool CarerSupportVisit = false,
    int Visits = 0,
    string? PreferredPlaceOfDeath = null,
    string? PlaceOfDeath = null,
    bool BereavedFollowedUp = false,
    bool CarerCheckedIn = false);

/// <summary>What the report needs to know of one District Direct referral.</summary>
public sealed record DischargeFacts(
    string ReferralId,
    DateTimeOffset ReceivedAt,
    string Source,
    bool NeededSpend,
    long CommittedPence,
    long SpentPence,
    DateTimeOffset? DischargedAt,
    int BedDaysSaved);

/// <summary>
/// The District Direct fund of one financial year as it stood at <see cref="AsAt"/>: the end of the report's period, or
/// now while the period is not over, so a report of a past month shows that month's fund, not today's.
/// </summary>
public sealed record FundPosition(string Year, long TotalPence, long CommittedPence, long SpentPence, long AvailablePence, DateTimeOffset AsAt)
{
    /// <summary>
    /// The fund at <paramref name="at"/> from its spend requests: approved by then and neither invoiced nor cancelled by
    /// then is committed (the amount approved); invoiced by then is spent (the invoice).
    /// </summary>
    public static FundPosition At(string year, long totalPence, IEnumerable<SpendRequest> requests, DateTimeOffset at)
    {
        long committed = 0, spent = 0;
        foreach (var r in requests)
        {
            if (r.InvoicedAt <= at) spent += r.SpentPence;
            // What was approved: still committed, or since split into spent and released, or released by a cancel.
            else if (r.DecidedAt <= at && !(r.CancelledAt <= at)) committed += r.CommittedPence + r.SpentPence + r.ReleasedPence;
        }
        return new FundPosition(year, totalPence, committed, spent, totalPence - committed - spent, at);
    }
}
