// Development environment. Deploy (docs/deploy.md):
//   ENTRA_CLIENT_ID=<app registration client id> SMS_FROM_NUMBER=+44... \
//   az deployment group create -g rg-crisiscare-dev -f infra/main.bicep -p infra/dev.bicepparam
// Secrets are never written here: INTAKE_SECRET / INTAKE_SECRET_PREVIOUS are read from the
// environment on the first deploy only, and left empty afterwards so Key Vault is untouched.
using 'main.bicep'

param environmentName = 'dev'
param location = 'uksouth'
param taskHubName = 'CrisisCareDev'

param entraClientId = readEnvironmentVariable('ENTRA_CLIENT_ID')
param smsFromNumber = readEnvironmentVariable('SMS_FROM_NUMBER', '')
param deployEventGridSubscriptions = false

param intakeSecret = readEnvironmentVariable('INTAKE_SECRET', '')
param intakeSecretPrevious = readEnvironmentVariable('INTAKE_SECRET_PREVIOUS', '')

// Small and cheap: scale to zero, keep logs a month, LRS storage, a vault that can be purged.
param maximumInstanceCount = 40
param instanceMemoryMB = 2048
param alwaysReadyHttpInstances = 0
param logRetentionDays = 30
param appInsightsSamplingPercentage = 100
param storageSku = 'Standard_LRS'
param enableKeyVaultPurgeProtection = false

// The sample's triage clocks; shorten them here to watch the escalation path in dev.
param triageResponseMinutes = 15
param triageEscalationRepeatMinutes = 15
param triageTextBackoffMinutes = 60
param coordinatorPhone = '+447700900001'

param tags = {
  costCentre: 'crisis-care-pilot'
}
