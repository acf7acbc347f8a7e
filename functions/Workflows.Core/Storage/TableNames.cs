namespace Workflows.Storage;

/// <summary>Every table the app owns, created at start-up by <see cref="TableStore.EnsureTablesAsync"/>.</summary>
public static class TableNames
{
    public const string Cases = "Cases";
    public const string CaseEvents = "CaseEvents";
    public const string CaseReports = "CaseReports";
    public const string Services = "Services";
    public const string BankHolidays = "BankHolidays";
    public const string SmsOutbox = "SmsOutbox";
    public const string ReplyCodes = "ReplyCodes";
    public const string SmsMessages = "SmsMessages";
    public const string SmsInbound = "SmsInbound";
    public const string SmsOptOuts = "SmsOptOuts";
    public const string BarsMessages = "BarsMessages";
    public const string DischargeReferrals = "DischargeReferrals";
    public const string DischargeReferralEvents = "DischargeReferralEvents";
    public const string DischargeFund = "DischargeFund";
    public const string DistrictDirectRegister = "DistrictDirectRegister";
    public const string EcssRoster = "EcssRoster", HcaClaims = "HcaClaims", HcaOffers = "HcaOffers", CaseVisits = "CaseVisits";
    public const string Staff = "Staff", AdminAudit = "AdminAudit";
    /// <summary>Voluntary organisations and their volunteers.</summary>
    public const string CommunityRegister = "CommunityRegister";
    /// <summary>Which one-off store upgrades have run (<see cref="StoreUpgrades"/>).</summary>
    public const string StoreUpgrades = "StoreUpgrades";
    /// <summary>The pilot report's facts per day (<see cref="Reporting.ReportFacts"/>).</summary>
    public const string ReportFacts = "ReportFacts";

    public static readonly IReadOnlyList<string> All =
        [Cases, CaseEvents, CaseReports, Services, BankHolidays, SmsOutbox, ReplyCodes, SmsMessages, SmsInbound, SmsOptOuts, BarsMessages,
         DischargeReferrals, DischargeReferralEvents, DischargeFund, DistrictDirectRegister,
         EcssRoster, HcaClaims, HcaOffers, CaseVisits, Staff, AdminAudit, CommunityRegister, StoreUpgrades, ReportFacts];
}
