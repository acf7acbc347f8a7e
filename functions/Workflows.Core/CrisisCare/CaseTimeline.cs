using Workflows.Reporting;
using Workflows.Storage;

namespace Workflows.CrisisCare;

/// <summary>A crisis case's story, in the CaseEvents table; the steps the pilot report reads also go to its facts.</summary>
public sealed class CaseTimeline(TableStore store) : Timeline(store, TableNames.CaseEvents)
{
    protected override async Task AppendedAsync(TimelineEntry e, CancellationToken ct)
    {
        // The facts live in the day of the case's call.
        if (!ReportFacts.Kinds.All.Contains(e.Kind) || await new CaseStore(store).FindAsync(e.OwnerId, ct) is not { } c) return;
        await new ReportFacts(store).EventAsync(c.ReceivedAt, c.CaseId, e.EventId, e.Kind, e.At, ct);
    }
}
