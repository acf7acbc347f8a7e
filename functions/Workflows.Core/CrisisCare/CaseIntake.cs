using Workflows.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workflows.Ecss;

namespace Workflows.CrisisCare;

/// <summary>
/// Turns a validated 111 call into a case exactly once. The Cases row keyed by the call is the guard: the delivery
/// that inserts it asks for the case's orchestration (<see cref="CaseStartQueue"/>) and is answered at once; every
/// other delivery of the same call gets the same case. <see cref="StartAsync"/> then starts the orchestration.
/// </summary>
public sealed class CaseIntake(CaseStore cases, CaseStartQueue starts, CaseActivities activities, CaseTimeline timeline, CaseReports reports, CrisisCareSettings settings,
    EcssSettings ecss, TimeProvider time, ILogger<CaseIntake> log)
{
    /// <summary>A case whose row exists but whose orchestration never started is asked for again by a redelivery after this.</summary>
    private static readonly TimeSpan OrphanAfter = TimeSpan.FromSeconds(30);

    /// <summary>After this many failed starts the case is flagged for a person (and the coordinator texted); tries go on.</summary>
    public const int FlagAfterAttempts = 5;

    private const string StartFailedStep = "Starting the case";

    public sealed record Accepted(string CaseId, string Status, bool Created);

    public async Task<Accepted> AcceptAsync(CallReport call, DurableTaskClient client, CancellationToken ct = default)
    {
        var record = CaseRecord.FromCall(call, time.GetUtcNow());
        if (!await cases.TryAddAsync(record, ct))
        {
            var existing = await cases.GetAsync(record.CaseId, ct);
            if (time.GetUtcNow() - existing.AcceptedAt > OrphanAfter &&
                await client.GetInstanceAsync(existing.CaseId, ct) is null)
            {
                log.LogWarning("Case {CaseId} had no orchestration; asking for it again on a redelivery", existing.CaseId);
                await starts.SendAsync(existing.CaseId, ct);
            }
            return new Accepted(existing.CaseId, existing.Status, false);
        }

        try
        {
            await starts.SendAsync(record.CaseId, ct);
        }
        catch
        {
            // Nothing will start the case: remove the guard so 111's retry can make it.
            await cases.RemoveAsync(record.CaseId, CancellationToken.None);
            throw;
        }
        log.LogInformation("Case {CaseId} opened", record.CaseId);
        return new Accepted(record.CaseId, record.Status, true);
    }

    /// <summary>
    /// Starts the orchestration of an acknowledged case, once however often it is asked (a case-starts message;
    /// <paramref name="attempt"/> is its dequeue count). Throws when the start failed, so the message is tried again.
    /// </summary>
    public async Task StartAsync(string caseId, long attempt, DurableTaskClient client, CancellationToken ct = default)
    {
        if (await cases.FindAsync(caseId, ct) is not { } record)
        {
            // The intake that sent this failed after sending and removed its row; 111 retries that call.
            log.LogWarning("No case {CaseId} to start; its intake was undone", caseId);
            return;
        }
        try
        {
            if (await client.GetInstanceAsync(caseId, ct) is null)
                await client.ScheduleNewOrchestrationInstanceAsync(CrisisCaseWorkflow.Name,
                    new CrisisCaseStart(caseId, record.ReceivedAt, settings.Timings(ecss.Timings().SignpostingDelay)),
                    new StartOrchestrationOptions(InstanceId: caseId), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Another start of the same case may have won between the check and the start.
            if (!await InstanceExistsAsync(client, caseId))
            {
                // From the 5th failure on, until the flag is written (parking is keyed by the case, so its text goes once).
                if (attempt >= FlagAfterAttempts && record.Status != CaseStatus.NeedsAttention)
                    await activities.ParkCaseAsync(new ParkStep(new CaseStep(caseId, $"{caseId}-start", time.GetUtcNow()),
                        StartFailedStep, $"{e.GetType().Name}: {e.Message}"));
                throw;
            }
        }
        // Flagged while its start kept failing: started now, so it waits for triage like any other case.
        var unflagged = false;
        if (FlaggedByStart(record))
            await cases.ChangeAsync(caseId, c =>
            {
                if (!FlaggedByStart(c)) return false;
                (c.Status, c.AttentionReason, c.AttentionAt) = (CaseStatus.AwaitingTriage, null, null);
                return unflagged = true;
            }, ct);
        if (unflagged)
        {
            await timeline.AppendAsync(new TimelineEntry(caseId, $"{caseId}-started", time.GetUtcNow(), "started", "system",
                $"Started after {attempt} attempts; waiting for triage."), ct);
            log.LogWarning("Case {CaseId} started after {Attempts} attempts", caseId, attempt);
        }
        // A close made before the case had started (a cancellation from 111 in its first seconds) is told to it now.
        await reports.DeliverWaitingAsync(client, caseId, ct);
    }

    private static bool FlaggedByStart(CaseRecord c) =>
        c.Status == CaseStatus.NeedsAttention && c.AttentionReason?.StartsWith(StartFailedStep) == true;

    private static async Task<bool> InstanceExistsAsync(DurableTaskClient client, string caseId)
    {
        try
        {
            return await client.GetInstanceAsync(caseId) is not null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false;
        }
    }
}
