// The deployment recipes checked offline (no Bicep compiler or container engine can run here):
// infra/main.bicep and its parameters file against what src/config.ts reads and requires, and the
// Dockerfile and the App Service start command against what `npm run build` emits. The build output
// is checked through TypeScript's own output-path computation for tsconfig.build.json, which is
// exact and takes milliseconds; the real build runs in CI's clean-clone check and the deploy docs.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config';

const ROOT = path.join(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const bicep = read('infra/main.bicep');
const dockerfile = read('Dockerfile');

/** Settings the template sets that Puls does not read itself, each with the reason. */
const PLATFORM_SETTINGS: Record<string, string> = {
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'App Service: deploy the built package as it is, no build on the server',
};

/** Values App Service fills in at deployment (resource properties, parameters, Key Vault secrets). */
const SAMPLES: Record<string, string> = {
  MicrosoftAppType: 'UserAssignedMSI',
  MicrosoftAppId: '5f3d9a4e-2b1c-4d6e-8f70-112233445566',
  MicrosoftAppTenantId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  MicrosoftAppPassword: 'client-secret-resolved-from-key-vault',
  AZURE_CLIENT_ID: '5f3d9a4e-2b1c-4d6e-8f70-112233445566',
  AZURE_STORAGE_TABLE_URL: 'https://pulsabc123.table.core.windows.net/',
  PSEUDONYM_KEY: 'resolved-from-key-vault-0123456789abcdef0123',
  PUBLIC_BASE_URL: 'https://puls-abc123.azurewebsites.net',
  OFFICERS_TEAM_ID: '19:officers@thread.tacv2',
  OFFICER_AAD_IDS: 'aaaaaaaa-0000-0000-0000-000000000001',
  ALLOWED_TENANT_IDS: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  SEND_RATE_PER_S: '45',
  PRIVACY_CONTROLLER: 'Bezirksamt Altona',
  PRIVACY_DPO_CONTACT: 'datenschutz@altona.hamburg.de',
  PRIVACY_LEGAL_BASIS: 'Dienstvereinbarung Puls',
  PRIVACY_CONTACT: 'digitalisierung@altona.hamburg.de',
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000000',
};

interface Setting {
  name: string;
  /** The Bicep expression. */
  value: string;
}

/** The app settings of the web app: every `{ name: '…' value: … }` pair before the site resource. */
function appSettings(): Setting[] {
  const start = bicep.indexOf('var appSettings = [');
  const end = bicep.indexOf("resource site 'Microsoft.Web/sites");
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  const block = bicep.slice(start, end);
  return [...block.matchAll(/name: '([A-Za-z_][A-Za-z0-9_]*)'\s*\n\s*value: (.+)/g)].map((m) => ({
    name: m[1]!,
    value: m[2]!.trim(),
  }));
}

/** What the process sees: literal values as written, everything computed replaced by a sample. */
function environmentOf(settings: Setting[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { name, value } of settings) {
    const literal = /^'([^'$]*)'$/.exec(value);
    if (literal && !literal[1]!.startsWith('@Microsoft.KeyVault(')) env[name] = literal[1]!;
    else if (name in SAMPLES) env[name] = SAMPLES[name]!;
    else throw new Error(`No sample value for the computed setting ${name}: add one to SAMPLES`);
  }
  return env;
}

describe('infra/main.bicep', () => {
  const settings = appSettings();
  const names = settings.map((s) => s.name);

  it('when the app settings are read, then each is a variable src/config.ts knows or a listed platform setting', () => {
    expect(settings.length).toBeGreaterThan(10);
    const unknown = names.filter((n) => !CONFIG_VARIABLES.includes(n) && !(n in PLATFORM_SETTINGS));
    expect(unknown).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('when the template deploys a UserAssignedMSI bot, then the settings pass the production configuration check on keyless storage', () => {
    const env = environmentOf(settings.filter((s) => s.name !== 'MicrosoftAppPassword'));
    expect(env.MicrosoftAppPassword).toBeUndefined();
    const config = loadConfig(env);
    expect(config.bot.appType).toBe('UserAssignedMSI');
    expect(config.storage.kind).toBe('entra-id');
    expect(config.storage.managedIdentityClientId).toBe(SAMPLES.AZURE_CLIENT_ID);
    expect(config.publicBaseUrl).toMatch(/^https:\/\//);
    expect(config.pseudonymKeyIsDevelopmentDefault).toBe(false);
    expect(config.host).toBe('0.0.0.0');
  });

  it('when the template deploys a SingleTenant bot, then the client secret comes from the key vault and the settings pass too', () => {
    expect(settings.find((s) => s.name === 'MicrosoftAppPassword')?.value).toMatch(
      /^'@Microsoft\.KeyVault\(VaultName=\$\{vault\.name\};SecretName=microsoft-app-password\)'$/,
    );
    const config = loadConfig({ ...environmentOf(settings), MicrosoftAppType: 'SingleTenant' });
    expect(config.bot.appType).toBe('SingleTenant');
    expect(config.bot.appPassword).toBe(SAMPLES.MicrosoftAppPassword);
  });

  it.each([
    'PSEUDONYM_KEY',
    'AZURE_STORAGE_TABLE_URL',
    'PUBLIC_BASE_URL',
    'OFFICERS_TEAM_ID',
    'MicrosoftAppTenantId',
  ])('when %s were missing from the template, then this check would fail as the start-up does', (name) => {
    const env = environmentOf(settings.filter((s) => s.name !== name && s.name !== 'MicrosoftAppPassword'));
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${name} `));
  });

  it('when secrets are set, then they are Key Vault references read with the app identity, never values', () => {
    expect(settings.find((s) => s.name === 'PSEUDONYM_KEY')?.value).toBe(
      "'@Microsoft.KeyVault(VaultName=${vault.name};SecretName=pseudonym-key)'",
    );
    expect(bicep).toMatch(/keyVaultReferenceIdentity: identity\.id/);
    expect(bicep).toMatch(/enableRbacAuthorization: true/);
    expect(bicep).toContain("'4633458b-17de-408a-b874-0445c86b69e6'"); // Key Vault Secrets User
    expect(names).not.toContain('AZURE_STORAGE_CONNECTION_STRING');
    for (const secure of bicep.matchAll(/@secure\(\)\s*\n\s*param (\w+) string = ''/g)) {
      expect(bicep).toMatch(new RegExp(`if \\([^)]*!empty\\(${secure[1]}\\)\\)`));
    }
  });

  it('when the storage account is read, then shared keys are off and the identity is Storage Table Data Contributor', () => {
    expect(bicep).toMatch(/allowSharedKeyAccess: false/);
    expect(bicep).toMatch(/minimumTlsVersion: 'TLS1_2'/);
    expect(bicep).toContain("'0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'"); // Storage Table Data Contributor
    expect(settings.find((s) => s.name === 'AZURE_STORAGE_TABLE_URL')?.value).toBe(
      'storage.properties.primaryEndpoints.table',
    );
  });

  it('when the web app is read, then it runs the built entry point on Node 22 with /healthz, always on, HTTPS only, at least two instances', () => {
    expect(bicep).toMatch(/linuxFxVersion: 'NODE\|22-lts'/);
    expect(bicep).toMatch(/appCommandLine: 'node dist\/bot\/main\.js'/);
    expect(bicep).toMatch(/healthCheckPath: '\/healthz'/);
    expect(read('bot/server.ts')).toMatch(/server\.get\('\/healthz'/);
    expect(bicep).toMatch(/alwaysOn: true/);
    expect(bicep).toMatch(/httpsOnly: true/);
    expect(bicep).toMatch(/@minValue\(2\)\s*\n\s*param instanceCount int = \d+/);
    expect(bicep).toMatch(/capacity: instanceCount/);
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    expect(engines).toMatch(/>=22/);
  });

  it('when the bot resource is read, then its type is one Puls accepts (never MultiTenant) and Teams is its channel', () => {
    const allowed = /@allowed\(\[([^\]]*)\]\)\s*\n\s*param botAppType string/.exec(bicep)?.[1];
    const types = [...(allowed ?? '').matchAll(/'(\w+)'/g)].map((m) => m[1]);
    expect(types.sort()).toEqual(['SingleTenant', 'UserAssignedMSI']);
    for (const type of types) expect(loadConfig({ MicrosoftAppType: type }).bot).toBeDefined();
    expect(bicep).not.toContain("'MultiTenant'");
    expect(bicep).toMatch(/msaAppType: botAppType/);
    expect(bicep).toMatch(/msaAppMSIResourceId: botIsIdentity \? identity\.id : null/);
    expect(bicep).toMatch(/channelName: 'MsTeamsChannel'/);
    expect(bicep).toMatch(/endpoint: '\$\{baseUrl\}\/api\/messages'/);
    // The same identity is the bot and reaches the tables.
    expect(settings.find((s) => s.name === 'MicrosoftAppId')?.value).toBe(
      'botIsIdentity ? identity.properties.clientId : botAppId',
    );
    expect(settings.find((s) => s.name === 'AZURE_CLIENT_ID')?.value).toBe('identity.properties.clientId');
  });

  it("when telemetry is on (the default), then the connection string of the template's Application Insights reaches the config, and off leaves it empty", () => {
    expect(settings.find((s) => s.name === 'APPLICATIONINSIGHTS_CONNECTION_STRING')?.value).toBe(
      "enableTelemetry ? insights.properties.ConnectionString : ''",
    );
    expect(bicep).toMatch(/param enableTelemetry bool = true/);
    expect(bicep).toMatch(/WorkspaceResourceId: logs\.id/);
    const env = environmentOf(settings.filter((s) => s.name !== 'MicrosoftAppPassword'));
    expect(loadConfig(env).telemetry.connectionString).toBe(SAMPLES.APPLICATIONINSIGHTS_CONNECTION_STRING);
    expect(
      loadConfig({ ...env, APPLICATIONINSIGHTS_CONNECTION_STRING: '' }).telemetry.connectionString,
    ).toBeUndefined();
  });

  it('when the parameters file is read, then it names only template parameters, covers every required one and holds no secret', () => {
    const parameters = (
      JSON.parse(read('infra/main.parameters.json')) as { parameters: Record<string, { value: unknown }> }
    ).parameters;
    const declared = new Map(
      [...bicep.matchAll(/^param (\w+) (\w+)( = .*)?$/gm)].map((m) => [m[1]!, { required: !m[3] }]),
    );
    for (const name of Object.keys(parameters)) expect(declared.has(name)).toBe(true);
    const required = [...declared].filter(([, p]) => p.required).map(([n]) => n);
    expect(required.length).toBeGreaterThan(0);
    for (const name of required) expect(parameters).toHaveProperty(name);
    expect(parameters).not.toHaveProperty('pseudonymKey');
    expect(parameters).not.toHaveProperty('botAppPassword');
  });
});

describe('Dockerfile and the build output', () => {
  const parsed = (() => {
    const configPath = path.join(ROOT, 'tsconfig.build.json');
    const result = ts.getParsedCommandLineOfConfigFile(
      configPath,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    )!;
    expect(result.errors).toEqual([]);
    return result;
  })();
  const outputsOf = (file: string) =>
    ts
      .getOutputFileNames(parsed, path.join(ROOT, file), false)
      .map((f) => path.relative(ROOT, f).split(path.sep).join('/'));

  it('when tsconfig.build.json is applied, then bot/main.ts becomes dist/bot/main.js, the entry point of the Dockerfile and App Service', () => {
    expect(outputsOf('bot/main.ts')).toContain('dist/bot/main.js');
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/bot\/main\.js"\]$/m);
    expect(read('package.json')).toContain('"build": ');
    expect((JSON.parse(read('package.json')) as { scripts: { build: string } }).scripts.build).toContain(
      'tsc -p tsconfig.build.json',
    );
  });

  it('when tsconfig.build.json is applied, then every card template and the question bank land where the code looks for them', () => {
    for (const file of readdirSync(path.join(ROOT, 'surveys')).filter((f) => f.endsWith('.json'))) {
      // src/surveys/question-bank.ts reads <its dir>/../../surveys: dist/src/surveys → dist/surveys.
      expect(outputsOf(`surveys/${file}`)).toEqual([`dist/surveys/${file}`]);
    }
    expect(read('src/surveys/question-bank.ts')).toContain("path.join(__dirname, '..', '..', 'surveys')");
    for (const file of readdirSync(path.join(ROOT, 'cards')).filter((f) => f.endsWith('.json'))) {
      expect(outputsOf(`cards/${file}`)).toEqual([`dist/cards/${file}`]);
    }
    // Nothing of the tests, benches or dev scripts goes into the production build.
    const sources = parsed.fileNames.map((f) => path.relative(ROOT, f));
    expect(sources.filter((f) => /^(test|bench|scripts|manifest)\//.test(f))).toEqual([]);
  });

  it('when the Dockerfile is read, then it builds in one stage and runs as a non-root user under an init process in another', () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+)( AS (\w+))?$/gm)];
    expect(stages).toHaveLength(2);
    for (const stage of stages) expect(stage[1]).toMatch(/^node:22-/);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    expect(runtime).toMatch(/apt-get install -y --no-install-recommends tini/);
    // The build stage copies what tsconfig.build.json compiles, and .dockerignore keeps it in.
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'));
    for (const needed of [
      'bot',
      'src',
      'cards',
      'surveys',
      'web',
      'tsconfig.json',
      'tsconfig.build.json',
      'package.json',
    ]) {
      expect(dockerfile).toMatch(new RegExp(`^COPY .*\\b${needed.replace('.', '\\.')}\\b`, 'm'));
      expect(ignored).not.toContain(needed);
    }
    expect(ignored).toEqual(expect.arrayContaining(['.env', 'node_modules', '.data', '.git']));
  });
});
