// Production alerts, each emailed through one action group. Every log alert reads an event the app itself logs, by
// its EventName (Workflows.Core/Operations/AlertEvents.cs; the Infra tests check each name is one the app emits):
// the Azure Monitor exporter puts a log's EventId name in AppTraces.Properties.EventName. Event Grid dead-letters are
// the system topic's own metric.
param location string
param tags object
param workspaceId string
param systemTopicId string

@description('Who is emailed when an alert fires (a shared operations mailbox, not a person).')
param alertEmail string

@description('SMS sends refused or undelivered within 15 minutes (distinct texts) at which to alert.')
@minValue(1)
param smsFailureThreshold int

param actionGroupName string

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'crisiscare'
    enabled: true
    emailReceivers: [{ name: 'operations', emailAddress: alertEmail, useCommonAlertSchema: true }]
  }
}

// events: the EventNames an alert counts. measure: a column the query summarises (distinct texts), or '' to count the
// log lines. The alert fires when the count or measure in the last 15 minutes reaches threshold.
var logAlerts = [
  {
    name: 'orchestration-failed'
    description: 'An orchestration failed: a case or referral whose workflow stopped. Find it by InstanceId (docs/deploy.md, Alerts).'
    severity: 1
    events: ['OrchestrationFailed']
    measure: ''
    threshold: 1
  }
  {
    name: 'needs-attention'
    description: 'A case or referral was parked as needs-attention: a step kept failing and a person must take it over.'
    severity: 2
    events: ['CaseNeedsAttention', 'ReferralNeedsAttention']
    measure: ''
    threshold: 1
  }
  {
    name: 'case-starts-poisoned'
    description: 'The case-starts poison queue is not empty: a 111 call was acknowledged whose case never started (H19).'
    severity: 1
    events: ['CaseStartsPoisoned']
    measure: ''
    threshold: 1
  }
  {
    name: 'bars-response-not-sent'
    description: 'NHS 111 could not be sent a case outcome (the asynchronous BaRS response) after every retry, or refused it.'
    severity: 3
    events: ['BarsResponseNotSent']
    measure: ''
    threshold: 1
  }
  {
    name: 'sms-not-sent'
    description: 'SMS sends refused by ACS, failing after retries, or reported undelivered, at or above the threshold.'
    severity: 2
    events: ['SmsNotSent']
    measure: 'texts'
    threshold: smsFailureThreshold
  }
  {
    name: 'sms-not-configured'
    description: 'SMS is not configured: every text waits as not sent (GET /api/health says why).'
    severity: 1
    events: ['SmsNotConfigured']
    measure: ''
    threshold: 1
  }
]

resource logRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for a in logAlerts: {
    name: 'alert-${a.name}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: a.name
      description: a.description
      severity: a.severity
      enabled: true
      scopes: [workspaceId]
      evaluationFrequency: 'PT5M'
      windowSize: 'PT15M'
      autoMitigate: true
      criteria: {
        allOf: [
          {
            query: 'AppTraces | where tostring(Properties.EventName) in (${join(map(a.events, e => '"${e}"'), ', ')})${empty(a.measure) ? '' : ' | summarize ${a.measure} = dcount(tostring(Properties.MessageId))'}'
            timeAggregation: empty(a.measure) ? 'Count' : 'Total'
            metricMeasureColumn: empty(a.measure) ? null : a.measure
            operator: 'GreaterThanOrEqual'
            threshold: a.threshold
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
          }
        ]
      }
      actions: { actionGroups: [actionGroup.id] }
    }
  }
]

// An inbound SMS (an HCA's YES, a family's STOP) or a delivery report Event Grid gave up on after a day of retries.
resource deadLetters 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-eventgrid-dead-lettered'
  location: 'global'
  tags: tags
  properties: {
    description: 'Event Grid dead-lettered an SMS event (eventgrid-deadletter container): a reply or receipt the app never got.'
    severity: 1
    enabled: true
    scopes: [systemTopicId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'dead-lettered'
          metricNamespace: 'Microsoft.EventGrid/systemTopics'
          metricName: 'DeadLetteredCount'
          timeAggregation: 'Total'
          operator: 'GreaterThan'
          threshold: 0
        }
      ]
    }
    actions: [{ actionGroupId: actionGroup.id }]
  }
}

output actionGroupId string = actionGroup.id
