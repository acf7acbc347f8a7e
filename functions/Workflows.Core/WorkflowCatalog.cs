using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workflows.CrisisCare;
using Workflows.Ecss;
using Workflows.DistrictDirect;

namespace Workflows;

/// <summary>An activity: its name and how to make it from the app's services.</summary>
public sealed record ActivityDefinition(string Name, Func<IServiceProvider, ITaskActivity> Create)
{
    /// <summary>An activity that calls a method of a service from the container.</summary>
    public static ActivityDefinition Of<TService, TIn, TOut>(string name, Func<TService, TIn, Task<TOut>> run) where TService : notnull =>
        new(name, sp => new ServiceActivity<TService, TIn, TOut>(sp.GetRequiredService<TService>(), run,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TService))));

    private sealed class ServiceActivity<TService, TIn, TOut>(TService service, Func<TService, TIn, Task<TOut>> run, ILogger log)
        : TaskActivity<TIn, TOut>
    {
        public override async Task<TOut> RunAsync(TaskActivityContext context, TIn input)
        {
            // Every log line an activity writes carries the instance (case or referral) it works for.
            using var scope = log.BeginScope(new Dictionary<string, object> { ["InstanceId"] = context.InstanceId, ["Activity"] = context.Name.Name });
            return await run(service, input);
        }
    }
}

/// <summary>
/// An orchestrator: its name and how to add it to a registry with its input type. Each is defined in its orchestrator's
/// file, calling AddOrchestratorFunc with the method itself: that is where the Durable Task analyzer finds what it checks.
/// </summary>
public sealed record OrchestratorDefinition(string Name, Action<DurableTaskRegistry> Register);

/// <summary>
/// Every orchestrator and activity the app runs, by name, one list per flow. The local host registers them
/// from here; the Functions app declares one [Function] per name (a test checks the two agree).
/// </summary>
public static class WorkflowCatalog
{
    public static IReadOnlyList<OrchestratorDefinition> Orchestrators =>
        [.. CrisisCareCatalog.Orchestrators, .. DistrictDirectCatalog.Orchestrators, .. EcssCatalog.Orchestrators];

    public static IReadOnlyList<ActivityDefinition> Activities =>
        [.. CrisisCareCatalog.Activities, .. DistrictDirectCatalog.Activities, .. EcssCatalog.Activities];

    public static void Register(DurableTaskRegistry registry)
    {
        foreach (var o in Orchestrators) o.Register(registry);
        foreach (var a in Activities) registry.AddActivity(a.Name, a.Create);
    }
}
