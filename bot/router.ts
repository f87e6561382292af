// Commands (typed words) and card actions (verbs) dispatch through tables, never an if-chain.
import type { AdaptiveCard } from '../cards';
import type { Locale, Messages } from '../src/i18n';
import { COMMAND_WORDS, type CommandId } from '../src/i18n/command-words';
import type { Turn } from './turn';

export interface CommandSpec {
  /** Names the command's words in COMMAND_WORDS (src/i18n/command-words.ts). */
  id: CommandId;
  describe(m: Messages): string;
  officerOnly?: boolean;
  handle(turn: Turn, args: string): Promise<void>;
}

export interface ActionSpec {
  /** The Action.Execute verb (before an optional ":argument"). */
  verb: string;
  officerOnly?: boolean;
  /** Returns the card that replaces the one the user acted on. */
  handle(turn: Turn, data: Record<string, unknown>, argument: string | undefined): Promise<AdaptiveCard>;
}

/** Lower-cases, folds whitespace and strips punctuation around the words. */
export function normaliseText(text: string): string {
  return text
    .replace(/<at>.*?<\/at>/gi, ' ')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
    .replace(/^[/!]+/, '')
    .replace(/[.!?]+$/, '')
    .toLowerCase();
}

export class CommandRouter {
  private readonly byWord: { word: string; spec: CommandSpec }[];

  constructor(readonly specs: readonly CommandSpec[]) {
    const entries: { word: string; spec: CommandSpec }[] = [];
    for (const spec of specs) {
      const words = COMMAND_WORDS[spec.id];
      for (const word of new Set([...words.de, ...words.en].map((w) => w.toLowerCase()))) {
        if (entries.some((e) => e.word === word)) throw new Error(`Command word "${word}" is used twice`);
        entries.push({ word, spec });
      }
    }
    // Longest words first, so that "umfrage starten" wins over "umfrage".
    this.byWord = entries.sort((a, b) => b.word.length - a.word.length);
  }

  match(text: string): { spec: CommandSpec; args: string } | undefined {
    const normalised = normaliseText(text);
    for (const { word, spec } of this.byWord) {
      if (normalised === word || normalised.startsWith(`${word} `)) {
        return { spec, args: normalised.slice(word.length).trim() };
      }
    }
    return undefined;
  }

  /** The help card's entries for a locale; officer commands only for officers. */
  helpEntries(locale: Locale, m: Messages, officer: boolean) {
    const entry = (spec: CommandSpec) => ({
      word: COMMAND_WORDS[spec.id][locale][0],
      description: spec.describe(m),
    });
    return {
      employeeCommands: this.specs.filter((s) => !s.officerOnly).map(entry),
      officerCommands: officer ? this.specs.filter((s) => s.officerOnly).map(entry) : [],
    };
  }
}

export class ActionRouter {
  private readonly byVerb = new Map<string, ActionSpec>();

  constructor(specs: readonly ActionSpec[]) {
    for (const spec of specs) {
      if (this.byVerb.has(spec.verb)) throw new Error(`Card verb "${spec.verb}" is used twice`);
      this.byVerb.set(spec.verb, spec);
    }
  }

  /** "survey.answer:run-1" → the survey.answer action with argument "run-1". */
  match(verb: string): { spec: ActionSpec; argument: string | undefined } | undefined {
    const colon = verb.indexOf(':');
    const name = colon === -1 ? verb : verb.slice(0, colon);
    const spec = this.byVerb.get(name);
    return spec ? { spec, argument: colon === -1 ? undefined : verb.slice(colon + 1) } : undefined;
  }
}
