using Workflows.Messaging;

namespace Workflows.Tests.Messaging;

/// <summary>Answers by text reaching the orchestration that asked, and only that one.</summary>
public sealed class SmsReplyTests : IAsyncLifetime
{
    private MessagingParts _parts = null!;

    public async Task InitializeAsync() => _parts = await MessagingParts.StartAsync();

    public async Task DisposeAsync() => await _parts.DisposeAsync();

    private async Task<string> IssueAsync(ReplyRoute route, string phone, string purpose = ReplyPurposes.HcaOffer) =>
        (await _parts.Codes.IssueAsync(route, phone, DateTimeOffset.UtcNow.AddMinutes(10), purpose, "test")).Code;

    [Fact]
    public async Task HcaYesWithTheCodeReachesTheOrchestrationThatAsked()
    {
        var hca = MessagingParts.NewPhone();
        var route = await _parts.AskAsync();
        var code = await IssueAsync(route, hca);

        var outcome = await _parts.Inbox.ReceiveAsync(MessagingParts.Text(hca, $"  yes   {code.ToLowerInvariant()} "), _parts.Client);

        outcome.Should().Be(InboundOutcome.Applied);
        var reply = await _parts.AnswerOfAsync(route);
        reply.Should().BeEquivalentTo(new { Code = code, Answer = SmsAnswers.Yes, From = hca });
    }

    [Fact]
    public async Task ReplyFromAnotherPhoneIsNeverAppliedToTheCase()
    {
        var hca = MessagingParts.NewPhone();
        var stranger = MessagingParts.NewPhone();
        var route = await _parts.AskAsync();
        var code = await IssueAsync(route, hca);

        var wrong = await _parts.Inbox.ReceiveAsync(MessagingParts.Text(stranger, $"YES {code}"), _parts.Client);
        var right = await _parts.Inbox.ReceiveAsync(MessagingParts.Text(hca, $"NO {code}"), _parts.Client);

        wrong.Should().Be(InboundOutcome.Ignored);
        right.Should().Be(InboundOutcome.Applied);
        (await _parts.AnswerOfAsync(route)).Should().BeEquivalentTo(new { Answer = SmsAnswers.No, From = hca });
    }

    [Fact]
    public async Task UnknownCodeIsIgnored()
    {
        var outcome = await _parts.Inbox.ReceiveAsync(MessagingParts.Text(MessagingParts.NewPhone(), "YES QQ99"), _parts.Client);

        outcome.Should().Be(InboundOutcome.Ignored);
    }

    [Fact]
    public async Task TheSameReplyDeliveredTwiceIsAppliedOnce()
    {
        var hca = MessagingParts.NewPhone();
        var route = await _parts.AskAsync();
        var code = await IssueAsync(route, hca);
        var text = MessagingParts.Text(hca, $"YES {code}");

        var first = await _parts.Inbox.ReceiveAsync(text, _parts.Client);
        var again = await _parts.Inbox.ReceiveAsync(text, _parts.Client);

        first.Should().Be(InboundOutcome.Applied);
        again.Should().Be(InboundOutcome.Duplicate);
        (await _parts.Codes.FindAsync(code))!.Answer.Should().Be(SmsAnswers.Yes);
    }

    [Fact]
    public async Task LateReplyToAClosedOfferGetsThePoliteMovedOnText()
    {
        var hca = MessagingParts.NewPhone();
        var route = await _parts.AskAsync();
        var code = await IssueAsync(route, hca);
        await _parts.Codes.CloseAsync(code);

        var outcome = await _parts.Inbox.ReceiveAsync(MessagingParts.Text(hca, $"Yes {code}"), _parts.Client);

        outcome.Should().Be(InboundOutcome.MovedOn);
        // Still waiting for its answer (it may not have started yet): the late reply answered nothing.
        (await _parts.StatusOfAsync(route)).Should().BeOneOf(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Pending,
            Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Running);
        var texts = await _parts.Sink.OutboxAsync(to: hca);
        texts.Should().ContainSingle().Which.Message.Should().Be(SmsTemplates.OfferMovedOn(null, code));
    }

    [Fact]
    public async Task ApprovalAnswersOnlyFitApprovalCodes()
    {
        var officer = MessagingParts.NewPhone();
        var route = await _parts.AskAsync();
        var code = await IssueAsync(route, officer, ReplyPurposes.DdApproval);

        var yes = await _parts.Inbox.ReceiveAsync(MessagingParts.Text(officer, $"YES {code}"), _parts.Client);
        var approve = await _parts.Inbox.ReceiveAsync(MessagingParts.Text(officer, $"approve {code}."), _parts.Client);

        yes.Should().Be(InboundOutcome.Ignored);
        approve.Should().Be(InboundOutcome.Applied);
        (await _parts.AnswerOfAsync(route)).Answer.Should().Be(SmsAnswers.Approve);
    }

    [Fact]
    public async Task AskingAgainForTheSameQuestionGivesTheSameCode()
    {
        var hca = MessagingParts.NewPhone();
        var route = await _parts.AskAsync();

        var first = await IssueAsync(route, hca);
        var replayed = await IssueAsync(route, hca);
        var otherHca = await IssueAsync(route, MessagingParts.NewPhone());

        replayed.Should().Be(first);
        otherHca.Should().NotBe(first);
        first.Should().MatchRegex("^[A-Z0-9]{5}$", "a 10-minute code is 5 characters (ReplyGuessingTests)");
    }

    [Fact]
    public async Task AnUndeliveredOfferIsAnsweredUndeliveredAtOnce()
    {
        var hca = MessagingParts.NewPhone();
        var route = await _parts.AskAsync();
        var code = await IssueAsync(route, hca);
        var offer = new SmsMessage($"test-{Guid.NewGuid():N}-offer", hca, SmsTemplates.HcaOffer("Sam", "DE22 3NE", code, 10, null, byReply: true), "case-test", SmsAudience.Staff, route);
        var sent = await _parts.Sender.SendAsync(offer);
        var receipt = new DeliveryReceipt(sent.ProviderMessageId!, "Failed", "Handset unreachable", DateTimeOffset.UtcNow);

        await _parts.Inbox.ReceiptAsync(receipt, _parts.Client);
        await _parts.Inbox.ReceiptAsync(receipt, _parts.Client);

        (await _parts.AnswerOfAsync(route)).Should().BeEquivalentTo(new { Code = code, Answer = SmsAnswers.Undelivered, From = hca });
        var row = await _parts.Sent.FindAsync(offer.Id);
        row!.Status.Should().Be(SmsStatus.Undelivered);
        row.Error.Should().Contain("Handset unreachable");
        row.UndeliveredRaised.Should().BeTrue();
    }
}
