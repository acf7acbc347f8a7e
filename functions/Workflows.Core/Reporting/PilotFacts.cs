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
    int Visits = 0);

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

/// <summary>The District Direct fund of one financial year, as the ledger holds it now.</summary>
public sealed record FundPosition(string Year, long TotalPence, long CommittedPence, long SpentPence, long AvailablePence);
