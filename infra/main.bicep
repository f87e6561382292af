// Puls on Azure: one resource group with everything a district office needs to run it.
// Deploy: az deployment group create -g <group> -f infra/main.bicep -p infra/main.parameters.json \
//           -p pseudonymKey=<first deployment only> (see docs/deploy.md)
//
// - a user-assigned managed identity: the bot's identity (UserAssignedMSI) and the app's identity for
//   the tables and the key vault, so no password or storage key exists anywhere;
// - an Azure Bot (SingleTenant or UserAssignedMSI; new multi-tenant bots cannot be created) with the
//   Microsoft Teams channel;
// - a Linux App Service plan and web app on Node 22, at least two instances, /healthz as health check;
// - a storage account with shared-key access disabled (Table Storage through Microsoft Entra only);
// - a key vault holding PSEUDONYM_KEY (and the client secret for SingleTenant), read through
//   Key Vault references in the app settings;
// - Log Analytics + Application Insights.

targetScope = 'resourceGroup'

@description('Prefix of every resource name (letters, digits, hyphens).')
@minLength(3)
@maxLength(12)
param namePrefix string = 'puls'

@description('Azure region of everything but the bot (which is global).')
param location string = resourceGroup().location

@description('UserAssignedMSI: the bot is the managed identity created here (no secret at all). SingleTenant: an Entra app registration you created (botAppId + botAppPassword).')
@allowed([
  'UserAssignedMSI'
  'SingleTenant'
])
param botAppType string = 'UserAssignedMSI'

@description('SingleTenant only: the application (client) id of your app registration.')
param botAppId string = ''

@description('SingleTenant only: a client secret of that app registration. Stored in the key vault; leave empty on later deployments to keep the stored one.')
@secure()
param botAppPassword string = ''

@description('PSEUDONYM_KEY, at least 32 random characters. Give it on the FIRST deployment only; leave it empty afterwards so that the stored key is kept (a new key breaks the link to earlier pseudonyms).')
@secure()
param pseudonymKey string = ''

@description('Teams team id (19:…@thread.tacv2) or Microsoft 365 group id of the digitalisation officers\' team.')
param officersTeamId string

@description('Comma-separated Entra object ids of the digitalisation officers.')
param officerAadIds string

@description('Comma-separated Entra tenant ids whose staff Puls serves. Default: this subscription\'s tenant.')
param allowedTenantIds string = tenant().tenantId

@description('Public https address of the bot. Default: the web app\'s azurewebsites.net address.')
param publicBaseUrl string = ''

@description('Proactive messages per second for the whole tenant, shared by all instances (Teams allows 50).')
@minValue(1)
@maxValue(50)
param sendRatePerSecond int = 45

@description('App Service plan size. P0v3 or larger; B-sizes lack the instance count and always-on guarantees needed here.')
param appServiceSku string = 'P0v3'

@description('Number of web app instances (at least two, so that an instance can restart without an outage).')
@minValue(2)
param instanceCount int = 2

@description('Azure Bot pricing tier. Microsoft Teams is a standard channel: F0 is enough.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Storage redundancy. ZRS keeps the tables through the loss of one zone.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_ZRS'

@description('Shown on the privacy card (datenschutz): the controller, e.g. "Bezirksamt Altona, …".')
param privacyController string = ''

@description('Shown on the privacy card: how to reach the data protection officer.')
param privacyDpoContact string = ''

@description('Shown on the privacy card: the legal basis, e.g. the Dienstvereinbarung.')
param privacyLegalBasis string = ''

@description('Shown on the privacy card: whom staff ask about Puls.')
param privacyContact string = ''

var suffix = uniqueString(resourceGroup().id)
var webAppName = '${namePrefix}-${suffix}'
var storageName = take('${toLower(replace(namePrefix, '-', ''))}${suffix}', 24)
var keyVaultName = take('${namePrefix}-kv-${suffix}', 24)
var baseUrl = empty(publicBaseUrl) ? 'https://${webAppName}.azurewebsites.net' : publicBaseUrl
var botIsIdentity = botAppType == 'UserAssignedMSI'

// Built-in role definitions.
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-id-${suffix}'
  location: location
}

resource logs 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: '${namePrefix}-logs-${suffix}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 90
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-ai-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: false
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: {
    name: storageSku
  }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
  }
}

resource tableAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource pseudonymKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(pseudonymKey)) {
  parent: vault
  name: 'pseudonym-key'
  properties: {
    value: pseudonymKey
  }
}

resource botPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!botIsIdentity && !empty(botAppPassword)) {
  parent: vault
  name: 'microsoft-app-password'
  properties: {
    value: botAppPassword
  }
}

resource secretAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${namePrefix}-plan-${suffix}'
  location: location
  kind: 'linux'
  sku: {
    name: appServiceSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

var appSettings = [
  {
    name: 'MicrosoftAppType'
    value: botAppType
  }
  {
    name: 'MicrosoftAppId'
    value: botIsIdentity ? identity.properties.clientId : botAppId
  }
  {
    name: 'MicrosoftAppTenantId'
    value: tenant().tenantId
  }
  {
    name: 'AZURE_CLIENT_ID'
    value: identity.properties.clientId
  }
  {
    name: 'AZURE_STORAGE_TABLE_URL'
    value: storage.properties.primaryEndpoints.table
  }
  {
    name: 'TABLE_PREFIX'
    value: 'puls'
  }
  {
    name: 'PSEUDONYM_KEY'
    value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=pseudonym-key)'
  }
  {
    name: 'PUBLIC_BASE_URL'
    value: baseUrl
  }
  {
    name: 'OFFICERS_TEAM_ID'
    value: officersTeamId
  }
  {
    name: 'OFFICER_AAD_IDS'
    value: officerAadIds
  }
  {
    name: 'ALLOWED_TENANT_IDS'
    value: allowedTenantIds
  }
  {
    name: 'SEND_RATE_PER_S'
    value: string(sendRatePerSecond)
  }
  {
    name: 'PRIVACY_CONTROLLER'
    value: privacyController
  }
  {
    name: 'PRIVACY_DPO_CONTACT'
    value: privacyDpoContact
  }
  {
    name: 'PRIVACY_LEGAL_BASIS'
    value: privacyLegalBasis
  }
  {
    name: 'PRIVACY_CONTACT'
    value: privacyContact
  }
  {
    name: 'LOG_LEVEL'
    value: 'info'
  }
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: insights.properties.ConnectionString
  }
  {
    name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
    value: 'false'
  }
]

var passwordSetting = botIsIdentity
  ? []
  : [
      {
        name: 'MicrosoftAppPassword'
        value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=microsoft-app-password)'
      }
    ]

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'node dist/bot/main.js'
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: concat(appSettings, passwordSetting)
    }
  }
  dependsOn: [
    tableAccess
    secretAccess
  ]
}

resource siteLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: logs.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${namePrefix}-bot-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: 'Puls'
    endpoint: '${baseUrl}/api/messages'
    msaAppType: botAppType
    msaAppId: botIsIdentity ? identity.properties.clientId : botAppId
    msaAppTenantId: tenant().tenantId
    msaAppMSIResourceId: botIsIdentity ? identity.id : null
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

@description('The bot id for the Teams app package: MicrosoftAppId=<this> npm run package')
output botAppId string = botIsIdentity ? identity.properties.clientId : botAppId
output webAppName string = site.name
output publicBaseUrl string = baseUrl
output keyVaultName string = vault.name
output storageAccountName string = storage.name
output tableEndpoint string = storage.properties.primaryEndpoints.table
