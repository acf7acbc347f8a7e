using System.Net;
using System.Text.Json.Nodes;
using Workflows.Http;
using Workflows.ReferenceData;
using Workflows.Tests.Safety;

namespace Workflows.Tests.ReferenceData;

/// <summary>
/// A new deployment gets its reference data from a one-off import of files in the seeds' shapes, made by its first admin
/// (hazard H44): a file with any bad record imports nothing; a good set adds what is absent, audited; importing again
/// adds nothing and never undoes what an admin changed or removed. Its own Azurite and no sample data, as a new
/// deployment has.
/// </summary>
public sealed class ReferenceDataImportTests : IAsyncLifetime
{
    private readonly string _admin = Guid.NewGuid().ToString();
    private readonly string _noSeeds = Directory.CreateTempSubdirectory("no-seeds").FullName;
    private Azurite _azurite = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _azurite = await Azurite.StartAsync();
        _host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["LocalHost:SeedsPath"] = _noSeeds,
            ["Staff:FirstAdminObjectId"] = _admin,
        }, _azurite, createTestUsers: false);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _azurite.DisposeAsync();
        Directory.Delete(_noSeeds, recursive: true);
    }

    private string Admin => TestHost.EntraPrincipal(_admin, "Jo Lead", Roles.Admin);

    /// <summary>The repository's seed files, as an admin's browser sends them: each under its file name.</summary>
    private static JsonObject SeedFiles()
    {
        var files = new JsonObject();
        foreach (var name in ReferenceDataImport.Files)
            files[name] = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "seeds", name)));
        return files;
    }

    private async Task<JsonNode> ImportAsync(JsonObject files, HttpStatusCode expected)
    {
        var r = await _host.SendAsAsync(HttpMethod.Post, "/api/admin/import", Admin, files);
        var text = await r.Content.ReadAsStringAsync();
        r.StatusCode.Should().Be(expected, text);
        return JsonNode.Parse(text)!;
    }

    private static int Count(JsonNode result, string part, string kind) => result[part]![kind]?.GetValue<int>() ?? 0;

    [Fact]
    public async Task TheFilesAreImportedOnceAndNothingAnAdminChangedOrRemovedIsUndone()
    {
        var first = await ImportAsync(SeedFiles(), HttpStatusCode.OK);

        Count(first, "added", "staff").Should().Be(JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "seeds", "staff.json")))!.AsArray().Count);
        Count(first, "added", "services").Should().Be(14);
        Count(first, "added", "hospitals").Should().Be(2);
        Count(first, "added", "housingAuthorities").Should().Be(9);
        Count(first, "added", "pool").Should().Be(9);
        Count(first, "added", "rotaPattern").Should().Be(1);
        Count(first, "added", "bankHolidays").Should().BeGreaterThan(10);
        Count(first, "added", "fundYears").Should().Be(1);
        first["kept"]!.AsObject().Should().BeEmpty();
        var trail = (await _host.SendAsAsync(HttpMethod.Get, "/api/admin/audit?entity=care-service:district-nursing", Admin)).Content;
        JsonNode.Parse(await trail.ReadAsStringAsync())!["changes"]![0]!["by"]!["id"]!.GetValue<string>().Should().Be(Workflows.Staff.FirstAdmin.StaffId);

        // An admin changes one service, removes another and takes an HCA out of the pool; the files are imported again.
        (await _host.SendAsAsync(HttpMethod.Put, "/api/admin/services/district-nursing", Admin, new
        {
            name = "District Nursing (renamed)", needs = new[] { "nursing" }, alwaysOpen = true, openOnBankHolidays = true,
            referral = new { method = "phone", contact = "+441164960104" },
        })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _host.SendAsAsync(HttpMethod.Delete, "/api/admin/services/night-sitting", Admin)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await _host.SendAsAsync(HttpMethod.Delete, "/api/admin/ecss/pool/hca-02", Admin)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        // ...and takes the hca role from another HCA in the pool: the files still list them as an HCA, which must not stop the import.
        var hca = JsonNode.Parse(await (await _host.SendAsAsync(HttpMethod.Get, "/api/admin/staff/hca-03", Admin)).Content.ReadAsStringAsync())!.AsObject();
        hca["roles"] = new JsonArray();
        (await _host.SendAsAsync(HttpMethod.Put, "/api/admin/staff/hca-03", Admin, hca)).StatusCode.Should().Be(HttpStatusCode.OK);

        // The admin's copy of the files no longer lists hca-02 in the pool, yet the kept pattern and shifts still name them.
        var files = SeedFiles();
        var hcas = files["roster.json"]!["hcas"]!.AsArray();
        hcas.Remove(hcas.First(h => h!["staffId"]!.GetValue<string>() == "hca-02"));

        var again = await ImportAsync(files, HttpStatusCode.OK);

        again["added"]!.AsObject().Should().BeEmpty("everything was there, or was removed by an admin");
        Count(again, "kept", "services").Should().Be(14);
        var services = JsonNode.Parse(await (await _host.SendAsAsync(HttpMethod.Get, "/api/admin/services", Admin)).Content.ReadAsStringAsync())!["services"]!.AsArray();
        services.Select(s => s!["serviceId"]!.GetValue<string>()).Should().Contain("district-nursing").And.NotContain("night-sitting");
        services.First(s => s!["serviceId"]!.GetValue<string>() == "district-nursing")!["name"]!.GetValue<string>().Should().Be("District Nursing (renamed)");
        var pool = JsonNode.Parse(await (await _host.SendAsAsync(HttpMethod.Get, "/api/admin/ecss/pool", Admin)).Content.ReadAsStringAsync())!;
        pool["hcas"]!.AsArray().Select(h => h!["staffId"]!.GetValue<string>()).Should().NotContain("hca-02");
    }

    [Fact]
    public async Task AnImportWithOneBadRecordNamesItsFileAndFieldAndStoresNothing()
    {
        var files = SeedFiles();
        files["services.json"]![3]!["hours"]![0]!["opens"] = "8am";
        files["staff.json"]!.AsArray().Add(new JsonObject
        {
            ["id"] = "dd-nowhere", ["name"] = "Pat Nowhere", ["roles"] = new JsonArray("dd-officer"), ["phone"] = "+447700900699",
            ["hospital"] = "st-elsewhere", ["identities"] = new JsonArray(),
        });
        files["roster.json"]!["hcas"]!.AsArray().Add(new JsonObject { ["staffId"] = "anp-1", ["homeDistrict"] = "DE1" });
        files["housing-authorities.json"]![1]!["postcodeDistricts"]!.AsArray().Add("DE22");
        files["fund.json"]!["funds"]![0]!["year"] = "next year";
        var before = await TableSnapshot.TakeAsync(_azurite.ConnectionString, _host.TaskHub);

        var problem = await ImportAsync(files, HttpStatusCode.BadRequest);

        var staffCount = files["staff.json"]!.AsArray().Count;
        problem["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo(
            "services.json[3].hours[0].opens", $"staff.json[{staffCount - 1}].hospital", "roster.json.hcas[9].staffId",
            "housing-authorities.json[1].postcodeDistricts[4]", "fund.json.funds[0].year");
        problem["detail"]!.GetValue<string>().Should().Contain("Nothing was imported");
        (await TableSnapshot.TakeAsync(_azurite.ConnectionString, _host.TaskHub)).Should().Equal(before);

        (await ImportAsync(new JsonObject { ["notes.json"] = new JsonArray() }, HttpStatusCode.BadRequest))["errors"]![""]!.ToString()
            .Should().Contain("staff.json");
    }
}
