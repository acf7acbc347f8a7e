using Workflows.Messaging;

namespace Workflows.Tests.Messaging;

/// <summary>
/// Which texts held back while SMS was not configured may still go once it is (hazard H39): a safety alert always, a
/// question only while its code is open, news only while it is still news.
/// </summary>
public sealed class LateSendRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static SentMessage Held(TimeSpan ago, bool alert = false, bool question = false) => new()
    {
        MessageId = "case-x-1", To = "+447700900123", Status = SmsStatus.Waiting, HeldAt = Now - ago, FirstSentAt = Now - ago,
        SafetyAlert = alert, NotifyInstanceId = question ? "case-x-dispatch-1" : null, NotifyEventName = question ? "HcaReply" : null,
    };

    private static ReplyCodeRecord Code(string status, TimeSpan expiresIn) =>
        new() { PartitionKey = "K7QD", Status = status, ExpiresAt = Now + expiresIn };

    [Fact]
    public void ASafetyAlertToStaffGoesHoweverLate() =>
        LateSendRule.Decide(Held(TimeSpan.FromDays(2), alert: true), null, Now, Hour).Send.Should().BeTrue();

    [Fact]
    public void AQuestionGoesOnlyWhileItsCodeIsOpenAndUnexpired()
    {
        var offer = Held(TimeSpan.FromMinutes(5), question: true);

        LateSendRule.Decide(offer, Code(ReplyCodeStatus.Open, TimeSpan.FromMinutes(5)), Now, Hour).Send.Should().BeTrue();
        // The offer timed out and went to the next HCA: a YES to it now would be answered "moved on".
        var expired = LateSendRule.Decide(offer, Code(ReplyCodeStatus.Open, -TimeSpan.FromMinutes(1)), Now, Hour);
        expired.Send.Should().BeFalse();
        expired.Reason.Should().Contain("question it asked had closed or expired");
        LateSendRule.Decide(offer, Code(ReplyCodeStatus.Closed, TimeSpan.FromMinutes(5)), Now, Hour).Send.Should().BeFalse();
        LateSendRule.Decide(offer, null, Now, Hour).Send.Should().BeFalse();
        // However recent: a question is judged by its code, never by the clock.
        LateSendRule.Decide(Held(TimeSpan.Zero, question: true), null, Now, Hour).Send.Should().BeFalse();
    }

    [Fact]
    public void NewsGoesOnlyWithinTheLateSendWindow()
    {
        LateSendRule.Decide(Held(TimeSpan.FromMinutes(59)), null, Now, Hour).Send.Should().BeTrue();
        var stale = LateSendRule.Decide(Held(TimeSpan.FromMinutes(61)), null, Now, Hour);
        stale.Send.Should().BeFalse();
        stale.Reason.Should().Contain("61 min");
    }
}
