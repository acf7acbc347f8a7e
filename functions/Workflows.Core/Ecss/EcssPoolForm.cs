using System.Text.Json;
using Workflows.Http;
using Workflows.Staff;
using Workflows.Validation;

namespace Workflows.Ecss;

/// <summary>A place in the ECSS pool and the rota pattern as the admin routes and seeds/roster.json write them.</summary>
public static class EcssPoolForm
{
    public const int MaxGroups = 12;

    /// <summary><c>"homeDistrict"</c>: the UK postcode district an HCA sets out from.</summary>
    public static string? HomeDistrict(FieldReader f)
    {
        if (f.String("homeDistrict", maxLength: 10) is not { } d) return null;
        if (Postcode.NormaliseDistrict(d) is { } district) return district;
        f.Fail("homeDistrict", "Must be a UK postcode district, e.g. DE22 or S40.");
        return null;
    }

    /// <summary>
    /// Groups of three HCAs from <paramref name="pool"/> taking shifts in turn: <c>[["hca-01","hca-04","hca-07"],...]</c>; an
    /// HCA in one group only, so nobody works two shifts running. Without a pool (a pattern an import will keep, not
    /// add) only the groups' form is checked.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> Groups(FieldReader f, string name, IReadOnlySet<string>? pool, string team)
    {
        var items = f.Items(name, maxItems: MaxGroups);
        if (f.Has(name) && items.Count == 0 && f.IsValid) f.Fail(name, $"Give 1 to {MaxGroups} groups.");
        var groups = new List<IReadOnlyList<string>>();
        var seen = new HashSet<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var at = $"{name}[{i}]";
            var ids = Group(f, at, items[i]);
            foreach (var id in ids.Where(id => pool is not null && !pool.Contains(id))) f.Fail(at, $"{id} is not an HCA in the {team} pool.");
            foreach (var id in ids.Where(id => !seen.Add(id))) f.Fail(at, $"{id} is in two groups: an HCA works with one group only.");
            groups.Add(ids);
        }
        return groups;
    }

    /// <summary>Three different HCA staff ids at <paramref name="at"/>: ECSS has three on call per shift.</summary>
    public static IReadOnlyList<string> Group(FieldReader f, string at, JsonElement group)
    {
        if (group.ValueKind != JsonValueKind.Array || group.GetArrayLength() != 3
            || group.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String || !StaffIds.IsStaffId(x.GetString())))
        {
            f.Fail(at, "Must be three HCA staff ids: ECSS has three on call per shift.");
            return [];
        }
        var ids = group.EnumerateArray().Select(x => x.GetString()!).ToList();
        if (ids.Distinct().Count() != 3) { f.Fail(at, "Name three different HCAs."); return []; }
        return ids;
    }
}
