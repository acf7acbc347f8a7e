namespace Workflows.Ecss;

/// <summary>An on-shift HCA as the dispatch sees them when ranking who to offer a case to first.</summary>
public sealed record HcaCandidate(string HcaId, string Phone, string HomeDistrict, bool Attending, int OpenCases);

/// <summary>An HCA in offer order, with how far they are from the patient.</summary>
public sealed record RankedHca(string HcaId, string Phone, int Distance);

public static class HcaRanking
{
    /// <summary>
    /// Who to offer a case to, in order. An HCA already attending a patient (an accepted offer with no visit recorded
    /// yet) cannot go now and is left out. The rest are ranked by fewest open cases (spreading the load keeps every
    /// HCA able to answer the next crisis), then nearest home district, then id so the order is stable.
    /// </summary>
    public static IReadOnlyList<RankedHca> Rank(IEnumerable<HcaCandidate> onShift, string patientDistrict) =>
        onShift.Where(h => !h.Attending)
            .Select(h => (h, distance: CountyAreas.Distance(h.HomeDistrict, patientDistrict)))
            .OrderBy(x => x.h.OpenCases).ThenBy(x => x.distance).ThenBy(x => x.h.HcaId, StringComparer.Ordinal)
            .Select(x => new RankedHca(x.h.HcaId, x.h.Phone, x.distance))
            .ToList();
}
