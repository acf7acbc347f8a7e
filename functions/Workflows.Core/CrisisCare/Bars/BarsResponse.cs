using Hl7.Fhir.Model;

namespace Workflows.CrisisCare.Bars;

/// <summary>
/// The synchronous answer to a referral: a message Bundle whose MessageHeader.response acknowledges the request
/// (code ok) and whose ServiceRequest carries this receiver's id (the case id, to send on updates and cancellations)
/// and the case reference the SPOC reads out on the phone.
/// </summary>
public static class BarsResponse
{
    public const string ReceiverName = "SPOC palliative crisis care";

    public static Bundle For(BarsReferral referral, BarsApplied applied, string receiverEndpoint, DateTimeOffset now)
    {
        var serviceRequestUrl = "urn:uuid:" + Guid.NewGuid();
        var header = new MessageHeader
        {
            Id = Guid.NewGuid().ToString(),
            Event = new Coding(BarsCodes.MessageEvents, BarsCodes.ServiceRequestRequest),
            Reason = new CodeableConcept(BarsCodes.MessageReasons, referral.ReasonCode),
            Destination = [new MessageHeader.MessageDestinationComponent { Endpoint = referral.SourceEndpoint }],
            Source = new MessageHeader.MessageSourceComponent { Name = ReceiverName, Endpoint = receiverEndpoint },
            Focus = [new ResourceReference(serviceRequestUrl)],
            Response = referral.MessageHeaderId is { } requestHeaderId
                ? new MessageHeader.ResponseComponent { Identifier = requestHeaderId, Code = MessageHeader.ResponseType.Ok }
                : null,
        };
        var serviceRequest = new ServiceRequest
        {
            Id = applied.CaseId,
            Status = referral.Action == BarsAction.Cancel ? RequestStatus.Revoked : RequestStatus.Active,
            Intent = RequestIntent.Plan,
            Identifier =
            [
                new Identifier(BarsCodes.CaseReference, CaseActivities.ShortId(applied.CaseId))
                    { Use = Identifier.IdentifierUse.Official, Type = new CodeableConcept { Text = "SPOC case reference" } },
                .. referral.ServiceRequestIdentifiers.Select(i => new Identifier(i.System, i.Value) { Use = Identifier.IdentifierUse.Secondary }),
            ],
            Subject = new ResourceReference { Identifier = new Identifier(BarsCodes.NhsNumber, applied.NhsNumber) },
        };
        return new Bundle
        {
            Id = Guid.NewGuid().ToString(),
            Meta = new Meta { LastUpdated = now },
            Type = Bundle.BundleType.Message,
            Timestamp = now,
            Entry =
            [
                new Bundle.EntryComponent { FullUrl = "urn:uuid:" + header.Id, Resource = header },
                new Bundle.EntryComponent { FullUrl = serviceRequestUrl, Resource = serviceRequest },
            ],
        };
    }
}
