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
                CaseReference(applied.CaseId),
                .. referral.ServiceRequestIdentifiers.Select(i => new Identifier(i.System, i.Value) { Use = Identifier.IdentifierUse.Secondary }),
            ],
            Subject = new ResourceReference { Identifier = new Identifier(BarsCodes.NhsNumber, applied.NhsNumber) },
        };
        return Message(Guid.NewGuid().ToString(), now, header, (serviceRequestUrl, serviceRequest));
    }

    /// <summary>
    /// The asynchronous response: a servicerequest-response whose focus is the SPOC's Encounter with the patient, its
    /// status saying how far the case has gone (triaged; finished, or cancelled), answering the referral message. Built
    /// from the case as it stands; <paramref name="uuid"/> gives each part's id, the same on every try.
    /// </summary>
    public static Bundle StatusUpdate(BarsSenderRecord sender, CaseRecord c, string kind, Func<string, string> uuid, DateTimeOffset at)
    {
        var closed = kind == BarsResponses.Closed;
        var cancelled = closed && c.CloseReason == "cancelled";
        var (encounterUrl, serviceRequestUrl) = ("urn:uuid:" + uuid("encounter"), "urn:uuid:" + uuid("servicerequest"));
        var header = new MessageHeader
        {
            Id = uuid("header"),
            Event = new Coding(BarsCodes.MessageEvents, BarsCodes.ServiceRequestResponse),
            Reason = new CodeableConcept(BarsCodes.MessageReasons, BarsCodes.New),
            Definition = BarsCodes.ResponseDefinition,
            Destination = [new MessageHeader.MessageDestinationComponent { Endpoint = sender.SourceEndpoint }],
            Source = new MessageHeader.MessageSourceComponent { Name = ReceiverName, Endpoint = sender.ReceiverEndpoint },
            Focus = [new ResourceReference(encounterUrl)],
            Response = sender.RequestMessageId is { } requestId
                ? new MessageHeader.ResponseComponent { Identifier = requestId, Code = MessageHeader.ResponseType.Ok }
                : null,
        };
        var patient = new ResourceReference { Identifier = new Identifier(BarsCodes.NhsNumber, c.NhsNumber) };
        var encounter = new Encounter
        {
            Status = closed ? cancelled ? Encounter.EncounterStatus.Cancelled : Encounter.EncounterStatus.Finished : Encounter.EncounterStatus.Triaged,
            // Home health: the SPOC's care reaches the patient at home.
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "HH", "home health"),
            Type = [new CodeableConcept { Text = closed ? $"SPOC case closed: {c.CloseReason}" : $"SPOC triage: {c.TriageOutcome}" }],
            Subject = patient,
            BasedOn = [new ResourceReference(serviceRequestUrl)],
            Period = new Period { StartElement = new FhirDateTime(c.ReceivedAt), EndElement = closed && c.ClosedAt is { } end ? new FhirDateTime(end) : null },
            ServiceProvider = new ResourceReference { Display = ReceiverName },
        };
        var serviceRequest = new ServiceRequest
        {
            Id = c.CaseId,
            Status = cancelled ? RequestStatus.Revoked : closed ? RequestStatus.Completed : RequestStatus.Active,
            Intent = RequestIntent.Plan,
            Category = [new CodeableConcept(BarsCodes.Snomed, "103735009", "Palliative care")],
            AuthoredOnElement = new FhirDateTime(sender.AuthoredOn),
            Identifier =
            [
                CaseReference(c.CaseId),
                .. sender.SenderIdentifiers.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(i => i.Split('|', 2))
                    .Select(i => new Identifier(i[0].Length == 0 ? null : i[0], i[1]) { Use = Identifier.IdentifierUse.Secondary }),
            ],
            Subject = patient,
        };
        return Message(uuid("bundle"), at, header, (encounterUrl, encounter), (serviceRequestUrl, serviceRequest));
    }

    /// <summary>A message Bundle: its MessageHeader first, then the resources it carries, each under its fullUrl.</summary>
    private static Bundle Message(string id, DateTimeOffset at, MessageHeader header, params (string FullUrl, Resource Resource)[] resources) => new()
    {
        Id = id,
        Meta = new Meta { LastUpdated = at },
        Type = Bundle.BundleType.Message,
        Timestamp = at,
        Entry =
        [
            new Bundle.EntryComponent { FullUrl = "urn:uuid:" + header.Id, Resource = header },
            .. resources.Select(r => new Bundle.EntryComponent { FullUrl = r.FullUrl, Resource = r.Resource }),
        ],
    };

    private static Identifier CaseReference(string caseId) =>
        new(BarsCodes.CaseReference, CaseActivities.ShortId(caseId)) { Use = Identifier.IdentifierUse.Official, Type = new CodeableConcept { Text = "SPOC case reference" } };
}
