// The app's one user-assigned managed identity. Everything the Function App reaches (Storage,
// Key Vault, Application Insights ingestion) is granted to this identity, so it survives an app
// being deleted and recreated, and the grants can be made before the app exists.
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
