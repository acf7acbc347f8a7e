using System.Text.Json;

namespace Workflows.Messaging;

/// <summary>One event from ACS as Event Grid delivers it (Event Grid schema or CloudEvents 1.0).</summary>
public sealed record SmsEvent(string Id, string Type, JsonElement Data)
{
    public const string Received = "Microsoft.Communication.SMSReceived";
    public const string DeliveryReport = "Microsoft.Communication.SMSDeliveryReportReceived";
    public const string SubscriptionValidation = "Microsoft.EventGrid.SubscriptionValidationEvent";

    /// <summary>A field of the event's data, matched case-insensitively (ACS and Event Grid differ in casing).</summary>
    public string? Field(string name) => Find(Data, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    public JsonElement? Element(string name) => Find(Data, name);

    private static JsonElement? Find(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object) return null;
        foreach (var p in obj.EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind != JsonValueKind.Null)
                return p.Value;
        return null;
    }

    /// <summary>
    /// The events in a delivery: an array of Event Grid events (<c>eventType</c>), an array of CloudEvents
    /// (<c>type</c>, batch mode) or one CloudEvent (structured mode). Null when the body is neither.
    /// </summary>
    public static IReadOnlyList<SmsEvent>? ReadAll(JsonElement root)
    {
        var items = root.ValueKind switch
        {
            JsonValueKind.Array => root.EnumerateArray().ToList(),
            JsonValueKind.Object => [root],
            _ => null,
        };
        if (items is null) return null;
        var events = new List<SmsEvent>();
        foreach (var item in items)
        {
            var id = Find(item, "id") is { ValueKind: JsonValueKind.String } i ? i.GetString() : null;
            var type = (Find(item, "eventType") ?? Find(item, "type")) is { ValueKind: JsonValueKind.String } t ? t.GetString() : null;
            if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(type)) return null;
            events.Add(new SmsEvent(id, type, Find(item, "data")?.Clone() ?? default));
        }
        return events;
    }
}
