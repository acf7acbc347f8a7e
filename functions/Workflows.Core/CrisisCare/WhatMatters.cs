using System.Text.Json;
using Workflows.Http;

namespace Workflows.CrisisCare;

/// <summary>Where a patient would prefer to die, or did (the HTTP contract, docs/openapi.yaml).</summary>
public static class PlaceOfDeath
{
    public const string Home = "home";
    public const string CareHome = "care-home";
    public const string Hospice = "hospice";
    public const string Hospital = "hospital";
    public const string Other = "other";
    public const string Unknown = "unknown";

    public static readonly string[] All = [Home, CareHome, Hospice, Hospital, Other, Unknown];

    /// <summary>Places specific enough to say whether a death happened there: "other" may be two different places.</summary>
    public static readonly string[] Comparable = [Home, CareHome, Hospice, Hospital];

    /// <summary>
    /// Whether a death can be counted for or against the preferred place: both known and specific. Null when it cannot
    /// (no preference recorded, "other", "unknown"), so the measure's "of" holds only deaths it can judge.
    /// </summary>
    public static bool? InPreferredPlace(string? preferred, string? actual) =>
        preferred is not null && actual is not null && Comparable.Contains(preferred) && Comparable.Contains(actual)
            ? preferred == actual
            : null;
}

/// <summary>
/// What the ANP knows at triage of the decisions already made for the patient: each null when not known. The HCA reads
/// it when attending (a DNACPR in place, the just-in-case medicines in the home, whom to ask for).
/// </summary>
public sealed record EndOfLifeCarePlan(bool? Dnacpr = null, bool? Respect = null, bool? AnticipatoryMedicines = null, string? MainCarer = null)
{
    /// <summary>The request's "carePlan", or null when absent; its problems go into <paramref name="f"/>.</summary>
    public static EndOfLifeCarePlan? Read(FieldReader f)
    {
        if (f.Object("carePlan", required: false) is not { } p) return null;
        var plan = new EndOfLifeCarePlan(p.Bool("dnacpr", required: false), p.Bool("respect", required: false),
            p.Bool("anticipatoryMedicines", required: false), p.String("mainCarer", required: false, maxLength: 100));
        return plan == new EndOfLifeCarePlan() ? null : plan;
    }

    public static EndOfLifeCarePlan? FromJson(string? json) => json is null ? null : JsonSerializer.Deserialize<EndOfLifeCarePlan>(json, Json.Options);

    public string ToJson() => JsonSerializer.Serialize(this, Json.Options);

    /// <summary>For the case's timeline: what is known, in words.</summary>
    public string Summary()
    {
        static string YesNo(bool? b, string what) => b switch { true => $"{what}: yes", false => $"{what}: no", null => "" };
        var parts = new[]
        {
            YesNo(Dnacpr, "DNACPR in place"), YesNo(Respect, "ReSPECT form in place"),
            YesNo(AnticipatoryMedicines, "anticipatory medicines in the home"), MainCarer is null ? "" : $"main carer: {MainCarer}",
        };
        return string.Join("; ", parts.Where(p => p.Length > 0));
    }
}

/// <summary>What matters to the patient as the case page and the HCA's phone show it; null when the ANP recorded nothing.</summary>
public sealed record WhatMatters(string? PreferredPlaceOfDeath, EndOfLifeCarePlan? CarePlan)
{
    public static WhatMatters? Of(CaseRecord c) => c.PreferredPlaceOfDeath is null && c.CarePlanJson is null
        ? null
        : new WhatMatters(c.PreferredPlaceOfDeath, EndOfLifeCarePlan.FromJson(c.CarePlanJson));
}
