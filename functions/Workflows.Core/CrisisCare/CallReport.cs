using System.Text.Json;
using Workflows.Http;
using Workflows.Validation;

namespace Workflows.CrisisCare;

public sealed record PatientDetails(string NhsNumber, string Name, DateOnly DateOfBirth, string Address, string Postcode, string? Phone)
{
    /// <summary>The "patient" object of a 111 call or a discharge referral, every field problem recorded on <paramref name="f"/>.</summary>
    public static PatientDetails? Read(FieldReader f, DateTimeOffset now)
    {
        if (f.Object("patient") is not { } p) return null;
        var nhs = p.String("nhsNumber", maxLength: 12)?.Replace(" ", "");
        if (nhs is not null && Validation.NhsNumber.Problem(nhs) is { } wrong) p.Fail("nhsNumber", $"Must be the patient's NHS number: this {wrong}.");
        var name = p.String("name", maxLength: 200);
        var dob = p.Date("dateOfBirth", earliest: new DateOnly(1900, 1, 1), latest: DateOnly.FromDateTime(now.UtcDateTime));
        var address = p.String("address", maxLength: 500, multiline: true);
        var postcodeText = p.String("postcode", maxLength: 10);
        var postcode = postcodeText is null ? null : Validation.Postcode.Normalise(postcodeText);
        if (postcodeText is not null && postcode is null) p.Fail("postcode", "Must be a UK postcode, e.g. DE22 3NE.");
        var phone = p.Phone("phone", required: false);
        return nhs is not null && Validation.NhsNumber.IsValid(nhs) && name is not null && dob is not null && address is not null && postcode is not null
            ? new PatientDetails(nhs, name, dob.Value, address, postcode, phone)
            : null;
    }
}

public sealed record FamilyContact(string Name, string Relationship, string Phone, bool SmsConsent);

/// <summary>A palliative call that NHS 111 has passed to the SPOC.</summary>
public sealed record CallReport(
    string CallId,
    DateTimeOffset ReceivedAt,
    string CallerRole,
    string CallbackNumber,
    string Reason,
    PatientDetails Patient,
    IReadOnlyList<FamilyContact> FamilyContacts)
{
    public static readonly string[] CallerRoles = ["patient", "family", "carer", "hcp", "care-home", "other"];

    /// <summary>
    /// A call from the 111 webhook body, or the problem to answer with: 400 for missing or invalid
    /// fields, 422 for a call that is valid but not palliative (the SPOC takes palliative calls only).
    /// </summary>
    public static (CallReport? Call, Microsoft.AspNetCore.Http.IResult? Problem) Read(JsonElement body, DateTimeOffset now)
    {
        var f = new FieldReader(body);
        var callId = f.Identifier("callId");
        var receivedAt = f.Timestamp("receivedAt", earliest: now.AddDays(-7), latest: now.AddMinutes(5));
        var callerRole = f.OneOf("callerRole", CallerRoles);
        var callback = f.Phone("callbackNumber");
        var palliative = f.Bool("palliative");
        var reason = f.String("reason", maxLength: 1000, multiline: true);
        var patient = PatientDetails.Read(f, now);
        var contacts = new List<FamilyContact>();
        foreach (var c in f.Objects("familyContacts", maxItems: 10))
        {
            var name = c.String("name", maxLength: 200);
            var relationship = c.String("relationship", maxLength: 60);
            var phone = c.Phone("phone");
            var consent = c.Bool("smsConsent");
            if (name is not null && relationship is not null && phone is not null && consent is not null)
                contacts.Add(new FamilyContact(name, relationship, phone, consent.Value));
        }
        if (!f.IsValid) return (null, Problems.Validation(f.Errors));
        if (palliative == false)
            return (null, Problems.Unprocessable("Not a palliative call",
                "The SPOC takes palliative calls only; route this call through the usual 111 pathway.",
                new Dictionary<string, string[]> { ["palliative"] = ["Must be true."] }));
        return (new CallReport(callId!, receivedAt!.Value, callerRole!, callback!, reason!, patient!, contacts), null);
    }
}
