using Workflows.Messaging;

namespace Workflows.Tests.Messaging;

/// <summary>The ACS client against a real local HTTP server that checks the signature as ACS does.</summary>
public sealed class AcsSmsClientTests : IAsyncLifetime
{
    private FakeAcs _acs = null!;
    private MessagingParts _parts = null!;

    public async Task InitializeAsync()
    {
        _acs = await FakeAcs.StartAsync();
        _parts = await MessagingParts.StartAsync(new Dictionary<string, string?>
        {
            ["Sms:ConnectionString"] = _acs.ConnectionString,
            ["Sms:SendRetries"] = "3",
            ["Sms:SendRetryBaseDelaySeconds"] = "0.01",
            ["Sms:SendAttemptTimeoutSeconds"] = "20",
        });
    }

    public async Task DisposeAsync()
    {
        await _parts.DisposeAsync();
        await _acs.DisposeAsync();
    }

    private static SmsMessage Offer(string to) =>
        new($"case-test-{Guid.NewGuid():N}-offer-1", to, SmsTemplates.HcaOffer("Sam", "DE22 3NE", "K7QD", 10, null, byReply: true), "case-test", SmsAudience.Staff);

    [Fact]
    public async Task SignedSendIsAcceptedAndRecordedWithTheAcsMessageId()
    {
        var message = Offer(MessagingParts.NewPhone());

        var result = await _parts.Sender.SendAsync(message);

        result.Sent.Should().BeTrue(result.Error);
        _acs.Unauthorised.Should().Be(0);
        _acs.Attempts.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            RepeatabilityRequestId = AcsSmsClient.RepeatabilityId(message.Id).ToString(),
            To = message.To, From = "+447700900000", Message = message.Body, Tag = "case-test", DeliveryReport = true,
        });
        var row = await _parts.Sent.FindAsync(message.Id);
        row!.Status.Should().Be(SmsStatus.Sent);
        row.ProviderMessageId.Should().Be(result.ProviderMessageId).And.StartWith("Outgoing_");
    }

    [Fact]
    public async Task ThrottledAndFailingAttemptsAreRetriedAsOneMessage()
    {
        _acs.Then(FakeAcs.Answer.TooManyRequests, FakeAcs.Answer.ServerError);
        var message = Offer(MessagingParts.NewPhone());

        var result = await _parts.Sender.SendAsync(message);

        result.Sent.Should().BeTrue(result.Error);
        _acs.Attempts.Should().HaveCount(3);
        _acs.Attempts.Select(a => a.RepeatabilityRequestId).Distinct().Should().ContainSingle();
        _acs.Attempts.Select(a => a.RepeatabilityFirstSent).Distinct().Should().ContainSingle();
        _acs.Sent.Should().Be(1);
    }

    [Fact]
    public async Task AnAnswerTooSlowForTheAttemptIsRetriedWithoutSendingTwice()
    {
        await using var impatient = await MessagingParts.StartAsync(new Dictionary<string, string?>
        {
            ["Sms:ConnectionString"] = _acs.ConnectionString,
            ["Sms:SendRetryBaseDelaySeconds"] = "0.01",
            ["Sms:SendAttemptTimeoutSeconds"] = "2",
        });
        _acs.Then(FakeAcs.Answer.Slow);
        var message = Offer(MessagingParts.NewPhone());

        var result = await impatient.Sender.SendAsync(message);

        result.Sent.Should().BeTrue(result.Error);
        _acs.Attempts.Should().HaveCountGreaterThanOrEqualTo(2);
        _acs.Attempts.Select(a => a.RepeatabilityRequestId).Distinct().Should().ContainSingle();
        _acs.Sent.Should().Be(1);
    }

    [Fact]
    public async Task RecipientRefusedInsideA202IsAFailureRecordedWithItsError()
    {
        _acs.Then(FakeAcs.Answer.RecipientRefused);
        var message = Offer(MessagingParts.NewPhone());

        var result = await _parts.Sender.SendAsync(message);

        result.Sent.Should().BeFalse();
        result.Error.Should().Contain("Invalid To phone number format");
        var row = await _parts.Sent.FindAsync(message.Id);
        row!.Status.Should().Be(SmsStatus.Failed);
        row.Error.Should().Contain("400");
    }

    [Fact]
    public async Task ARepeatedActivitySendsOnce()
    {
        var message = Offer(MessagingParts.NewPhone());

        var first = await _parts.Sender.SendAsync(message);
        var replayed = await _parts.Sender.SendAsync(message);

        replayed.Should().Be(first);
        _acs.Attempts.Should().ContainSingle();
    }

    [Fact]
    public async Task WhenAcsStaysDownALaterSendRetriesTheSameRequest()
    {
        _acs.Then(Enumerable.Repeat(FakeAcs.Answer.ServerError, 4).ToArray());
        var message = Offer(MessagingParts.NewPhone());

        var down = await _parts.Sender.SendAsync(message);
        var later = await _parts.Sender.SendAsync(message);

        down.Sent.Should().BeFalse();
        (await _parts.Sent.FindAsync(message.Id))!.Status.Should().Be(SmsStatus.Sent);
        later.Sent.Should().BeTrue(later.Error);
        _acs.Attempts.Should().HaveCount(5);
        _acs.Attempts.Select(a => (a.RepeatabilityRequestId, a.RepeatabilityFirstSent)).Distinct().Should().ContainSingle();
        _acs.Sent.Should().Be(1);
    }

    [Fact]
    public async Task AWrongAccessKeyIsRefusedByTheSignatureCheckAndNotRetried()
    {
        var wrongKey = $"endpoint={_acs.Endpoint};accesskey={Convert.ToBase64String(new byte[32])}";
        await using var parts = await MessagingParts.StartAsync(new Dictionary<string, string?> { ["Sms:ConnectionString"] = wrongKey });

        var result = await parts.Sender.SendAsync(Offer(MessagingParts.NewPhone()));

        result.Sent.Should().BeFalse();
        result.Error.Should().Contain("401");
        _acs.Unauthorised.Should().Be(1);
        _acs.Sent.Should().Be(0);
    }

    [Fact]
    public async Task AnOptedOutNumberIsSuppressedAndNeverReachesAcs()
    {
        var phone = MessagingParts.NewPhone();
        await _parts.Services.GetRequiredService<SmsOptOuts>().StopAsync(phone, DateTimeOffset.UtcNow);
        var message = new SmsMessage($"case-test-{Guid.NewGuid():N}-family", phone, SmsTemplates.FamilyTriaged("Claire"), "case-test", SmsAudience.Family);

        var result = await _parts.Sender.SendAsync(message);

        result.Sent.Should().BeFalse();
        (await _parts.Sent.FindAsync(message.Id))!.Status.Should().Be(SmsStatus.Suppressed);
        _acs.Attempts.Should().BeEmpty();
    }

    /// <summary>A STOP is a family's wish; a staff text (an offer, an alert) still goes to the number, and says why it went (H30).</summary>
    [Fact]
    public async Task AStaffTextGoesToANumberThatRepliedStop()
    {
        var phone = MessagingParts.NewPhone();
        await _parts.Services.GetRequiredService<SmsOptOuts>().StopAsync(phone, DateTimeOffset.UtcNow);
        var message = Offer(phone);

        var result = await _parts.Sender.SendAsync(message);

        result.Sent.Should().BeTrue(result.Error);
        (await _parts.Sent.FindAsync(message.Id))!.Audience.Should().Be(nameof(SmsAudience.Staff));
        _acs.Sent.Should().Be(1);
    }

    [Fact]
    public async Task ANumberThatIsNotAUkMobileIsRejectedWithoutSending()
    {
        var message = Offer("+441134960000");

        var result = await _parts.Sender.SendAsync(message);

        result.Sent.Should().BeFalse();
        (await _parts.Sent.FindAsync(message.Id))!.Status.Should().Be(SmsStatus.Rejected);
        _acs.Attempts.Should().BeEmpty();
    }

    [Fact]
    public void RepeatabilityIdsAreVersion5NameBasedUuids()
    {
        // RFC 9562 / Python's uuid.uuid5(uuid.NAMESPACE_DNS, "python.org").
        NameBasedUuid.V5(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org")
            .Should().Be(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"));
        AcsSmsClient.RepeatabilityId("case-1-offer-1").Should().Be(AcsSmsClient.RepeatabilityId("case-1-offer-1"))
            .And.NotBe(AcsSmsClient.RepeatabilityId("case-1-offer-2"));
    }
}
