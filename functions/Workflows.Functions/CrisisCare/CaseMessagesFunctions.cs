using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Workflows.CrisisCare;

namespace Workflows.Functions.CrisisCare;

/// <summary>The texts sent about a case: hands the request to Core's <see cref="CaseMessagesEndpoints"/>.</summary>
public sealed class CaseMessagesFunctions(CaseMessagesEndpoints endpoints)
{
    [Function("CaseMessages")]
    public Task<IActionResult> CaseMessages(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cases/{caseId}/messages")] HttpRequest req, string caseId) =>
        endpoints.Messages(req, caseId).AsAction();
}
