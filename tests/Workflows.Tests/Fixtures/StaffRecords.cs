using Workflows.Audit;
using Workflows.Staff;

namespace Workflows.Tests.Fixtures;

/// <summary>Staff records for the people tests and benchmarks act as, as an admin would link them.</summary>
public static class StaffRecords
{
    private static readonly Actor Fixture = new("test", "test fixture");

    /// <summary>
    /// Makes sure the record <paramref name="staffId"/>, linked to the sign-in id of the same name, holds
    /// <paramref name="role"/>. A seeded person keeps their record (the role and link are added); anyone else gets a
    /// record named <paramref name="name"/>, with <paramref name="phone"/> when given.
    /// </summary>
    public static async Task EnsureAsync(StaffDirectory directory, string staffId, string role, string name, string? phone = null)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var m = await directory.FindAsync(staffId);
            if (m is not null && m.Holds(role) && m.Identities.Contains(staffId)) return;
            var next = m is null
                ? new StaffMember(staffId, name, [role], phone, null, null, null, [staffId])
                : m with { Roles = StaffIds.Canonical(m.Roles.Append(role)), Identities = [.. m.Identities.Append(staffId).Distinct()] };
            if ((await directory.SaveAsync(next, Fixture)).Outcome is SaveOutcome.Created or SaveOutcome.Saved or SaveOutcome.Unchanged) return;
        }
        throw new InvalidOperationException($"Could not give {staffId} a staff record with the role {role}.");
    }
}
