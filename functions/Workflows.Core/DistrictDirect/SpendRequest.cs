using System.Runtime.Serialization;
using Azure;
using Azure.Data.Tables;

namespace Workflows.DistrictDirect;

/// <summary>Where a spend request is. Text values are stored and served as they are.</summary>
public static class SpendStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Invoiced = "invoiced";
    public const string Cancelled = "cancelled";
}

/// <summary>
/// One item of works an officer wants to pay for, kept in the fund's partition (PartitionKey = fund year,
/// RowKey = spend request id) so its ledger posting and the fund's totals change in one transaction.
/// <see cref="CommittedPence"/> and <see cref="SpentPence"/> are this request's share of the fund's totals.
/// </summary>
public sealed class SpendRequest : ITableEntity
{
    /// <summary>The most requests one referral's assessment may make: an approval within a limit reads them all in its transaction.</summary>
    public const int MaxPerReferral = 20;

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    [IgnoreDataMember] public string Id => RowKey;
    [IgnoreDataMember] public string FundYear => PartitionKey;
    public string ReferralId { get; set; } = "";
    public int Number { get; set; }
    public string Item { get; set; } = "";
    public string Supplier { get; set; } = "";
    public long AmountPence { get; set; }
    public string Status { get; set; } = SpendStatus.Pending;
    public string RequestedBy { get; set; } = "";
    public DateTimeOffset RequestedAt { get; set; }

    public long CommittedPence { get; set; }
    public long SpentPence { get; set; }
    public long ReleasedPence { get; set; }

    public string? DecidedBy { get; set; }
    public string? DecidedByName { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    /// <summary>"web" (the decision route), "sms" (a reply to the approval text) or "link" (from the link in that text).</summary>
    public string? DecidedVia { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset? InvoicedAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>The SMS reply code the approver was sent, kept so a retried request re-sends the same code.</summary>
    public string? ApprovalCode { get; set; }
    /// <summary>The id in the approval text's link (<see cref="ApprovalAnswerEndpoints"/>), kept with the code.</summary>
    public string? ApprovalLinkId { get; set; }
    public string? ApproverId { get; set; }

    /// <summary>What this request costs the fund now: committed plus spent.</summary>
    [IgnoreDataMember] public long FundPence => CommittedPence + SpentPence;

    /// <summary>Ids name their fund year ("sr-2627-…") so a request is found from its id alone with one point read.</summary>
    public static string IdFor(string fundYear, string referralId, int number) => KeysOf(fundYear, referralId).From + number;

    /// <summary>The range of RowKeys a referral's requests in a fund year take: from its prefix to the next after it.</summary>
    public static (string From, string To) KeysOf(string fundYear, string referralId)
    {
        var prefix = $"sr-{DistrictDirect.FundYear.Code(fundYear)}-{ReferralRecord.Hash(referralId)[..10]}-";
        return (prefix, prefix[..^1] + (char)('-' + 1));
    }

    public static string? FundYearOf(string id) =>
        id.Length > 8 && id.StartsWith("sr-", StringComparison.Ordinal) && id[7] == '-' && id[3..7].All(char.IsAsciiDigit)
            ? DistrictDirect.FundYear.FromCode(id[3..7]) : null;
}

/// <summary>A fund year's totals: the one row (RowKey "ledger") every posting changes, guarded by its ETag.</summary>
public sealed class FundAccount : ITableEntity
{
    public const string Row = "ledger";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = Row;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public long TotalPence { get; set; }
    public long CommittedPence { get; set; }
    public long SpentPence { get; set; }

    [IgnoreDataMember] public long AvailablePence => TotalPence - CommittedPence - SpentPence;

    public FundBalance Balance() => new(PartitionKey, TotalPence, CommittedPence, SpentPence, AvailablePence);
}

/// <summary>The fund as GET /api/district-direct/fund serves it.</summary>
public sealed record FundBalance(string Year, long TotalPence, long CommittedPence, long SpentPence, long AvailablePence);
