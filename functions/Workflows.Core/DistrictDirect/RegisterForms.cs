using System.Text.RegularExpressions;
using Workflows.Http;
using Workflows.Validation;

namespace Workflows.DistrictDirect;

/// <summary>
/// A hospital and a housing authority as the admin routes and the seed files write them. Every field is checked and
/// every problem reported at once.
/// </summary>
public static partial class RegisterForms
{
    public const int MaxDistricts = 60;

    /// <summary>How a duty to refer reaches a housing authority; the contact must fit the method.</summary>
    public static readonly string[] ReferralMethods = ["duty-to-refer portal", "email", "phone"];

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Email();

    /// <summary><c>{"name","postcode","housingAuthority"}</c>; the authority must be one of <paramref name="authorities"/>.</summary>
    public static Hospital? Hospital(FieldReader f, string id, IReadOnlyCollection<string> authorities)
    {
        var name = f.String("name", maxLength: 100);
        var postcode = f.String("postcode", maxLength: 10) is { } p ? Postcode.Normalise(p) ?? Fail(f, "postcode", "Must be a UK postcode, e.g. DE22 3NE.") : null;
        var authority = f.Identifier("housingAuthority");
        if (authority is not null && !authorities.Contains(authority))
            f.Fail("housingAuthority", $"There is no housing authority '{authority}'; use one of: {string.Join(", ", authorities.Order())}.");
        return f.IsValid ? new Hospital(id, name!, postcode!, authority!) : null;
    }

    /// <summary><c>{"name","postcodeDistricts":[...],"referralMethod","referralContact"}</c>.</summary>
    public static HousingAuthority? HousingAuthority(FieldReader f, string id)
    {
        var name = f.String("name", maxLength: 100);
        var items = f.Items("postcodeDistricts", maxItems: MaxDistricts);
        if (f.Has("postcodeDistricts") && items.Count == 0 && f.IsValid) f.Fail("postcodeDistricts", "List the postcode districts it covers.");
        var districts = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var d = items[i].ValueKind == System.Text.Json.JsonValueKind.String ? Postcode.NormaliseDistrict(items[i].GetString()!) : null;
            if (d is null) f.Fail($"postcodeDistricts[{i}]", "Must be a UK postcode district, e.g. DE22 or S40.");
            else if (districts.Contains(d)) f.Fail($"postcodeDistricts[{i}]", "Listed twice.");
            else districts.Add(d);
        }
        var method = f.OneOf("referralMethod", ReferralMethods);
        var contact = f.String("referralContact", maxLength: 200);
        if (contact is not null && method == "email" && !Email().IsMatch(contact))
            f.Fail("referralContact", "An email referral needs an email address, e.g. dutytorefer@council.gov.uk.");
        if (contact is not null && method == "phone" && !Phones.IsE164(contact))
            f.Fail("referralContact", "A phone referral needs a number in E.164 form, e.g. +441164960310.");
        return f.IsValid ? new HousingAuthority(id, name!, districts, method!, contact!) : null;
    }

    /// <summary>
    /// The districts of <paramref name="authority"/> another authority covers already, with their index in its list: a
    /// district belongs to one authority, or the duty to refer could go to the wrong council.
    /// </summary>
    public static IReadOnlyList<(int Index, string District, HousingAuthority Holder)> Clashes(HousingAuthority authority, IEnumerable<HousingAuthority> others)
    {
        var held = others.Where(o => o.Id != authority.Id).SelectMany(o => o.PostcodeDistricts.Select(d => (d, o)))
            .GroupBy(x => x.d, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().o, StringComparer.OrdinalIgnoreCase);
        return authority.PostcodeDistricts.Select((d, i) => (i, d, held.GetValueOrDefault(d)))
            .Where(x => x.Item3 is not null).Select(x => (x.i, x.d, x.Item3!)).ToList();
    }

    private static string? Fail(FieldReader f, string name, string message)
    {
        f.Fail(name, message);
        return null;
    }
}
