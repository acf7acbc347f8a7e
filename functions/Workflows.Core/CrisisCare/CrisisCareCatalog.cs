namespace Workflows.CrisisCare;

public static class CrisisCareCatalog
{
    public static readonly OrchestratorDefinition[] Orchestrators =
    [
        CrisisCaseWorkflow.Definition,
        CaseClosureWorkflow.Definition,
        Bars.BarsResponseWorkflow.Definition,
    ];

    public static readonly ActivityDefinition[] Activities =
    [
        ActivityDefinition.Of<CaseActivities, CaseStep, bool>(CaseActivities.OpenCase, (a, i) => a.OpenCaseAsync(i)),
        ActivityDefinition.Of<CaseActivities, EscalationStep, bool>(CaseActivities.EscalateTriage, (a, i) => a.EscalateTriageAsync(i)),
        ActivityDefinition.Of<CaseActivities, TriageStep, bool>(CaseActivities.RecordTriage, (a, i) => a.RecordTriageAsync(i)),
        ActivityDefinition.Of<CaseActivities, CloseStep, bool>(CaseActivities.CloseCase, (a, i) => a.CloseCaseAsync(i)),
        ActivityDefinition.Of<CaseActivities, ReferStep, ServiceReferral>(CaseActivities.ReferToService, (a, i) => a.ReferToServiceAsync(i)),
        ActivityDefinition.Of<CaseActivities, CaseStep, bool>(CaseActivities.AwaitHca, (a, i) => a.AwaitHcaAsync(i)),
        ActivityDefinition.Of<CaseActivities, ParkStep, bool>(CaseActivities.ParkCase, (a, i) => a.ParkCaseAsync(i)),
        ActivityDefinition.Of<CaseActivities, ResumeStep, bool>(CaseActivities.ResumeCase, (a, i) => a.ResumeCaseAsync(i)),
        ActivityDefinition.Of<Bars.BarsResponseActivities, Bars.BarsResponseStep, bool>(Bars.BarsResponseActivities.SendBarsResponse, (a, i) => a.SendAsync(i)),
        ActivityDefinition.Of<Bars.BarsResponseActivities, Bars.BarsResponseParkStep, bool>(Bars.BarsResponseActivities.ParkBarsResponse, (a, i) => a.ParkAsync(i)),
    ];
}
