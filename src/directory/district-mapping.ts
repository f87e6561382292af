// Which district a directory attribute value (companyName, department or officeLocation) stands for:
// a JSON file of exact values and prefixes, validated at start-up, one line naming the file and the entry
// when it is wrong. Matching ignores case, repeated spaces and the kind of dash.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DISTRICTS, type District } from '../domain/vocabulary';

const entries = z.record(z.string().trim().min(1).max(256), z.enum(DISTRICTS));
const mappingSchema = z
  .object({
    $comment: z.string().optional(),
    exact: entries.default({}),
    prefix: entries.default({}),
  })
  .strict();

export class DistrictMappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DistrictMappingError';
  }
}

/** Case, spaces and dashes do not matter ("Bezirksamt  hamburg–Nord" = "Bezirksamt Hamburg-Nord"). */
export function normaliseValue(value: string): string {
  return value
    .normalize('NFC')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s*-\s*/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .toLocaleLowerCase('de-DE');
}

export class DistrictMapping {
  private readonly exact = new Map<string, District>();
  /** Longest prefix first, so that "Bezirksamt Hamburg-Nord" wins over a shorter "Bezirksamt Hamburg". */
  private readonly prefixes: [string, District][];
  /** Changes whenever the mapping changes: a new mapping means a full directory sync. */
  readonly version: string;

  constructor(exact: Record<string, District>, prefix: Record<string, District>) {
    for (const [key, district] of Object.entries(exact)) this.exact.set(normaliseValue(key), district);
    this.prefixes = Object.entries(prefix)
      .map(([key, district]): [string, District] => [normaliseValue(key), district])
      .sort((a, b) => b[0].length - a[0].length);
    this.version = createHash('sha256')
      .update(JSON.stringify([[...this.exact].sort(), this.prefixes]))
      .digest('hex')
      .slice(0, 16);
  }

  /** The district a value stands for, or undefined (no value, or one the mapping does not know). */
  resolve(value: unknown): District | undefined {
    if (typeof value !== 'string') return undefined;
    const v = normaliseValue(value);
    if (!v) return undefined;
    const exact = this.exact.get(v);
    if (exact) return exact;
    for (const [prefix, district] of this.prefixes) {
      // A prefix ends at a word boundary: "ba nord" matches "ba nord-fachamt", not "ba nordost".
      if (v.startsWith(prefix) && (v.length === prefix.length || !/[\p{L}\p{N}]/u.test(v[prefix.length]!)))
        return district;
    }
    return undefined;
  }
}

/** Validates a parsed mapping file; `source` names it in errors. */
export function parseDistrictMapping(json: unknown, source: string): DistrictMapping {
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.map(String).join('.') || 'the file';
    const what =
      issue.code === 'invalid_value' ? `must be one of ${DISTRICTS.join(', ')}` : issue.message.toLowerCase();
    throw new DistrictMappingError(`District mapping ${source}: ${where} ${what}`);
  }
  for (const kind of ['exact', 'prefix'] as const) {
    const seen = new Map<string, string>();
    for (const key of Object.keys(parsed.data[kind])) {
      const n = normaliseValue(key);
      const earlier = seen.get(n);
      if (earlier !== undefined)
        throw new DistrictMappingError(
          `District mapping ${source}: ${kind}."${key}" is the same value as ${kind}."${earlier}"`,
        );
      seen.set(n, key);
    }
  }
  return new DistrictMapping(parsed.data.exact, parsed.data.prefix);
}

/** Reads and validates DISTRICT_MAPPING_FILE (at start-up: a broken file stops the start). */
export function loadDistrictMapping(file: string): DistrictMapping {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DistrictMappingError(`District mapping ${file}: cannot be read (${(err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new DistrictMappingError(`District mapping ${file}: is not JSON (${(err as Error).message})`);
  }
  return parseDistrictMapping(json, file);
}
