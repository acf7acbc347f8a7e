using Microsoft.DurableTask;
using Workflows.CrisisCare;
using Workflows.DistrictDirect;

namespace Workflows;

/// <summary>
/// How the steps of a case or a referral retry when storage or SMS is down: with backoff (doubling, at most 5 minutes
/// apart), then the orchestrator parks it as needs-attention and tells a person, instead of failing where nobody looks.
/// The policy comes from the orchestration's input, so a replay always sees the same one.
/// </summary>
public static class WorkflowRetry
{
    public static TaskOptions Steps(CaseTimings timings) => Steps(timings.StepAttempts, timings.StepFirstRetry);

    public static TaskOptions Steps(ReferralTimings timings) => Steps(timings.StepAttempts, timings.StepFirstRetry);

    public static TaskOptions Steps(int attempts, TimeSpan? firstRetry) => TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: Math.Max(1, attempts),
        firstRetryInterval: firstRetry ?? TimeSpan.FromSeconds(5),
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromMinutes(5)));
}
