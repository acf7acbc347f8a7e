using Workflows.Storage;

namespace Workflows.CrisisCare;

/// <summary>A crisis case's story, in the CaseEvents table.</summary>
public sealed class CaseTimeline(TableStore store) : Timeline(store, TableNames.CaseEvents);
