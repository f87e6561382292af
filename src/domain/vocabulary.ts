// The shared vocabulary of Puls: districts, fields of action, locales, the privacy thresholds and
// how untrusted text is cleaned. Every layer imports it downwards; it imports nothing of Puls.

/** The seven district offices (Bezirksämter) and "Fachbehörde / andere". */
export const DISTRICTS = [
  'altona',
  'bergedorf',
  'eimsbuettel',
  'hamburg-mitte',
  'hamburg-nord',
  'harburg',
  'wandsbek',
  'other',
] as const;
export type District = (typeof DISTRICTS)[number];

export function isDistrict(value: unknown): value is District {
  return typeof value === 'string' && (DISTRICTS as readonly string[]).includes(value);
}

/** The strategy's fields of action (Gestaltungsfelder), plus the extra idea categories. */
export const FIELDS_OF_ACTION = [
  'nutzerorientierung',
  'zusammenarbeit-vernetzung',
  'rollen-organisation',
  'digitale-kompetenzen',
  'digitales-arbeiten',
  'datenmanagement',
  'ressourcen',
  'sonstiges',
] as const;
export type FieldOfAction = (typeof FIELDS_OF_ACTION)[number];

export function isFieldOfAction(value: unknown): value is FieldOfAction {
  return typeof value === 'string' && (FIELDS_OF_ACTION as readonly string[]).includes(value);
}

export const LOCALES = ['de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** The privacy model never allows a group threshold below 3, whatever is configured. */
export const K_FLOOR = 3;

/** The threshold actually applied: a whole number, never below K_FLOOR. */
export function effectiveK(kMin: number): number {
  return Math.max(K_FLOOR, Number.isFinite(kMin) ? Math.ceil(kMin) : K_FLOOR);
}

const CONTROL_CHARS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Normalises line ends and removes control and bidi-override characters; trims. */
export function cleanText(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(CONTROL_CHARS, '').trim();
}

/** HTML tags, markdown links/images and script URLs have no place in texts Puls shows to others. */
export const MARKUP = /<\s*\/?\s*[a-z!][^>]*>|!?\[[^\]]*\]\([^)]*\)|javascript:|data:text\/html/i;
