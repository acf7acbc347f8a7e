using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workflows.Http;

namespace Workflows.Tests.Safety;

/// <summary>
/// Hostile requests kept as data (corpus/hostile-requests.jsonl): every one is answered 4xx with a problem body
/// (an OperationOutcome on the BaRS route) and leaves every table the app and its task hub own exactly as it was.
/// Runs on its own Azurite so no other test's writes can hide or fake a change.
/// </summary>
public sealed partial class HostileInputTests : IAsyncLifetime
{
    private static readonly string CorpusFile = Path.Combine(RepoRoot.Path, "tests", "Workflows.Tests", "Safety", "corpus", "hostile-requests.jsonl");

    private Azurite _azurite = null!;
    private TestHost _host = null!;
    /// <summary>No default headers: each entry says which app key it sends.</summary>
    private HttpClient _bare = null!;

    public async Task InitializeAsync()
    {
        _azurite = await Azurite.StartAsync();
        _host = await TestHost.StartAsync(azurite: _azurite);
        _bare = _host.NewClient();
    }

    public async Task DisposeAsync()
    {
        _bare.Dispose();
        await _host.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    public static IReadOnlyList<JsonObject> Corpus() =>
        File.ReadLines(CorpusFile).Where(l => l.Trim().Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    [Fact]
    public void CorpusCoversEveryKindOfHostileInput()
    {
        var corpus = Corpus();

        corpus.Should().HaveCountGreaterThanOrEqualTo(500);
        corpus.Select(e => e["name"]!.GetValue<string>()).Should().OnlyHaveUniqueItems();
        corpus.Select(e => { var c = e.DeepClone().AsObject(); c.Remove("name"); return c.ToJsonString(); })
            .Should().OnlyHaveUniqueItems("each entry is a different input, not the same one named twice");
        corpus.Select(e => e["expect"]!.GetValue<int>()).Distinct().Should().Contain([400, 401, 403, 404, 413, 415, 422]);
        corpus.Should().Contain(e => e["route"]!.GetValue<string>().Contains("PartitionKey", StringComparison.Ordinal) ||
                                     e.ToJsonString().Contains("or PartitionKey ne", StringComparison.Ordinal));
        corpus.Select(e => e["sign"]?.GetValue<string>()).Should().Contain(["stale", "captured-hour-ago", "tampered"]);
        // A fixed time or date ages: only an entry about that very value (its name says it) may carry one. Birth dates
        // before 2000 are exempt: the window they are checked against (1900 to today) never passes them by.
        corpus.Where(e => FixedTime().Matches(e.ToJsonString()).Any(m => !e["name"]!.GetValue<string>().Contains(m.Value, StringComparison.Ordinal)) ||
                          FixedDate().Matches(e.ToJsonString()).Any(m => int.Parse(m.Groups[1].Value) >= 2000 &&
                                                                         !e["name"]!.GetValue<string>().Contains(m.Value, StringComparison.Ordinal)))
            .Select(e => e["name"]!.GetValue<string>()).Should().BeEmpty("times and dates are written relative to now ({{now-29m}}, {{today+1d}})");
    }

    /// <summary>
    /// Every route that writes (each POST and PUT of the HTTP contract, which names every route both hosts serve) is attacked, and refused at least once for a
    /// named field ("where"), so its entries cannot all pass for some other reason.
    /// </summary>
    [Fact]
    public void CorpusAttacksEveryRouteThatWrites()
    {
        var corpus = Corpus();
        var writes = Contract.ApiContract.Current.Operations.Where(o => o.Method is "POST" or "PUT").Select(o => o.Key);

        var thin = writes.Select(route =>
        {
            var (method, template) = (route[..route.IndexOf(' ')], route[(route.IndexOf(' ') + 1)..]);
            var pattern = new Regex("^" + RouteParameter().Replace(Regex.Escape(template), "[^/?]+") + @"(\?.*)?$");
            var entries = corpus.Where(e => string.Equals(e["method"]!.GetValue<string>(), method, StringComparison.OrdinalIgnoreCase) &&
                                            pattern.IsMatch(e["route"]!.GetValue<string>())).ToList();
            return (route, entries.Count, Pinned: entries.Count(e => e["where"] is not null && e["expect"]!.GetValue<int>() == 400));
        }).Where(r => r.Count < 20 || r.Pinned < 5).Select(r => $"{r.route}: {r.Count} entries, {r.Pinned} refused 400 at a named field");

        writes.Should().NotBeEmpty();
        thin.Should().BeEmpty("every write route gets at least 20 hostile inputs, 5 of them pinned to the field they break");
    }

    [GeneratedRegex(@"\\\{(\\\*)?\w+}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?(Z|[+-]\d\d:\d\d)")]
    private static partial Regex FixedTime();

    [GeneratedRegex(@"(\d{4})-\d\d-\d\d")]
    private static partial Regex FixedDate();

    /// <summary>Refused with a problem, or (an ACS event the app cannot use, "expect": 200) set aside unused; no table changes.</summary>
    [Fact]
    public async Task EveryHostileRequestIsRefusedWithAProblemAndChangesNoTable()
    {
        var corpus = Corpus();
        var before = await TableSnapshot.TakeAsync(_azurite.ConnectionString, _host.TaskHub);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Parallel.ForEachAsync(corpus, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (entry, _) =>
        {
            var name = entry["name"]!.GetValue<string>();
            try
            {
                using var response = await _bare.SendAsync(Build(entry));
                if (await Check(entry, response) is { } wrong) failures.Add($"{name}: {wrong}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failures.Add($"{name}: {e.GetType().Name} {e.Message}");
            }
        });

        string.Join("\n", failures.Order()).Should().BeEmpty("every hostile request is refused with a problem");
        var after = await TableSnapshot.TakeAsync(_azurite.ConnectionString, _host.TaskHub);
        after.Should().Equal(before, "no hostile request may store anything");
    }

    private static async Task<string?> Check(JsonObject entry, HttpResponseMessage response)
    {
        var expected = entry["expect"]!.GetValue<int>();
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != expected) return $"expected {expected}, got {(int)response.StatusCode}: {Short(text)}";
        if (response.Headers.CacheControl?.NoStore != true || !response.Headers.TryGetValues("X-Content-Type-Options", out var sniff) || !sniff.Contains("nosniff"))
            return $"answered without Cache-Control: no-store and X-Content-Type-Options: nosniff ({response.Headers.CacheControl})";
        var media = response.Content.Headers.ContentType?.MediaType;
        JsonNode? body;
        try { body = text.Length == 0 ? null : JsonNode.Parse(text); }
        catch (JsonException) { body = null; }
        var where = entry["where"]?.GetValue<string>();
        // An ACS event the app cannot use is set aside with a 200 (Event Grid drops or dead-letters a 400): never acted on.
        if (expected == 200)
            return body?["handled"]?.GetValue<int>() == 0 && body["unusable"]?.GetValue<int>() > 0 ? null : $"not set aside as unusable: {Short(text)}";
        if (entry["problem"]?.GetValue<string>() == "operation-outcome")
        {
            if (media != "application/fhir+json" || body?["resourceType"]?.GetValue<string>() != "OperationOutcome")
                return $"not an OperationOutcome ({media}): {Short(text)}";
            var expressions = body["issue"]?.AsArray().SelectMany(i => i?["expression"]?.AsArray() ?? []).Select(e => e!.GetValue<string>()).ToList() ?? [];
            return where is null || expressions.Contains(where) ? null : $"refused, but not at {where}: {Short(text)}";
        }
        if (media != "application/problem+json") return $"content type {media}, not application/problem+json: {Short(text)}";
        if (body?["status"]?.GetValue<int>() != expected || string.IsNullOrWhiteSpace(body["title"]?.GetValue<string>()))
            return $"not an RFC 9457 problem with title and status: {Short(text)}";
        return where is null || body["errors"]?[where] is not null ? null : $"refused, but not for {where}: {Short(text)}";
    }

    /// <summary>Writes "+" as itself: the default encoder's \u002B would hide "{{now+2h}}" from <see cref="Fill"/>.</summary>
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Short(string s) => s.Length > 300 ? s[..300] + "..." : s;

    private static HttpRequestMessage Build(JsonObject entry)
    {
        var now = DateTimeOffset.UtcNow;
        var callId = $"111-hostile-{Guid.NewGuid():N}";
        var request = new HttpRequestMessage(new HttpMethod(entry["method"]!.GetValue<string>()), Fill(entry["route"]!.GetValue<string>(), now, callId));

        byte[]? raw = null;
        if (entry["json"] is { } json) raw = Encoding.UTF8.GetBytes(Fill(json.ToJsonString(Unescaped), now, callId));
        else if (entry["body"] is { } body) raw = Encoding.UTF8.GetBytes(Fill(body.GetValue<string>(), now, callId));
        else if (entry["bodyBase64"] is { } b64) raw = Convert.FromBase64String(b64.GetValue<string>());
        if (raw is not null && entry["padTo"] is { } padTo) raw = Pad(raw, padTo.GetValue<int>());

        var key = entry["key"]?.GetValue<string>() ?? "valid";
        if (key != "none") request.Headers.Add("x-functions-key", key switch
        {
            "valid" => TestHost.FunctionsKey,
            "wrong" => "not-the-key",
            "upper" => TestHost.FunctionsKey.ToUpperInvariant(),
            _ => throw new InvalidOperationException($"Unknown key mode {key}"),
        });
        if (entry["principal"] is { } role) request.Headers.Add(StaffPrincipal.Header, TestHost.Principal(role.GetValue<string>()));
        if (entry["principalRaw"] is { } principal) request.Headers.TryAddWithoutValidation(StaffPrincipal.Header, principal.GetValue<string>());
        if (entry["barsIds"]?.GetValue<bool>() == true)
        {
            request.Headers.Add("X-Request-ID", Guid.NewGuid().ToString());
            request.Headers.Add("X-Correlation-ID", Guid.NewGuid().ToString());
        }
        foreach (var (name, value) in entry["headers"]?.AsObject() ?? [])
            request.Headers.TryAddWithoutValidation(name, Fill(value!.GetValue<string>(), now, callId));

        if (entry["sign"]?.GetValue<string>() is { } mode && raw is not null)
            raw = Sign(request, mode, raw, now);
        if (raw is not null)
        {
            request.Content = new ByteArrayContent(raw);
            var contentType = entry["contentType"]?.GetValue<string>() ?? "application/json";
            if (contentType.Length > 0) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        return request;
    }

    /// <summary>Signs as the 111 system would, or in one of the ways a forger or a replayer would; returns the body to send.</summary>
    private static byte[] Sign(HttpRequestMessage request, string mode, byte[] raw, DateTimeOffset now)
    {
        const string secret = TestHost.IntakeSecret;
        string Unix(DateTimeOffset t) => t.ToUnixTimeSeconds().ToString();
        string Hex(string s, string ts, byte[] b) => Convert.ToHexStringLower(WebhookSignature.Compute(s, ts, b));
        void Put(string? ts, string? sig)
        {
            if (ts is not null) request.Headers.Add(WebhookSignature.TimestampHeader, ts);
            if (sig is not null) request.Headers.Add(WebhookSignature.SignatureHeader, sig);
        }
        var (at, sent) = (Unix(now), raw);
        switch (mode)
        {
            case "none": break;
            case "valid": Put(at, "sha256=" + Hex(secret, at, raw)); break;
            case "stale": at = Unix(now.AddMinutes(-6)); Put(at, "sha256=" + Hex(secret, at, raw)); break;
            case "captured-hour-ago": at = Unix(now.AddHours(-1)); Put(at, "sha256=" + Hex(secret, at, raw)); break;
            case "future": at = Unix(now.AddMinutes(6)); Put(at, "sha256=" + Hex(secret, at, raw)); break;
            case "wrong-secret": Put(at, "sha256=" + Hex("not-the-secret", at, raw)); break;
            case "empty-secret": Put(at, "sha256=" + Hex("", at, raw)); break;
            case "tampered": Put(at, "sha256=" + Hex(secret, at, raw)); sent = [.. raw, (byte)' ']; break;
            case "no-timestamp": Put(null, "sha256=" + Hex(secret, at, raw)); break;
            case "no-signature": Put(at, null); break;
            case "ts-not-number": Put("yesterday", "sha256=" + Hex(secret, "yesterday", raw)); break;
            case "ts-milliseconds":
                var ms = now.ToUnixTimeMilliseconds().ToString();
                Put(ms, "sha256=" + Hex(secret, ms, raw));
                break;
            case "ts-negative": Put("-1", "sha256=" + Hex(secret, "-1", raw)); break;
            case "not-hex": Put(at, "sha256=" + new string('z', 64)); break;
            case "md5-prefix": Put(at, "md5=" + Hex(secret, at, raw)); break;
            case "short-hex": Put(at, "sha256=" + Hex(secret, at, raw)[..32]); break;
            case "ts-in-signature-only": Put(at, "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), raw))); break;
            default: throw new InvalidOperationException($"Unknown signing mode {mode}");
        }
        return sent;
    }

    [GeneratedRegex(@"\{\{(callId|uuid|now|today)([+-]\d+[mhd])?\}\}")]
    private static partial Regex Placeholder();

    /// <summary>
    /// Fresh ids and times relative to now, so "in the future" and "7 days ago" stay true whenever the test runs: a fixed
    /// date in an entry ages out of a window and gets the entry refused for the wrong reason ("where" pins the right one).
    /// </summary>
    private static string Fill(string s, DateTimeOffset now, string callId) => Placeholder().Replace(s, m =>
    {
        var offset = m.Groups[2].Success ? ParseOffset(m.Groups[2].Value) : TimeSpan.Zero;
        return m.Groups[1].Value switch
        {
            "callId" => callId,
            "uuid" => Guid.NewGuid().ToString(),
            "now" => (now + offset).ToString("yyyy-MM-ddTHH:mm:sszzz"),
            _ => (now + offset).ToString("yyyy-MM-dd"),
        };
    });

    private static TimeSpan ParseOffset(string s)
    {
        var n = int.Parse(s[..^1]);
        return s[^1] switch { 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), _ => TimeSpan.FromDays(n) };
    }

    /// <summary>Grows a JSON body to at least <paramref name="size"/> bytes with a padding field (in the first element of an array).</summary>
    private static byte[] Pad(byte[] raw, int size)
    {
        var node = JsonNode.Parse(raw)!;
        var target = node is JsonArray a ? a[0]!.AsObject() : node.AsObject();
        target["padding"] = new string('x', Math.Max(0, size - raw.Length));
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }
}
