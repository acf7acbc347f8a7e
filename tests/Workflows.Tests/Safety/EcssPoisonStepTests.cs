using Workflows.Ecss;
using Workflows.Tests.Ecss;
using Workflows.Tests.Messaging;
using static Workflows.Tests.Ecss.EcssHost;

namespace Workflows.Tests.Safety;

/// <summary>
/// An ECSS step that keeps failing (here: ACS answering 500 to every text, so no HCA can be offered the case) is retried
/// with backoff before the case is parked as needs-attention and the coordinator told; not parked on the first failure.
/// </summary>
public sealed class EcssPoisonStepTests
{
    private const int Attempts = 3;
    /// <summary>Each try of a step sends each text this often: the first attempt and Sms:SendRetries=1.</summary>
    private const int SendsPerTry = 2;

    [Fact]
    public async Task EcssStepThatKeepsFailingIsRetriedBeforeTheCaseIsParked()
    {
        await using var acs = await FakeAcs.StartAsync();
        acs.Then(Enumerable.Repeat(FakeAcs.Answer.ServerError, 1000).ToArray());
        await using var ecss = await EcssHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sms:ConnectionString"] = acs.ConnectionString,
            ["Sms:FromNumber"] = "+447700900000",
            ["Sms:SendRetries"] = "1",
            ["Sms:SendRetryBaseDelaySeconds"] = "0.05",
            ["CrisisCare:StepAttempts"] = Attempts.ToString(),
            ["CrisisCare:StepFirstRetrySeconds"] = "1",
        });
        var caseId = await ecss.ReferToEcssAsync();

        var parked = await ecss.WaitForCaseAsync(caseId, c => Has(c, "needs-attention"), seconds: 120);

        Status(parked).Should().Be("needs-attention");
        parked["needsAttention"]!["reason"]!.GetValue<string>().Should().Contain(EcssActivities.OfferCase);
        acs.Attempts.Count(a => a.To == Phones["hca-01"] && a.Tag == caseId)
            .Should().Be(Attempts * SendsPerTry, "the offer was tried the set number of times before the case was parked");
        acs.Attempts.Should().Contain(a => a.To == Coordinator && a.Tag == caseId && a.Message.Contains("stuck", StringComparison.Ordinal),
            "the coordinator is texted that the case is parked");
    }
}
