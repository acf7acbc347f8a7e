using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Configuration;
using Workflows.Staff;

namespace Workflows.Functions;

/// <summary>
/// Finds who is calling before every HTTP function runs, as the local host does before every route, so
/// StaffPrincipal.Require has the answer. The principal header counts only where App Service Authentication set it
/// (<see cref="StaffSignIn.PlatformSetsPrincipal"/>); anywhere else it is ignored and staff routes answer 401.
/// </summary>
public sealed class StaffSignInMiddleware(StaffSignIn signIn, IConfiguration config) : IFunctionsWorkerMiddleware
{
    private readonly bool _trusted = StaffSignIn.PlatformSetsPrincipal(config);

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is { } http) await signIn.ResolveAsync(http, _trusted);
        await next(context);
    }
}
