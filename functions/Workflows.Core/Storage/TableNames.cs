namespace Workflows.Storage;

/// <summary>Every table the app owns, created at start-up by <see cref="TableStore.EnsureTablesAsync"/>.</summary>
public static class TableNames
{
    public const string Cases = "Cases";
    public const string CaseEvents = "CaseEvents";
    public const string Services = "Services";
    public const string BankHolidays = "BankHolidays";
    public const string SmsOutbox = "SmsOutbox";
    public const string EcssRoster = "EcssRoster", HcaClaims = "HcaClaims", HcaOffers = "HcaOffers", CaseVisits = "CaseVisits";

    public static readonly IReadOnlyList<string> All = [Cases, CaseEvents, Services, BankHolidays, SmsOutbox,
        EcssRoster, HcaClaims, HcaOffers, CaseVisits];
}
