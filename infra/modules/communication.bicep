// Azure Communication Services for SMS. ACS is a global resource; `dataLocation` pins where its
// data at rest lives (UK for NHS data). The phone number is bought in the portal (numbers cannot
// be purchased through ARM) and passed to the app as Sms__FromNumber.
// The connection string goes straight into Key Vault; it never appears in an app setting.
param name string
param tags object
param dataLocation string
param keyVaultName string
param workspaceId string
param connectionStringSecretName string

resource acs 'Microsoft.Communication/communicationServices@2025-05-01' = {
  name: name
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

resource connectionString 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: connectionStringSecretName
  properties: {
    value: acs.listKeys().primaryConnectionString
    contentType: 'ACS connection string (endpoint + access key), used for HMAC-signed SMS calls'
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: acs
  properties: {
    workspaceId: workspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

output id string = acs.id
output name string = acs.name
output hostName string = acs.properties.hostName
