using Workflows.CrisisCare;
using Workflows.Validation;

namespace Workflows.Messaging;

/// <summary>Who among a patient's family and carers may be texted: only those who agreed, on a UK mobile.</summary>
public static class SmsConsent
{
    public static bool MayText(FamilyContact contact) => contact.SmsConsent && Phones.IsUkMobile(contact.Phone);

    /// <summary>The contacts to text, once per phone (two relatives can share one).</summary>
    public static IReadOnlyList<FamilyContact> Textable(IEnumerable<FamilyContact> contacts) =>
        contacts.Where(MayText).DistinctBy(c => c.Phone).ToList();
}
