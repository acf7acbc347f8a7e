// Production. Deploy (docs/deploy.md):
//   ENTRA_CLIENT_ID=<app registration client id> SMS_FROM_NUMBER=+44... \
//   az deployment group create -g rg-crisiscare-prod -f infra/main.bicep -p infra/prod.bicepparam
// then, once the code is published, again with `-p deployEventGridSubscriptions=true`.
using 'main.bicep'

param environmentName = 'prod'
param location = 'uksouth'
param taskHubName = 'CrisisCareProd'

param entraClientId = readEnvironmentVariable('ENTRA_CLIENT_ID')
param smsFromNumber = readEnvironmentVariable('SMS_FROM_NUMBER', '')
param deployEventGridSubscriptions = false

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
