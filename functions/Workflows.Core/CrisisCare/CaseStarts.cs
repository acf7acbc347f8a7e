using Microsoft.DurableTask.Client;
using Workflows.CrisisCare.Bars;

namespace Workflows.CrisisCare;

/// <summary>
/// What a case-starts message asks for: a case's orchestration (the message is the case id), or a BaRS response of a
/// case (asked by the case's steps, which have no durable client to start it with). Both hosts' queue triggers call this.
/// </summary>
public sealed class CaseStarts(CaseIntake intake, BarsResponses bars)
{
    /// <summary>Throws when the start failed, so the message is tried again (<paramref name="attempt"/> is its dequeue count).</summary>
    public Task StartAsync(string message, long attempt, DurableTaskClient client, CancellationToken ct = default) =>
        BarsResponses.IsAsk(message, out var caseId, out var kind)
            ? bars.StartAsync(client, caseId, kind, ct)
            : intake.StartAsync(message, attempt, client, ct);
}
