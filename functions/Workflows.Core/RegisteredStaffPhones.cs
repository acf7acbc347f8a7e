using Workflows.CrisisCare;
using Workflows.DistrictDirect;
using Workflows.Ecss;
using Workflows.Messaging;

namespace Workflows;

/// <summary>
/// Staff phones as the app holds them today: the SPOC coordinator (CrisisCare__CoordinatorPhone), the ECSS team's HCAs
/// (the roster) and District Direct officers and managers (the register). A staff directory can take its place.
/// </summary>
public sealed class RegisteredStaffPhones(CrisisCareSettings crisis, Roster roster, DistrictDirectRegister register) : IStaffPhones
{
    public async Task<bool> IsStaffAsync(string phone, CancellationToken ct = default) =>
        phone == crisis.CoordinatorPhone ||
        (await roster.HcasAsync(ct)).Any(h => h.Phone == phone) ||
        await register.OfficerByPhoneAsync(phone, ct) is not null;

    public Task<string?> CoordinatorAsync(CancellationToken ct = default) =>
        Task.FromResult(string.IsNullOrWhiteSpace(crisis.CoordinatorPhone) ? null : crisis.CoordinatorPhone);
}
