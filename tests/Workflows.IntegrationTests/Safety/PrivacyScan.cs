using System.Text.Json.Nodes;

namespace Workflows.IntegrationTests.Safety;

/// <summary>What a log must never carry about the people in a payload: names (whole and each part), NHS number, phones, reason, address.</summary>
public static class PrivacyScan
{
    public static IReadOnlyList<string> Secrets(JsonObject payload)
    {
        var found = new List<string>();
        void Name(JsonNode? n)
        {
            if (n?.GetValue<string>() is not { } name) return;
            found.Add(name);
            found.AddRange(name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => p.Length >= 3));
        }
        void Text(JsonNode? n) { if (n?.GetValue<string>() is { Length: > 0 } s) found.Add(s); }
        var patient = payload["patient"];
        Name(patient?["name"]);
        if (patient?["nhsNumber"]?.GetValue<string>() is { } nhs) found.AddRange([nhs, $"{nhs[..3]} {nhs[3..6]} {nhs[6..]}"]);
        Text(patient?["phone"]);
        Text(patient?["address"]);
        Text(payload["callbackNumber"]);
        Text(payload["reason"]);
        foreach (var contact in payload["familyContacts"]?.AsArray() ?? [])
        {
            Name(contact!["name"]);
            Text(contact["phone"]);
        }
        return found.Distinct().ToList();
    }

    /// <summary>Every secret of the payloads that appears in <paramref name="log"/>, with the line it is on.</summary>
    public static IReadOnlyList<string> Find(string log, params JsonObject[] payloads)
    {
        var secrets = payloads.SelectMany(Secrets).Distinct().ToList();
        secrets.Should().NotBeEmpty("the scan must have something to look for");
        var lines = log.Split('\n');
        return secrets.SelectMany(s => lines.Where(l => l.Contains(s, StringComparison.OrdinalIgnoreCase)).Take(3).Select(l => $"'{s}' in: {l.Trim()}")).ToList();
    }
}
