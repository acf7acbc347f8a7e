using Workflows.Messaging;

namespace Workflows.Tests.Messaging;

/// <summary>
/// A question's link answers it the way a text reply does (<see cref="CodeAnswers"/>): to the orchestration that asked,
/// once, only while open; and a link id leads to its own question only.
/// </summary>
public sealed class AnswerLinkTests : IAsyncLifetime
{
    private MessagingParts _parts = null!;

    public async Task InitializeAsync() => _parts = await MessagingParts.StartAsync();

    public async Task DisposeAsync() => await _parts.DisposeAsync();

    private CodeAnswers Answers => _parts.Services.GetRequiredService<CodeAnswers>();

    private Task<IssuedCode> IssueAsync(ReplyRoute route, string phone, TimeSpan? life = null) =>
        _parts.Codes.IssueAsync(route, phone, DateTimeOffset.UtcNow + (life ?? TimeSpan.FromMinutes(10)), ReplyPurposes.HcaOffer, "case-x/offer-1");

    private static SmsReply FromLink(IssuedCode issued, string answer, string staffId = "hca-01") =>
        new(issued.Code, answer, "", DateTimeOffset.UtcNow, staffId);

    [Fact]
    public async Task ALinkAnswerReachesTheOrchestrationThatAskedSayingWhoAnswered()
    {
        var route = await _parts.AskAsync();
        var issued = await IssueAsync(route, MessagingParts.NewPhone());
        var code = (await _parts.Codes.FindByLinkAsync(issued.LinkId!))!;

        var outcome = await Answers.AnswerAsync(code, FromLink(issued, SmsAnswers.Yes), _parts.Client);

        outcome.Should().Be(AnswerOutcome.Applied);
        (await _parts.AnswerOfAsync(route)).Should().BeEquivalentTo(new { issued.Code, Answer = SmsAnswers.Yes, From = "", By = "hca-01" });
        (await _parts.Codes.FindAsync(issued.Code))!.StateAt(DateTimeOffset.UtcNow).Should().Be(ReplyCodeStatus.Answered);
    }

    [Fact]
    public async Task ALinkIdLeadsToItsOwnQuestionOnlyAndCarriesNothingOfIt()
    {
        var phone = MessagingParts.NewPhone();
        var first = await IssueAsync(await _parts.AskAsync(), phone);
        var second = await IssueAsync(await _parts.AskAsync(), phone);

        first.LinkId.Should().MatchRegex($"^[a-z2-7]{{{ReplyCodes.LinkIdLength}}}$").And.NotBe(second.LinkId);
        first.LinkId.Should().NotContainEquivalentOf(first.Code).And.NotContain("case-x").And.NotContain(phone[^6..]);
        (await _parts.Codes.FindByLinkAsync(first.LinkId!))!.Code.Should().Be(first.Code);
        (await _parts.Codes.FindByLinkAsync(second.LinkId!))!.Code.Should().Be(second.Code);
        (await _parts.Codes.FindByLinkAsync(first.LinkId!.ToUpperInvariant())).Should().BeNull();
        (await _parts.Codes.FindByLinkAsync(first.Code)).Should().BeNull("a reply code is no link");
        (await _parts.Codes.FindByLinkAsync(new string('a', ReplyCodes.LinkIdLength))).Should().BeNull();
    }

    [Fact]
    public async Task ATextReplyAndALinkAnswerAtOnceAreOneAnswer()
    {
        var phone = MessagingParts.NewPhone();
        var route = await _parts.AskAsync();
        var issued = await IssueAsync(route, phone);

        var text = _parts.Inbox.ReceiveAsync(MessagingParts.Text(phone, $"YES {issued.Code}"), _parts.Client);
        var links = Enumerable.Range(0, 3).Select(async _ =>
            await Answers.AnswerAsync((await _parts.Codes.FindByLinkAsync(issued.LinkId!))!, FromLink(issued, SmsAnswers.No), _parts.Client)).ToList();
        await Task.WhenAll(links.Append<Task>(text));

        var applied = links.Count(l => l.Result == AnswerOutcome.Applied) + (text.Result == InboundOutcome.Applied ? 1 : 0);
        applied.Should().Be(1);
        var answer = await _parts.AnswerOfAsync(route);
        answer.Answer.Should().Be(text.Result == InboundOutcome.Applied ? SmsAnswers.Yes : SmsAnswers.No, "the answer applied is the one the orchestration got");
        (await _parts.Codes.FindAsync(issued.Code))!.Answer.Should().Be(answer.Answer);
    }

    [Fact]
    public async Task ALinkAnswerToAQuestionPastItsTimeOrClosedChangesNothing()
    {
        var expiredRoute = await _parts.AskAsync();
        var expired = await IssueAsync(expiredRoute, MessagingParts.NewPhone(), TimeSpan.FromMinutes(-1));
        var closed = await IssueAsync(await _parts.AskAsync(), MessagingParts.NewPhone());
        await _parts.Codes.CloseAsync(closed.Code);

        (await Answers.AnswerAsync((await _parts.Codes.FindByLinkAsync(expired.LinkId!))!, FromLink(expired, SmsAnswers.Yes), _parts.Client))
            .Should().Be(AnswerOutcome.Expired);
        (await Answers.AnswerAsync((await _parts.Codes.FindByLinkAsync(closed.LinkId!))!, FromLink(closed, SmsAnswers.Yes), _parts.Client))
            .Should().Be(AnswerOutcome.Closed);
        (await _parts.Codes.FindAsync(expired.Code))!.StateAt(DateTimeOffset.UtcNow).Should().Be(ReplyCodeStatus.Expired);
        (await _parts.StatusOfAsync(expiredRoute)).Should().BeOneOf(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Pending,
            Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Running);
    }
}
