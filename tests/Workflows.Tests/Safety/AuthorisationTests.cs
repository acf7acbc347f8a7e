using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workflows.Http;
using Workflows.Tests.Contract;

namespace Workflows.Tests.Safety;

/// <summary>
/// Who may call what, for every route of the HTTP contract (docs/openapi.yaml: its security and x-roles; ContractTests
/// holds it to the routes both hosts serve, so a new route cannot escape): no key, a wrong key, no principal, and each
/// role. Only the roles the contract names pass.
/// </summary>
public sealed partial class AuthorisationTests : IAsyncLifetime
{
    private enum Access { Anonymous, Key, Signed, Staff }

    private sealed record Rule(Access Access, IReadOnlyList<string> Roles);

    /// <summary>Who may call each route, as the contract says (security and x-roles), keyed by "method /api/route".</summary>
    private static readonly Dictionary<string, Rule> Expected = ApiContract.Current.Operations
        .Where(o => o.Definition["x-local-host-only"]?.GetValue<bool>() != true)
        .ToDictionary(o => o.Key, o =>
        {
            var security = ContractTests.Security(o);
            var roles = o.Definition["x-roles"]?.AsArray().Select(r => r!.GetValue<string>()).ToList() ?? [];
            return new Rule(security.Count == 0 ? Access.Anonymous
                : security.Contains("staffPrincipal") ? Access.Staff
                : security.Contains("webhookSignature") ? Access.Signed : Access.Key, roles);
        });

    private TestHost _host = null!;
    private HttpClient _bare = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync();
        _bare = _host.NewClient();
    }

    public async Task DisposeAsync()
    {
        _bare.Dispose();
        await _host.DisposeAsync();
    }

    /// <summary>
    /// Who calls: without the key, without a principal, as <see cref="Unlinked"/> (a sign-in carrying every role that no
    /// staff record is linked to), and as each role's test user (whose staff record holds the role).
    /// </summary>
    private static IEnumerable<string> Callers() => [NoKey, WrongKey, NoPrincipal, Unlinked, .. Roles.All];

    private const string NoKey = "no key", WrongKey = "wrong key", NoPrincipal = "no principal", Unlinked = "unlinked sign-in";

    [Fact]
    public async Task EveryRouteAdmitsOnlyItsCallers()
    {
        var wrong = new List<string>();
        foreach (var (route, rule) in Expected)
            foreach (var caller in Callers())
            {
                using var response = await _bare.SendAsync(Request(route, rule, caller));
                var status = (int)response.StatusCode;
                var expected = Outcome(rule, caller);
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

    /// <summary>
    /// Answers carry patient data: no browser, proxy or shared cache may keep one, nor guess its type. Every route of
    /// the contract, refused and admitted, and a case read in full; the static pages (no data) may be kept but revalidated.
    /// </summary>
    [Fact]
    public async Task NoAnswerMayBeCachedOrTypeSniffed()
    {
        var caseRead = await _host.AsStaffAsync(HttpMethod.Get, $"/api/cases/{await _host.OpenCaseAsync()}", Roles.Coordinator);
        caseRead.Headers.Add("x-functions-key", TestHost.FunctionsKey);
        var requests = Expected
            .SelectMany(e => new[] { NoKey, Admitted(e.Value) }.Distinct().Select(caller => ($"{e.Key} as {caller}", Request(e.Key, e.Value, caller))))
            .Append(("a case read in full", caseRead));
        var wrong = new List<string>();
        foreach (var (what, request) in requests)
        {
            using var response = await _bare.SendAsync(request);
            var page = what.StartsWith("get /api/pages/", StringComparison.Ordinal) && response.IsSuccessStatusCode;
            var cache = response.Headers.CacheControl?.ToString();
            var sniff = response.Headers.TryGetValues("X-Content-Type-Options", out var v) ? string.Join(",", v) : null;
            if (cache != (page ? "no-cache" : "no-store") || sniff != "nosniff")
                wrong.Add($"{what}: {(int)response.StatusCode}, Cache-Control {cache ?? "none"}, X-Content-Type-Options {sniff ?? "none"}");
        }

        string.Join("\n", wrong).Should().BeEmpty();
    }

    /// <summary>A caller the route lets in: anyone for an anonymous route, the key alone for a machine route, a staff role it names.</summary>
    private static string Admitted(Rule rule) => rule.Access switch
    {
        Access.Staff => rule.Roles[0],
        Access.Anonymous => NoKey,
        _ => NoPrincipal,
    };

    private enum Verdict { Unauthenticated, Forbidden, Admitted }

    private static Verdict Outcome(Rule rule, string caller)
    {
        if (rule.Access == Access.Anonymous) return Verdict.Admitted;
        if (caller is NoKey or WrongKey) return Verdict.Unauthenticated;
        if (rule.Access != Access.Staff) return Verdict.Admitted;
        if (caller == NoPrincipal) return Verdict.Unauthenticated;
        if (caller == Unlinked) return Verdict.Forbidden;
        return rule.Roles.Contains(caller) ? Verdict.Admitted : Verdict.Forbidden;
    }

    [GeneratedRegex(@"\{\*?(\w+)\}")]
    private static partial Regex RouteParameter();

    /// <summary>
    /// A request that passes everything but the check under test: an unknown id, an empty JSON object (refused by
    /// validation after authorisation, so nothing is stored), and a valid signature on signed routes.
    /// </summary>
    private static HttpRequestMessage Request(string route, Rule rule, string caller)
    {
        var (method, template) = (route[..route.IndexOf(' ')], route[(route.IndexOf(' ') + 1)..]);
        var path = RouteParameter().Replace(template, m => m.Groups[1].Value switch
        {
            "caseId" => "case-00000000000000000000",
            "date" => "2030-01-01",
            "kind" => "day",
            "path" => "index.html",
            "staffId" => "unknown-staff",
            var name => $"unknown-{name}",
        });
        var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path);
        if (caller != NoKey) request.Headers.Add("x-functions-key", caller == WrongKey ? "not-the-key" : TestHost.FunctionsKey);
        if (caller == Unlinked)
            request.Headers.Add(StaffPrincipal.Header, StaffPrincipal.Encode($"nobody-{Guid.NewGuid():N}", "Not linked", Roles.All));
        else if (caller is not (NoKey or WrongKey or NoPrincipal))
            request.Headers.Add(StaffPrincipal.Header, TestHost.Principal(caller));
        if (method is "post" or "put")
        {
            var raw = Encoding.UTF8.GetBytes("{}");
            request.Content = new ByteArrayContent(raw);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(template.StartsWith("/api/intake/bars", StringComparison.Ordinal) ? "application/fhir+json" : "application/json");
            if (rule.Access == Access.Signed)
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
