using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Workflows.CrisisCare;

namespace Workflows;

/// <summary>
/// Every orchestrator and activity the app runs, by name. The local host registers them from here; the
/// Functions app declares one [Function] per name (a test checks the two lists agree).
/// </summary>
public static class WorkflowCatalog
{
    public static readonly IReadOnlyList<string> Orchestrators = [CrisisCaseWorkflow.Name];

    public static IReadOnlyList<string> Activities => ActivityTable.Select(a => a.Name).ToList();

    private static readonly (string Name, Func<IServiceProvider, ITaskActivity> Create)[] ActivityTable =
    [
        Activity<CaseActivities, CaseStep, bool>(CaseActivities.OpenCase, (a, i) => a.OpenCaseAsync(i)),
        Activity<CaseActivities, EscalationStep, bool>(CaseActivities.EscalateTriage, (a, i) => a.EscalateTriageAsync(i)),
        Activity<CaseActivities, TriageStep, bool>(CaseActivities.RecordTriage, (a, i) => a.RecordTriageAsync(i)),
        Activity<CaseActivities, CloseStep, bool>(CaseActivities.CloseCase, (a, i) => a.CloseCaseAsync(i)),
        Activity<CaseActivities, ReferStep, ServiceReferral>(CaseActivities.ReferToService, (a, i) => a.ReferToServiceAsync(i)),
        Activity<CaseActivities, CaseStep, bool>(CaseActivities.AwaitHca, (a, i) => a.AwaitHcaAsync(i)),
    ];

    public static void Register(DurableTaskRegistry registry)
    {
        registry.AddOrchestratorFunc<CrisisCaseStart, string>(CrisisCaseWorkflow.Name, CrisisCaseWorkflow.RunAsync);
        foreach (var (name, create) in ActivityTable)
            registry.AddActivity(name, create);
    }

    private static (string, Func<IServiceProvider, ITaskActivity>) Activity<TService, TIn, TOut>(
        string name, Func<TService, TIn, Task<TOut>> run) where TService : notnull =>
        (name, sp => new ServiceActivity<TService, TIn, TOut>(sp.GetRequiredService<TService>(), run));

    private sealed class ServiceActivity<TService, TIn, TOut>(TService service, Func<TService, TIn, Task<TOut>> run)
        : TaskActivity<TIn, TOut>
    {
        public override Task<TOut> RunAsync(TaskActivityContext context, TIn input) => run(service, input);
    }
}
