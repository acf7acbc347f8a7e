using System.Runtime.Serialization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Workflows.Http;

namespace Workflows.CrisisCare;

/// <summary>A crisis case as stored in the Cases table: one row per case (PartitionKey = case id).</summary>
public sealed class CaseRecord : ITableEntity
{
    public const string Row = "case";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = Row;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    [IgnoreDataMember] public string CaseId => PartitionKey;
    public string CallId { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset AcceptedAt { get; set; }
    public string Status { get; set; } = CaseStatus.AwaitingTriage;
    public string CallerRole { get; set; } = "";
    public string CallbackNumber { get; set; } = "";
    public string Reason { get; set; } = "";
    public string NhsNumber { get; set; } = "";
    public string PatientName { get; set; } = "";
    public string DateOfBirth { get; set; } = "";
    public string Address { get; set; } = "";
    public string Postcode { get; set; } = "";
    public string? PatientPhone { get; set; }
    public string FamilyContactsJson { get; set; } = "[]";

    public string? TriageOutcome { get; set; }
    public string? TriageNotes { get; set; }
    public string? TriagedBy { get; set; }
    public DateTimeOffset? TriagedAt { get; set; }
    /// <summary>The triage's report (<see cref="CaseReports"/>): the ANP's retry of the same decision finds it by this.</summary>
    public string? TriageReportId { get; set; }
    public string? ReferralJson { get; set; }
    /// <summary>What matters to the patient, as the ANP recorded it at triage (<see cref="CrisisCare.PlaceOfDeath"/>, <see cref="EndOfLifeCarePlan"/>).</summary>
    public string? PreferredPlaceOfDeath { get; set; }
    public string? CarePlanJson { get; set; }
    public string? AssignedHca { get; set; }
    public string? AssignedHcaName { get; set; }

    // ECSS: the team dispatching, where the search for an HCA stands, and the bridge until substantive care lands.
    public string? EcssTeam { get; set; }
    public string? DispatchState { get; set; }
    public int DispatchRound { get; set; }
    public string? OfferedTo { get; set; }
    public DateTimeOffset? OfferedAt { get; set; }
    public DateTimeOffset? NextOfferRoundAt { get; set; }
    public DateTimeOffset? BridgingSince { get; set; }
    public DateTimeOffset? LastContactAt { get; set; }
    public string? PackageProvider { get; set; }
    public DateTimeOffset? PackageStartsAt { get; set; }
    public int Escalations { get; set; }
    /// <summary>Why the case was parked as needs-attention (which step, what failed), and when.</summary>
    public string? AttentionReason { get; set; }
    public DateTimeOffset? AttentionAt { get; set; }
    public string? CloseReason { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    /// <summary>Where the patient died, for a case closed as died when staff knew it.</summary>
    public string? PlaceOfDeath { get; set; }

    [IgnoreDataMember]
    public IReadOnlyList<FamilyContact> FamilyContacts =>
        JsonSerializer.Deserialize<List<FamilyContact>>(FamilyContactsJson, Json.Options) ?? [];

    /// <summary>The case id for a 111 call: the same call always maps to the same case and orchestration.</summary>
    public static string IdFor(string callId) =>
        "case-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(callId.Trim().ToUpperInvariant())))[..20];

    public static CaseRecord FromCall(CallReport call, DateTimeOffset acceptedAt) => new()
    {
        PartitionKey = IdFor(call.CallId),
        CallId = call.CallId,
        ReceivedAt = call.ReceivedAt,
        AcceptedAt = acceptedAt,
        CallerRole = call.CallerRole,
        CallbackNumber = call.CallbackNumber,
        Reason = call.Reason,
        NhsNumber = call.Patient.NhsNumber,
        PatientName = call.Patient.Name,
        DateOfBirth = call.Patient.DateOfBirth.ToString("yyyy-MM-dd"),
        Address = call.Patient.Address,
        Postcode = call.Patient.Postcode,
        PatientPhone = call.Patient.Phone,
        FamilyContactsJson = JsonSerializer.Serialize(call.FamilyContacts, Json.Options),
    };
}
