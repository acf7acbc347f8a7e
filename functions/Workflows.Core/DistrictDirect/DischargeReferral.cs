using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Workflows.CrisisCare;
using Workflows.Http;
using Workflows.Validation;

namespace Workflows.DistrictDirect;

/// <summary>A patient fit for discharge but kept in hospital by their home, referred by a ward, ED or a paramedic.</summary>
public sealed record DischargeReferral(
    string ReferralId,
    string Source,
    string Hospital,
    PatientDetails Patient,
    IReadOnlyList<string> Blockers,
    string? OtherBlocker,
    DateTimeOffset FitForDischargeAt)
{
    public static readonly string[] Sources = ["ward", "ed", "paramedic"];

    /// <summary>A referral from the intake body, or the 400 problem naming every field to fix.</summary>
    public static (DischargeReferral? Referral, IResult? Problem) Read(JsonElement body, DateTimeOffset now, IReadOnlyCollection<string> hospitals)
    {
        var f = new FieldReader(body);
        var referralId = f.Identifier("referralId");
        var source = f.OneOf("source", Sources);
        var hospital = f.Identifier("hospital");
        if (hospital is not null && !hospitals.Contains(hospital))
            f.Fail("hospital", $"Must be one of the District Direct hospitals: {string.Join(", ", hospitals.Order())}.");
        var patient = PatientDetails.Read(f, now);
        var blockers = f.Strings("blockers", required: true, maxItems: 10, allowed: DistrictDirect.Blockers.Accepted)
            .Select(b => DistrictDirect.Blockers.Aliases.GetValueOrDefault(b, b)).Distinct().ToList();
        var other = f.String("otherBlocker", required: blockers.Contains(DistrictDirect.Blockers.Other), maxLength: 500, multiline: true);
        var fit = f.Timestamp("fitForDischargeAt", earliest: now.AddDays(-90));
        if (fit > now.AddDays(7)) f.Fail("fitForDischargeAt", "Must be at most 7 days from now: refer when discharge is near.");
        if (!f.IsValid) return (null, Problems.Validation(f.Errors));
        return (new DischargeReferral(referralId!, source!, hospital!, patient!, blockers, other, fit!.Value), null);
    }
}
