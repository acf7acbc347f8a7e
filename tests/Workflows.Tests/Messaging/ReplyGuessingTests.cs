using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workflows.Ecss;
using Workflows.Messaging;
using Workflows.Storage;

namespace Workflows.Tests.Messaging;

/// <summary>
/// A reply code answers for a patient (an HCA sent, spend committed), and anyone with the app key, or a spoofed sender
/// id, can post replies as any phone (H31). Codes are long enough for their life and a phone that sends wrong codes
/// is ignored for a while, its coordinator told.
/// </summary>
public sealed class ReplyGuessingTests : IAsyncLifetime
{
    private MessagingParts _parts = null!;
    private readonly string _coordinator = MessagingParts.NewPhone();
    private readonly string _hca = MessagingParts.NewPhone();

    public async Task InitializeAsync()
    {
        _parts = await MessagingParts.StartAsync(new Dictionary<string, string?>
        {
            ["CrisisCare:CoordinatorPhone"] = _coordinator,
            ["Ecss:Team"] = "t" + Guid.NewGuid().ToString("N")[..12],
        });
        // A staff record with this phone, so the inbox knows the phone is staff's.
        await StaffRecords.EnsureAsync(_parts.Services.GetRequiredService<Workflows.Staff.StaffDirectory>(), $"hca-guessed-{Guid.NewGuid():N}"[..24], "hca", "Sam Guessed", _hca);
    }

    public async Task DisposeAsync() => await _parts.DisposeAsync();

    private async Task<string> IssueAsync(ReplyRoute route, TimeSpan? life = null) =>
        (await _parts.Codes.IssueAsync(route, _hca, DateTimeOffset.UtcNow + (life ?? TimeSpan.FromMinutes(10)), ReplyPurposes.HcaOffer, "test")).Code;

    private Task<InboundOutcome> ReplyAsync(string text) => _parts.Inbox.ReceiveAsync(MessagingParts.Text(_hca, text), _parts.Client);

    private async Task<IReadOnlyList<OutboxEntry>> CoordinatorTextsAsync() => await _parts.Sink.OutboxAsync(100, to: _coordinator);

    [Fact]
    public async Task APhoneThatSendsFiveWrongCodesIsIgnoredEvenWithTheRightOneAndTheCoordinatorIsToldOnce()
    {
        var logs = LogCapture.On(_parts.Services);
        var route = await _parts.AskAsync();
        var code = await IssueAsync(route);

        for (var i = 0; i < 5; i++) (await ReplyAsync($"YES {Guess(code, i)}")).Should().Be(InboundOutcome.Ignored);
        var right = await ReplyAsync($"YES {code}");
        await ReplyAsync($"YES {Guess(code, 6)}");

        right.Should().Be(InboundOutcome.Ignored);
        (await _parts.StatusOfAsync(route)).Should().Be(OrchestrationRuntimeStatus.Running, "the offer moves on when it times out");
        (await CoordinatorTextsAsync()).Select(t => t.Message).Should().Equal(SmsTemplates.CoordinatorRepliesPaused(_hca, 5, 60));
        logs.Lines.Should().Contain(l => l.Level == LogLevel.Warning && l.Message.Contains("wrong reply codes"));
        var number = _hca[4..];
        logs.Lines.Should().NotContain(l => l.Message.Contains(number));
    }

    /// <summary>At once, as a script would send them: a guess is counted before its code is looked up, so no burst gets past the limit.</summary>
    [Fact]
    public async Task FortyGuessesAtOnceAreNoMoreThanFiveGuesses()
    {
        var logs = LogCapture.On(_parts.Services);
        var route = await _parts.AskAsync();
        var code = await IssueAsync(route);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => ReplyAsync($"YES {Guess(code, i)}")));

        logs.Lines.Count(l => l.Message.Contains("unknown code")).Should().BeLessThanOrEqualTo(5);
        (await ReplyAsync($"YES {code}")).Should().Be(InboundOutcome.Ignored);
        (await CoordinatorTextsAsync()).Should().ContainSingle();
    }

    [Fact]
    public async Task RightAnswersNeverCountAgainstAPhone()
    {
        for (var i = 0; i < 7; i++)
        {
            var route = await _parts.AskAsync();
            (await ReplyAsync($"NO {await IssueAsync(route)}")).Should().Be(InboundOutcome.Applied, $"answer {i + 1}");
        }
        (await CoordinatorTextsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task AfterThePauseThePhonesRepliesCountAgain()
    {
        await using var parts = await MessagingParts.StartAsync(new Dictionary<string, string?> { ["Sms:ReplyLockoutMinutes"] = "0.02" });
        var hca = MessagingParts.NewPhone();
        var route = await parts.AskAsync();
        var code = (await parts.Codes.IssueAsync(route, hca, DateTimeOffset.UtcNow.AddMinutes(10), ReplyPurposes.HcaOffer, "test")).Code;
        for (var i = 0; i < 5; i++) await parts.Inbox.ReceiveAsync(MessagingParts.Text(hca, $"YES {Guess(code, i)}"), parts.Client);
        (await parts.Inbox.ReceiveAsync(MessagingParts.Text(hca, $"YES {code}"), parts.Client)).Should().Be(InboundOutcome.Ignored);

        await Task.Delay(TimeSpan.FromSeconds(2));

        (await parts.Inbox.ReceiveAsync(MessagingParts.Text(hca, $"YES {code}"), parts.Client)).Should().Be(InboundOutcome.Applied);
    }

    /// <summary>Codes issued before codes grew (4 characters) are still open for up to a day: they keep working.</summary>
    [Fact]
    public async Task AFourCharacterCodeIssuedBeforeStillAnswers()
    {
        var route = await _parts.AskAsync();
        char Any(string from) => from[Random.Shared.Next(from.Length)];
        var code = $"{Any("ACDEFGHJKM")}{Any("34679")}{Any("NPQRTUVWXY")}{Any("ACDEFGHJKM")}";
        await _parts.Services.GetRequiredService<TableStore>().Table(TableNames.ReplyCodes).UpsertEntityAsync(new ReplyCodeRecord
        {
            PartitionKey = code, InstanceId = route.InstanceId, EventName = route.EventName, Phone = _hca, Purpose = ReplyPurposes.HcaOffer,
            IssuedAt = DateTimeOffset.UtcNow, ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(10),
        }, TableUpdateMode.Replace);

        (await ReplyAsync($"YES {code.ToLowerInvariant()}")).Should().Be(InboundOutcome.Applied);
        (await _parts.AnswerOfAsync(route)).Answer.Should().Be(SmsAnswers.Yes);
    }

    /// <summary>
    /// The odds of guessing one code before it closes, with the attempt limit (5 wrong codes, then an hour ignored),
    /// stay under one in a million: a 10-minute HCA offer takes 5 characters (5 guesses in 6,562,500 codes), a 24-hour
    /// District Direct approval 6 (125 guesses in 180,125,000). Still read off a screen and typed: no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
    /// </summary>
    [Theory]
    [InlineData(10, 5)]
    [InlineData(24 * 60, 6)]
    public async Task ACodeIsLongEnoughForHowLongItLives(int minutes, int length)
    {
        var codes = _parts.Codes;
        codes.LengthFor(TimeSpan.FromMinutes(minutes)).Should().Be(length);
        codes.GuessOdds(TimeSpan.FromMinutes(minutes), length).Should().BeLessThan(1e-6);
        codes.GuessOdds(TimeSpan.FromMinutes(minutes), length - 1).Should().BeGreaterThan(1e-6, "the shortest code that is safe enough");

        var code = await IssueAsync(await _parts.AskAsync(), TimeSpan.FromMinutes(minutes));

        code.Should().HaveLength(length).And.MatchRegex("^[ACDEFGHJKMNPQRTUVWXY34679]+$");
    }

    /// <summary>A code like <paramref name="code"/> that is not it, and not any other open code's either (a digit is doubled).</summary>
    private static string Guess(string code, int i) => $"{code[..^1]}{"34679"[i % 5]}{"34679"[i / 5 % 5]}";
}
