using System.Net;
using Workflows.Pages;

namespace Workflows.Tests.Pages;

/// <summary>The staff pages as the local host serves them: static, keyless, locked down by CSP, data only through the API.</summary>
public sealed class StaffPagesTests : IAsyncLifetime
{
    private TestHost _host = null!;
    private HttpClient _anonymous = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync();
        _anonymous = _host.NewClient(followRedirects: false);
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _host.DisposeAsync();
    }

    [Theory]
    [InlineData("/api/pages/", "text/html")]
    [InlineData("/api/pages/triage.html", "text/html")]
    [InlineData("/api/pages/app.js", "text/javascript")]
    [InlineData("/api/pages/app.css", "text/css")]
    public async Task PagesNeedNoAppKeyAndForbidInlineScript(string path, string type)
    {
        var r = await _anonymous.GetAsync(path);

        r.StatusCode.Should().Be(HttpStatusCode.OK);
        r.Content.Headers.ContentType!.MediaType.Should().Be(type);
        r.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("script-src 'self'").And.Contain("frame-ancestors 'none'");
        r.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
    }

    [Fact]
    public async Task TheApiTheyCallStillNeedsTheKey() =>
        (await _anonymous.GetAsync("/api/triage/queue")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

    [Fact]
    public async Task AnUnchangedFileIsNotSentAgain()
    {
        var first = await _anonymous.GetAsync("/api/pages/app.css");
        var again = new HttpRequestMessage(HttpMethod.Get, "/api/pages/app.css");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        (await _anonymous.SendAsync(again)).StatusCode.Should().Be(HttpStatusCode.NotModified);
    }

    [Theory]
    [InlineData("/api/pages/nope.html")]
    [InlineData("/api/pages/../../appsettings.json")]
    [InlineData("/api/pages/%2e%2e%2fWorkflows.Core.dll")]
    public async Task AnythingButAnEmbeddedPageIsNotFound(string path) =>
        (await _anonymous.GetAsync(path)).StatusCode.Should().BeOneOf(HttpStatusCode.NotFound, HttpStatusCode.Unauthorized);

    [Fact]
    public async Task ThePagesRootRedirectsToItsSlashSoRelativeLinksResolve()
    {
        var r = await _anonymous.GetAsync("/api/pages");

        r.StatusCode.Should().Be(HttpStatusCode.Redirect);
        r.Headers.Location!.ToString().Should().Be("/api/pages/");
    }

    [Fact]
    public void EveryPageItsScriptsAndStylesAreEmbedded()
    {
        var pages = _host.Services.GetRequiredService<StaffPages>();

        pages.Paths.Should().Contain(["index.html", "sign-in.html", "triage.html", "case.html", "report.html", "district-direct.html",
            "app.js", "app.css", "charts.js"]);
        foreach (var html in pages.Paths.Where(p => p.EndsWith(".html")))
        {
            var text = System.Text.Encoding.UTF8.GetString(pages.Find(html)!.Content);
            var script = System.Text.RegularExpressions.Regex.Match(text, "src=\"([^\"]+)\"").Groups[1].Value;
            pages.Find(script).Should().NotBeNull($"{html} loads {script}");
        }
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task DevSignInConfigIsALocalHostRouteOutsideTheApi(string host)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/dev/pages-config");
        request.Headers.Host = $"{host}:{_host.App.BaseAddress.Port}";

        var r = await _anonymous.SendAsync(request);

        r.StatusCode.Should().Be(HttpStatusCode.OK);
        (await r.Content.ReadAsStringAsync()).Should().Contain(TestHost.FunctionsKey);
        r.Headers.CacheControl!.NoStore.Should().BeTrue();
    }

    /// <summary>
    /// DNS rebinding: a page from another site points its own host name at 127.0.0.1 and reads this route as its own
    /// origin. The connection is from loopback, but the Host header names that site (or another port): no key for it.
    /// </summary>
    [Theory]
    [InlineData("rebind.example.com:{port}")]
    [InlineData("127.0.0.1.nip.io:{port}")]
    [InlineData("localhost.attacker.example:{port}")]
    [InlineData("127.0.0.1:1")]
    [InlineData("localhost")]
    public async Task DevSignInConfigIsRefusedToAPageNamingAnotherHost(string host)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/dev/pages-config");
        request.Headers.Host = host.Replace("{port}", _host.App.BaseAddress.Port.ToString());

        var r = await _anonymous.SendAsync(request);

        r.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await r.Content.ReadAsStringAsync()).Should().NotContain(TestHost.FunctionsKey);
    }

    /// <summary>
    /// The dev sign-in page offers, for each role, the first person in seeds/staff.json holding it (the banner prints the
    /// same people), so every page shows that person's data and one person has one name everywhere.
    /// </summary>
    [Fact]
    public void TheSignInPageOffersTheSamplePersonOfEachRole()
    {
        var script = System.Text.Encoding.UTF8.GetString(_host.Services.GetRequiredService<StaffPages>().Find("sign-in.js")!.Content);
        // The page offers a staff id per role; the name it shows after signing in is the staff record's (GET /api/staff/me).
        var defaults = System.Text.RegularExpressions.Regex.Match(script, @"const defaults = \{([^}]*)\}").Groups[1].Value;
        var offered = System.Text.RegularExpressions.Regex.Matches(defaults, @"(""?[\w-]+""?): ""([\w-]+)""")
            .ToDictionary(m => m.Groups[1].Value.Trim('"'), m => m.Groups[2].Value);
        var staff = Workflows.Staff.StaffForm.ReadSeed(File.ReadAllText(Path.Combine(RepoRoot.Path, "seeds", "staff.json")));

        offered.Keys.Should().BeEquivalentTo(Workflows.Http.Roles.All);
        foreach (var role in Workflows.Http.Roles.All)
            offered[role].Should().Be(staff.First(m => m.Holds(role)).Id, $"the {role} the sign-in page offers is the sample {role}");
    }
}
