// The Teams app manifest, its English localization, the icons and the packager (build/appPackage.zip).
import { createCommands } from '../../bot/commands';
import { ideaCommands } from '../../bot/ideas';
import { surveyCommands } from '../../bot/surveys';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { AppManifestUtils } from '@microsoft/app-manifest';
import {
  buildPackage,
  fillPlaceholders,
  loadManifest,
  MANIFEST_DIR,
  PACKAGE_NAME,
  validateLocalization,
} from '../../manifest/package';
import { createZip, readZipEntries } from '../../manifest/zip';

// @microsoft/app-manifest requires strip-bom, an ES module that jest cannot require on Node 20 (plain
// Node 20.19+ can). Only its file readers use it; these tests validate objects, so stub it.
jest.mock('strip-bom', () => ({ __esModule: true, default: (text: string) => text.replace(/^\uFEFF/, '') }));

const BOT_ID = '0b5c2d3e-4f60-4a7b-8c9d-0e1f2a3b4c5d';
const DOMAIN = 'puls.bezirksamt.example';
const manifestFile = (name: string) => path.join(MANIFEST_DIR, name);

interface Command {
  title: string;
  description: string;
}
interface Bot {
  botId: string;
  scopes: string[];
  supportsFiles?: boolean;
  isNotificationOnly?: boolean;
  commandLists?: { scopes: string[]; commands: Command[] }[];
}

function bot(): Bot {
  const bots = (loadManifest(BOT_ID, DOMAIN) as { bots?: Bot[] }).bots;
  expect(bots).toHaveLength(1);
  return bots![0]!;
}

function commandTitles(scope: string): string[] {
  const list = bot().commandLists?.find((l) => l.scopes.includes(scope));
  return list?.commands.map((c) => c.title) ?? [];
}

interface Png {
  width: number;
  height: number;
  colourType: number;
  /** RGBA, row-major, 4 bytes per pixel. */
  pixels: Buffer;
}

/** Decodes a non-interlaced 8-bit RGBA PNG whose rows all use filter type 0. */
function readPng(file: string): Png {
  const data = readFileSync(file);
  expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(data.toString('ascii', 12, 16)).toBe('IHDR');
  const width = data.readUInt32BE(16);
  const height = data.readUInt32BE(20);
  const bitDepth = data[24];
  const colourType = data[25]!;
  const interlace = data[28];
  const idat: Buffer[] = [];
  for (let pos = 8; pos < data.length;) {
    const length = data.readUInt32BE(pos);
    if (data.toString('ascii', pos + 4, pos + 8) === 'IDAT')
      idat.push(data.subarray(pos + 8, pos + 8 + length));
    pos += 12 + length;
  }
  expect({ bitDepth, interlace }).toEqual({ bitDepth: 8, interlace: 0 });
  const raw = inflateSync(Buffer.concat(idat));
  const stride = 1 + width * 4;
  expect(raw.length).toBe(height * stride);
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * stride]).toBe(0);
    raw.copy(pixels, y * width * 4, y * stride + 1, (y + 1) * stride);
  }
  return { width, height, colourType, pixels };
}

describe('Teams app manifest', () => {
  it('when the bot id is filled in, then manifest.json is valid against its official schema (offline)', async () => {
    const manifest = loadManifest(BOT_ID, DOMAIN);
    expect(manifest.$schema).toMatch(
      /^https:\/\/developer\.microsoft\.com\/en-us\/json-schemas\/teams\/v1\.(19|[2-9]\d)\/MicrosoftTeams\.schema\.json$/,
    );
    expect(manifest.$schema).toContain(`/v${manifest.manifestVersion}/`);
    expect(await AppManifestUtils.validateAgainstSchema(manifest)).toEqual([]);
    expect(manifest.id).toBe(BOT_ID);
  });

  it('when the developer name is longer than the schema allows, then validation reports it', async () => {
    const manifest = loadManifest(BOT_ID, DOMAIN);
    const tooLong = {
      ...manifest,
      developer: { ...manifest.developer, name: 'Freie und Hansestadt Hamburg – Bezirksämter' },
    };
    const errors = await AppManifestUtils.validateAgainstSchema(tooLong);
    expect(errors.join('\n')).toMatch(/developer\/name/);
  });

  it('when manifest.json is read as it is stored, then it carries the bot id placeholder, not a real id', () => {
    const raw = JSON.parse(readFileSync(manifestFile('manifest.json'), 'utf8')) as {
      id: string;
      bots: { botId: string }[];
    };
    expect(raw.id).toBe('${{BOT_ID}}');
    expect(raw.bots[0]!.botId).toBe('${{BOT_ID}}');
  });

  it('when the manifest is loaded, then the bot is conversational in personal and team scope without files', () => {
    const b = bot();
    expect(b.botId).toBe(BOT_ID);
    expect([...b.scopes].sort()).toEqual(['personal', 'team']);
    expect(b.supportsFiles).toBe(false);
    expect(b.isNotificationOnly).toBe(false);
  });

  it('when the command lists are read, then every listed command is one the bot understands', () => {
    const router = createCommands({
      config: {
        privacy: { kMin: 5, kText: 10, retentionMonths: 24 },
        privacyNotice: {
          controller: undefined,
          dpoContact: undefined,
          legalBasis: undefined,
          contact: undefined,
        },
      },
      users: undefined as never,
      installation: undefined as never,
      extra: [
        ...surveyCommands({
          surveys: undefined as never,
          results: undefined as never,
          resultsBack: undefined as never,
          clock: undefined as never,
          privacy: { kMin: 5 },
        }),
        ...ideaCommands({ ideas: undefined as never }),
      ],
    });
    expect(commandTitles('personal')).toEqual(
      expect.arrayContaining(['hilfe', 'einstellungen', 'datenschutz', 'umfrage']),
    );
    expect(commandTitles('team')).toEqual(expect.arrayContaining(['hilfe', 'umfragen']));
    for (const list of bot().commandLists ?? []) {
      for (const command of list.commands) {
        expect(command.description.length).toBeGreaterThan(0);
        expect(router.match(command.title)).toBeDefined();
      }
    }
  });

  it('when the manifest is read, then it is German by default with an English localization file', () => {
    const manifest = loadManifest(BOT_ID, DOMAIN) as {
      localizationInfo?: {
        defaultLanguageTag: string;
        additionalLanguages?: { languageTag: string; file: string }[];
      };
      name: { short: string };
      permissions?: string[];
      validDomains?: string[];
    };
    expect(manifest.name.short).toBe('Puls');
    expect(manifest.localizationInfo?.defaultLanguageTag).toBe('de-de');
    expect(manifest.localizationInfo?.additionalLanguages).toEqual([{ languageTag: 'en', file: 'en.json' }]);
    expect(manifest.permissions).toEqual(['identity', 'messageTeamMembers']);
    expect(manifest.validDomains).toEqual([DOMAIN]);
  });

  it('when the texts speak of privacy, then answers are pseudonymous, anonymous only after a survey has closed', () => {
    const manifest = loadManifest(BOT_ID, DOMAIN) as { description: { full: string } };
    const en = JSON.parse(readFileSync(manifestFile('en.json'), 'utf8')) as Record<string, string>;
    const texts = [
      { text: manifest.description.full, stored: 'pseudonym gespeichert', closed: 'nach dem Ende' },
      { text: en['description.full']!, stored: 'under a pseudonym', closed: 'after a survey has closed' },
    ];
    for (const { text, stored, closed } of texts) {
      expect(text).toContain(stored);
      // Every sentence that calls answers anonymous says that this holds once the survey has closed.
      const sentences = text.split(/(?<=[.!?])\s+/).filter((x) => /(?<!pseud)onym/i.test(x));
      expect(sentences.length).toBeGreaterThan(0);
      for (const sentence of sentences) expect(sentence).toContain(closed);
    }
    // In the command lists only ideas may be submitted anonymously (without a name).
    const descriptions = [
      ...(bot().commandLists ?? []).flatMap((l) =>
        l.commands.map((c) => ({ title: c.title, d: c.description })),
      ),
      ...Object.entries(en)
        .filter(([key]) => key.endsWith('.description'))
        .map(([key, d]) => ({ title: key, d })),
    ];
    const anonymous = descriptions.filter((x) => /(?<!pseud)anonym/i.test(x.d));
    expect(anonymous.map((x) => x.d)).toEqual([
      'Eine Idee einreichen, auch anonym',
      'Submit an idea, anonymously if you like',
    ]);
  });

  it('when en.json is validated, then it matches the Localization schema of the same version', async () => {
    const en = JSON.parse(readFileSync(manifestFile('en.json'), 'utf8')) as { $schema: string };
    expect(en.$schema).toBe(
      loadManifest(BOT_ID, DOMAIN).$schema!.replace('.schema.json', '.Localization.schema.json'),
    );
    expect(await validateLocalization(en, 'en.json')).toEqual([]);
  });

  it('when a localization file has an unknown key, then validation reports it', async () => {
    const en = JSON.parse(readFileSync(manifestFile('en.json'), 'utf8')) as Record<string, string>;
    const errors = await validateLocalization({ ...en, 'bots[0].nonsense': 'x' }, 'en.json');
    expect(errors.join('\n')).toMatch(/additional/i);
  });

  it('when a localized command points past the command lists, then validation reports it', async () => {
    const en = JSON.parse(readFileSync(manifestFile('en.json'), 'utf8')) as Record<string, string>;
    const errors = await validateLocalization(
      { ...en, 'bots[0].commandLists[3].commands[0].title': 'x' },
      'en.json',
    );
    expect(errors).not.toEqual([]);
  });

  it('when a placeholder other than the bot id is left, then filling placeholders fails', () => {
    expect(() => fillPlaceholders({ a: '${{BOT_DOMAIN}}' }, BOT_ID)).toThrow('${{BOT_DOMAIN}}');
    expect(() => fillPlaceholders({ a: '${{TAB_URL}}' }, BOT_ID, DOMAIN)).toThrow('${{TAB_URL}}');
    expect(() => fillPlaceholders({ a: '${{BOT_DOMAIN}}' }, BOT_ID, 'https://x.example')).toThrow(
      /host name/,
    );
    expect(() => fillPlaceholders({ a: '${{BOT_ID}}' }, 'not-a-guid')).toThrow(/GUID/);
  });
});

describe('Teams app icons', () => {
  it('when color.png is read, then it is a 192×192 RGBA PNG', () => {
    const png = readPng(manifestFile('color.png'));
    expect({ width: png.width, height: png.height, colourType: png.colourType }).toEqual({
      width: 192,
      height: 192,
      colourType: 6,
    });
  });

  it('when outline.png is read, then it is 32×32 with only white or transparent pixels', () => {
    const png = readPng(manifestFile('outline.png'));
    expect({ width: png.width, height: png.height, colourType: png.colourType }).toEqual({
      width: 32,
      height: 32,
      colourType: 6,
    });
    let transparent = 0;
    let white = 0;
    for (let i = 0; i < png.pixels.length; i += 4) {
      const [r, g, b, a] = png.pixels.subarray(i, i + 4);
      if (a === 0) transparent++;
      else if (r === 255 && g === 255 && b === 255) white++;
      else throw new Error(`Pixel ${i / 4} is neither white nor transparent: ${r},${g},${b},${a}`);
    }
    expect(white).toBeGreaterThan(0);
    expect(transparent).toBeGreaterThan(white);
  });
});

describe('App package', () => {
  let outDir: string;
  beforeEach(() => {
    outDir = mkdtempSync(path.join(tmpdir(), 'puls-package-'));
  });
  afterEach(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it('when the package is built, then the zip holds the manifest with the bot id, the icons and en.json', async () => {
    const zipPath = await buildPackage({ botId: BOT_ID, domain: DOMAIN, outDir });
    expect(zipPath).toBe(path.join(outDir, PACKAGE_NAME));
    const entries = readZipEntries(readFileSync(zipPath));
    expect(entries.map((e) => e.name).sort()).toEqual([
      'color.png',
      'en.json',
      'manifest.json',
      'outline.png',
    ]);
    const byName = new Map(entries.map((e) => [e.name, e.data]));
    const manifest = JSON.parse(byName.get('manifest.json')!.toString('utf8')) as {
      id: string;
      bots: { botId: string }[];
    };
    expect(manifest.id).toBe(BOT_ID);
    expect(manifest.bots[0]!.botId).toBe(BOT_ID);
    expect(byName.get('manifest.json')!.toString('utf8')).not.toContain('${{');
    expect(byName.get('color.png')).toEqual(readFileSync(manifestFile('color.png')));
    expect(byName.get('outline.png')).toEqual(readFileSync(manifestFile('outline.png')));
  });

  it('when an app version is given, then the packaged manifest carries it; a malformed one is refused', async () => {
    const zipPath = await buildPackage({ botId: BOT_ID, domain: DOMAIN, outDir, version: '1.2.10' });
    const manifest = readZipEntries(readFileSync(zipPath)).find((e) => e.name === 'manifest.json')!;
    expect((JSON.parse(manifest.data.toString('utf8')) as { version: string }).version).toBe('1.2.10');
    await expect(buildPackage({ botId: BOT_ID, domain: DOMAIN, outDir, version: '1.2' })).rejects.toThrow(
      /1\.0\.1/,
    );
  });

  it('when the bot id is not a GUID, then building the package fails before writing anything', async () => {
    await expect(buildPackage({ botId: 'my-bot', domain: DOMAIN, outDir })).rejects.toThrow(/GUID/);
    expect(() => readFileSync(path.join(outDir, PACKAGE_NAME))).toThrow();
  });

  it('when a zip is written and read back, then names and contents round-trip, stored or deflated', () => {
    const entries = [
      { name: 'a.txt', data: Buffer.from('hallo '.repeat(100)) },
      { name: 'ü/leer.bin', data: Buffer.alloc(0) },
      { name: 'random.bin', data: Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 97) % 256)) },
    ];
    expect(readZipEntries(createZip(entries))).toEqual(entries);
  });
});
