using Workflows.CrisisCare;
using Workflows.Messaging;

namespace Workflows.Staff;

/// <summary>
/// Staff phones: every work phone on a staff record (HCAs, officers, managers, coordinators...) and the SPOC
/// coordinator's phone (CrisisCare__CoordinatorPhone), which alerts go to.
/// </summary>
public sealed class StaffPhones(CrisisCareSettings crisis, StaffDirectory directory) : IStaffPhones
{
    public async Task<bool> IsStaffAsync(string phone, CancellationToken ct = default) =>
        phone == crisis.CoordinatorPhone || (await directory.AllAsync(ct)).Any(m => m.Phone == phone);

    public Task<string?> CoordinatorAsync(CancellationToken ct = default) =>
        Task.FromResult(string.IsNullOrWhiteSpace(crisis.CoordinatorPhone) ? null : crisis.CoordinatorPhone);
}
