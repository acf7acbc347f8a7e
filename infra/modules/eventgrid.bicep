// Event Grid system topic on the ACS resource, and (second deploy) the webhook subscriptions that
// deliver inbound SMS and delivery reports to the Function App.
//
// Two-step deploy: a webhook subscription is validated by Event Grid calling the endpoint at
// creation, and the URL carries Event Grid's own function key (`eventgrid`, functionkeys.bicep), so
// the app must already be published and the key made. Deploy once with codePublished=false, publish
// the code, then deploy again with true (docs/deploy.md).
param systemTopicName string
param tags object
param communicationServiceName string
param functionAppName string
param identityId string
param storageAccountId string
param deadLetterContainerName string
param deploySubscriptions bool
@description('The function key name Event Grid calls with (set on both SMS functions by functionkeys.bicep).')
param functionKeyName string

resource acs 'Microsoft.Communication/communicationServices@2025-05-01' existing = {
  name: communicationServiceName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  location: 'global'
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    source: acs.id
    topicType: 'Microsoft.Communication.CommunicationServices'
  }
}

resource app 'Microsoft.Web/sites@2024-11-01' existing = {
  name: functionAppName
}

var routes = [
  { name: 'sms-received', eventType: 'Microsoft.Communication.SMSReceived', path: 'api/sms/inbound', function: 'ReceiveSms' }
  { name: 'sms-delivery-report', eventType: 'Microsoft.Communication.SMSDeliveryReportReceived', path: 'api/sms/delivery', function: 'ReceiveSmsDeliveryReport' }
]

// An HCA's "YES" or a family's "STOP" must not be lost: retry for a day, then dead-letter to blob
// (delivered with the user-assigned identity, which holds Storage Blob Data Owner on the account).
resource subscriptions 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = [
  for route in routes: if (deploySubscriptions) {
    parent: topic
    name: route.name
    properties: {
      destination: {
        endpointType: 'WebHook'
        properties: {
          // Listed only when the subscriptions are deployed: before the code is published the function has no keys.
          endpointUrl: 'https://${app.properties.defaultHostName}/${route.path}?code=${deploySubscriptions ? listKeys(resourceId('Microsoft.Web/sites/functions', functionAppName, route.function), '2024-11-01')[functionKeyName] : ''}'
          maxEventsPerBatch: 1
          preferredBatchSizeInKilobytes: 64
        }
      }
      filter: { includedEventTypes: [route.eventType] }
      eventDeliverySchema: 'EventGridSchema'
      retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 }
      deadLetterWithResourceIdentity: {
        identity: { type: 'UserAssigned', userAssignedIdentity: identityId }
        deadLetterDestination: {
          endpointType: 'StorageBlob'
          properties: { resourceId: storageAccountId, blobContainerName: deadLetterContainerName }
        }
      }
    }
  }
]

output systemTopicName string = topic.name
output systemTopicId string = topic.id
