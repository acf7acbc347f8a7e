// Production. Deploy (docs/deploy.md):
//   ENTRA_CLIENT_ID=<app registration client id> ALERT_EMAIL=<operations mailbox> SMS_FROM_NUMBER=+44... \
//   az deployment group create -g rg-crisiscare-prod -f infra/main.bicep -p infra/prod.bicepparam
// then, once the code is published, again with CODE_PUBLISHED=true (and on every deploy after).
using 'main.bicep'

param environmentName = 'prod'
param location = 'uksouth'
param taskHubName = 'CrisisCareProd'

param entraClientId = readEnvironmentVariable('ENTRA_CLIENT_ID')
param barsApiUrl = readEnvironmentVariable('BARS_API_URL', '')
param barsTokenUrl = readEnvironmentVariable('BARS_TOKEN_URL', '')
param barsKeyId = readEnvironmentVariable('BARS_KEY_ID', '')
param smsFromNumber = readEnvironmentVariable('SMS_FROM_NUMBER', '')
param smsSenderKind = readEnvironmentVariable('SMS_SENDER_KIND', 'uk-mobile')
// Empty: links in texts open the Function App's own https host name.
param publicBaseUrl = readEnvironmentVariable('PUBLIC_BASE_URL', '')
param alertEmail = readEnvironmentVariable('ALERT_EMAIL')
// false until the code is published (docs/deploy.md step 4), then true on every deploy.
param codePublished = bool(readEnvironmentVariable('CODE_PUBLISHED', 'false'))

// Named function keys, one per machine caller, read from the environment only on the deploy that sets or rotates
// them (docs/deploy.md); empty leaves a key as it is.
param functionKeys = {
  nhs111: readEnvironmentVariable('NHS111_FUNCTION_KEY', '')
  bars: readEnvironmentVariable('BARS_FUNCTION_KEY', '')
  wards: readEnvironmentVariable('WARDS_FUNCTION_KEY', '')
  eventgrid: readEnvironmentVariable('EVENTGRID_FUNCTION_KEY', '')
  monitoring: readEnvironmentVariable('MONITORING_FUNCTION_KEY', '')
}

param intakeSecret = readEnvironmentVariable('INTAKE_SECRET', '')
param intakeSecretPrevious = readEnvironmentVariable('INTAKE_SECRET_PREVIOUS', '')

// One warm HTTP instance so a 111 call at 03:00 never waits on a cold start; zone-redundant
// storage in UK South; 90 days of logs online (export to archive per the trust's retention policy).
param maximumInstanceCount = 100
param instanceMemoryMB = 2048
param alwaysReadyHttpInstances = 1
param logRetentionDays = 90
param appInsightsSamplingPercentage = 100
param storageSku = 'Standard_ZRS'
param historyRetentionDays = 90
param smsFailureAlertThreshold = 5
param enableKeyVaultPurgeProtection = true

param triageResponseMinutes = 15
param triageEscalationRepeatMinutes = 15
param triageTextBackoffMinutes = 60
// Set to the ECSS coordinator's on-call number before go-live (Ofcom drama range placeholder).
param coordinatorPhone = '+447700900001'

param tags = {
  costCentre: 'crisis-care'
  dataClassification: 'OFFICIAL-SENSITIVE'
}
