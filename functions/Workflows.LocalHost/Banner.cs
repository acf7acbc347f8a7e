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
        var anp = Workflows.Http.StaffPrincipal.Encode("anp-1", "Alex ANP", "anp");
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

            Ctrl+C stops the host.
            """);
    }
}
