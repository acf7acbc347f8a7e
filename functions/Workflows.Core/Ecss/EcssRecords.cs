using Workflows.CrisisCare;

namespace Workflows.Ecss;

// What the ECSS routes raise on a case's orchestration.

/// <summary>
/// A visit the assigned HCA recorded (POST /api/cases/{id}/visits). <see cref="Correction"/>: the HCA sent the same
/// arrival again with other details, which replace those first sent.
/// </summary>
public sealed record VisitRecorded(string VisitId, string HcaId, string HcaName, DateTimeOffset ArrivedAt, DateTimeOffset LeftAt,
    IReadOnlyList<string> Care, string Notes, DateTimeOffset RecordedAt, bool Correction = false);

/// <summary>
/// The assigned HCA checking in between visits (POST /api/cases/{id}/check-ins). <c>Id</c> stands for what was said and
/// when it was first reported, so the step recording it has a key no other check-in shares and a retry keeps it.
/// </summary>
public sealed record CheckInRecorded(string Id, string HcaId, string HcaName, string Notes, DateTimeOffset At);

/// <summary>Substantive care arranged (POST /api/cases/{id}/package): bridging ends when it starts. <c>Id</c> as for a check-in.</summary>
public sealed record CarePackage(string Id, string Provider, DateTimeOffset StartsAt, string By, string ByName, DateTimeOffset At);

/// <summary>The shift changed and the case's HCA is not on the incoming shift.</summary>
public sealed record HandoverRequest(string ShiftKey, string FromHcaId, DateTimeOffset At);

/// <summary>Sent by a case to its running dispatch when the case no longer needs an HCA.</summary>
public sealed record StopDispatch(string Reason);

public static class VisitCare
{
    public static readonly string[] Kinds = ["personal-care", "continence-care", "emotional-support", "comfort-call", "double-handed-support"];
}

// Dispatch: what the sub-orchestration is given and returns, and its steps.

/// <summary>A dispatch round's input; <see cref="StepAttempts"/> and <see cref="StepFirstRetry"/> are the case's step retry policy.</summary>
public sealed record DispatchStart(string CaseId, string Team, string ShiftKey, int Round, TimeSpan OfferTimeout, string Reason,
    int StepAttempts = 6, TimeSpan? StepFirstRetry = null);

/// <summary>An HCA as offered: who, where to text, how far from the patient (0 same district .. 3 far).</summary>
public sealed record OfferedHca(string HcaId, string Name, string Phone, int Distance);

public sealed record DispatchPlan(string ShiftKey, string PatientDistrict, IReadOnlyList<OfferedHca> Hcas);

public static class DispatchOutcome
{
    public const string Accepted = "accepted";
    public const string Unfilled = "unfilled";
    public const string Stopped = "stopped";
}

public sealed record DispatchResult(string Outcome, OfferedHca? Hca, int Offered);

public static class OfferOutcome
{
    public const string Accepted = "accepted";
    public const string Declined = "declined";
    public const string Unanswered = "unanswered";
    public const string Undelivered = "undelivered";
    public const string AlreadyAttending = "already-attending";
    public const string Withdrawn = "withdrawn";
}

public sealed record DispatchPlanStep(CaseStep Step, string Team, string ShiftKey, int Round, string Reason);
public sealed record OfferStep(CaseStep Step, string DispatchId, OfferedHca Hca, int Round, DateTimeOffset ExpiresAt, int AnswerWithinMinutes);
/// <param name="FromLink">The HCA answered signed in, from the link in the offer text, not by a text reply.</param>
public sealed record OfferAnswer(CaseStep Step, string OfferId, string Team, OfferedHca Hca, string Code, string Outcome, bool FromLink = false);

// The case's ECSS steps.

public sealed record AssignStep(CaseStep Step, string Team, OfferedHca Hca);
public sealed record UnfilledStep(CaseStep Step, int Round, int Offered, DateTimeOffset RetryAt);
public sealed record VisitStep(CaseStep Step, string Team, VisitRecorded Visit);
public sealed record CheckInStep(CaseStep Step, CheckInRecorded CheckIn);
public sealed record CheckInOverdueStep(CaseStep Step, string? HcaId, DateTimeOffset DueAt);
public sealed record OverLimitStep(CaseStep Step, DateTimeOffset BridgingSince, TimeSpan Limit);
public sealed record PackageStep(CaseStep Step, CarePackage Package);
public sealed record HandoverStep(CaseStep Step, string Team, string HcaId, string ShiftKey);
public sealed record EndBridgingStep(CaseStep Step, string Team, string Reason, DateTimeOffset? SignpostAt = null);
public sealed record HoldsStep(CaseStep Step, string Team);
