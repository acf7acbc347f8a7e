using System.Net;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Workflows.Ecss;
using Workflows.Http;
using static Workflows.Tests.Ecss.EcssHost;

namespace Workflows.Tests.Ecss;

/// <summary>Admins keep the ECSS on-call pool and rota pattern (/api/admin/ecss/...), on the real durable engine.</summary>
public sealed class EcssPoolTests
{
    [Fact]
    public async Task HcaTakenOutOfThePoolKeepsTheirCaseUntilTheHandoverAndIsOfferedNoNewCase()
    {
        await using var ecss = await EcssHost.StartAsync();
        var first = await ecss.ReferToEcssAsync();
        await ecss.ReplyAsync("hca-01", $"YES {await ecss.OfferCodeAsync(first, "hca-01")}");
        await ecss.WaitForCaseAsync(first, c => Status(c) == "bridging");

        foreach (var hca in new[] { "hca-01", "hca-04" })
            (await ecss.Host.SendAsStaffAsync(HttpMethod.Delete, $"/api/admin/ecss/pool/{hca}", Roles.Admin)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await ecss.RecordVisitAsync(first, "hca-01", DateTimeOffset.UtcNow.AddHours(-1), ["personal-care"]))
            .StatusCode.Should().Be(HttpStatusCode.Created, "they still attend their patient");
        var second = await ecss.ReferToEcssAsync();
        await ecss.OfferCodeAsync(second, "hca-07");
        (await ecss.TextsAsync(second)).Should().NotContain(t => t.To == Phones["hca-04"] || t.To == Phones["hca-01"],
            "hca-04 is on shift and free, and nearer than hca-07, but no longer in the pool");
        AssignedHca(await ecss.WaitForCaseAsync(first, c => Has(c, "visit"))).Should().Be("hca-01");

        var handover = ecss.Services.GetRequiredService<ShiftHandover>();
        var incoming = Shift.At(DateTimeOffset.UtcNow).Next;
        (await ecss.Roster.OnShiftAsync(incoming)).HcaIds.Should().Contain("hca-01", "the roster still names them");
        (await handover.HandOverAsync(incoming, ecss.Services.GetRequiredService<DurableTaskClient>())).Should().Be(1);
        var c = await ecss.WaitForCaseAsync(first, c => Has(c, "handover"));
        c["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "handover")!["summary"]!.GetValue<string>().Should().Contain("Amira Khan");

        var trail = await ecss.Host.GetJsonAsStaffAsync($"/api/admin/audit?entity=ecss-pool:{ecss.Team}:hca-01", Roles.Admin);
        trail["changes"]!.AsArray().Select(x => x!["action"]!.GetValue<string>()).Should().Equal("added", "removed");
        trail["changes"]![1]!["before"]!["homeDistrict"]!.GetValue<string>().Should().Be("DE22");
    }

    [Fact]
    public async Task ThePoolTakesOnlyHcasAndTheRotaPatternOnlyThePool()
    {
        await using var ecss = await EcssHost.StartAsync();
        Task<HttpResponseMessage> Put(string path, object body) => ecss.Host.SendAsStaffAsync(HttpMethod.Put, path, Roles.Admin, body);

        (await Put("/api/admin/ecss/pool/anp-1", new { homeDistrict = "DE1" })).StatusCode.Should().Be(HttpStatusCode.Conflict, "an ANP's record has no hca role");
        (await Put("/api/admin/ecss/pool/nobody-at-all", new { homeDistrict = "DE1" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Put("/api/admin/ecss/pool/hca-02", new { homeDistrict = "Derby" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Put("/api/admin/ecss/pool/hca-02", new { homeDistrict = "de3" })).StatusCode.Should().Be(HttpStatusCode.OK, "moving an HCA's base");
        var pool = await ecss.Host.GetJsonAsStaffAsync("/api/admin/ecss/pool", Roles.Admin);
        pool["hcas"]!.AsArray().Single(h => h!["staffId"]!.GetValue<string>() == "hca-02")!["homeDistrict"]!.GetValue<string>().Should().Be("DE3");

        var outsider = await Put("/api/admin/ecss/rota-pattern", new { groups = new[] { new[] { "hca-01", "hca-02", "anp-1" }, new[] { "hca-04", "hca-05", "hca-01" } } });
        outsider.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonNode.Parse(await outsider.Content.ReadAsStringAsync())!["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo(["groups[0]", "groups[1]"]);
        (await Put("/api/admin/ecss/rota-pattern", new { groups = new[] { new[] { "hca-01", "hca-02" } } })).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var groups = new[] { new[] { "hca-03", "hca-06", "hca-09" }, new[] { "hca-02", "hca-05", "hca-08" } };
        (await Put("/api/admin/ecss/rota-pattern", new { groups })).StatusCode.Should().Be(HttpStatusCode.OK);
        var shift = Shift.At(DateTimeOffset.UtcNow).Next.Next.Next;
        (await ecss.Roster.OnShiftAsync(shift)).HcaIds.Should().Equal(groups[Roster.PatternGroup(shift, 2)]);
        var pattern = await ecss.Host.GetJsonAsStaffAsync("/api/admin/ecss/rota-pattern", Roles.Admin);
        pattern["groups"]!.AsArray().Should().HaveCount(2);
        var trail = await ecss.Host.GetJsonAsStaffAsync($"/api/admin/audit?entity=ecss-rota-pattern:{ecss.Team}", Roles.Admin);
        trail["changes"]!.AsArray().Last()!["after"]!["groups"]![0]![0]!.GetValue<string>().Should().Be("hca-03");
    }
}
