// Key Vault in RBAC mode: the 111 intake HMAC secret (current + previous, for rotation) and the
// ACS connection string (written by communication.bicep). The app reads them through Key Vault
// references with its user-assigned identity, granted Key Vault Secrets User on this vault only.
param name string
param location string
param tags object
param identityPrincipalId string
param workspaceId string
@description('Purge protection cannot be turned off once on: true for prod, false lets a dev vault be purged and its name reused.')
param enablePurgeProtection bool

@secure()
@description('Optional. When non-empty, written as `intake-secret`. Leave empty on later deploys so the live secret is untouched.')
param intakeSecret string = ''
@secure()
@description('Optional. When non-empty, written as `intake-secret-previous`.')
param intakeSecretPrevious string = ''

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identityPrincipalId, '4633458b-17de-408a-b874-0445c86b69e6')
  scope: vault
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6') // Key Vault Secrets User
  }
}

resource intake 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(intakeSecret)) {
  parent: vault
  name: 'intake-secret'
  properties: { value: intakeSecret, contentType: 'HMAC-SHA256 key shared with the 111 provider' }
}

resource intakePrevious 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(intakeSecretPrevious)) {
  parent: vault
  name: 'intake-secret-previous'
  properties: { value: intakeSecretPrevious, contentType: 'Previous 111 HMAC key during rotation; a random unshared value otherwise' }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: workspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
