// Builds the Teams app package: fills in the bot id, validates the manifest and its localization
// files against the official schemas (offline, via @microsoft/app-manifest) and zips them with the icons.
// Run: MicrosoftAppId=<guid> PUBLIC_BASE_URL=https://<host> [APP_VERSION=1.0.1] npm run package
//   →   build/appPackage.zip (the host serves the officers' tab and is the SSO resource api://<host>/<bot id>).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppManifestUtils, type AppManifest, type TeamsManifest } from '@microsoft/app-manifest';
import { createZip, type ZipEntry } from './zip';

export const MANIFEST_DIR = __dirname;
export const PACKAGE_NAME = 'appPackage.zip';
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
/** A host name, optionally with a port: what validDomains and the tab URLs need. */
const DOMAIN = /^(?=.{1,253}(:|$))([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(:\d{1,5})?$/i;
/** The manifest's version format: Teams takes an upload as an update only when this number grows. */
const APP_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
// Only schemas that @microsoft/app-manifest ships, so validation never goes to the network.
const SCHEMA_URL =
  /^https:\/\/developer\.microsoft\.com\/(en-us\/)?json-schemas\/teams\/v1\.\d+\/MicrosoftTeams(\.Localization)?\.schema\.json$/;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Replaces ${{BOT_ID}} and, when a domain is given, ${{BOT_DOMAIN}} in every string value; fails on
 * any other ${{…}} placeholder left over.
 */
export function fillPlaceholders<T extends Json>(value: T, botId: string, domain?: string): T {
  if (!GUID.test(botId)) throw new Error(`The bot id must be a GUID, got "${botId}"`);
  if (domain !== undefined && !DOMAIN.test(domain)) {
    throw new Error(`The domain must be a host name such as puls.example.org, got "${domain}"`);
  }
  const fill = (v: Json): Json => {
    if (typeof v === 'string') {
      let filled = v.replaceAll('${{BOT_ID}}', botId);
      if (domain !== undefined) filled = filled.replaceAll('${{BOT_DOMAIN}}', domain);
      const unknown = /\$\{\{[^}]*\}\}/.exec(filled);
      if (unknown) throw new Error(`Unknown placeholder ${unknown[0]} in the manifest`);
      return filled;
    }
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(value) as T;
}

function readJson(file: string): { [key: string]: Json } {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Json;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${file} is not a JSON object`);
  }
  return parsed;
}

function schemaUrlOf(json: { [key: string]: Json }, file: string): string {
  const url = json['$schema'];
  if (typeof url !== 'string' || !SCHEMA_URL.test(url)) {
    throw new Error(`${file}: "$schema" must be a standard Teams schema address, got ${JSON.stringify(url)}`);
  }
  return url;
}

/** Reads manifest.json with the bot id and the domain (of the tab and SSO) filled in. */
export function loadManifest(botId: string, domain: string, dir = MANIFEST_DIR): TeamsManifest {
  return fillPlaceholders(
    readJson(path.join(dir, 'manifest.json')),
    botId,
    domain,
  ) as unknown as TeamsManifest;
}

/** Schema errors of a Teams manifest; empty when valid. */
export async function validateManifest(manifest: TeamsManifest): Promise<string[]> {
  schemaUrlOf(manifest as unknown as { [key: string]: Json }, 'manifest.json');
  return AppManifestUtils.validateAgainstSchema(manifest);
}

/**
 * Escapes "]" outside character classes. The shipped Localization schemas contain patterns such as
 * `\[\b([0-9]|…)\b]` that ajv rejects in its unicode mode ("Lone quantifier brackets").
 */
function escapeLoneBrackets(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      out += ch + (pattern[i + 1] ?? '');
      i++;
    } else if (ch === '[' && !inClass) {
      inClass = true;
      out += ch;
    } else if (ch === ']') {
      out += inClass ? ch : '\\]';
      inClass = false;
    } else {
      out += ch;
    }
  }
  return out;
}

function fixPatterns(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(fixPatterns);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => {
      if (key === 'pattern' && typeof value === 'string') return [key, escapeLoneBrackets(value)];
      if (key === 'patternProperties' && value && typeof value === 'object') {
        return [
          key,
          Object.fromEntries(Object.entries(value).map(([p, s]) => [escapeLoneBrackets(p), fixPatterns(s)])),
        ];
      }
      return [key, fixPatterns(value)];
    }),
  );
}

/** Schema errors of a localization file (e.g. en.json); empty when valid. */
export async function validateLocalization(
  localization: { [key: string]: Json },
  file: string,
): Promise<string[]> {
  const schema = await AppManifestUtils.fetchSchema(schemaUrlOf(localization, file));
  return AppManifestUtils.validateAgainstSchema(
    localization as unknown as AppManifest,
    fixPatterns(schema) as typeof schema,
  );
}

function schemaVersion(url: string): string {
  return /\/(v1\.\d+)\//.exec(url)?.[1] ?? url;
}

function isPng(data: Buffer): boolean {
  return data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
}

export interface BuildPackageOptions {
  botId: string;
  /** Host of the bot's public address (PUBLIC_BASE_URL): the tab's pages and the SSO resource. */
  domain: string;
  outDir: string;
  /** Where manifest.json and its files are; defaults to this folder. */
  manifestDir?: string;
  /** Overrides manifest.json's "version" (x.y.z): raise it for every update you upload. */
  version?: string;
}

/** Validates everything and writes <outDir>/appPackage.zip; returns its path. */
export async function buildPackage({
  botId,
  domain,
  outDir,
  manifestDir = MANIFEST_DIR,
  version,
}: BuildPackageOptions): Promise<string> {
  const manifest = loadManifest(botId, domain, manifestDir);
  if (version !== undefined) {
    if (!APP_VERSION.test(version)) throw new Error(`The app version must look like 1.0.1, got "${version}"`);
    manifest.version = version;
  }
  const problems = (await validateManifest(manifest)).map((e) => `manifest.json: ${e}`);
  const entries: ZipEntry[] = [
    { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest, null, 2) + '\n') },
  ];

  const icons = manifest.icons as { color: string; outline: string };
  for (const icon of [icons.color, icons.outline]) {
    const data = readFileSync(path.join(manifestDir, icon));
    if (!isPng(data)) problems.push(`${icon}: not a PNG file`);
    entries.push({ name: icon, data });
  }

  const languages = ('localizationInfo' in manifest && manifest.localizationInfo?.additionalLanguages) || [];
  for (const { file } of languages) {
    const localization = fillPlaceholders(readJson(path.join(manifestDir, file)), botId, domain);
    const errors = await validateLocalization(localization, file);
    problems.push(...errors.map((e) => `${file}: ${e}`));
    const schema = schemaVersion(schemaUrlOf(localization, file));
    if (schema !== schemaVersion(manifest.$schema ?? '')) {
      problems.push(`${file}: uses schema ${schema}, but manifest.json uses ${manifest.manifestVersion}`);
    }
    entries.push({ name: file, data: Buffer.from(JSON.stringify(localization, null, 2) + '\n') });
  }

  if (problems.length > 0) {
    throw new Error(`The app manifest is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, PACKAGE_NAME);
  writeFileSync(zipPath, createZip(entries));
  return zipPath;
}

async function main(): Promise<void> {
  // A build script, not part of the bot: it reads the environment directly.
  const botId = process.env.MicrosoftAppId?.trim();
  if (!botId) throw new Error("Set MicrosoftAppId to your bot's Microsoft App ID (the package needs it)");
  if (!GUID.test(botId)) throw new Error(`MicrosoftAppId must be a GUID, got "${botId}"`);
  const base = process.env.PUBLIC_BASE_URL?.trim();
  if (!base || !/^https:\/\//.test(base)) {
    throw new Error(
      'Set PUBLIC_BASE_URL to the https address Teams reaches the bot at (the tab is served there)',
    );
  }
  const domain = new URL(base).host;
  const version = process.env.APP_VERSION?.trim() || undefined;
  const zipPath = await buildPackage({
    botId,
    domain,
    version,
    outDir: path.resolve(MANIFEST_DIR, '..', 'build'),
  });
  console.log(
    `Wrote ${path.relative(process.cwd(), zipPath)} for bot ${botId} at ${domain}, app version ${version ?? loadManifest(botId, domain).version}`,
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
}
