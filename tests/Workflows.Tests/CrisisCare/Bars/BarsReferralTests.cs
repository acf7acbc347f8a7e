using System.Text;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Workflows.CrisisCare.Bars;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace Workflows.Tests.CrisisCare.Bars;

/// <summary>Reading BaRS messages into referrals: the mapping, and the OperationOutcome issues for bad ones. No storage.</summary>
public sealed class BarsReferralTests
{
    private static (BarsReferral? Referral, BarsRejection? Rejection) Read(JsonObject bundle) => Read(bundle.ToJsonString());

    private static (BarsReferral? Referral, BarsRejection? Rejection) Read(string json)
    {
        var (parsed, malformed) = BarsReferral.Parse(Encoding.UTF8.GetBytes(json));
        return malformed is not null ? (null, malformed) : BarsReferral.Read(parsed!, DateTimeOffset.UtcNow);
    }

    private static void Rejected(BarsRejection? r, int status, IssueType code, string expression)
    {
        r.Should().NotBeNull();
        r!.Status.Should().Be(status);
        r.Issues.Should().Contain(i => i.Code == code && i.Expression == expression, "issues: {0}",
            string.Join("; ", r.Issues.Select(i => $"{i.Code} {i.Expression} {i.Diagnostics}")));
    }

    [Fact]
    public void NewReferralMapsToTheCallTheJsonWebhookWouldMake()
    {
        var id = BarsMessages.NewReferralId();
        var (referral, rejection) = Read(BarsMessages.New(id));

        rejection.Should().BeNull();
        referral!.Action.Should().Be(BarsAction.New);
        referral.SourceEndpoint.Should().Be("https://fhir.nhs.uk/Id/dos-service-id|2000099900");
        var call = referral.Call!;
        call.CallId.Should().Be(id);
        call.CallerRole.Should().Be("family");
        call.CallbackNumber.Should().Be("+447700900413", "the rank 1 contact, the daughter, is who the SPOC calls back");
        call.Reason.Should().StartWith("Known end-stage COPD");
        call.Patient.Should().BeEquivalentTo(new Workflows.CrisisCare.PatientDetails("9990237573", "Albert Greaves",
            new DateOnly(1938, 7, 19), "3 Smedley Street, Matlock, Derbyshire", "DE4 3FT", "+447700900412"));
        call.FamilyContacts.Select(c => (c.Name, c.Relationship, c.Phone, c.SmsConsent)).Should().Equal(
            ("Susan Greaves", "daughter", "+447700900413", false), ("Michael Greaves", "son", "+447700900414", false));
    }

    [Fact]
    public void BadNhsNumberIsInvalidWithWhereToLook()
    {
        var bundle = BarsMessages.New(BarsMessages.NewReferralId(), b => BarsMessages.Resource(b, "Patient")["identifier"]![0]!["value"] = "9990237574");
        Rejected(Read(bundle).Rejection, 400, IssueType.Invalid, "Patient.identifier.value");
    }

    [Fact]
    public void EveryFieldProblemIsReportedInOneAnswer()
    {
        var bundle = BarsMessages.New(BarsMessages.NewReferralId(), b =>
        {
            var p = BarsMessages.Resource(b, "Patient");
            p.Remove("birthDate");
            p["address"]![0]!["postalCode"] = "NOT A POSTCODE";
        });
        var rejection = Read(bundle).Rejection;
        Rejected(rejection, 400, IssueType.Required, "Patient.birthDate");
        Rejected(rejection, 400, IssueType.Invalid, "Patient.address.postalCode");
    }

    [Fact]
    public void MissingMessageHeaderIsRequired()
    {
        var bundle = BarsMessages.New(BarsMessages.NewReferralId(), b => b["entry"]!.AsArray().RemoveAt(0));
        Rejected(Read(bundle).Rejection, 400, IssueType.Required, "Bundle.entry[0].resource");
    }

    [Fact]
    public void BookingEventIsNotSupported()
    {
        var bundle = BarsMessages.New(BarsMessages.NewReferralId(), b => BarsMessages.Resource(b, "MessageHeader")["eventCoding"]!["code"] = "booking-request");
        Rejected(Read(bundle).Rejection, 422, IssueType.NotSupported, "MessageHeader.eventCoding");
    }

    [Fact]
    public void CollectionBundleIsNotAMessage()
    {
        var bundle = BarsMessages.New(BarsMessages.NewReferralId(), b => b["type"] = "collection");
        Rejected(Read(bundle).Rejection, 400, IssueType.Structure, "Bundle.type");
    }

    [Fact]
    public void MalformedJsonIsAStructureIssue()
    {
        var json = BarsMessages.New(BarsMessages.NewReferralId()).ToJsonString();
        var (_, rejection) = Read(json[..(json.Length / 2)]);
        rejection!.Status.Should().Be(400);
        rejection.Issues.Should().OnlyContain(i => i.Code == IssueType.Structure);
    }

    [Fact]
    public void UnknownFhirElementIsAStructureIssueAtItsPath()
    {
        var bundle = BarsMessages.New(BarsMessages.NewReferralId(), b => BarsMessages.Resource(b, "Patient")["favouriteColour"] = "blue");
        var rejection = Read(bundle).Rejection;
        rejection!.Status.Should().Be(400);
        rejection.Issues.Should().Contain(i => i.Code == IssueType.Structure && i.Expression!.Contains("favouriteColour"));
    }

    [Fact]
    public void ReferralWithoutAPalliativeMarkerIsUnprocessable()
    {
        var bundle = BarsMessages.New(BarsMessages.NewReferralId(), b => BarsMessages.Resource(b, "ServiceRequest")["category"]!.AsArray().RemoveAt(1));
        Rejected(Read(bundle).Rejection, 422, IssueType.BusinessRule, "ServiceRequest.category");
    }

    [Fact]
    public void EndOfLifeCarePlanMarksAReferralPalliative()
    {
        var bundle = BarsMessages.New(BarsMessages.NewReferralId(), b =>
        {
            BarsMessages.Resource(b, "ServiceRequest")["category"]!.AsArray().RemoveAt(1);
            BarsMessages.Resource(b, "CarePlan")["category"] = new JsonArray(JsonNode.Parse(
                """{"coding":[{"system":"http://snomed.info/sct","code":"713673000","display":"Has end of life care plan"}]}"""));
        });
        Read(bundle).Referral!.Action.Should().Be(BarsAction.New);
    }

    [Fact]
    public void NewReasonWithRevokedStatusIsAnUnknownWorkflow()
    {
        var bundle = BarsMessages.New(BarsMessages.NewReferralId(), b => BarsMessages.Resource(b, "ServiceRequest")["status"] = "revoked");
        Rejected(Read(bundle).Rejection, 400, IssueType.Invariant, "ServiceRequest.status");
    }

    [Fact]
    public void UpdateCarriesTheNewCallbackNumberAndTheCaseIdWeGaveBack()
    {
        var id = BarsMessages.NewReferralId();
        var (referral, rejection) = Read(BarsMessages.Update(id));
        rejection.Should().BeNull();
        referral!.Action.Should().Be(BarsAction.Update);
        referral.ReceiverServiceRequestId.Should().Be(Workflows.CrisisCare.CaseRecord.IdFor(id));
        referral.Changes!.CallbackNumber.Should().Be("+447700900415");
    }

    [Fact]
    public void RevokedUpdateIsACancellationWithItsReason()
    {
        var (referral, _) = Read(BarsMessages.Cancel(BarsMessages.NewReferralId()));
        referral!.Action.Should().Be(BarsAction.Cancel);
        referral.CancellationReason.Should().Contain("GP visited");
    }

    /// <summary>
    /// An OperationOutcome goes back into the sender's logs and screens, and anyone can post one to learn what is in it:
    /// it says where and which rule, never the patient's data (the NHS number was echoed, and the FHIR parser's
    /// messages quote the value they could not read).
    /// </summary>
    [Theory]
    [InlineData("identifier", "9990237574")]
    [InlineData("identifier", "1111111111")]
    [InlineData("birthDate", "1938-13-19")]
    [InlineData("birthDate", "Greaves Albert")]
    [InlineData("gender", "Albert-Greaves")]
    [InlineData("telecom", "Albert 07700 9004")]
    [InlineData("contact", "Susan 07700 9004")]
    [InlineData("given", "Albert\u202Eseva")]
    [InlineData("active", "Albert 900412")]
    public void ARefusalNeverEchoesThePatientsData(string field, string value)
    {
        var bundle = BarsMessages.New(BarsMessages.NewReferralId(), b =>
        {
            var p = BarsMessages.Resource(b, "Patient");
            switch (field)
            {
                case "identifier": p["identifier"]![0]!["value"] = value; break;
                case "birthDate": case "gender": case "active": p[field] = value; break;
                case "telecom": p["telecom"]![0]!["value"] = value; break;
                case "contact": p["contact"]![0]!["telecom"]![0]!["value"] = value; break;
                case "given": p["name"]![0]!["given"] = new JsonArray(System.Text.RegularExpressions.Regex.Unescape(value)); break;
            }
        });

        var rejection = Read(bundle).Rejection;

        rejection.Should().NotBeNull();
        var said = string.Join("\n", rejection!.Issues.Select(i => $"{i.Diagnostics} {i.Expression}"));
        foreach (var part in System.Text.RegularExpressions.Regex.Unescape(value).Split(' ', '-', '\u202E').Where(x => x.Length >= 4))
            said.Should().NotContain(part);
    }

    [Theory]
    [InlineData("07700 900123", "+447700900123")]
    [InlineData("+44 (0)7700 900123", "+447700900123")]
    [InlineData("0044 7700 900123", "+447700900123")]
    [InlineData("0116 496 0123", "+441164960123")]
    [InlineData("call the daughter", null)]
    public void UkPhoneNumbersAsWrittenBecomeE164(string written, string? e164) => BarsReferral.UkPhone(written).Should().Be(e164);
}
