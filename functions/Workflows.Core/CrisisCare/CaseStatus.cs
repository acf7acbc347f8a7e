namespace Workflows.CrisisCare;

/// <summary>Where a crisis case is. Text values are stored and served as they are.</summary>
public static class CaseStatus
{
    public const string AwaitingTriage = "awaiting-triage";
    /// <summary>An ANP's decision is recorded and the case's orchestration is acting on it.</summary>
    public const string Triaged = "triaged";
    public const string Referred = "referred";
    public const string AwaitingHca = "awaiting-hca";
    /// <summary>An ECSS HCA has accepted and the case is bridged with visits until substantive care lands.</summary>
    public const string Bridging = "bridging";
    /// <summary>A step kept failing after its retries: the case is parked for a person to take over (see WorkflowRetry).</summary>
    public const string NeedsAttention = "needs-attention";
    public const string Closed = "closed";
}

/// <summary>The ANP's triage outcomes (the HTTP contract, docs/openapi.yaml).</summary>
public static class TriageOutcome
{
    public const string Advice = "advice";
    public const string Prescription = "prescription";
    public const string Refer = "refer";
    public const string Ecss = "ecss";

    public static readonly string[] All = [Advice, Prescription, Refer, Ecss];
}
