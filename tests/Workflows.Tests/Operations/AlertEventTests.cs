using Workflows.CrisisCare;
using Workflows.DistrictDirect;
using Workflows.Messaging;
using Workflows.Operations;
using Workflows.Tests.DistrictDirect;
using Workflows.Tests.Messaging;

namespace Workflows.Tests.Operations;

/// <summary>The components that report a failure log it as the event its production alert reads (infra/modules/alerts.bicep).</summary>
public sealed class AlertEventTests
{
    [Fact]
    public async Task ATextTheCarrierRefusesIsLoggedAsSmsNotSent()
    {
        await using var acs = await FakeAcs.StartAsync();
        await using var parts = await MessagingParts.StartAsync(new Dictionary<string, string?> { ["Sms:ConnectionString"] = acs.ConnectionString });
        acs.Then(FakeAcs.Answer.RecipientRefused);
        var log = new LogCapture();
        var outbound = ActivatorUtilities.CreateInstance<SmsOutbound>(parts.Services, log.For<SmsOutbound>());

        var result = await outbound.SendAsync(new SmsMessage($"alert-test-{Guid.NewGuid():N}", MessagingParts.NewPhone(), "ECSS: test", "alert-test", SmsAudience.Staff));

        result.Sent.Should().BeFalse();
        log.EventNames.Should().Contain(AlertEvents.SmsNotSent.Name);
    }

    [Fact]
    public async Task ACaseOrReferralParkedAsNeedsAttentionIsLoggedForTheAlert()
    {
        await using var host = await TestHost.StartAsync();
        var caseId = await host.OpenCaseAsync();
        var referralId = $"RDH-{Guid.NewGuid():N}"[..20];
        (await host.SubmitAsync(Referrals.Body(referralId))).EnsureSuccessStatusCode();
        var caseLog = new LogCapture();
        var referralLog = new LogCapture();

        await ActivatorUtilities.CreateInstance<CaseActivities>(host.Services, caseLog.For<CaseActivities>())
            .ParkCaseAsync(new Workflows.CrisisCare.ParkStep(new CaseStep(caseId, $"{caseId}-alert-test", DateTimeOffset.UtcNow), "TestStep", "boom"));
        await ActivatorUtilities.CreateInstance<ReferralActivities>(host.Services, referralLog.For<ReferralActivities>())
            .ParkReferralAsync(new Workflows.DistrictDirect.ParkStep(new ReferralStep(referralId, $"dd-{referralId}-alert-test", DateTimeOffset.UtcNow), "TestStep", "boom"));

        caseLog.EventNames.Should().Contain(AlertEvents.CaseNeedsAttention.Name);
        referralLog.EventNames.Should().Contain(AlertEvents.ReferralNeedsAttention.Name);
    }
}
