using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Workflows.Functions;

/// <summary>Lets a function return the IResult Core's endpoints produce (the same answer the local host gives).</summary>
public sealed class ResultAction(IResult result) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context)
    {
        Workflows.Http.ApiHeaders.Apply(context.HttpContext.Response);
        return result.ExecuteAsync(context.HttpContext);
    }
}

public static class ResultActions
{
    public static async Task<IActionResult> AsAction(this Task<IResult> result) => new ResultAction(await result);
}
