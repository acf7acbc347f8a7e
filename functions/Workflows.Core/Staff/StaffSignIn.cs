using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Workflows.Http;

namespace Workflows.Staff;

/// <summary>
/// Finds who is calling, once per request, before the route runs: both hosts call <see cref="ResolveAsync"/> (the
/// Functions app from a worker middleware, the local host from its pipeline), and <see cref="StaffPrincipal.Require"/>
/// reads the answer. The sign-in (X-MS-CLIENT-PRINCIPAL) is looked up in the staff directory; the caller's id is then
/// their staff id, so cases, offers, rosters and approvals keep naming people as they always have.
/// </summary>
public sealed class StaffSignIn(StaffDirectory directory, ILogger<StaffSignIn> log)
{
    /// <summary>
    /// Puts the caller on the request (<see cref="SignedInCaller"/>). With <paramref name="trustPrincipalHeader"/> false
    /// the header is ignored and the caller is not signed in: the host cannot vouch that the header came from sign-in.
    /// </summary>
    public async Task<SignedInCaller> ResolveAsync(HttpContext context, bool trustPrincipalHeader)
    {
        var caller = trustPrincipalHeader ? await FindAsync(context.Request.Headers[StaffPrincipal.Header], context.RequestAborted) : SignedInCaller.NotSignedIn;
        context.Features.Set(caller);
        return caller;
    }

    private async Task<SignedInCaller> FindAsync(string? header, CancellationToken ct)
    {
        if (StaffPrincipal.FromHeader(header) is not { } signIn) return SignedInCaller.NotSignedIn;
        try
        {
            return await directory.FindByIdentityAsync(signIn.UserId, ct) is { } member
                ? SignedInCaller.Linked(signIn, member.Id, member.Name, member.Roles.ToHashSet(StringComparer.Ordinal))
                : SignedInCaller.NotLinked(signIn);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or HttpRequestException)
        {
            // Fail closed: a staff route answers 503; a machine route (which reads no caller) is not held up.
            log.LogError(e, "Staff sign-in lookup failed");
            return SignedInCaller.Unavailable;
        }
    }

    /// <summary>
    /// Whether the Functions app may believe X-MS-CLIENT-PRINCIPAL. In Azure, App Service Authentication sets it on
    /// the requests it signs in and removes any a caller sent, so it is true only when that is on
    /// (WEBSITE_AUTH_ENABLED=True, set by the platform); otherwise anyone could send the header, and it is ignored.
    /// Under the Functions host on a developer's machine (AZURE_FUNCTIONS_ENVIRONMENT=Development) there is no
    /// platform in front, and the header stands in for sign-in as it does on the local host.
    /// </summary>
    public static bool PlatformSetsPrincipal(IConfiguration config) =>
        string.Equals(config["WEBSITE_AUTH_ENABLED"], "true", StringComparison.OrdinalIgnoreCase) ||
        string.Equals(config["AZURE_FUNCTIONS_ENVIRONMENT"], "Development", StringComparison.OrdinalIgnoreCase);
}
