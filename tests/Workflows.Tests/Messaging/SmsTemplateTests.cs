using System.Reflection;
using System.Text.Json.Nodes;
using Workflows.CrisisCare;
using Workflows.Messaging;
using Xunit.Abstractions;

namespace Workflows.Tests.Messaging;

/// <summary>Every text the app can send, rendered with the worst inputs a flow could hand it.</summary>
public sealed class SmsTemplateTests(ITestOutputHelper output)
{
    private static readonly JsonNode Call =
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "seeds", "calls", "breathless-syringe-driver.json")))!;

    private static string Reason => Call["reason"]!.GetValue<string>();
    private static string NhsNumber => Call["patient"]!["nhsNumber"]!.GetValue<string>();
    private static string PatientName => Call["patient"]!["name"]!.GetValue<string>();
    private static string Surname => PatientName.Split(' ')[^1];
    private static string Address => Call["patient"]!["address"]!.GetValue<string>();

    private static readonly MethodInfo[] Templates = typeof(SmsTemplates)
        .GetMethods(BindingFlags.Public | BindingFlags.Static)
        .Where(m => m.ReturnType == typeof(string) && m.Name is not (nameof(SmsTemplates.FirstName) or nameof(SmsTemplates.District)))
        .ToArray();

    /// <summary>
    /// Arguments a careless caller could pass: the patient's full name for any name, the full postcode, a case id,
    /// and the reason for the call for any other text. <paramref name="huge"/> makes every value as long as it can be.
    /// </summary>
    private static object? Argument(ParameterInfo p, bool huge)
    {
        var name = p.Name!;
        if (p.ParameterType == typeof(int)) return huge ? int.MaxValue : 45;
        if (p.ParameterType == typeof(long)) return huge ? long.MaxValue : 123_450L;
        if (p.ParameterType == typeof(bool)) return true;
        if (p.ParameterType == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 11, 24, 21, 40, 0, TimeSpan.Zero);
        if (name.EndsWith("Name", StringComparison.Ordinal) && name != "serviceName")
            return huge ? "Margaret-" + new string('x', 100) + " Anne " + Surname : PatientName;
        return name switch
        {
            "postcode" => huge ? Address + " " + Call["patient"]!["postcode"] : Call["patient"]!["postcode"]!.GetValue<string>(),
            "code" => huge ? "K7QDK7QDK7QDK7QD" : "K7QD",
            "caseRef" => CaseRecord.IdFor("111-x"),
            "referralRef" => huge ? new string('R', 64) : "DD-2026-0042",
            "serviceName" => huge ? "Zoë’s Community Bereavement “Circle” – " + new string('s', 200) : "Derbyshire Bereavement Groups",
            "servicePhone" => huge ? "+4413320000000000000000" : "01332 000000",
            _ => Reason,
        };
    }

    private static string Render(MethodInfo m, bool huge) =>
        (string)m.Invoke(null, m.GetParameters().Select(p => Argument(p, huge)).ToArray())!;

    public static TheoryData<string> TemplateNames() => new(Templates.Select(m => m.Name));

    /// <summary>Family contacts come as their sender writes them: surname first with a comma, or with a title.</summary>
    [Theory]
    [InlineData("Claire Ashworth", "Claire")]
    [InlineData("Ashworth, Claire", "Claire")]
    [InlineData("ASHWORTH, Claire Anne", "Claire")]
    [InlineData("Ashworth ,Claire", "Claire")]
    [InlineData("Mrs Claire Ashworth", "Claire")]
    [InlineData("Dr. Claire Ashworth", "Claire")]
    [InlineData("Mrs Ashworth", "")]
    [InlineData("Ashworth,", "")]
    public void AFamilyContactIsGreetedByTheirGivenNameNeverTheSurname(string written, string greeted)
    {
        SmsTemplates.FirstName(written).Should().Be(greeted);

        var text = SmsTemplates.FamilyTriaged(written);

        text.Should().NotContainEquivalentOf("Ashworth");
        text.Should().StartWith(greeted.Length > 0 ? $"Hello {greeted}, " : "Hello, ");
    }

    [Theory]
    [MemberData(nameof(TemplateNames))]
    public void NoTextCarriesTheReasonTheNhsNumberTheSurnameOrTheAddress(string template)
    {
        foreach (var huge in new[] { false, true })
        {
            var text = Render(Templates.Single(m => m.Name == template), huge);
            output.WriteLine(text);

            text.Should().NotContainEquivalentOf(Reason).And.NotContainEquivalentOf("syringe").And.NotContainEquivalentOf("breathless");
            text.Should().NotContain(NhsNumber).And.NotContain("999 007 9196");
            text.Should().NotContainEquivalentOf(Surname);
            text.Should().NotContainEquivalentOf("Kedleston").And.NotContain("3NE");
        }
    }

    [Theory]
    [MemberData(nameof(TemplateNames))]
    public void EveryTextIsGsm7AndFitsInTwoSegments(string template)
    {
        foreach (var huge in new[] { false, true })
        {
            var text = Render(Templates.Single(m => m.Name == template), huge);

            Gsm7.IsGsm7(text).Should().BeTrue($"'{text}' must use only the GSM-7 alphabet");
            Gsm7.Septets(text).Should().BeLessThanOrEqualTo(Gsm7.TwoSegments, text);
            Gsm7.Segments(text).Should().BeLessThanOrEqualTo(2);
        }
    }

    [Fact]
    public void TheCheckCoversEveryTemplateTheFlowsNeed()
    {
        Templates.Select(m => m.Name).Should().Contain(
        [
            "HcaOffer", "OfferMovedOn", "HcaAccepted", "CoordinatorTriageOverdue", "CoordinatorNoHcaAccepted",
            "CoordinatorBridgingCheckInOverdue", "CoordinatorBridgingBeyondLimit", "FamilyTriaged", "FamilyHcaOnTheWay",
            "FamilyCarePackageInPlace", "FamilyBridgingEnded", "FamilyBereavement", "OfficerApprovalRequest",
            "OfficerDecisionConfirmed", "ApprovalClosed", "OptedOut", "OptedIn",
        ]);
    }

    [Fact]
    public void HcaOfferNamesOnlyThePostcodeDistrictAndHowToReply()
    {
        var text = SmsTemplates.HcaOffer("Sam Okafor", "de22 3ne", "k7qd", 10);

        text.Should().Contain("Hi Sam,").And.Contain("near DE22.").And.Contain("Reply YES K7QD or NO K7QD");
        text.Should().NotContain("Okafor").And.NotContain("3NE");
    }

    [Fact]
    public void ApprovalRequestShowsTheAmountInPoundsAndHowToReply()
    {
        var text = SmsTemplates.OfficerApprovalRequest("Priya Shah", 123_450, "DD-2026-0042", "M4TQ");

        text.Should().Contain("£1,234.50").And.Contain("Reply APPROVE M4TQ or REJECT M4TQ").And.NotContain("Shah");
    }

    [Theory]
    [InlineData("2026-07-01T20:40:00+00:00", "21:40")] // British Summer Time
    [InlineData("2026-11-24T21:40:00+00:00", "21:40")] // Greenwich Mean Time
    public void ArrivalTimeIsUkLocalTime(string etaUtc, string shown)
    {
        SmsTemplates.FamilyHcaOnTheWay("Claire", DateTimeOffset.Parse(etaUtc)).Should().Contain($"at about {shown}.");
    }

    [Fact]
    public void ValuesOutsideTheAlphabetAreCleanedNotSentAsUnicode()
    {
        Gsm7.Clean("Zoë’s “café” – ok…", 100).Should().Be("Zoe's \"café\" - ok...");
        Gsm7.IsGsm7("Zoë").Should().BeFalse();
        Gsm7.Septets("€[]").Should().Be(6);
    }

    [Fact]
    public void OnlyConsentingFamilyOnUkMobilesAreTexted()
    {
        var contacts = new[]
        {
            new FamilyContact("Claire Ashworth", "daughter", "+447700900789", true),
            new FamilyContact("Peter Ashworth", "son", "+447700900790", false),
            new FamilyContact("Ann Ashworth", "sister", "+441134960000", true),
            new FamilyContact("Tom Ashworth", "grandson", "+447700900789", true),
        };

        SmsConsent.Textable(contacts).Select(c => c.Name).Should().Equal("Claire Ashworth");
    }
}
