using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Workflows.Messaging;
using Workflows.Tests.Ecss;
using static Workflows.Tests.Ecss.EcssHost;

namespace Workflows.Tests.Safety;

/// <summary>
/// An HCA's YES that arrives twice (Event Grid redelivering the same event, at once; the HCA texting YES again) is one
/// acceptance; and an HCA sees a case only while it is offered to them or assigned to them.
/// </summary>
public sealed class EcssRaceTests : IAsyncLifetime
{
    private EcssHost _ecss = null!;

    public async Task InitializeAsync() => _ecss = await EcssHost.StartAsync();

    public async Task DisposeAsync() => await _ecss.DisposeAsync();

    [Fact]
    public async Task HcaYesArrivingTwiceIsOneAcceptance()
    {
        var caseId = await _ecss.ReferToEcssAsync();
        var code = await _ecss.OfferCodeAsync(caseId, "hca-01");
        var redelivered = EcssHost.InboundSms("hca-01", $"YES {code}");

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostInboundAsync(redelivered)));
        answers.Should().OnlyContain(s => s == HttpStatusCode.OK);
        await _ecss.WaitForCaseAsync(caseId, c => Status(c) == "bridging");
        await _ecss.ReplyAsync("hca-01", $"YES {code}");
        // A later event (a visit) flushes the orchestration's queue, so a stray second acceptance would have shown by then.
        (await _ecss.RecordVisitAsync(caseId, "hca-01", DateTimeOffset.UtcNow.AddMinutes(-50), ["personal-care"])).StatusCode.Should().Be(HttpStatusCode.Created);
        var c = await _ecss.WaitForCaseAsync(caseId, c => Has(c, "visit"));

        AssignedHca(c).Should().Be("hca-01");
        Count(c, "hca-accepted").Should().Be(1);
        Count(c, "hca-assigned").Should().Be(1);
        var texts = await _ecss.TextsAsync(caseId);
        texts.Where(t => t.To == Phones["hca-01"] && t.Message.Contains("the visit is yours")).Should().ContainSingle();
        texts.GroupBy(t => (t.To, t.Message)).Should().OnlyContain(g => g.Count() == 1, "nobody is texted the same thing twice");
    }

    [Fact]
    public async Task HcaSeesACaseOnlyOnceTheyAccept()
    {
        var caseId = await _ecss.ReferToEcssAsync();
        var code = await _ecss.OfferCodeAsync(caseId, "hca-01");

        var offered = await _ecss.Host.SendAsStaffAsync(HttpMethod.Get, $"/api/cases/{caseId}", "hca", userId: "hca-01");
        offered.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the offer text says the details open once they accept");
        (await offered.Content.ReadAsStringAsync()).Should().Contain("once you accept").And.NotContain("9990079196");
        (await GetAsHca(caseId, "hca-04")).Should().Be(HttpStatusCode.Forbidden);

        await _ecss.ReplyAsync("hca-01", $"YES {code}");
        await _ecss.WaitForCaseAsync(caseId, c => Status(c) == "bridging");

        (await GetAsHca(caseId, "hca-01")).Should().Be(HttpStatusCode.OK);
        (await GetAsHca(caseId, "hca-07")).Should().Be(HttpStatusCode.Forbidden);
    }

    private async Task<HttpStatusCode> GetAsHca(string caseId, string hcaId) =>
        (await _ecss.Host.SendAsStaffAsync(HttpMethod.Get, $"/api/cases/{caseId}", "hca", userId: hcaId)).StatusCode;

    private async Task<HttpStatusCode> PostInboundAsync(string body) =>
        (await _ecss.Host.Client.PostAsync("/api/sms/inbound", new StringContent(body, Encoding.UTF8, "application/json"))).StatusCode;
}
