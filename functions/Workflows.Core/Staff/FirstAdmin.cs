using Microsoft.Extensions.Logging;
using Workflows.Audit;
using Workflows.Http;

namespace Workflows.Staff;

/// <summary>Staff settings (section "Staff").</summary>
public sealed class StaffSettings
{
    /// <summary>
    /// The Entra object id of the person who becomes the first admin of a new deployment, so the staff directory can be
    /// filled in the app without the sample data. Honoured at start-up only while no record holds the admin role.
    /// </summary>
    public string? FirstAdminObjectId { get; set; }
}

/// <summary>
/// Gives a new deployment its first admin: while no record holds the admin role, the identity in
/// Staff__FirstAdminObjectId gets it (on the record it is linked to, or on a new record "first-admin"). Run by both
/// hosts at start-up; once any admin exists the setting changes nothing.
/// </summary>
public sealed class FirstAdmin(StaffDirectory directory, StaffSettings settings, ILogger<FirstAdmin> log)
{
    public const string StaffId = "first-admin";
    public static readonly Actor Setting = new("setting", "Staff__FirstAdminObjectId");

    public async Task<bool> EnsureAsync(CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(settings.FirstAdminObjectId)) return false;
        if (StaffIds.Identity(settings.FirstAdminObjectId.Trim()) is not { } identity || !Guid.TryParse(identity, out _))
        {
            // Not a reason to stop the app (111 intake must start): say what is wrong and go on without it.
            log.LogError("Staff__FirstAdminObjectId is not an Entra object id (a GUID); no first admin was made");
            return false;
        }
        if (await directory.AnyAdminAsync(ct)) return false;
        var linked = await directory.FindByIdentityAsync(identity, ct);
        var result = linked is null
            ? await directory.AddIfAbsentAsync(new StaffMember(StaffId, "First admin", [Roles.Admin], null, null, null, null, [identity]), Setting, ct)
            : await directory.SaveAsync(linked with { Roles = StaffIds.Canonical(linked.Roles.Append(Roles.Admin)) }, Setting, ct);
        log.LogWarning("First admin from Staff__FirstAdminObjectId: {Outcome} ({StaffId})", result.Outcome, linked?.Id ?? StaffId);
        return result.Outcome is SaveOutcome.Created or SaveOutcome.Saved;
    }
}
