using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workflows.Http;
using Workflows.Tests.Hosting;

namespace Workflows.Tests.Safety;

/// <summary>
/// Who may call what, for every route the Functions app declares (read from functions.metadata, so a new route
/// cannot escape): no key, a wrong key, no principal, and each role. Only the roles of the HTTP contract (docs/openapi.yaml) pass.
/// </summary>
public sealed partial class AuthorisationTests : IAsyncLifetime
{
    private enum Access { Anonymous, Key, Signed, Staff }

    private sealed record Rule(Access Access, params string[] Roles);

    private static readonly string[] AllRoles = [Roles.Anp, Roles.Hca, Roles.DdOfficer, Roles.DdManager, Roles.Coordinator, Roles.Reporting];

    /// <summary>
    /// The contract, keyed by "method route". Deliberate widenings of API.md: the coordinator reads the triage queue
    /// (the overdue-triage SMS sends them there).
    /// </summary>
    private static readonly Dictionary<string, Rule> Expected = new()
    {
        ["post intake/111"] = new(Access.Signed),
        ["post intake/bars/$process-message"] = new(Access.Signed),
        ["get triage/queue"] = new(Access.Staff, Roles.Anp, Roles.Coordinator),
        ["get cases/{caseId}"] = new(Access.Staff, Roles.Anp, Roles.Hca, Roles.Coordinator),
        ["post cases/{caseId}/triage"] = new(Access.Staff, Roles.Anp),
        ["post cases/{caseId}/close"] = new(Access.Staff, Roles.Anp, Roles.Coordinator),
        ["post cases/{caseId}/resume"] = new(Access.Staff, Roles.Anp, Roles.Coordinator),
        ["get cases/{caseId}/messages"] = new(Access.Staff, Roles.Anp, Roles.Coordinator),
        ["get directory/open-now"] = new(Access.Staff, AllRoles),
        ["post sms/inbound"] = new(Access.Key),
        ["options sms/inbound"] = new(Access.Key),
        ["post sms/delivery"] = new(Access.Key),
        ["options sms/delivery"] = new(Access.Key),
        ["get reports/pilot"] = new(Access.Staff, Roles.Reporting),
        // ECSS
        ["post cases/{caseId}/visits"] = new(Access.Staff, Roles.Hca),
        ["post cases/{caseId}/check-ins"] = new(Access.Staff, Roles.Hca),
        ["post cases/{caseId}/package"] = new(Access.Staff, Roles.Anp, Roles.Coordinator),
        ["get ecss/roster/{date}/{kind}"] = new(Access.Staff, Roles.Anp, Roles.Hca, Roles.Coordinator),
        ["put ecss/roster/{date}/{kind}"] = new(Access.Staff, Roles.Coordinator),
        ["get ecss/my-cases"] = new(Access.Staff, Roles.Hca),
        // District Direct
        ["post district-direct/referrals"] = new(Access.Key),
        ["get district-direct/referrals/{referralId}"] = new(Access.Staff, Roles.DdOfficer, Roles.DdManager),
        ["post district-direct/referrals/{referralId}/assessment"] = new(Access.Staff, Roles.DdOfficer),
        ["post district-direct/referrals/{referralId}/discharged"] = new(Access.Staff, Roles.DdOfficer),
        ["post district-direct/referrals/{referralId}/withdraw"] = new(Access.Staff, Roles.DdOfficer, Roles.DdManager),
        ["post district-direct/spend-requests/{spendRequestId}/decision"] = new(Access.Staff, Roles.DdOfficer, Roles.DdManager),
        ["post district-direct/spend-requests/{spendRequestId}/invoice"] = new(Access.Staff, Roles.DdOfficer, Roles.DdManager),
        ["post district-direct/spend-requests/{spendRequestId}/cancel"] = new(Access.Staff, Roles.DdOfficer, Roles.DdManager),
        ["get district-direct/referrals"] = new(Access.Staff, Roles.DdOfficer, Roles.DdManager),
        ["get district-direct/fund"] = new(Access.Staff, Roles.DdOfficer, Roles.DdManager, Roles.Reporting),
        // Staff pages: static files with no data in them; their API calls carry the key and the principal.
        ["get pages/{*path}"] = new(Access.Anonymous),
    };

    private TestHost _host = null!;
    private HttpClient _bare = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync();
        _bare = new HttpClient { BaseAddress = _host.App.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        _bare.Dispose();
        await _host.DisposeAsync();
    }

    /// <summary>Every HTTP function as "method route", from the functions.metadata the Functions SDK writes at build.</summary>
    private static IReadOnlyList<string> DeclaredRoutes() =>
        FunctionsMetadataTests.Functions()
            .SelectMany(f => f["bindings"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "httpTrigger"))
            .SelectMany(b => b!["methods"]!.AsArray().Select(m => $"{m!.GetValue<string>().ToLowerInvariant()} {b["route"]!.GetValue<string>()}"))
            .ToList();

    [Fact]
    public void EveryDeclaredRouteHasARowInTheRoleTable()
    {
        var declared = DeclaredRoutes();

        declared.Should().NotBeEmpty();
        declared.Where(r => !Expected.ContainsKey(r)).Should().BeEmpty("every route must say who may call it (add it to Expected, as API.md says)");
    }

    public enum Caller { NoKey, WrongKey, NoPrincipal, Anp, Hca, DdOfficer, DdManager, Coordinator, Reporting }

    [Fact]
    public async Task EveryRouteAdmitsOnlyItsCallers()
    {
        var wrong = new List<string>();
        foreach (var route in DeclaredRoutes().Where(Expected.ContainsKey))
            foreach (var caller in Enum.GetValues<Caller>())
            {
                using var response = await _bare.SendAsync(Request(route, caller));
                var status = (int)response.StatusCode;
                var expected = Outcome(Expected[route], caller);
                var ok = expected switch
                {
                    Verdict.Unauthenticated => status == 401,
                    Verdict.Forbidden => status == 403,
                    _ => status is not (401 or 403) && status < 500,
                };
                if (!ok) wrong.Add($"{route} as {caller}: expected {expected}, got {status} {await response.Content.ReadAsStringAsync()}");
            }

        string.Join("\n", wrong).Should().BeEmpty();
    }

    private enum Verdict { Unauthenticated, Forbidden, Admitted }

    private static Verdict Outcome(Rule rule, Caller caller)
    {
        if (rule.Access == Access.Anonymous) return Verdict.Admitted;
        if (caller is Caller.NoKey or Caller.WrongKey) return Verdict.Unauthenticated;
        if (rule.Access != Access.Staff) return Verdict.Admitted;
        if (caller == Caller.NoPrincipal) return Verdict.Unauthenticated;
        return rule.Roles.Contains(RoleOf(caller)) ? Verdict.Admitted : Verdict.Forbidden;
    }

    private static string RoleOf(Caller c) => c switch
    {
        Caller.Anp => Roles.Anp, Caller.Hca => Roles.Hca, Caller.DdOfficer => Roles.DdOfficer, Caller.DdManager => Roles.DdManager,
        Caller.Coordinator => Roles.Coordinator, Caller.Reporting => Roles.Reporting,
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    [GeneratedRegex(@"\{\*?(\w+)\}")]
    private static partial Regex RouteParameter();

    /// <summary>
    /// A request that passes everything but the check under test: an unknown id, an empty JSON object (refused by
    /// validation after authorisation, so nothing is stored), and a valid signature on signed routes.
    /// </summary>
    private static HttpRequestMessage Request(string route, Caller caller)
    {
        var (method, template) = (route[..route.IndexOf(' ')], route[(route.IndexOf(' ') + 1)..]);
        var path = "/api/" + RouteParameter().Replace(template, m => m.Groups[1].Value switch
        {
            "caseId" => "case-00000000000000000000",
            "date" => "2030-01-01",
            "kind" => "day",
            "path" => "index.html",
            var name => $"unknown-{name}",
        });
        var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path);
        if (caller != Caller.NoKey) request.Headers.Add("x-functions-key", caller == Caller.WrongKey ? "not-the-key" : TestHost.FunctionsKey);
        if (caller is not (Caller.NoKey or Caller.WrongKey or Caller.NoPrincipal))
            request.Headers.Add(StaffPrincipal.Header, TestHost.Principal(RoleOf(caller)));
        if (method is "post" or "put")
        {
            var raw = Encoding.UTF8.GetBytes("{}");
            request.Content = new ByteArrayContent(raw);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(template.StartsWith("intake/bars", StringComparison.Ordinal) ? "application/fhir+json" : "application/json");
            if (Expected.TryGetValue(route, out var rule) && rule.Access == Access.Signed)
            {
                var (ts, sig) = WebhookSignature.Sign(TestHost.IntakeSecret, raw, DateTimeOffset.UtcNow);
                request.Headers.Add(WebhookSignature.TimestampHeader, ts);
                request.Headers.Add(WebhookSignature.SignatureHeader, sig);
            }
        }
        return request;
    }

    [Fact]
    public async Task HcaReadsOnlyTheCasesAssignedToThem()
    {
        var caseId = await _host.OpenCaseAsync();
        await _host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Count > 0);

        var stranger = await _host.SendAsStaffAsync(HttpMethod.Get, $"/api/cases/{caseId}", Roles.Hca, userId: "hca-not-assigned");

        stranger.StatusCode.Should().BeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound);
        var body = await stranger.Content.ReadAsStringAsync();
        body.Should().NotContain("Margaret").And.NotContain("9990079196");
        (await _host.SendAsStaffAsync(HttpMethod.Get, $"/api/cases/{caseId}", Roles.Coordinator)).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
