using System.Runtime.Serialization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace Workflows.DistrictDirect;

/// <summary>Where a referral is. Text values are stored and served as they are.</summary>
public static class ReferralStatus
{
    public const string AwaitingAssessment = "awaiting-assessment";
    /// <summary>Assessed; some spend requests wait for a decision.</summary>
    public const string AwaitingApproval = "awaiting-approval";
    /// <summary>Every spend request decided (or none needed): the home is being made ready.</summary>
    public const string AwaitingDischarge = "awaiting-discharge";
    public const string Discharged = "discharged";
    /// <summary>Ended before discharge (the patient died in hospital, or no longer needs the service): its commitments went back to the fund.</summary>
    public const string Withdrawn = "withdrawn";

    /// <summary>
    /// Not a stage but a flag beside it (<see cref="ReferralRecord.AttentionAt"/>): a step kept failing and a person must
    /// take over. The stage it stopped at is kept, so the officer can still assess, decide and discharge through the app.
    /// </summary>
    public const string NeedsAttention = "needs-attention";
}

/// <summary>What keeps a patient who is fit for discharge in hospital, as the referring systems name it.</summary>
public static class Blockers
{
    public const string Homeless = "homeless";
    public const string Other = "other";

    public static readonly string[] Known =
        ["clutter", "hygiene", "minor-works", "furniture-removal", "equipment", "heating", "key-safe", Homeless, Other];

    /// <summary>Other names referring systems use for the same blocker (the contract's first example said "furniture").</summary>
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["furniture"] = "furniture-removal", ["deep-clean"] = "hygiene",
    };

    public static readonly string[] Accepted = [.. Known, .. Aliases.Keys];
}

/// <summary>
/// A District Direct referral as stored in the DischargeReferrals table: one row per referral (PartitionKey = referral id).
/// The columns the pilot report reads (Source, Hospital, Blockers, FitForDischargeAt, DischargedAt, BedDaysSaved,
/// DtocDays, SpendPence, Status, CreatedAt) are plain properties so the table can be queried on them.
/// </summary>
public sealed class ReferralRecord : ITableEntity
{
    public const string Row = "referral";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = Row;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    [IgnoreDataMember] public string ReferralId => PartitionKey;
    /// <summary>The orchestration instance of this referral, derived from its id.</summary>
    [IgnoreDataMember] public string InstanceId => InstanceIdFor(PartitionKey);

    public string Source { get; set; } = "";
    public string Hospital { get; set; } = "";
    /// <summary>Comma-separated blocker names (e.g. "clutter,key-safe").</summary>
    public string Blockers { get; set; } = "";
    public string? OtherBlocker { get; set; }
    public DateTimeOffset FitForDischargeAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string Status { get; set; } = ReferralStatus.AwaitingAssessment;
    /// <summary>The average delay without the service when the referral arrived: the basis of its bed days saved.</summary>
    public int AverageDelayDays { get; set; }

    public string NhsNumber { get; set; } = "";
    public string PatientName { get; set; } = "";
    public string DateOfBirth { get; set; } = "";
    public string Address { get; set; } = "";
    public string Postcode { get; set; } = "";
    public string? PatientPhone { get; set; }

    public string? AssessedBy { get; set; }
    public string? AssessedByName { get; set; }
    public DateTimeOffset? AssessedAt { get; set; }
    public string? Findings { get; set; }
    public string? AssessmentHash { get; set; }
    /// <summary>The fund year the referral's spend requests draw on (that of the assessment).</summary>
    public string? FundYear { get; set; }
    public int SpendRequestCount { get; set; }

    /// <summary>What the referral costs the fund: approved money still committed plus money spent.</summary>
    public long SpendPence { get; set; }
    public long SpentPence { get; set; }

    public string? HousingAuthority { get; set; }
    public string? HousingAuthorityName { get; set; }
    public DateTimeOffset? DutyToReferAt { get; set; }
    /// <summary>The housing and homelessness services linked for the patient (JSON list of directory entries).</summary>
    public string? HousingSupportJson { get; set; }

    public DateTimeOffset? AssessmentEscalatedAt { get; set; }
    public DateTimeOffset? ApprovalEscalatedAt { get; set; }
    /// <summary>Set when the referral was parked because a step kept failing: which step, and the error.</summary>
    public string? AttentionReason { get; set; }
    public DateTimeOffset? AttentionAt { get; set; }

    /// <summary>Why, by whom and when the referral was withdrawn; null unless it was.</summary>
    public string? WithdrawalReason { get; set; }
    public string? WithdrawnBy { get; set; }
    public string? WithdrawnByName { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }

    public DateTimeOffset? DischargedAt { get; set; }
    public string? DischargeRecordedBy { get; set; }
    public int? BedDaysSaved { get; set; }
    public int? DtocDays { get; set; }

    [IgnoreDataMember] public IReadOnlyList<string> BlockerList => Blockers.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static string InstanceIdFor(string referralId) => "dd-" + referralId;

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static ReferralRecord From(DischargeReferral r, DateTimeOffset createdAt, int averageDelayDays) => new()
    {
        PartitionKey = r.ReferralId,
        Source = r.Source,
        Hospital = r.Hospital,
        Blockers = string.Join(',', r.Blockers),
        OtherBlocker = r.OtherBlocker,
        FitForDischargeAt = r.FitForDischargeAt,
        CreatedAt = createdAt,
        AverageDelayDays = averageDelayDays,
        NhsNumber = r.Patient.NhsNumber,
        PatientName = r.Patient.Name,
        DateOfBirth = r.Patient.DateOfBirth.ToString("yyyy-MM-dd"),
        Address = r.Patient.Address,
        Postcode = r.Patient.Postcode,
        PatientPhone = r.Patient.Phone,
    };
}
