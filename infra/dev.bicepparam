// Development environment. Deploy (docs/deploy.md):
//   ENTRA_CLIENT_ID=<app registration client id> ALERT_EMAIL=<operations mailbox> SMS_FROM_NUMBER=+44... \
//   az deployment group create -g rg-crisiscare-dev -f infra/main.bicep -p infra/dev.bicepparam
// Secrets are never written here: INTAKE_SECRET / INTAKE_SECRET_PREVIOUS are read from the
// environment on the first deploy only, and left empty afterwards so Key Vault is untouched.
using 'main.bicep'

param environmentName = 'dev'
param location = 'uksouth'
param taskHubName = 'CrisisCareDev'

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

// Small and cheap: scale to zero, keep logs a month, LRS storage, a vault that can be purged.
param maximumInstanceCount = 40
param instanceMemoryMB = 2048
param alwaysReadyHttpInstances = 0
param logRetentionDays = 30
param appInsightsSamplingPercentage = 100
param storageSku = 'Standard_LRS'
param historyRetentionDays = 90
param smsFailureAlertThreshold = 5
param enableKeyVaultPurgeProtection = false

// The sample's triage clocks; shorten them here to watch the escalation path in dev.
param triageResponseMinutes = 15
param triageEscalationRepeatMinutes = 15
param triageTextBackoffMinutes = 60
param coordinatorPhone = '+447700900001'

param tags = {
  costCentre: 'crisis-care-pilot'
}
