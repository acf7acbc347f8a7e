using Microsoft.Extensions.Logging;

namespace Workflows.Operations;

/// <summary>
/// The log events the production alerts read (infra/modules/alerts.bicep queries them by EventName in Application
/// Insights). Renaming one silences its alert: the Infra tests check every name a query reads is here.
/// </summary>
public static class AlertEvents
{
    public static readonly EventId SmsNotConfigured = new(3801, nameof(SmsNotConfigured));
    public static readonly EventId SmsNotSent = new(3802, nameof(SmsNotSent));
    public static readonly EventId CaseNeedsAttention = new(3803, nameof(CaseNeedsAttention));
    public static readonly EventId ReferralNeedsAttention = new(3804, nameof(ReferralNeedsAttention));
    public static readonly EventId OrchestrationFailed = new(3805, nameof(OrchestrationFailed));
    public static readonly EventId CaseStartsPoisoned = new(3806, nameof(CaseStartsPoisoned));
    public static readonly EventId BarsResponseNotSent = new(3807, nameof(BarsResponseNotSent));

    public static IReadOnlyList<EventId> All =>
        [SmsNotConfigured, SmsNotSent, CaseNeedsAttention, ReferralNeedsAttention, OrchestrationFailed, CaseStartsPoisoned, BarsResponseNotSent];
}
