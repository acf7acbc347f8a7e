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

    /// <summary>A link as the settings make it, and the longest they can make (the longest base, the longest page).</summary>
    private const string Link = "http://127.0.0.1:7071/api/pages/hca.html?offer=abcdefghjkmnpqrstuvw23";
    private static readonly string LongestLink =
        "https://" + new string('x', AnswerLinks.MaxBaseLength - 8) + "/api/pages/district-direct.html?approval=" + new string('a', ReplyCodes.LinkIdLength);

    /// <summary>
    /// Arguments a careless caller could pass: the patient's full name for any name, the full postcode, a case id,
    /// and the reason for the call for any other text. <paramref name="huge"/> makes every value as long as it can be;
    /// <paramref name="flag"/> is every yes-or-no (a sender that takes replies or not, approved or not).
    /// </summary>
    private static object? Argument(ParameterInfo p, bool huge, bool flag)
    {
        var name = p.Name!;
        if (p.ParameterType == typeof(int)) return huge ? int.MaxValue : 45;
        if (p.ParameterType == typeof(long)) return huge ? long.MaxValue : 123_450L;
        if (p.ParameterType == typeof(bool)) return flag;
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
            "link" => huge ? LongestLink : Link,
            _ => Reason,
        };
    }

    private static string Render(MethodInfo m, bool huge, bool flag = true) =>
        (string)m.Invoke(null, m.GetParameters().Select(p => Argument(p, huge, flag)).ToArray())!;

    private static IEnumerable<(bool Huge, bool Flag)> Variants() => from huge in new[] { false, true } from flag in new[] { true, false } select (huge, flag);

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
        foreach (var (huge, flag) in Variants())
        {
            var text = Render(Templates.Single(m => m.Name == template), huge, flag);
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
        foreach (var (huge, flag) in Variants())
        {
            var text = Render(Templates.Single(m => m.Name == template), huge, flag);

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
        var text = SmsTemplates.HcaOffer("Sam Okafor", "de22 3ne", "k7qd", 10, Link, byReply: true);

        text.Should().Contain("Hi Sam,").And.Contain("near DE22 ").And.Contain("Reply YES K7QD or NO K7QD within 10 min");
        text.Should().NotContain("Okafor").And.NotContain("3NE");
    }

    [Fact]
    public void ApprovalRequestShowsTheAmountInPoundsAndHowToReply()
    {
        var text = SmsTemplates.OfficerApprovalRequest("Priya Shah", 123_450, "DD-2026-0042", "M4TQ", Link, byReply: true);

        text.Should().Contain("£1,234.50").And.Contain("Reply APPROVE M4TQ or REJECT M4TQ").And.NotContain("Shah");
    }

    /// <summary>
    /// In the UK an alphanumeric sender is send-only: its questions say to open the link, never "Reply", which would go
    /// nowhere; a short code or a UK mobile number offers both. The link comes last, so no punctuation joins it.
    /// </summary>
    [Theory]
    [InlineData(SmsSenderKinds.UkMobile, true)]
    [InlineData(SmsSenderKinds.ShortCode, true)]
    [InlineData(SmsSenderKinds.Alphanumeric, false)]
    public void AQuestionSaysToReplyOnlyWhenTheSenderTakesReplies(string kind, bool replies)
    {
        var links = AnswerLinks.From(new SmsSettings { SenderKind = kind, LinkBaseUrl = "https://func-crisiscare-prod-ab3cd.azurewebsites.net" }, development: false);
        var offerLink = links.To("hca.html", "offer", "abcdefghjkmnpqrstuvw23");
        var approvalLink = links.To("district-direct.html", "approval", "abcdefghjkmnpqrstuvw23");

        var offer = SmsTemplates.HcaOffer("Sam Okafor", "DE22 3NE", "K7QDM", 10, offerLink, links.ByReply);
        var approval = SmsTemplates.OfficerApprovalRequest("Priya Shah", 45_000, "DD-2026-0042", "M4TQ7X", approvalLink, links.ByReply);
        output.WriteLine(offer);
        output.WriteLine(approval);

        offer.Should().EndWith(" " + offerLink);
        approval.Should().EndWith(" " + approvalLink);
        if (replies)
        {
            offer.Should().Contain("Reply YES K7QDM or NO K7QDM within 10 min, or answer at https://");
            approval.Should().Contain("Reply APPROVE M4TQ7X or REJECT M4TQ7X, or open https://");
        }
        else
        {
            offer.Should().Contain("Accept or decline within 10 min at https://").And.NotContainEquivalentOf("reply").And.NotContain("K7QDM");
            approval.Should().Contain("Approve or reject at https://").And.NotContainEquivalentOf("reply").And.NotContain("M4TQ7X");
        }
        foreach (var text in new[] { offer, approval }) Gsm7.Segments(text).Should().BeLessThanOrEqualTo(2);
    }

    [Fact]
    public void AQuestionWithoutALinkPointsToThePageInstead()
    {
        SmsTemplates.HcaOffer("Sam", "DE22 3NE", "K7QD", 10, null, byReply: false).Should().EndWith("Accept or decline within 10 min in the HCA page.");
        SmsTemplates.OfficerApprovalRequest("Priya", 45_000, "DD-1", "M4TQ", null, byReply: false).Should().EndWith("Approve or reject in the District Direct app.");
        SmsTemplates.HcaOffer("Sam", "DE22 3NE", "K7QD", 10, null, byReply: true).Should().EndWith("Reply YES K7QD or NO K7QD within 10 min.");
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
