using System.Text.Json.Nodes;
using Workflows.Messaging;

namespace Workflows.Tests.Fixtures;

/// <summary>The Event Grid SMSReceived delivery ACS makes when a phone texts our number, as POST /api/sms/inbound takes it.</summary>
public static class SmsReceivedEvent
{
    public static string From(string phone, string text) => new JsonArray(new JsonObject
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["eventType"] = SmsEvent.Received,
        ["subject"] = "/phonenumber/447700900000",
        ["eventTime"] = DateTimeOffset.UtcNow.ToString("O"),
        ["dataVersion"] = "1.0",
        ["data"] = new JsonObject
        {
            ["MessageId"] = $"Incoming_{Guid.NewGuid():N}", ["From"] = phone, ["To"] = "+447700900000",
            ["Message"] = text, ["ReceivedTimestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        },
    }).ToJsonString();
}
