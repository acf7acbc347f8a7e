using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Microsoft.OpenApi.YamlReader;
using Workflows.Tests.Hosting;

namespace Workflows.Tests.Contract;

/// <summary>
/// docs/openapi.yaml is the HTTP contract: a valid OpenAPI 3.1 document, naming exactly the routes both hosts serve,
/// whose examples fit its own schemas, served by both hosts. Every answer a test receives is checked against it as
/// well (<see cref="ContractCheck"/>).
/// </summary>
public sealed class ContractTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static ApiContract Contract => ApiContract.Current;

    [Fact]
    public async Task TheContractIsAValidOpenApi31Document()
    {
        var settings = new OpenApiReaderSettings();
        settings.AddYamlReader();
        await using var file = File.OpenRead(ApiContract.File);

        var (document, diagnostic) = await OpenApiDocument.LoadAsync(file, "yaml", settings);

        diagnostic!.SpecificationVersion.Should().Be(OpenApiSpecVersion.OpenApi3_1);
        diagnostic.Errors.Select(e => e.ToString()).Should().BeEmpty();
        document!.Validate(ValidationRuleSet.GetDefaultRuleSet())!.Select(e => e.ToString()).Should().BeEmpty();
        Contract.Operations.Select(o => o.Definition["operationId"]?.GetValue<string>()).Should().OnlyHaveUniqueItems().And.NotContainNulls();
    }

    /// <summary>Each operation as the Functions app declares it: its function name, method and route under /api.</summary>
    private static IEnumerable<string> FromContract() =>
        Contract.Operations.Where(o => o.Definition["x-local-host-only"]?.GetValue<bool>() != true)
            .Select(o => $"{(o.Definition["x-function"] ?? o.Definition["operationId"])!.GetValue<string>()} {o.Method.ToLowerInvariant()} {o.Path}");

    private static IEnumerable<string> FromFunctionsApp() =>
        FunctionsMetadataTests.Functions()
            .SelectMany(f => f["bindings"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "httpTrigger")
                .SelectMany(b => b!["methods"]!.AsArray().Select(m =>
                    $"{f["name"]!.GetValue<string>()} {m!.GetValue<string>().ToLowerInvariant()} /api/{b["route"]!.GetValue<string>().Replace("{*path}", "{path}")}")));

    [Fact]
    public void TheContractNamesEveryRouteOfTheFunctionsAppAndNoOther() =>
        FromContract().Should().BeEquivalentTo(FromFunctionsApp(), "the contract's operationId (or x-function) is the Functions function name");

    [Fact]
    public void TheContractNamesEveryRouteOfTheLocalHostAndNoOther()
    {
        var served = _host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
                .Select(m => $"{m.ToLowerInvariant()} {("/" + e.RoutePattern.RawText!.TrimStart('/')).Replace("{*path}", "{path}")}"));

        served.Should().BeEquivalentTo(Contract.Operations.Select(o => o.Key));
    }

    [Fact]
    public void EveryStaffOperationNamesItsRolesAndEveryOtherNone()
    {
        foreach (var o in Contract.Operations)
        {
            var staff = Security(o).Contains("staffPrincipal");
            var roles = o.Definition["x-roles"]?.AsArray().Select(r => r!.GetValue<string>()).ToList();
            if (staff) roles.Should().NotBeNullOrEmpty($"{o.Key} is a staff route").And.BeSubsetOf(Workflows.Http.Roles.All);
            else roles.Should().BeNull($"{o.Key} is not a staff route");
        }
    }

    /// <summary>The security schemes an operation needs (the document's default when it names none).</summary>
    public static IReadOnlyList<string> Security(ApiContract.Operation o) =>
        (o.Definition["security"] ?? Contract.Document["security"])!.AsArray()
            .SelectMany(requirement => requirement!.AsObject().Select(s => s.Key)).ToList();

    [Fact]
    public void EveryExampleFitsItsSchema()
    {
        var checkedCount = 0;
        var wrong = new List<string>();
        foreach (var (where, media) in MediaTypes(Contract.Document))
        {
            if (media["schema"] is not { } schema || media["example"] is not { } example) continue;
            var result = Contract.Schema(where, schema).Evaluate(example, new Json.Schema.EvaluationOptions { RequireFormatValidation = true, OutputFormat = Json.Schema.OutputFormat.List });
            checkedCount++;
            if (!result.IsValid)
                wrong.Add($"{where}: {string.Join("; ", result.Details.Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")))}");
        }
        checkedCount.Should().BeGreaterThan(3);
        wrong.Should().BeEmpty();
    }

    /// <summary>Every media type object in the document (request bodies and responses), with where it is.</summary>
    private static IEnumerable<(string Where, JsonObject Media)> MediaTypes(JsonNode node, string where = "#")
    {
        if (node is JsonObject o)
        {
            if (o["content"] is JsonObject content)
                foreach (var (type, media) in content)
                    if (media is JsonObject m) yield return ($"{where}/content/{type}", m);
            foreach (var (key, child) in o)
                if (child is not null && key != "content")
                    foreach (var found in MediaTypes(child, $"{where}/{key}")) yield return found;
        }
    }

    [Fact]
    public async Task TheLocalHostServesTheContractWithoutAKey()
    {
        using var anonymous = _host.NewClient();

        using var response = await anonymous.GetAsync("/api/openapi.yaml");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/yaml");
        (await response.Content.ReadAsStringAsync()).Should().Be(await File.ReadAllTextAsync(ApiContract.File));
    }

    [Fact]
    public void AnAnswerTheContractLacksIsCaught()
    {
        var caseRoute = new Uri("http://host/api/cases/case-00000000000000000000");

        Contract.Check("GET", caseRoute, 418, "application/problem+json", "{}").Should().Contain("418");
        Contract.Check("GET", new Uri("http://host/api/no-such-route"), 200, "application/json", "{}").Should().Contain("no operation");
        Contract.Check("GET", new Uri("http://host/api/triage/queue"), 200, "application/json",
            """{"at":"2026-11-24T21:14:00+00:00","responseTargetMinutes":15,"cases":[],"surprise":1}""").Should().Contain("surprise");
        Contract.Check("GET", new Uri("http://host/api/triage/queue"), 200, "application/json",
            """{"at":"2026-11-24T21:14:00+00:00","responseTargetMinutes":15,"cases":[]}""").Should().BeNull();
    }
}
