namespace Workflows.Community;

/// <summary>Compassionate-communities settings (section "Community").</summary>
public sealed class CommunitySettings
{
    /// <summary>
    /// How long a volunteer's DBS check counts before they are offered no family (months). A DBS certificate has no
    /// expiry in law; 36 months is the re-check most NHS trusts and hospices set for volunteers who visit homes, and a
    /// trust with another policy (or on the DBS Update Service) sets its own.
    /// </summary>
    public int DbsValidMonths { get; set; } = 36;
}
