using System.Globalization;
using System.Text.Json;
using Workflows.Validation;

namespace Workflows.Http;

/// <summary>
/// Reads fields from a JSON object and collects every problem per field path ("patient.nhsNumber"),
/// so one answer tells the caller everything to fix. Errors are shared with nested readers.
/// </summary>
public sealed class FieldReader
{
    private readonly JsonElement _obj;
    private readonly string _prefix;
    private readonly Dictionary<string, List<string>> _errors;

    public FieldReader(JsonElement obj) : this(obj, "", new()) { }

    private FieldReader(JsonElement obj, string prefix, Dictionary<string, List<string>> errors)
    {
        _obj = obj;
        _prefix = prefix;
        _errors = errors;
    }

    public bool IsValid => _errors.Count == 0;

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void Fail(string name, string message)
    {
        var path = Path(name);
        if (!_errors.TryGetValue(path, out var list)) _errors[path] = list = [];
        list.Add(message);
    }

    private string Path(string name) => _prefix.Length == 0 ? name : name.Length == 0 ? _prefix : $"{_prefix}.{name}";

    private JsonElement? Get(string name, bool required)
    {
        if (_obj.ValueKind == JsonValueKind.Object && _obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null)
            return v;
        if (required) Fail(name, "This field is required.");
        return null;
    }

    public bool Has(string name) => Get(name, false) is not null;

    /// <summary>
    /// Text a person wrote (a name, an address, a note): invisible format characters are removed and direction
    /// overrides refused (<see cref="VisibleText"/>); empty once trimmed is missing.
    /// </summary>
    public string? String(string name, bool required = true, int maxLength = 200, bool multiline = false) =>
        Text(name, required, maxLength, multiline, visible: true);

    /// <summary>
    /// The string as sent, for values with an alphabet of their own (identifiers, phones, dates, codes): the checks
    /// after this refuse an invisible character rather than remove it, so two different ids never become one.
    /// </summary>
    private string? Text(string name, bool required, int maxLength, bool multiline = false, bool visible = false)
    {
        if (Get(name, required) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.String) { Fail(name, "Must be a string."); return null; }
        var s = v.GetString()!;
        if (visible)
        {
            if (VisibleText.HasDirectionControl(s)) { Fail(name, VisibleText.DirectionControlProblem); return null; }
            s = VisibleText.WithoutInvisible(s);
        }
        s = s.Trim();
        if (s.Length == 0) { if (required) Fail(name, "Must not be empty."); return null; }
        if (s.Length > maxLength) { Fail(name, $"Must be at most {maxLength} characters."); return null; }
        if (s.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')))
        { Fail(name, "Must not contain control characters."); return null; }
        return s;
    }

    /// <summary>An identifier safe to use as a table key or instance id: letters, digits, '-', '_', '.'.</summary>
    public string? Identifier(string name, bool required = true, int maxLength = 64)
    {
        var s = Text(name, required, maxLength);
        if (s is null) return null;
        if (!s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        { Fail(name, "Use only letters, digits, '-', '_' and '.'."); return null; }
        return s;
    }

    public bool? Bool(string name, bool required = true)
    {
        if (Get(name, required) is not { } v) return null;
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
        Fail(name, "Must be true or false.");
        return null;
    }

    public long? Integer(string name, bool required = true, long min = long.MinValue, long max = long.MaxValue)
    {
        if (Get(name, required) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n)) { Fail(name, "Must be a whole number."); return null; }
        if (n < min || n > max) { Fail(name, $"Must be between {min} and {max}."); return null; }
        return n;
    }

    /// <summary>An ISO 8601 instant with an explicit offset, within [earliest, latest].</summary>
    public DateTimeOffset? Timestamp(string name, bool required = true, DateTimeOffset? earliest = null, DateTimeOffset? latest = null)
    {
        var s = Text(name, required, 40);
        if (s is null) return null;
        if (!HasOffset(s) || !DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        { Fail(name, "Must be an ISO 8601 date and time with an offset, e.g. 2026-11-24T21:14:00+00:00."); return null; }
        if (earliest is { } e && t < e) { Fail(name, $"Must not be before {e:yyyy-MM-dd}."); return null; }
        if (latest is { } l && t > l) { Fail(name, "Must not be in the future."); return null; }
        return t;
    }

    private static bool HasOffset(string s) =>
        s.EndsWith('Z') || s.EndsWith('z') || (s.Length > 6 && (s[^6] == '+' || s[^6] == '-') && s[^3] == ':');

    public DateOnly? Date(string name, bool required = true, DateOnly? earliest = null, DateOnly? latest = null)
    {
        var s = Text(name, required, 10);
        if (s is null) return null;
        if (!DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        { Fail(name, "Must be a date as yyyy-MM-dd."); return null; }
        if (earliest is { } e && d < e) { Fail(name, $"Must not be before {e:yyyy-MM-dd}."); return null; }
        if (latest is { } l && d > l) { Fail(name, "Must not be in the future."); return null; }
        return d;
    }

    /// <summary>A phone number in E.164. With <paramref name="ukMobile"/> it must be a UK mobile (a person we may text).</summary>
    public string? Phone(string name, bool required = true, bool ukMobile = false)
    {
        var s = Text(name, required, 20);
        if (s is null) return null;
        if (!Phones.IsE164(s)) { Fail(name, "Must be a phone number in E.164 form, e.g. +447700900123."); return null; }
        if (ukMobile && !Phones.IsUkMobile(s)) { Fail(name, "Must be a UK mobile number, e.g. +447700900123."); return null; }
        return s;
    }

    public string? OneOf(string name, IReadOnlyCollection<string> allowed, bool required = true)
    {
        var s = Text(name, required, 40);
        if (s is null) return null;
        var match = allowed.FirstOrDefault(a => string.Equals(a, s, StringComparison.OrdinalIgnoreCase));
        if (match is null) Fail(name, $"Must be one of: {string.Join(", ", allowed)}.");
        return match;
    }

    public FieldReader? Object(string name, bool required = true)
    {
        if (Get(name, required) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Object) { Fail(name, "Must be an object."); return null; }
        return new FieldReader(v, Path(name), _errors);
    }

    public IReadOnlyList<FieldReader> Objects(string name, bool required = false, int maxItems = 20)
    {
        if (Get(name, required) is not { } v) return [];
        if (v.ValueKind != JsonValueKind.Array) { Fail(name, "Must be an array."); return []; }
        if (v.GetArrayLength() > maxItems) { Fail(name, $"Must have at most {maxItems} items."); return []; }
        var items = new List<FieldReader>();
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) Fail($"{name}[{i}]", "Must be an object.");
            else items.Add(new FieldReader(item, Path($"{name}[{i}]"), _errors));
            i++;
        }
        return items;
    }

    public IReadOnlyList<string> Strings(string name, bool required = false, int maxItems = 20, int maxLength = 60,
        IReadOnlyCollection<string>? allowed = null)
    {
        if (Get(name, required) is not { } v) return [];
        if (v.ValueKind != JsonValueKind.Array) { Fail(name, "Must be an array of strings."); return []; }
        if (v.GetArrayLength() > maxItems) { Fail(name, $"Must have at most {maxItems} items."); return []; }
        var list = new List<string>();
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            var path = $"{name}[{i++}]";
            if (item.ValueKind != JsonValueKind.String) { Fail(path, "Must be a string."); continue; }
            var s = item.GetString()!.Trim();
            if (s.Length == 0 || s.Length > maxLength || s.Any(char.IsControl)) { Fail(path, $"Must be 1 to {maxLength} printable characters."); continue; }
            if (allowed is not null)
            {
                var match = allowed.FirstOrDefault(a => string.Equals(a, s, StringComparison.OrdinalIgnoreCase));
                if (match is null) { Fail(path, $"Must be one of: {string.Join(", ", allowed)}."); continue; }
                s = match;
            }
            list.Add(s);
        }
        if (required && list.Count == 0 && IsValid) Fail(name, "Must have at least one item.");
        return list;
    }
}
