using Workflows.Messaging;

namespace Workflows.Tests.Messaging;

/// <summary>Issuing a code again for the same question gives its open code back, never one whose time is over.</summary>
public sealed class ReplyCodeIssueTests : IAsyncLifetime
{
    private MessagingParts _parts = null!;

    public async Task InitializeAsync() => _parts = await MessagingParts.StartAsync();

    public async Task DisposeAsync() => await _parts.DisposeAsync();

    [Fact]
    public async Task AQuestionAskedAgainOnTheSameRouteAfterItsLastCodeExpiredGetsACodeThatCanBeAnswered()
    {
        // A carer's weekly check-in asks on the same route and phone each time; last week's code was never answered.
        var route = await _parts.AskAsync();
        var phone = MessagingParts.NewPhone();
        var now = DateTimeOffset.UtcNow;
        var lastWeek = await _parts.Codes.IssueAsync(route, phone, now.AddMinutes(-1), ReplyPurposes.CarerCheckIn, "case-x/carer-check-in-1");

        var thisWeek = await _parts.Codes.IssueAsync(route, phone, now.AddHours(24), ReplyPurposes.CarerCheckIn, "case-x/carer-check-in-2");

        thisWeek.Code.Should().NotBe(lastWeek.Code);
        var record = (await _parts.Codes.FindAsync(thisWeek.Code))!;
        record.StateAt(DateTimeOffset.UtcNow).Should().Be(ReplyCodeStatus.Open);
        var answered = await _parts.Services.GetRequiredService<CodeAnswers>()
            .AnswerAsync(record, new SmsReply(thisWeek.Code, SmsAnswers.Help, phone, DateTimeOffset.UtcNow), _parts.Client);
        answered.Should().Be(AnswerOutcome.Applied, "a carer's HELP to this week's check-in must reach the coordinator");
    }

    [Fact]
    public async Task AQuestionIssuedAgainWhileItsCodeIsOpenKeepsItsCode()
    {
        var route = await _parts.AskAsync();
        var phone = MessagingParts.NewPhone();
        var expiresAt = DateTimeOffset.UtcNow.AddMinutes(10);
        var first = await _parts.Codes.IssueAsync(route, phone, expiresAt, ReplyPurposes.HcaOffer, "case-x/offer-1");
        (await _parts.Codes.IssueAsync(route, phone, expiresAt, ReplyPurposes.HcaOffer, "case-x/offer-1")).Should().Be(first, "an activity run again asks the same question");
    }
}
