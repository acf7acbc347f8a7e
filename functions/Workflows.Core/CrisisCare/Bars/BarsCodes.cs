namespace Workflows.CrisisCare.Bars;

/// <summary>The code systems and codes of the NHS Booking and Referral Standard (BaRS) this receiver reads and writes.</summary>
public static class BarsCodes
{
    /// <summary>The BaRS version this receiver is written to; a sender on another major version cannot be understood (406).</summary>
    public const string Version = "1.1.0";
    public const int MajorVersion = 1;

    public static bool SpeaksVersion(string version) =>
        int.TryParse(version.Split('.')[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var major)
        && major == MajorVersion;

    public const string MessageEvents = "https://fhir.nhs.uk/CodeSystem/message-events-bars";
    public const string ServiceRequestRequest = "servicerequest-request";
    /// <summary>The receiver's status update on a referral, sent to the sender's source.endpoint (the asynchronous response).</summary>
    public const string ServiceRequestResponse = "servicerequest-response";

    public const string MessageReasons = "https://fhir.nhs.uk/CodeSystem/message-reason-bars";
    public const string New = "new";
    public const string Update = "update";

    /// <summary>The MessageDefinitions this receiver takes (MessageHeader.definition); a referral's updates use the referral's.</summary>
    public const string ReferralDefinition = "https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-referral";
    public const string CancelledDefinition = "https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-cancelled";
    public const string ResponseDefinition = "https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-response-referral";

    public const string NhsNumber = "https://fhir.nhs.uk/Id/nhs-number";
    public const string ContactRank = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-ContactRank";
    public const string PathwaysDx = "https://fhir.nhs.uk/CodeSystem/pathways-dx-codes";
    public const string HttpErrorCodes = "https://fhir.nhs.uk/Codesystem/http-error-codes";
    public const string OperationOutcomeProfile = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-OperationOutcome";
    public const string Snomed = "http://snomed.info/sct";

    /// <summary>Our case reference, given back in ServiceRequest.identifier so 111 can quote it to the SPOC.</summary>
    public const string CaseReference = "https://spoc.example.nhs.uk/Id/crisis-case";

    /// <summary>
    /// SNOMED CT concepts that mark a referral as palliative or end of life (NHS PALCARE_COD refset and the
    /// palliative and terminal care regimes). Looked for in ServiceRequest.category and .reasonCode, and in the
    /// CarePlan's category and triage outcome.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Palliative = new Dictionary<string, string>
    {
        ["103735009"] = "Palliative care",
        ["182964004"] = "Terminal care",
        ["713673000"] = "Has end of life care plan",
        ["1095151000000107"] = "Has end of life advance care plan",
        ["511401000000102"] = "Last days of life",
        ["955231000000109"] = "Last weeks of life",
        ["968211000000101"] = "Last months of life",
    };
}
