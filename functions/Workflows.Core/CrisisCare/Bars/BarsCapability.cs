using Hl7.Fhir.Model;

namespace Workflows.CrisisCare.Bars;

/// <summary>
/// What this receiver can do, as a FHIR CapabilityStatement (GET .../intake/bars/metadata): $process-message, JSON, and
/// the MessageDefinitions it takes. A sender reads it before it sends; it changes only when this code does.
/// </summary>
public static class BarsCapability
{
    /// <summary>When what this receiver takes last changed (a fact about the code, not today's date).</summary>
    private const string Changed = "2026-12-07";

    public static CapabilityStatement For(string processMessageUrl) => new()
    {
        Status = PublicationStatus.Active,
        // What a BaRS sender compares its own version with before it sends (version negotiation).
        Version = BarsCodes.Version,
        Date = Changed,
        Kind = CapabilityStatementKind.Instance,
        Software = new CapabilityStatement.SoftwareComponent { Name = BarsResponse.ReceiverName },
        Implementation = new CapabilityStatement.ImplementationComponent
        {
            Description = "SPOC palliative crisis care: NHS 111 referrals as BaRS servicerequest-request messages",
            Url = processMessageUrl,
        },
        FhirVersion = FHIRVersion.N4_0_1,
        Format = [BarsOutcome.FhirJson, BarsOutcome.FhirXml],
        Rest =
        [
            new CapabilityStatement.RestComponent
            {
                Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                Operation =
                [
                    new CapabilityStatement.OperationComponent
                    {
                        Name = "process-message", Definition = "http://hl7.org/fhir/OperationDefinition/MessageHeader-process-message",
                    },
                ],
            },
        ],
        Messaging =
        [
            new CapabilityStatement.MessagingComponent
            {
                Endpoint = [new CapabilityStatement.EndpointComponent { Protocol = new Coding("http://terminology.hl7.org/CodeSystem/message-transport", "http"), Address = processMessageUrl }],
                SupportedMessage =
                [
                    new CapabilityStatement.SupportedMessageComponent { Mode = CapabilityStatement.EventCapabilityMode.Receiver, Definition = BarsCodes.ReferralDefinition },
                    new CapabilityStatement.SupportedMessageComponent { Mode = CapabilityStatement.EventCapabilityMode.Receiver, Definition = BarsCodes.CancelledDefinition },
                    new CapabilityStatement.SupportedMessageComponent { Mode = CapabilityStatement.EventCapabilityMode.Sender, Definition = BarsCodes.ResponseDefinition },
                ],
            },
        ],
    };
}
