using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace Workflows.Functions;

/// <summary>Puts the durable instance id (a case or referral) on every log line of a function that has one.</summary>
public sealed class InstanceLogScope(ILogger<InstanceLogScope> log) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var data = context.BindingContext.BindingData;
        var instanceId = data.TryGetValue("instanceId", out var id) ? id?.ToString()
            : data.TryGetValue("caseId", out var caseId) ? caseId?.ToString() : null;
        using var scope = instanceId is null ? null : log.BeginScope(new Dictionary<string, object>
        {
            ["InstanceId"] = instanceId, ["Function"] = context.FunctionDefinition.Name,
        });
        await next(context);
    }
}
