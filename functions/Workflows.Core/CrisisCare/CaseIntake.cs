using Azure;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workflows.Ecss;
using Workflows.Storage;

namespace Workflows.CrisisCare;

/// <summary>
/// Turns a validated 111 call into a case exactly once. The Cases row keyed by the call is the guard: the
/// delivery that inserts it starts the orchestration; every other delivery of the same call gets the same case.
/// </summary>
public sealed class CaseIntake(TableStore store, CrisisCareSettings settings, EcssSettings ecss, TimeProvider time, ILogger<CaseIntake> log)
{
    /// <summary>A case whose row exists but whose orchestration never started is restarted by a redelivery after this.</summary>
    private static readonly TimeSpan OrphanAfter = TimeSpan.FromSeconds(30);

    public sealed record Accepted(string CaseId, string Status, bool Created);

    public async Task<Accepted> AcceptAsync(CallReport call, DurableTaskClient client, CancellationToken ct = default)
    {
        var record = CaseRecord.FromCall(call, time.GetUtcNow());
        var cases = store.Table(TableNames.Cases);
        try
        {
            await cases.AddEntityAsync(record, ct);
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            var existing = (await cases.GetEntityAsync<CaseRecord>(record.CaseId, CaseRecord.Row, cancellationToken: ct)).Value;
            if (time.GetUtcNow() - existing.AcceptedAt > OrphanAfter &&
                await client.GetInstanceAsync(existing.CaseId, ct) is null)
            {
                log.LogWarning("Case {CaseId} had no orchestration; starting it from a redelivery", existing.CaseId);
                await StartAsync(client, existing, ct);
            }
            return new Accepted(existing.CaseId, existing.Status, false);
        }

        try
        {
            await StartAsync(client, record, ct);
        }
        catch
        {
            // No orchestration means no case: remove the guard so 111's retry can make it.
            await cases.DeleteEntityAsync(record.CaseId, CaseRecord.Row, cancellationToken: CancellationToken.None);
            throw;
        }
        log.LogInformation("Case {CaseId} opened", record.CaseId);
        return new Accepted(record.CaseId, record.Status, true);
    }

    private Task StartAsync(DurableTaskClient client, CaseRecord record, CancellationToken ct) =>
        client.ScheduleNewOrchestrationInstanceAsync(CrisisCaseWorkflow.Name,
            new CrisisCaseStart(record.CaseId, record.ReceivedAt, settings.Timings(ecss.Timings().SignpostingDelay)),
            new StartOrchestrationOptions(InstanceId: record.CaseId), ct);
}
