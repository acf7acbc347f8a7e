namespace Workflows.LocalHost;

/// <summary>What a newcomer sees once the local host is up: where things are and a call to paste.</summary>
public static class Banner
{
    public static void Print(LocalHostApp app)
    {
        var url = app.BaseAddress.ToString().TrimEnd('/');
        var config = app.Services.GetRequiredService<IConfiguration>();
        var key = app.Services.GetRequiredService<LocalHostSettings>().FunctionsKey;
        var secret = config["Intake:Secret"];
        var anp = Workflows.Http.StaffPrincipal.Encode("anp-1", "Alex ANP", "anp");
        Console.WriteLine($"""

            Crisis care and District Direct workflows: local host on {url}
              health          {url}/health
              triage queue    curl -s {url}/api/triage/queue -H 'x-functions-key: {key}' -H 'X-MS-CLIENT-PRINCIPAL: {anp}'
              SMS outbox      curl -s {url}/api/dev/sms/outbox -H 'x-functions-key: {key}'

            A signed 111 call (a new callId and receivedAt each time you paste it):
              body=$(sed -E -e "s/\"callId\": *\"[^\"]+\"/\"callId\": \"111-$(date +%s)\"/" -e "s/\"receivedAt\": *\"[^\"]+\"/\"receivedAt\": \"$(date -u +%Y-%m-%dT%H:%M:%S+00:00)\"/" seeds/calls/breathless-syringe-driver.json); ts=$(date +%s); sig=$(printf '%s.%s' "$ts" "$body" | openssl dgst -sha256 -hmac '{secret}' | sed 's/^.* //'); curl -s -X POST {url}/api/intake/111 -H 'content-type: application/json' -H 'x-functions-key: {key}' -H "X-Signature-Timestamp: $ts" -H "X-Signature: sha256=$sig" --data-binary "$body"; echo

            Triage it as an ANP (replace CASE):
              curl -s -X POST {url}/api/cases/CASE/triage -H 'content-type: application/json' -H 'x-functions-key: {key}' -H 'X-MS-CLIENT-PRINCIPAL: {anp}' -d '{"{"}"outcome":"advice","notes":"Syringe driver reset talked through with daughter"{"}"}'

            Ctrl+C stops the host.
            """);
    }
}
