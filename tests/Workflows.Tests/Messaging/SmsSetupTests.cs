using Workflows.Messaging;

namespace Workflows.Tests.Messaging;

/// <summary>What the app makes of its SMS settings at start: never a failure to start, always a reason when texts cannot go.</summary>
public sealed class SmsSetupTests
{
    private const string Acs = "endpoint=https://acs-test.uk.communication.azure.com/;accesskey=c2VjcmV0";

    private const string App = "https://func-crisiscare-prod-ab3cd.azurewebsites.net";

    private static SmsSettings Settings(string? connection, string from = "+447700900000", string kind = SmsSenderKinds.UkMobile, string links = App) =>
        new() { ConnectionString = connection, FromNumber = from, SenderKind = kind, LinkBaseUrl = links };

    [Fact]
    public void WithoutAConnectionStringTextsGoToTheLocalSinkOnlyInDevelopment()
    {
        SmsSetup.From(Settings(""), development: true).Should().BeEquivalentTo(new { Carrier = SmsSetup.LocalSinkCarrier, Configured = true });

        var azure = SmsSetup.From(Settings(""), development: false);
        azure.Carrier.Should().Be(SmsSetup.NoCarrier, "nothing in Azure reads the local sink: a text put there is lost");
        azure.Problem.Should().Contain("Sms__ConnectionString is not set");
    }

    [Theory]
    // deploy.md's first deploy: ACS exists (the connection string resolves) but no number is bought yet.
    [InlineData(Acs, "", SmsSenderKinds.UkMobile, "Sms__FromNumber is empty")]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv-x.vault.azure.net/secrets/acs-connection-string/)", "+447700900000",
        SmsSenderKinds.UkMobile, "Key Vault reference the platform could not resolve")]
    [InlineData("not a connection string", "+447700900000", SmsSenderKinds.UkMobile, "must be an ACS connection string")]
    [InlineData(Acs, "+441134960000", SmsSenderKinds.UkMobile, "not a UK mobile number")]
    [InlineData(Acs, "CrisisCareSPOC", SmsSenderKinds.Alphanumeric, "not an alphanumeric sender id")]
    [InlineData(Acs, "+447700900000", SmsSenderKinds.ShortCode, "not a UK short code")]
    [InlineData(Acs, "+447700900000", "toll-free", "Sms__SenderKind must be one of")]
    public void WrongSettingsStartTheAppAndSayWhatIsWrong(string connection, string from, string kind, string reason)
    {
        var setup = SmsSetup.From(Settings(connection, from, kind), development: false);

        setup.Configured.Should().BeFalse();
        setup.Carrier.Should().Be(SmsSetup.NoCarrier);
        setup.Problem.Should().Contain(reason);
    }

    [Theory]
    [InlineData("+447700900000", SmsSenderKinds.UkMobile)]
    [InlineData("60123", SmsSenderKinds.ShortCode)]
    [InlineData("NHS SPOC", SmsSenderKinds.Alphanumeric)]
    public void EachKindOfUkSenderSends(string from, string kind)
    {
        var setup = SmsSetup.From(Settings(Acs, from, kind), development: false);

        setup.Should().BeEquivalentTo(new { Carrier = SmsSetup.AcsCarrier, Configured = true });
        setup.Acs!.Endpoint.Host.Should().Be("acs-test.uk.communication.azure.com");
    }

    [Theory]
    [InlineData(SmsSenderKinds.ShortCode, true)]
    [InlineData(SmsSenderKinds.UkMobile, true)]
    [InlineData(SmsSenderKinds.Alphanumeric, false)]
    public void OnlyAShortCodeOrAUkMobileNumberTakesReplies(string kind, bool replies) =>
        Settings(Acs, kind: kind).SenderCanReceiveReplies.Should().Be(replies);

    [Theory]
    [InlineData("", "Sms__LinkBaseUrl is not set")]
    [InlineData("http://func-crisiscare-prod-ab3cd.azurewebsites.net", "must be https outside Development")]
    [InlineData("https://func-crisiscare-prod-ab3cd.azurewebsites.net/?x=1", "not a web address")]
    [InlineData("func-crisiscare-prod-ab3cd.azurewebsites.net", "not a web address")]
    [InlineData("https://crisis-care-and-discharge-workflows.derbyshire-community.nhs.uk", "longer than 60 characters")]
    public void LinksThatWouldNotOpenOnAPhoneHoldTheTextsAndSaySo(string links, string reason)
    {
        var setup = SmsSetup.From(Settings(Acs, links: links), development: false);

        setup.Configured.Should().BeFalse("a question whose link does not open cannot be answered from a send-only sender");
        setup.Problem.Should().Contain(reason);
    }

    [Fact]
    public void InDevelopmentLinksOpenTheLocalHostUnlessSet()
    {
        SmsSetup.From(Settings("", links: ""), development: true).Configured.Should().BeTrue();
        AnswerLinks.From(Settings("", links: ""), development: true).To("hca.html", "offer", "abc")
            .Should().Be("http://127.0.0.1:7071/api/pages/hca.html?offer=abc");
        AnswerLinks.From(Settings(Acs, links: App + "/"), development: false).To("district-direct.html", "approval", "abc")
            .Should().Be(App + "/api/pages/district-direct.html?approval=abc");
    }
}
