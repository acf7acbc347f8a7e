namespace Workflows.Messaging;

/// <summary>
/// Who is on staff, by phone, as the SMS inbox needs it: a STOP from staff is recorded and reported, never obeyed for
/// their work texts (H30), and the coordinator is told what the inbox sees staff phones do.
/// </summary>
public interface IStaffPhones
{
    Task<bool> IsStaffAsync(string phone, CancellationToken ct = default);

    /// <summary>The phone told of what the inbox sees (a staff STOP, a phone locked out of replying); null when none is set.</summary>
    Task<string?> CoordinatorAsync(CancellationToken ct = default);
}
