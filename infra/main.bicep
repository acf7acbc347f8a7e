// Crisis care (SPOC + ECSS) and District Direct workflows: everything one environment needs.
//
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/dev.bicepparam
//
// See docs/deploy.md for the full sequence (two-step deploy for the Event Grid subscriptions,
// publishing the code, secrets, Entra app roles, checks after deploying).
targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------------------------
@description('Azure region for everything regional. UK South keeps NHS data in the UK.')
param location string = 'uksouth'

@allowed(['dev', 'test', 'prod'])
param environmentName string

@description('Short name used in resource names (lower-case letters and digits).')
@minLength(3)
@maxLength(10)
param baseName string = 'crisiscare'

param tags object = {}

// ---------------------------------------------------------------------------------------------
// Function App (Flex Consumption)
// ---------------------------------------------------------------------------------------------
@description('.NET version of the isolated worker (functionAppConfig.runtime.version).')
param dotnetVersion string = '10.0'

@description('Upper bound on instances the plan scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Warm instances kept for the HTTP trigger group (0 = scale to zero; 1 in prod removes cold starts on the 111 webhook).')
@minValue(0)
param alwaysReadyHttpInstances int = 0

@description('Durable Functions task hub name, one per environment (host.json reads %TaskHubName%).')
@minLength(3)
@maxLength(45)
param taskHubName string

@description('Application (client) id of the Entra app registration that holds the staff app roles (docs/deploy.md).')
@minLength(36)
@maxLength(36)
param entraClientId string

@description('The BaRS API base URL the SPOC\'s outcomes go back to 111 through (Bars__ApiUrl), e.g. the NHS API platform\'s booking-and-referral FHIR R4 endpoint. Empty: no asynchronous BaRS responses are sent.')
param barsApiUrl string = ''

@description('The NHS API platform OAuth token endpoint the BaRS responses get their token from (Bars__TokenUrl); empty: no token is sent.')
param barsTokenUrl string = ''

@description('The kid the platform holds this app\'s public key under (Bars__KeyId); the key itself and the API key are the vault secrets bars-private-key and bars-api-key.')
param barsKeyId string = ''

// ---------------------------------------------------------------------------------------------
// SMS (Azure Communication Services)
// ---------------------------------------------------------------------------------------------
@description('The sender bought on the ACS resource (Sms__FromNumber): a UK mobile number in E.164, a short code, or an alphanumeric id. Empty until bought: the app starts and texts wait as not sent.')
param smsFromNumber string

@description('What smsFromNumber is. In the UK only a short-code or a uk-mobile sender takes replies (an HCA\'s YES, a STOP); an alphanumeric id is send-only (docs/deploy.md).')
@allowed(['short-code', 'uk-mobile', 'alphanumeric'])
param smsSenderKind string = 'uk-mobile'

@description('Where links in texts (an HCA offer, a District Direct approval) open the staff pages, if not the Function App\'s own https host name: e.g. https://crisis-care.example.nhs.uk behind a custom domain (at most 60 characters).')
@maxLength(60)
param publicBaseUrl string = ''

@description('Minutes after it was due that a text held back while SMS was not configured may still go (safety alerts always go; questions while open).')
@minValue(0)
param smsLateSendMinutes int = 60

@description('Where ACS keeps its data at rest.')
param acsDataLocation string = 'UK'

@description('Second deploy on: the code is published, so the named function keys and the Event Grid subscriptions (which need the functions to exist) are made.')
param codePublished bool = false

@secure()
@description('Named function keys to set, by caller: nhs111, bars, wards, eventgrid, monitoring. A missing or empty one is left as it is.')
param functionKeys object = {}

// ---------------------------------------------------------------------------------------------
// Secrets: only on the first deploy (or to set a value deliberately). Empty = leave Key Vault as it is.
// ---------------------------------------------------------------------------------------------
@secure()
@description('Value for Key Vault secret `intake-secret` (the 111 webhook HMAC key). Empty leaves the vault untouched.')
param intakeSecret string = ''

@secure()
@description('Value for `intake-secret-previous`. On first deploy pass an unshared random value (means "none").')
param intakeSecretPrevious string = ''

// ---------------------------------------------------------------------------------------------
// Observability and data
// ---------------------------------------------------------------------------------------------
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Application Insights ingestion sampling; adaptive sampling in host.json already thins traces.')
@minValue(1)
@maxValue(100)
param appInsightsSamplingPercentage int = 100

@description('Days the history of a finished orchestration (case inputs: patient data) is kept before the daily purge removes it. Case and referral rows keep the audit.')
@minValue(1)
param historyRetentionDays int = 90

@description('The operations mailbox the alerts email. Required: an alert nobody receives is no alert.')
@minLength(3)
param alertEmail string

@description('Distinct texts refused or undelivered within 15 minutes at which the SMS alert fires.')
@minValue(1)
param smsFailureAlertThreshold int = 5

@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GZRS', 'Standard_RAGZRS'])
param storageSku string = 'Standard_LRS'

param enableKeyVaultPurgeProtection bool = false

// ---------------------------------------------------------------------------------------------
// App tunables (non-secret). Defaults are local.settings.sample.json's.
// ---------------------------------------------------------------------------------------------
param triageResponseMinutes int = 15
param triageEscalationRepeatMinutes int = 15
@description('After the 4th overdue escalation of an untriaged case, the coordinator is texted about it at most (and at least) this often.')
param triageTextBackoffMinutes int = 60

@description('Coordinator phone for escalations, E.164.')
param coordinatorPhone string = '+447700900001'

@description('Entra object id of the person who becomes the first admin of a new deployment (Staff__FirstAdminObjectId). Honoured at start-up only while no staff record holds the admin role; leave empty once there is an admin.')
param firstAdminObjectId string = ''

@description('Extra non-secret app settings for this environment, merged over the ones below (e.g. a feature flag).')
param additionalAppSettings object = {}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------
var suffix = take(uniqueString(subscription().id, resourceGroup().id, baseName, environmentName), 5)
var names = {
  identity: 'id-${baseName}-${environmentName}'
  workspace: 'log-${baseName}-${environmentName}'
  appInsights: 'appi-${baseName}-${environmentName}'
  storage: take('st${baseName}${environmentName}${suffix}', 24)
  keyVault: take('kv-${baseName}-${environmentName}-${suffix}', 24)
  acs: 'acs-${baseName}-${environmentName}-${suffix}'
  plan: 'asp-${baseName}-${environmentName}'
  functionApp: 'func-${baseName}-${environmentName}-${suffix}'
  systemTopic: 'evgt-${baseName}-${environmentName}-acs'
  actionGroup: 'ag-${baseName}-${environmentName}'
}
var allTags = union({ application: 'crisis-care-workflows', environment: environmentName }, tags)
var acsConnectionStringSecretName = 'acs-connection-string'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { name: names.identity, location: location, tags: allTags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    location: location
    tags: allTags
    retentionInDays: logRetentionDays
    samplingPercentage: appInsightsSamplingPercentage
    identityPrincipalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: allTags
    skuName: storageSku
    identityPrincipalId: identity.outputs.principalId
    workspaceId: monitoring.outputs.workspaceId
    deploymentContainerName: 'app-package'
    deadLetterContainerName: 'eventgrid-deadletter'
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: names.keyVault
    location: location
    tags: allTags
    identityPrincipalId: identity.outputs.principalId
    workspaceId: monitoring.outputs.workspaceId
    enablePurgeProtection: enableKeyVaultPurgeProtection
    intakeSecret: intakeSecret
    intakeSecretPrevious: intakeSecretPrevious
  }
}

module communication 'modules/communication.bicep' = {
  name: 'communication'
  params: {
    name: names.acs
    tags: allTags
    dataLocation: acsDataLocation
    keyVaultName: keyVault.outputs.name
    workspaceId: monitoring.outputs.workspaceId
    connectionStringSecretName: acsConnectionStringSecretName
  }
}

// ---------------------------------------------------------------------------------------------
// App settings: every key the code reads in Azure, in one place. To add one, add a line here
// (and to local.settings.sample.json); the Infra tests fail when the two drift apart.
//  - AzureWebJobsStorage is the identity-based form: no connection string, no account key.
//  - DataStorage (the app's tables and its case-starts queue) is the same account here: Azure Storage indexes
//    partitions and queues, so the task hub does not slow the app's data. Locally it is a second Azurite.
//  - FUNCTIONS_WORKER_RUNTIME is functionAppConfig.runtime on Flex Consumption (not a setting).
//  - LocalHost__* are for the local host only and are never set in Azure.
//  - Secrets are Key Vault references, resolved by the platform with the user-assigned identity.
// ---------------------------------------------------------------------------------------------
var appSettings = {
  AzureWebJobsStorage__accountName: storage.outputs.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId
  AzureWebJobsStorage__tableServiceUri: storage.outputs.tableEndpoint
  AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
  AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
  DataStorage__credential: 'managedidentity'
  DataStorage__clientId: identity.outputs.clientId
  DataStorage__tableServiceUri: storage.outputs.tableEndpoint
  DataStorage__queueServiceUri: storage.outputs.queueEndpoint
  AZURE_CLIENT_ID: identity.outputs.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
  TaskHubName: taskHubName
  CaseStartQueue: 'case-starts'
  // Never Development in Azure: outside it texts never go to the local sink, which nothing in Azure reads.
  AZURE_FUNCTIONS_ENVIRONMENT: 'Production'
  Operations__HistoryRetentionDays: string(historyRetentionDays)

  Intake__Secret: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/intake-secret/)'
  Intake__SecretPrevious: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/intake-secret-previous/)'
  Bars__ApiUrl: barsApiUrl
  Bars__TokenUrl: barsTokenUrl
  Bars__KeyId: barsKeyId
  // Read only when barsTokenUrl is set; put both in the vault first (docs/deploy.md step 3).
  Bars__ApiKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/bars-api-key/)'
  Bars__PrivateKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/bars-private-key/)'

  CrisisCare__TriageResponseMinutes: string(triageResponseMinutes)
  CrisisCare__TriageEscalationRepeatMinutes: string(triageEscalationRepeatMinutes)
  CrisisCare__TriageTextBackoffMinutes: string(triageTextBackoffMinutes)
  CrisisCare__CoordinatorPhone: coordinatorPhone
  DistrictDirect__AssessmentDueHours: '6'
  DistrictDirect__WorkingDayEnds: '17:00'
  DistrictDirect__OfficerLimitPence: '150000'
  DistrictDirect__AverageDelayDays: '10'

  Ecss__Team: 'derbyshire'
  Ecss__OfferTimeoutMinutes: '10'
  Ecss__RetryIntervalMinutes: '30'
  Ecss__CheckInHours: '12'
  Ecss__BridgingLimitHours: '72'
  Ecss__BridgingOverLimitRepeatHours: '24'
  Ecss__BereavementFollowUps: 'P14D,P3M,P6M,P13M'
  Ecss__CarerCheckInFirstHours: '48'
  Ecss__CarerCheckInEveryHours: '168'
  Ecss__CarerCheckInAfterCareHours: '168'
  Ecss__CarerCheckInReplyHours: '24'
  Ecss__CarerCheckInDaytime: '10:00-18:00'
  Community__DbsValidMonths: '36'

  Sms__ConnectionString: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/${acsConnectionStringSecretName}/)'
  Sms__FromNumber: smsFromNumber
  Sms__SenderKind: smsSenderKind
  Sms__LateSendMinutes: string(smsLateSendMinutes)
  Staff__FirstAdminObjectId: firstAdminObjectId
}

// ---------------------------------------------------------------------------------------------
// Machine callers: they do not sign in. Their paths are excluded from App Service Authentication and each
// caller has its own function key on the functions it calls (functionkeys.bicep says why per function).
// /api/district-direct/referrals is the wards' POST; the staff GET on the same path is checked by the app.
// ---------------------------------------------------------------------------------------------
var machineCallers = [
  { caller: 'nhs111', functions: ['Intake111'], paths: ['/api/intake/111'] }
  { caller: 'bars', functions: ['IntakeBarsMessage', 'BarsMetadata'], paths: ['/api/intake/bars/$process-message', '/api/intake/bars/metadata'] }
  { caller: 'wards', functions: ['SubmitDischargeReferral'], paths: ['/api/district-direct/referrals'] }
  { caller: 'eventgrid', functions: ['ReceiveSms', 'ReceiveSmsDeliveryReport'], paths: ['/api/sms/inbound', '/api/sms/delivery'] }
  { caller: 'monitoring', functions: ['Health'], paths: ['/api/health'] }
]

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: allTags
    identityId: identity.outputs.id
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    workspaceId: monitoring.outputs.workspaceId
    appSettings: appSettings
    additionalAppSettings: additionalAppSettings
    runtimeVersion: dotnetVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    entraClientId: entraClientId
    machinePaths: flatten(map(machineCallers, c => c.paths))
    publicBaseUrl: publicBaseUrl
  }
  // The app starts with these grants in place, or its first start fails to reach storage / secrets.
  dependsOn: [communication]
}

module machineKeys 'modules/functionkeys.bicep' = {
  name: 'functionkeys'
  params: {
    functionAppName: functionApp.outputs.name
    callers: map(machineCallers, c => { caller: c.caller, functions: c.functions })
    values: functionKeys
    codePublished: codePublished
  }
}

module eventGrid 'modules/eventgrid.bicep' = {
  name: 'eventgrid'
  params: {
    systemTopicName: names.systemTopic
    tags: allTags
    communicationServiceName: communication.outputs.name
    functionAppName: functionApp.outputs.name
    identityId: identity.outputs.id
    storageAccountId: storage.outputs.id
    deadLetterContainerName: storage.outputs.deadLetterContainerName
    deploySubscriptions: codePublished
    functionKeyName: 'eventgrid'
  }
  // The webhook URLs carry Event Grid's key: it must exist before the subscriptions are validated.
  dependsOn: [machineKeys]
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    location: location
    tags: allTags
    workspaceId: monitoring.outputs.workspaceId
    systemTopicId: eventGrid.outputs.systemTopicId
    alertEmail: alertEmail
    smsFailureThreshold: smsFailureAlertThreshold
    actionGroupName: names.actionGroup
  }
}

output functionAppName string = functionApp.outputs.name
output functionAppHostName string = functionApp.outputs.defaultHostName
output storageAccountName string = storage.outputs.name
output keyVaultName string = keyVault.outputs.name
output communicationServiceName string = communication.outputs.name
output appInsightsName string = monitoring.outputs.appInsightsName
output identityClientId string = identity.outputs.clientId
output eventGridSystemTopicName string = eventGrid.outputs.systemTopicName
