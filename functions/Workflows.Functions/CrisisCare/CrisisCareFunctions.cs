using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Workflows.CrisisCare;

namespace Workflows.Functions.CrisisCare;

/// <summary>Crisis-care HTTP triggers: each hands the request to Core's <see cref="CrisisCareEndpoints"/>.</summary>
public sealed class CrisisCareFunctions(CrisisCareEndpoints endpoints)
{
    [Function("Intake111")]
    public Task<IActionResult> Intake111(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "intake/111")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => endpoints.Intake111(req, client).AsAction();

    [Function("TriageQueue")]
    public Task<IActionResult> TriageQueue(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "triage/queue")] HttpRequest req) =>
        endpoints.TriageQueue(req).AsAction();

    [Function("OpenCases")]
    public Task<IActionResult> OpenCases(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cases")] HttpRequest req) =>
        endpoints.OpenCases(req).AsAction();

    [Function("GetCase")]
    public Task<IActionResult> GetCase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cases/{caseId}")] HttpRequest req, string caseId) =>
        endpoints.GetCase(req, caseId).AsAction();

    [Function("TriageCase")]
    public Task<IActionResult> TriageCase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases/{caseId}/triage")] HttpRequest req, string caseId,
        [DurableClient] DurableTaskClient client) => endpoints.Triage(req, caseId, client).AsAction();

    [Function("RequestCaseClose")]
    public Task<IActionResult> RequestCaseClose(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases/{caseId}/close")] HttpRequest req, string caseId,
        [DurableClient] DurableTaskClient client) => endpoints.Close(req, caseId, client).AsAction();

    [Function("RequestCaseResume")]
    public Task<IActionResult> RequestCaseResume(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases/{caseId}/resume")] HttpRequest req, string caseId,
        [DurableClient] DurableTaskClient client) => endpoints.Resume(req, caseId, client).AsAction();

    [Function("DirectoryOpenNow")]
    public Task<IActionResult> DirectoryOpenNow(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "directory/open-now")] HttpRequest req) =>
        endpoints.OpenNow(req).AsAction();
}

/// <summary>The crisis case orchestration and its activities, hosted by Durable Functions.</summary>
public sealed class CrisisCaseFunctions(CaseActivities activities)
{
    [Function(CrisisCaseWorkflow.Name)]
    public static Task<string> CrisisCase([OrchestrationTrigger] TaskOrchestrationContext context) =>
        CrisisCaseWorkflow.RunAsync(context, context.GetInput<CrisisCaseStart>()!);

    [Function(CaseClosureWorkflow.Name)]
    public static Task<string> CaseClosure([OrchestrationTrigger] TaskOrchestrationContext context) =>
        CaseClosureWorkflow.RunAsync(context, context.GetInput<CaseClosureStart>()!);

    [Function(CaseActivities.OpenCase)]
    public Task<bool> OpenCase([ActivityTrigger] CaseStep input) => activities.OpenCaseAsync(input);

    [Function(CaseActivities.EscalateTriage)]
    public Task<bool> EscalateTriage([ActivityTrigger] EscalationStep input) => activities.EscalateTriageAsync(input);

    [Function(CaseActivities.RecordTriage)]
    public Task<bool> RecordTriage([ActivityTrigger] TriageStep input) => activities.RecordTriageAsync(input);

    [Function(CaseActivities.CloseCase)]
    public Task<bool> CloseCase([ActivityTrigger] CloseStep input) => activities.CloseCaseAsync(input);

    [Function(CaseActivities.ReferToService)]
    public Task<ServiceReferral> ReferToService([ActivityTrigger] ReferStep input) => activities.ReferToServiceAsync(input);

    [Function(CaseActivities.AwaitHca)]
    public Task<bool> AwaitHca([ActivityTrigger] CaseStep input) => activities.AwaitHcaAsync(input);

    [Function(CaseActivities.ParkCase)]
    public Task<bool> ParkCase([ActivityTrigger] ParkStep input) => activities.ParkCaseAsync(input);

    [Function(CaseActivities.ResumeCase)]
    public Task<bool> ResumeCase([ActivityTrigger] ResumeStep input) => activities.ResumeCaseAsync(input);
}
