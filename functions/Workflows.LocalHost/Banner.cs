namespace Workflows.LocalHost;

/// <summary>What a newcomer sees once the local host is up: where things are and a call to paste.</summary>
public static class Banner
{
    public static void Print(LocalHostApp app)
    {
        var url = app.BaseAddress.ToString().TrimEnd('/');
        var key = app.Services.GetRequiredService<LocalHostSettings>().FunctionsKey;
        var root = LocalSettings.FindRepoRoot() ?? LocalSettings.FindRepoRoot(AppContext.BaseDirectory) ?? ".";
        var seeds = Path.Combine(root, "seeds");
        var send = Path.Combine(seeds, "send.mjs");
        var people = SamplePeople(seeds);
        var anp = people.FirstOrDefault(p => p.Role == Workflows.Http.Roles.Anp).Principal ?? "";
        var principals = string.Join(Environment.NewLine, people.Select(p => $"  {p.Role,-12} {p.Id,-18} {p.Principal}"));
        Console.WriteLine($"""

            Crisis care and District Direct workflows: local host on {url}
              health          {url}/health
              triage queue    curl -s {url}/api/triage/queue -H 'x-functions-key: {key}' -H 'X-MS-CLIENT-PRINCIPAL: {anp}'
              SMS outbox      curl -s {url}/api/dev/sms/outbox -H 'x-functions-key: {key}'

            Send an example as its real sender would (signed, times moved to now; works from any directory):
              node {send} {seeds}/calls/breathless-syringe-driver.json --url {url}
              node {send} {seeds}/bars/new-referral.json --url {url}      (then update-callback-number.json, cancel-referral.json)

            Triage it as an ANP (replace CASE):
              curl -s -X POST {url}/api/cases/CASE/triage -H 'content-type: application/json' -H 'x-functions-key: {key}' -H 'X-MS-CLIENT-PRINCIPAL: {anp}' -d '{"{"}"outcome":"advice","notes":"Syringe driver reset talked through with daughter"{"}"}'

            Sign in as anyone in seeds/staff.json at {url}/ (the sign-in page), or send their principal with the app key
            (X-MS-CLIENT-PRINCIPAL: base64 of {"{"}"userId","userDetails","userRoles":[...]{"}"}; README "Signing in, locally"):
            {principals}

            Ctrl+C stops the host.
            """);
    }

    /// <summary>The first person holding each role in seeds/staff.json, with the principal header that signs in as them.</summary>
    private static IReadOnlyList<(string Role, string Id, string Principal)> SamplePeople(string seeds)
    {
        var file = Path.Combine(seeds, "staff.json");
        if (!File.Exists(file)) return [];
        var staff = Workflows.Staff.StaffForm.ReadSeed(File.ReadAllText(file));
        return Workflows.Http.Roles.All
            .Select(role => staff.FirstOrDefault(m => m.Holds(role)) is { } m
                ? (role, m.Id, Workflows.Http.StaffPrincipal.Encode(m.Identities.FirstOrDefault() ?? m.Id, m.Name, role))
                : default)
            .Where(p => p.role is not null)
            .ToList();
    }
}
