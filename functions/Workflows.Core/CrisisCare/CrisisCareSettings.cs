namespace Workflows.CrisisCare;

/// <summary>Crisis-care settings (section "CrisisCare"), snapshotted into each case's orchestration at start.</summary>
public sealed class CrisisCareSettings
{
    /// <summary>How long a call may wait for an ANP before the coordinator is told.</summary>
    public double TriageResponseMinutes { get; set; } = 15;

    /// <summary>How often an untriaged case is escalated again once overdue.</summary>
    public double TriageEscalationRepeatMinutes { get; set; } = 15;

    /// <summary>The SPOC coordinator's phone, told by SMS of overdue triage and unfilled dispatch.</summary>
    public string? CoordinatorPhone { get; set; }

    public CaseTimings Timings(TimeSpan? signpostingDelay = null) =>
        new(TimeSpan.FromMinutes(TriageResponseMinutes), TimeSpan.FromMinutes(TriageEscalationRepeatMinutes), signpostingDelay);
}

/// <summary>
/// The timers a case runs on, fixed when it starts so a settings change never alters a running case's replay.
/// <see cref="SignpostingDelay"/> (Ecss__SignpostingDelayMinutes) replaces "next morning" for bereavement texts in tests and demos.
/// </summary>
public sealed record CaseTimings(TimeSpan TriageResponse, TimeSpan TriageEscalationRepeat, TimeSpan? SignpostingDelay = null);
