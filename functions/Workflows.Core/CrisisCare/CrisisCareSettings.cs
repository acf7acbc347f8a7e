namespace Workflows.CrisisCare;

/// <summary>Crisis-care settings (section "CrisisCare"), snapshotted into each case's orchestration at start.</summary>
public sealed class CrisisCareSettings
{
    /// <summary>How long a call may wait for an ANP before the coordinator is told.</summary>
    public double TriageResponseMinutes { get; set; } = 15;

    /// <summary>How often an untriaged case is escalated again once overdue.</summary>
    public double TriageEscalationRepeatMinutes { get; set; } = 15;

    /// <summary>
    /// After the first few escalations of an untriaged case, the coordinator is texted about it at most this often (and
    /// at least this often while it waits, when escalations repeat more often); every escalation stays on the timeline.
    /// </summary>
    public double TriageTextBackoffMinutes { get; set; } = 60;

    /// <summary>The SPOC coordinator's phone, told by SMS of overdue triage and unfilled dispatch.</summary>
    public string? CoordinatorPhone { get; set; }

    /// <summary>Tries of each step of a case before it is parked as needs-attention (see <see cref="WorkflowRetry"/>).</summary>
    public int StepAttempts { get; set; } = 6;

    /// <summary>The wait before a failed step's first retry; each later wait doubles.</summary>
    public double StepFirstRetrySeconds { get; set; } = 5;

    public CaseTimings Timings(TimeSpan? signpostingDelay = null) =>
        new(TimeSpan.FromMinutes(TriageResponseMinutes), TimeSpan.FromMinutes(TriageEscalationRepeatMinutes), signpostingDelay,
            StepAttempts, TimeSpan.FromSeconds(StepFirstRetrySeconds), TimeSpan.FromMinutes(TriageTextBackoffMinutes));
}

/// <summary>
/// The timers a case runs on, fixed when it starts so a settings change never alters a running case's replay.
/// <see cref="SignpostingDelay"/> (Ecss__SignpostingDelayMinutes) replaces "next morning" for bereavement texts in tests and demos.
/// <see cref="StepAttempts"/> and <see cref="StepFirstRetry"/> are the retry policy of its steps (<see cref="WorkflowRetry"/>).
/// <see cref="TriageTextBackoff"/> is how often the coordinator is texted about an untriaged case after the first few
/// escalations (null in cases started before it existed: <see cref="DefaultTriageTextBackoff"/>).
/// </summary>
public sealed record CaseTimings(TimeSpan TriageResponse, TimeSpan TriageEscalationRepeat, TimeSpan? SignpostingDelay = null,
    int StepAttempts = 6, TimeSpan? StepFirstRetry = null, TimeSpan? TriageTextBackoff = null)
{
    public static readonly TimeSpan DefaultTriageTextBackoff = TimeSpan.FromHours(1);
}
