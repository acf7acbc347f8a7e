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

    public CaseTimings Timings() => new(TimeSpan.FromMinutes(TriageResponseMinutes), TimeSpan.FromMinutes(TriageEscalationRepeatMinutes));
}

/// <summary>The timers a case runs on, fixed when it starts so a settings change never alters a running case's replay.</summary>
public sealed record CaseTimings(TimeSpan TriageResponse, TimeSpan TriageEscalationRepeat);
