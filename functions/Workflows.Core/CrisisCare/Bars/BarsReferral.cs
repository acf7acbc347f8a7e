using System.Globalization;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using Microsoft.AspNetCore.Http;
using Workflows.Http;
using Workflows.Validation;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace Workflows.CrisisCare.Bars;

public enum BarsAction { New, Update, Cancel }

/// <summary>Why a message was refused: the HTTP status, the BaRS HTTP error code, and every issue found.</summary>
public sealed record BarsRejection(int Status, string ErrorCode, IReadOnlyList<BarsIssue> Issues)
{
    public static BarsRejection BadRequest(IReadOnlyList<BarsIssue> issues) => new(StatusCodes.Status400BadRequest, "REC_BAD_REQUEST", issues);
    public static BarsRejection BadRequest(IssueType code, string diagnostics, string? expression = null) =>
        BadRequest([new BarsIssue(code, diagnostics, expression)]);
    public static BarsRejection Unprocessable(IssueType code, string diagnostics, string? expression = null) =>
        new(StatusCodes.Status422UnprocessableEntity, "REC_UNPROCESSABLE_ENTITY", [new BarsIssue(code, diagnostics, expression)]);
    /// <summary>A version this receiver does not speak, asked for in Accept or named in the message (BaRS version negotiation).</summary>
    public static BarsRejection NotAcceptable(string diagnostics, string? expression = null) =>
        new(StatusCodes.Status406NotAcceptable, "REC_NOT_ACCEPTABLE", [new BarsIssue(IssueType.Processing, diagnostics, expression)]);

    /// <summary>The 406 for a media type (Accept or Content-Type) whose version parameter has another major version than this receiver's.</summary>
    public static BarsRejection? ForMediaVersion(IEnumerable<Microsoft.Net.Http.Headers.MediaTypeHeaderValue> mediaTypes, string header)
    {
        foreach (var m in mediaTypes)
            if (m.Parameters.FirstOrDefault(p => p.Name.Equals("version", StringComparison.OrdinalIgnoreCase))?.Value.Value is { } version &&
                !BarsCodes.SpeaksVersion(version.Trim('"')))
                return NotAcceptable($"{header} asks for BaRS version {version.Trim('"')}; this receiver speaks version {BarsCodes.Version} " +
                    $"(any {BarsCodes.MajorVersion}.x).", header);
        return null;
    }

    public BarsOutcome ToOutcome(string? requestId, string? correlationId) =>
        BarsOutcome.Error(Status, ErrorCode, Issues, requestId, correlationId);
}

/// <summary>Contact details an update message carries; null where the message says nothing about them.</summary>
public sealed record ReferralChanges(string? CallbackNumber, string? PatientPhone, IReadOnlyList<FamilyContact>? FamilyContacts,
    string? Address, string? Postcode, string? Reason);

/// <summary>
/// A BaRS servicerequest-request message read into what the SPOC needs: for a new referral the same
/// <see cref="CallReport"/> the JSON webhook makes, so both take one code path into a case.
/// </summary>
public sealed partial record BarsReferral(
    BarsAction Action,
    string CallId,
    string? ReceiverServiceRequestId,
    string? MessageHeaderId,
    string SourceEndpoint,
    IReadOnlyList<Identifier> ServiceRequestIdentifiers,
    CallReport? Call,
    ReferralChanges? Changes,
    string? CancellationReason)
{
    public string ReasonCode => Action == BarsAction.New ? BarsCodes.New : BarsCodes.Update;

    [System.Text.RegularExpressions.GeneratedRegex("^case-[0-9a-f]{20}$")]
    private static partial System.Text.RegularExpressions.Regex CaseIdPattern();

    private static readonly FhirJsonDeserializer Deserializer = new(new DeserializerSettings());
    private static readonly FhirXmlDeserializer XmlDeserializer = new(new DeserializerSettings());

    /// <summary>
    /// The FHIR Bundle in an XML body, or why it is not one. No DTD is read (a document type or an entity is refused,
    /// so nothing outside the body is fetched or expanded), and the document may be no larger than the body.
    /// </summary>
    public static (Bundle? Bundle, BarsRejection? Rejection) ParseXml(byte[] raw)
    {
        if (Text(raw, "UTF-8 XML").Rejection is { } unreadable) return (null, unreadable);

        var settings = new System.Xml.XmlReaderSettings
        {
            DtdProcessing = System.Xml.DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = raw.Length,
            IgnoreComments = true,
        };
        Resource? resource;
        IEnumerable<CodedException> problems;
        bool parsed;
        try
        {
            using var reader = System.Xml.XmlReader.Create(new MemoryStream(raw), settings);
            parsed = XmlDeserializer.TryDeserializeResource(reader, out resource, out problems);
        }
        catch (System.Xml.XmlException e)
        {
            return (null, BarsRejection.BadRequest(IssueType.Structure,
                $"The body is not well-formed FHIR XML (no DTD or entities): fix it near line {e.LineNumber}, position {e.LinePosition}."));
        }
        return Checked(parsed, resource, problems, "XML");
    }

    /// <summary>The FHIR Bundle in a request body, or why it is not one (malformed JSON, unknown elements, wrong types).</summary>
    public static (Bundle? Bundle, BarsRejection? Rejection) Parse(byte[] raw)
    {
        var (json, unreadable) = Text(raw, "application/fhir+json");
        if (json is null) return (null, unreadable);
        // The FHIR deserializer throws on a root that is not an object (an array, a number): refuse it here as a 400.
        if (!json.AsSpan().TrimStart().StartsWith("{"))
            return (null, BarsRejection.BadRequest(IssueType.Structure, "The body is not a FHIR resource: send the Bundle as a JSON object.", "Bundle"));

        // The deserializer fails on a lone surrogate escape ("\ud800") with an exception, not a problem: find it first.
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(raw);
            if (RequestBody.UnreadableStringPath(doc.RootElement) is { } path)
                return (null, BarsRejection.BadRequest(IssueType.Invalid, RequestBody.UnpairedSurrogate, path.Length == 0 ? "Bundle" : $"Bundle.{path}"));
        }
        catch (System.Text.Json.JsonException) { } // malformed JSON: the deserializer below says where

        Resource? resource;
        IEnumerable<CodedException> problems;
        bool parsed;
        try
        {
            parsed = Deserializer.TryDeserializeResource(json, out resource, out problems);
        }
        catch (System.Text.Json.JsonException e)
        {
            return (null, BarsRejection.BadRequest(IssueType.Structure,
                $"The body is not valid JSON: fix it near line {e.LineNumber + 1}, byte {e.BytePositionInLine}."));
        }
        return Checked(parsed, resource, problems, "JSON");
    }

    /// <summary>The body as text, or why it is none: not UTF-8, or empty.</summary>
    private static (string? Text, BarsRejection? Rejection) Text(byte[] raw, string sendAs)
    {
        string text;
        try { text = new System.Text.UTF8Encoding(false, true).GetString(raw); }
        catch (System.Text.DecoderFallbackException)
        { return (null, BarsRejection.BadRequest(IssueType.Structure, $"The body is not UTF-8 text: send the Bundle as {sendAs}.")); }
        return text.Length == 0
            ? (null, BarsRejection.BadRequest(IssueType.Required, "The body is empty: send a BaRS message Bundle.", "Bundle"))
            : (text, null);
    }

    /// <summary>What the FHIR deserializer made of a body: a Bundle, or every problem it found (at most 20).</summary>
    private static (Bundle? Bundle, BarsRejection? Rejection) Checked(bool parsed, Resource? resource, IEnumerable<CodedException> problems, string format)
    {
        if (!parsed)
        {
            var issues = problems.Take(20).Select(ToIssue).ToList();
            if (issues.Count == 0) issues.Add(new BarsIssue(IssueType.Structure, $"The body is not a FHIR R4 resource in {format}."));
            return (null, BarsRejection.BadRequest(issues));
        }
        if (resource is not Bundle bundle)
            return (null, BarsRejection.BadRequest(IssueType.Structure,
                $"The body is a {resource!.TypeName}; $process-message takes a Bundle of type 'message'.", "Bundle"));
        return (bundle, null);
    }

    private static BarsIssue ToIssue(CodedException e) => e is ExtendedCodedException x
        ? new BarsIssue(IssueType.Structure,
            $"{WithoutQuotedValue(x.BaseErrorMessage)}{(x.LineNumber is { } l ? $" (line {l}, position {x.Position})" : "")}",
            string.IsNullOrEmpty(x.InstancePath) ? null : x.InstancePath)
        : new BarsIssue(IssueType.Structure, WithoutQuotedValue(e.Message));

    /// <summary>
    /// The FHIR parser quotes the value it could not read ("string '1938-13-19' is not a correct literal for a date"):
    /// an OperationOutcome never carries patient data, so the value becomes "the value". Element and type names stay.
    /// </summary>
    private static string WithoutQuotedValue(string message) =>
        QuotedValue().Replace(message, m => m.Index == 0 ? "The value" : "the value");

    [System.Text.RegularExpressions.GeneratedRegex(@"(?:\b(?:[Vv]alue|[Ss]tring|[Ll]iteral)\s+)?'[^']*'(?=\s+(?:is not|is an invalid|is unexpected|cannot|could not|was not))")]
    private static partial System.Text.RegularExpressions.Regex QuotedValue();

    /// <summary>The referral a message carries, or the rejection to answer with. Reads only; stores nothing.</summary>
    public static (BarsReferral? Referral, BarsRejection? Rejection) Read(Bundle bundle, DateTimeOffset now)
    {
        if (bundle.Type != Bundle.BundleType.Message)
            return (null, BarsRejection.BadRequest(IssueType.Structure,
                $"Bundle.type is '{bundle.Type?.ToString().ToLowerInvariant() ?? "missing"}'; $process-message takes a Bundle of type 'message'.", "Bundle.type"));
        var entries = new BundleIndex(bundle);
        var header = bundle.Entry.FirstOrDefault()?.Resource as MessageHeader;
        if (header is null)
            return (null, bundle.Entry.Any(e => e.Resource is MessageHeader)
                ? BarsRejection.BadRequest(IssueType.Structure, "The MessageHeader must be the first entry of a message Bundle.", "Bundle.entry[0]")
                : BarsRejection.BadRequest(IssueType.Required, "The Bundle has no MessageHeader: a BaRS message starts with one (eventCoding, reason, focus, source).", "Bundle.entry[0].resource"));

        if (header.Event is not Coding { } eventCoding || eventCoding.System != BarsCodes.MessageEvents || eventCoding.Code != BarsCodes.ServiceRequestRequest)
        {
            var given = header.Event is Coding c ? $"{c.System}|{c.Code}" : "none";
            return (null, BarsRejection.Unprocessable(IssueType.NotSupported,
                $"This receiver takes referrals only: MessageHeader.eventCoding must be {BarsCodes.MessageEvents}|{BarsCodes.ServiceRequestRequest} (got {given}).",
                "MessageHeader.eventCoding"));
        }
        var reason = header.Reason?.Coding.FirstOrDefault(c => c.System == BarsCodes.MessageReasons)?.Code;
        if (reason is null)
            return (null, BarsRejection.BadRequest(IssueType.Required,
                $"MessageHeader.reason must be coded from {BarsCodes.MessageReasons}: 'new' or 'update'.", "MessageHeader.reason"));
        if (reason is not (BarsCodes.New or BarsCodes.Update))
            return (null, BarsRejection.Unprocessable(IssueType.NotSupported,
                $"MessageHeader.reason '{reason}' is not supported: send 'new' for a referral, 'update' to change or cancel one.", "MessageHeader.reason"));
        if (string.IsNullOrWhiteSpace(header.Source?.Endpoint))
            return (null, BarsRejection.BadRequest(IssueType.Required,
                "MessageHeader.source.endpoint is required: it says where responses to this referral go.", "MessageHeader.source.endpoint"));
        if (header.Focus.Count > 1)
            return (null, BarsRejection.BadRequest(IssueType.Invariant,
                $"MessageHeader.focus names {header.Focus.Count} resources; a referral's MessageDefinition has one focus, the ServiceRequest (1..1).",
                "MessageHeader.focus"));
        var serviceRequest = header.Focus.Select(entries.Resolve).OfType<ServiceRequest>().FirstOrDefault();
        if (serviceRequest is null)
            return (null, BarsRejection.BadRequest(IssueType.Required,
                "MessageHeader.focus must reference the ServiceRequest entry of this Bundle.", "MessageHeader.focus"));

        var action = (reason, serviceRequest.Status) switch
        {
            (BarsCodes.New, RequestStatus.Active) => BarsAction.New,
            (BarsCodes.Update, RequestStatus.Active or RequestStatus.OnHold) => BarsAction.Update,
            (BarsCodes.Update, RequestStatus.Revoked or RequestStatus.EnteredInError) => BarsAction.Cancel,
            _ => (BarsAction?)null,
        };
        if (action is null)
            return (null, BarsRejection.BadRequest(IssueType.Invariant,
                $"ServiceRequest.status '{Code(serviceRequest.Status)}' does not go with reason '{reason}': a new referral is 'active'; " +
                "an update is 'active' or 'on-hold'; a cancellation is an update with 'revoked' or 'entered-in-error'.", "ServiceRequest.status"));

        if (DefinitionProblem(header.Definition, action.Value) is { } wrongDefinition) return (null, wrongDefinition);

        var issues = new List<BarsIssue>();
        var serviceRequestUrl = bundle.Entry.FirstOrDefault(e => ReferenceEquals(e.Resource, serviceRequest))?.FullUrl;
        var callId = ReadCallId(serviceRequest, serviceRequestUrl, issues);
        var patient = entries.Resolve(serviceRequest.Subject) as Patient;
        var carePlan = serviceRequest.BasedOn.Select(entries.Resolve).OfType<CarePlan>().FirstOrDefault()
            ?? bundle.Entry.Select(e => e.Resource).OfType<CarePlan>().FirstOrDefault();
        var receiverId = serviceRequest.Id is { } id && CaseIdPattern().IsMatch(id) ? id : null;

        CallReport? call = null;
        ReferralChanges? changes = null;
        string? cancellation = null;
        switch (action)
        {
            case BarsAction.New:
                if (patient is null) { issues.Add(new(IssueType.Required, "ServiceRequest.subject must reference the Patient entry of this Bundle.", "ServiceRequest.subject")); break; }
                call = ReadCall(callId, serviceRequest, patient, carePlan, bundle, now, issues);
                break;
            case BarsAction.Update:
                changes = ReadChanges(patient, carePlan, issues);
                break;
            default:
                cancellation = serviceRequest.ReasonCode.Select(r => r.Text).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t))?.Trim()
                    ?? (serviceRequest.Status == RequestStatus.EnteredInError ? "Referral sent in error" : "Referral revoked by NHS 111");
                break;
        }
        if (issues.Count > 0) return (null, BarsRejection.BadRequest(issues));

        if (action == BarsAction.New && !IsPalliative(serviceRequest, carePlan))
            return (null, BarsRejection.Unprocessable(IssueType.BusinessRule,
                "The SPOC takes palliative and end-of-life referrals only, and nothing in this one marks it so. Mark a palliative referral with " +
                $"SNOMED CT {string.Join(", ", BarsCodes.Palliative.Select(p => $"{p.Key} |{p.Value}|"))} in ServiceRequest.category " +
                "(or ServiceRequest.reasonCode, CarePlan.category, CarePlan.activity.outcomeCodeableConcept); otherwise route the patient through the usual 111 pathway.",
                "ServiceRequest.category"));

        // The request's MessageHeader is named by its id, or (as in every published BaRS example, which has none) by its entry's fullUrl.
        var requestHeaderId = !string.IsNullOrWhiteSpace(header.Id) ? header.Id : UuidOf(bundle.Entry[0].FullUrl) ?? bundle.Entry[0].FullUrl;
        return (new BarsReferral(action.Value, callId!, receiverId, requestHeaderId, header.Source!.Endpoint!,
            serviceRequest.Identifier.Where(i => !string.IsNullOrEmpty(i.Value)).ToList(), call, changes, cancellation), null);
    }

    /// <summary>
    /// The MessageDefinition the message names, which BaRS says a receiver must check and refuse the message if it does
    /// not keep to: a referral (new, update or cancellation) or a cancellation; any other (validation, booking) is a
    /// workflow this receiver does not take. A message naming none is read by its event, reason and status alone.
    /// </summary>
    private static BarsRejection? DefinitionProblem(string? definition, BarsAction action)
    {
        var parts = definition?.Split('|');
        var canonical = parts?[0];
        if (parts is [_, var version] && !BarsCodes.SpeaksVersion(version))
            return BarsRejection.NotAcceptable($"MessageHeader.definition names version {version} of {canonical}; this receiver takes version " +
                $"{BarsCodes.Version} (any {BarsCodes.MajorVersion}.x).", "MessageHeader.definition");
        if (string.IsNullOrWhiteSpace(canonical) || canonical == BarsCodes.ReferralDefinition) return null;
        if (canonical == BarsCodes.CancelledDefinition)
            return action == BarsAction.Cancel ? null : BarsRejection.BadRequest(IssueType.Invariant,
                "MessageHeader.definition names the cancellation MessageDefinition, but ServiceRequest.status is not 'revoked' or " +
                "'entered-in-error' with reason 'update'.", "MessageHeader.definition");
        return BarsRejection.Unprocessable(IssueType.NotSupported,
            $"This receiver takes referrals only: MessageHeader.definition must be {BarsCodes.ReferralDefinition} or " +
            $"{BarsCodes.CancelledDefinition} (GET metadata lists them).", "MessageHeader.definition");
    }

    /// <summary>
    /// The referral's identity, the same on its retries, updates and cancellation: ServiceRequest.identifier when the
    /// sender gives one, else the uuid of the ServiceRequest entry's fullUrl (the BaRS profile requires no identifier,
    /// and its examples keep one fullUrl for a referral and its updates).
    /// </summary>
    private static string? ReadCallId(ServiceRequest sr, string? fullUrl, List<BarsIssue> issues)
    {
        var value = sr.Identifier.Select(i => i.Value?.Trim()).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? UuidOf(fullUrl);
        if (value is null)
        {
            issues.Add(new(IssueType.Required, "ServiceRequest.identifier, or a urn:uuid fullUrl on the ServiceRequest entry, is required: it is how " +
                "retries, updates and cancellations find this referral.", "ServiceRequest.identifier"));
            return null;
        }
        if (value.Length > 64 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            issues.Add(new(IssueType.Invalid, "ServiceRequest.identifier.value must be at most 64 letters, digits, '-', '_' or '.' (a UUID is ideal).", "ServiceRequest.identifier.value"));
            return null;
        }
        return value;
    }

    private static CallReport? ReadCall(string? callId, ServiceRequest sr, Patient patient, CarePlan? carePlan, Bundle bundle,
        DateTimeOffset now, List<BarsIssue> issues)
    {
        var receivedAt = ReadAuthoredOn(sr, bundle, now, issues);
        var nhs = patient.Identifier.FirstOrDefault(i => i.System == BarsCodes.NhsNumber)?.Value?.Replace(" ", "");
        if (nhs is null) issues.Add(new(IssueType.Required, $"Patient.identifier with system {BarsCodes.NhsNumber} is required.", "Patient.identifier"));
        // Never echoed back: an OperationOutcome carries no patient data.
        else if (NhsNumber.Problem(nhs) is { } wrong)
        { issues.Add(new(IssueType.Invalid, $"The NHS number in Patient.identifier {wrong}.", "Patient.identifier.value")); nhs = null; }

        var name = Visible(NameOf(patient.Name), "Patient.name", issues);
        if (name is null && !Refused(issues, "Patient.name"))
            issues.Add(new(IssueType.Required, "Patient.name is required (text, or given and family).", "Patient.name"));
        var dob = ReadBirthDate(patient, now, issues);
        var (address, postcode) = ReadAddress(patient, issues, required: true);
        var patientPhone = ReadPatientPhone(patient, issues);
        var (caller, callerRole, contacts) = ReadContacts(patient, issues, required: true);
        var reason = Visible(ReasonOf(carePlan, sr), Narrative, issues);
        if (reason is null && !Refused(issues, Narrative))
            issues.Add(new(IssueType.Required, "The clinical narrative is required in CarePlan.activity.outcomeCodeableConcept.text, on an outcome with no coding (the SPOC reads it before calling back).",
                Narrative));

        if (issues.Count > 0 || callId is null || nhs is null || name is null || dob is null || address is null || postcode is null
            || caller is null || reason is null || receivedAt is null)
            return null;
        return new CallReport(callId, receivedAt.Value, callerRole!, caller, reason,
            new PatientDetails(nhs, name, dob.Value, address, postcode, patientPhone), contacts);
    }

    private static ReferralChanges ReadChanges(Patient? patient, CarePlan? carePlan, List<BarsIssue> issues)
    {
        var reason = carePlan is null ? null : Visible(ReasonOf(carePlan, null), Narrative, issues);
        if (patient is null) return new ReferralChanges(null, null, null, null, null, reason);
        var (address, postcode) = ReadAddress(patient, issues, required: false);
        var phone = ReadPatientPhone(patient, issues);
        var (caller, _, contacts) = ReadContacts(patient, issues, required: false);
        return new ReferralChanges(caller, phone, patient.Contact.Count > 0 ? contacts : null, address, postcode, reason);
    }

    private static DateTimeOffset? ReadAuthoredOn(ServiceRequest sr, Bundle bundle, DateTimeOffset now, List<BarsIssue> issues)
    {
        var (text, path) = sr.AuthoredOn is { Length: > 0 } a ? (a, "ServiceRequest.authoredOn") : (bundle.Timestamp?.ToString("o"), "Bundle.timestamp");
        if (text is null) { issues.Add(new(IssueType.Required, "ServiceRequest.authoredOn is required: when the referral became actionable.", "ServiceRequest.authoredOn")); return null; }
        if (!text.Contains('T') || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        { issues.Add(new(IssueType.Invalid, $"{path} must be a date and time with an offset, e.g. 2026-11-24T21:14:00+00:00.", path)); return null; }
        if (at < now.AddDays(-7) || at > now.AddMinutes(5))
        { issues.Add(new(IssueType.Invalid, $"{path} {text} is not within the last 7 days: check the sending system's clock.", path)); return null; }
        return at;
    }

    private static DateOnly? ReadBirthDate(Patient patient, DateTimeOffset now, List<BarsIssue> issues)
    {
        if (string.IsNullOrEmpty(patient.BirthDate)) { issues.Add(new(IssueType.Required, "Patient.birthDate is required.", "Patient.birthDate")); return null; }
        if (!DateOnly.TryParseExact(patient.BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            || d < new DateOnly(1900, 1, 1) || d > DateOnly.FromDateTime(now.UtcDateTime))
        { issues.Add(new(IssueType.Invalid, "Patient.birthDate must be a full past date (yyyy-MM-dd).", "Patient.birthDate")); return null; }
        return d;
    }

    private static (string? Address, string? Postcode) ReadAddress(Patient patient, List<BarsIssue> issues, bool required)
    {
        var a = patient.Address.FirstOrDefault(x => x.Use == Address.AddressUse.Temp) ?? patient.Address.FirstOrDefault(x => x.Use == Address.AddressUse.Home)
            ?? patient.Address.FirstOrDefault();
        if (a is null)
        {
            if (required) issues.Add(new(IssueType.Required, "Patient.address is required: it is where the SPOC sends help.", "Patient.address"));
            return (null, null);
        }
        var text = !string.IsNullOrWhiteSpace(a.Text) ? a.Text.Trim()
            : string.Join(", ", a.Line.Append(a.City).Append(a.District).OfType<string>().Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()));
        var postcode = a.PostalCode is null ? null : Postcode.Normalise(a.PostalCode);
        text = Visible(text, "Patient.address", issues);
        if ((text is null && !Refused(issues, "Patient.address")) || text?.Length > 500)
        { issues.Add(new(IssueType.Invalid, "Patient.address needs text or lines (at most 500 characters).", "Patient.address")); text = null; }
        if (postcode is null) issues.Add(new(IssueType.Invalid, "Patient.address.postalCode must be a UK postcode, e.g. DE22 3NE.", "Patient.address.postalCode"));
        return (text, postcode);
    }

    private static string? ReadPatientPhone(Patient patient, List<BarsIssue> issues)
    {
        var raw = patient.Telecom.FirstOrDefault(t => t.System == ContactPoint.ContactPointSystem.Phone && !string.IsNullOrWhiteSpace(t.Value))?.Value;
        if (raw is null) return null;
        var phone = UkPhone(raw);
        if (phone is null) issues.Add(new(IssueType.Invalid, "The phone number in Patient.telecom is not one we can call (a UK number, or E.164).", "Patient.telecom"));
        return phone;
    }

    /// <summary>The rank 1 contact is the person 111 told the SPOC to call back; every contact but the patient is family.</summary>
    private static (string? Callback, string? CallerRole, List<FamilyContact> Family) ReadContacts(Patient patient, List<BarsIssue> issues, bool required)
    {
        var family = new List<FamilyContact>();
        string? callback = null, role = null;
        var ranked = patient.Contact.Select((c, i) => (c, i, rank: (c.GetExtension(BarsCodes.ContactRank)?.Value as PositiveInt)?.Value ?? int.MaxValue))
            .OrderBy(x => x.rank).ThenBy(x => x.i).ToList();
        foreach (var (c, i, _) in ranked)
        {
            var path = $"Patient.contact[{i}]";
            var raw = c.Telecom.FirstOrDefault(t => t.System is ContactPoint.ContactPointSystem.Phone or ContactPoint.ContactPointSystem.Sms && !string.IsNullOrWhiteSpace(t.Value))?.Value;
            if (raw is null) continue;
            var phone = UkPhone(raw);
            if (phone is null) { issues.Add(new(IssueType.Invalid, $"The phone number in {path}.telecom is not one we can call (a UK number, or E.164).", $"{path}.telecom")); continue; }
            var relationship = RelationshipOf(c);
            if (callback is null) (callback, role) = (phone, CallerRoleOf(c, relationship));
            if (relationship == "self") continue;
            if (family.Count < 10)
                family.Add(new FamilyContact(Visible(NameOf([c.Name]), $"{path}.name", issues) ?? "(name not given)", relationship, phone, SmsConsent: false));
        }
        if (callback is null && required)
            issues.Add(new(IssueType.Required, "A Patient.contact with a phone number is required, ranked 1 (Extension-UKCore-ContactRank) for the person the SPOC should call back.",
                "Patient.contact"));
        return (callback, role, family);
    }

    private static string RelationshipOf(Patient.ContactComponent c)
    {
        var coding = c.Relationship.SelectMany(r => r.Coding).FirstOrDefault();
        var text = coding?.Display ?? c.Relationship.Select(r => r.Text).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t)) ?? coding?.Code ?? "unknown";
        text = text.Trim().ToLowerInvariant();
        return IsSelf(c) ? "self" : text.Length > 60 ? text[..60] : text;
    }

    private static bool IsSelf(Patient.ContactComponent c) =>
        c.Relationship.SelectMany(r => r.Coding.Select(x => x.Code).Append(r.Text))
            .Any(s => s is not null && (s.Equals("self", StringComparison.OrdinalIgnoreCase) || s.Equals("ONESELF", StringComparison.OrdinalIgnoreCase)));

    /// <summary>HL7 v3 RoleCode family members and v2-0131 next of kin are family; a carer is named so in the text.</summary>
    private static readonly HashSet<string> FamilyCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "N", "FAMMEMB", "CHILD", "DAU", "SON", "DAUINLAW", "SONINLAW", "STPCHLD", "STPDAU", "STPSON", "PRN", "MTH", "FTH",
        "MTHINLAW", "FTHINLAW", "SIB", "BRO", "SIS", "SPS", "WIFE", "HUSB", "DOMPART", "SIGOTHR", "GRPRN", "GRMTH", "GRFTH",
        "GRNDCHILD", "GRNDDAU", "GRNDSON", "NIECE", "NEPHEW", "NIENEPH", "AUNT", "UNCLE", "COUSN", "SIBINLAW", "BROINLAW", "SISINLAW",
    };

    private static string CallerRoleOf(Patient.ContactComponent c, string relationship)
    {
        if (relationship == "self") return "patient";
        if (relationship.Contains("carer") || relationship.Contains("caregiver")) return "carer";
        if (relationship.Contains("care home")) return "care-home";
        if (c.Relationship.SelectMany(r => r.Coding).Any(x => x.Code is { } code && FamilyCodes.Contains(code))) return "family";
        return "other";
    }

    private static string? NameOf(IEnumerable<HumanName?> names)
    {
        var list = names.OfType<HumanName>().ToList();
        var n = list.FirstOrDefault(x => x.Use == HumanName.NameUse.Official) ?? list.FirstOrDefault();
        if (n is null) return null;
        var text = !string.IsNullOrWhiteSpace(n.Text) ? n.Text.Trim() : string.Join(" ", n.Given.Append(n.Family).Where(s => !string.IsNullOrWhiteSpace(s)));
        return text.Length is 0 or > 200 ? null : text;
    }

    /// <summary>
    /// Text as a person reads it (<see cref="VisibleText"/>): invisible characters removed, null when nothing is left;
    /// a direction override is refused at <paramref name="path"/> (null too).
    /// </summary>
    private static string? Visible(string? text, string path, List<BarsIssue> issues)
    {
        if (text is null) return null;
        if (VisibleText.HasDirectionControl(text)) { issues.Add(new(IssueType.Invalid, $"{path}: {VisibleText.DirectionControlProblem}", path)); return null; }
        var visible = VisibleText.WithoutInvisible(text).Trim();
        return visible.Length == 0 ? null : visible;
    }

    /// <summary>The uuid of a <c>urn:uuid:</c> fullUrl, or null.</summary>
    private static string? UuidOf(string? fullUrl) =>
        fullUrl is not null && fullUrl.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) && Guid.TryParse(fullUrl[9..], out var g)
            ? g.ToString() : null;

    private static bool Refused(List<BarsIssue> issues, string path) => issues.Any(i => i.Expression == path);

    private const string Narrative = "CarePlan.activity.outcomeCodeableConcept.text";

    private const int MaxReason = 4000;

    /// <summary>
    /// What the SPOC reads first: the 111 clinical narrative (the outcome with text and no coding: BaRS puts it there;
    /// the text of a coded outcome is its label, such as "Pathways Assessment DX Code"), else the ServiceRequest's
    /// note, else the Pathways disposition.
    /// </summary>
    private static string? ReasonOf(CarePlan? carePlan, ServiceRequest? sr)
    {
        var outcomes = carePlan?.Activity.SelectMany(a => a.OutcomeCodeableConcept).ToList() ?? [];
        var text = outcomes.Where(o => o.Coding.Count == 0).Select(o => o.Text).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t))
            ?? sr?.Note.Select(n => n.Text).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t))
            ?? outcomes.SelectMany(o => o.Coding).FirstOrDefault(c => c.System == BarsCodes.PathwaysDx)?.Display;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        return text.Length <= MaxReason ? text : text[..MaxReason] + " (cut short: see the 111 record)";
    }

    private static bool IsPalliative(ServiceRequest sr, CarePlan? carePlan) =>
        sr.Category.Concat(sr.ReasonCode)
            .Concat(carePlan?.Category ?? [])
            .Concat(carePlan?.Activity.SelectMany(a => a.OutcomeCodeableConcept) ?? [])
            .SelectMany(c => c.Coding)
            .Any(c => c.System == BarsCodes.Snomed && c.Code is { } code && BarsCodes.Palliative.ContainsKey(code));

    /// <summary>A UK phone number as 111 systems write it ("0113 496 0000", "+44 (0)7700 900123") in E.164, or null.</summary>
    public static string? UkPhone(string raw)
    {
        var s = new string(raw.Where(c => char.IsAsciiDigit(c) || c == '+').ToArray());
        if (s.StartsWith("00", StringComparison.Ordinal)) s = "+" + s[2..];
        else if (s.StartsWith('0')) s = "+44" + s[1..];
        if (s.StartsWith("+440", StringComparison.Ordinal)) s = "+44" + s[4..];
        return Phones.IsE164(s) ? s : null;
    }

    private static string Code(RequestStatus? s) => s switch
    {
        null => "missing",
        RequestStatus.OnHold => "on-hold",
        RequestStatus.EnteredInError => "entered-in-error",
        _ => s.Value.ToString().ToLowerInvariant(),
    };

    /// <summary>Finds a Bundle entry for a reference: by fullUrl (urn:uuid:...), or by Type/id.</summary>
    private sealed class BundleIndex(Bundle bundle)
    {
        public Resource? Resolve(ResourceReference? reference)
        {
            var r = reference?.Reference;
            if (string.IsNullOrWhiteSpace(r)) return null;
            foreach (var e in bundle.Entry)
            {
                if (e.Resource is null) continue;
                if (e.FullUrl == r || (e.Resource.Id is { } id && r == $"{e.Resource.TypeName}/{id}") ||
                    (e.FullUrl is { } url && url.EndsWith("/" + r, StringComparison.Ordinal)))
                    return e.Resource;
            }
            return null;
        }
    }
}
