using Workflows.Storage;

namespace Workflows.DistrictDirect;

/// <summary>A District Direct referral's story, in the DischargeReferralEvents table.</summary>
public sealed class ReferralTimeline(TableStore store) : Timeline(store, TableNames.DischargeReferralEvents);
