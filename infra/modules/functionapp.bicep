// The Function App on the Flex Consumption plan (FC1, Linux), .NET isolated worker.
//
// Why Flex Consumption rather than Elastic Premium (EP1-EP3):
//  - scale to zero and per-execution billing: a trust's SPOC sees tens to low hundreds of calls a
//    day and quiet nights; EP bills at least one warm instance 24/7;
//  - `alwaysReady` instances for the HTTP group remove cold starts on the 111 webhook where it
//    matters (prod), without paying for a whole plan;
//  - managed-identity-only deployment storage and private networking (VNet integration) are
//    available here, which EP needed an Azure Files share with a key for;
//  - it is where new Functions features land; Linux Consumption (Y1) retires in 2028.
// Move to Elastic Premium if you need deployment slots (not on Flex), Netherite (not supported on
// Flex), or a workload that must never scale below N warm instances regardless of cost.
param name string
param planName string
param location string
param tags object
param identityId string
param deploymentContainerUrl string
param workspaceId string
@description('Every app setting, built in main.bicep. Keys are the configuration keys the code reads.')
param appSettings object
@description('Per-environment extra or overriding settings (non-secret), merged over appSettings.')
param additionalAppSettings object = {}
param runtimeVersion string
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int
@allowed([512, 2048, 4096])
param instanceMemoryMB int
@minValue(0)
param alwaysReadyHttpInstances int
@description('Application (client) id of the Entra app registration used by App Service Authentication.')
param entraClientId string
@description('Paths of the machine callers (111, BaRS, wards, Event Grid, monitoring): no sign-in, the function key instead.')
param machinePaths array
@description('Where links in texts open the staff pages (Sms__LinkBaseUrl), e.g. a custom domain. Empty: the app\'s own https host name.')
param publicBaseUrl string = ''

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve with the user-assigned identity (default would be system-assigned).
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        alwaysReady: alwaysReadyHttpInstances > 0 ? [{ name: 'http', instanceCount: alwaysReadyHttpInstances }] : []
      }
      // Flex Consumption takes the worker runtime here, not in FUNCTIONS_WORKER_RUNTIME.
      runtime: { name: 'dotnet-isolated', version: runtimeVersion }
    }
  }
}

resource settings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: app
  name: 'appsettings'
  // Sms__LinkBaseUrl from the app's own host name, known only once the app exists: texts link staff to the page where
  // they answer an offer or an approval (the only way to answer from a send-only sender).
  properties: union(appSettings, {
    Sms__LinkBaseUrl: empty(publicBaseUrl) ? 'https://${app.properties.defaultHostName}' : publicBaseUrl
  }, additionalAppSettings)
}

// App Service Authentication (Easy Auth) with Entra ID. Staff pages and staff routes need a signed-in person: a page
// load without a session is sent to the Entra sign-in, and the pages' API calls (which send X-Requested-With) get 401
// instead of a redirect their fetch could not follow. The machine paths are excluded: the platform does not ask them
// to sign in, and Functions checks their function key. An excluded path is matched as written, without the query
// string, so the staff GET on /api/district-direct/referrals is let through too, and the app itself refuses it
// without a principal. The platform sets X-MS-CLIENT-PRINCIPAL on every request and drops any a client sends.
resource auth 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true, runtimeVersion: '~1' }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
      excludedPaths: machinePaths
    }
    httpSettings: { requireHttps: true }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: entraClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: ['api://${entraClientId}', entraClientId]
        }
      }
    }
    // No token store: the browser never needs the tokens (the session cookie is enough), /.auth/me would hand them to
    // any script on the page, and Flex Consumption has no file system to keep them in.
    login: { tokenStore: { enabled: false } }
  }
}

// No publishing passwords: deploy with Entra (az / func use a token).
resource ftpPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: app
  name: 'ftp'
  properties: { allow: false }
}

resource scmPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: app
  name: 'scm'
  properties: { allow: false }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: app
  properties: {
    workspaceId: workspaceId
    logs: [{ category: 'FunctionAppLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

output id string = app.id
output name string = app.name
output defaultHostName string = app.properties.defaultHostName
