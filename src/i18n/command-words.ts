// The words people type to Puls, per command and language. The command router reads them here, and
// so does every button that posts a command: one table, so that a renamed command cannot leave a
// button behind that posts a word nobody understands. The first word of each list is the one the
// help card and the buttons use; the others are accepted too. Matching ignores case.
import type { Locale } from './index';

export const COMMAND_WORDS = {
  help: { de: ['hilfe', '?', 'start'], en: ['help', 'menu'] },
  settings: { de: ['einstellungen', 'einstellung'], en: ['settings', 'setting'] },
  privacy: { de: ['datenschutz'], en: ['privacy'] },
  erase: { de: ['meine daten löschen', 'daten löschen'], en: ['delete my data'] },
  status: { de: ['status'], en: ['status'] },
  survey: { de: ['umfrage'], en: ['survey'] },
  startSurvey: { de: ['umfrage starten'], en: ['start survey'] },
  closeSurvey: { de: ['umfrage beenden'], en: ['close survey'] },
  surveys: { de: ['umfragen'], en: ['surveys'] },
  results: { de: ['ergebnisse', 'ergebnis'], en: ['results', 'result'] },
  idea: { de: ['idee'], en: ['idea'] },
  ideas: { de: ['ideen'], en: ['ideas'] },
  myIdeas: { de: ['meine ideen'], en: ['my ideas'] },
  newIdeas: { de: ['neue ideen'], en: ['new ideas'] },
  digest: { de: ['digest', 'wochenübersicht'], en: ['weekly digest'] },
  digestSend: { de: ['digest senden'], en: ['send digest'] },
  export: { de: ['export'], en: ['export'] },
} as const satisfies Record<string, Record<Locale, readonly [string, ...string[]]>>;

export type CommandId = keyof typeof COMMAND_WORDS;

/** The word a button posts (and the help card shows) for a command, in a language. */
export function commandWord(id: CommandId, locale: Locale): string {
  return COMMAND_WORDS[id][locale][0];
}

/** The text a button posts for a command with an argument, e.g. "ergebnisse kulturwandel-0112-ab12". */
export function commandText(id: CommandId, locale: Locale, argument?: string): string {
  return argument ? `${commandWord(id, locale)} ${argument}` : commandWord(id, locale);
}
