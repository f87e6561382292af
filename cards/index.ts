// One typed render function per card template. Templates are data (cards/*.json, Adaptive Card
// 1.5); the strings come from src/i18n, so every card exists in German and English.
import { Template } from 'adaptivecards-templating';
import { format, messages, type Locale } from '../src/i18n';
import type { UserSettings } from '../src/storage/user-repository';
import helpTemplate from './help.json';
import noticeTemplate from './notice.json';
import privacyTemplate from './privacy.json';
import settingsTemplate from './settings.json';
import welcomeTemplate from './welcome.json';
import { DISTRICTS, type District } from '../src/domain/vocabulary';

/** An Adaptive Card as sent to Teams. */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  body: unknown[];
  actions?: unknown[];
  [key: string]: unknown;
}

export interface ButtonData {
  title: string;
  /** The text the button posts into the chat as the user (imBack). */
  command: string;
}

/** Parsed templates, kept: a Template caches its parsed expressions, which makes expanding ~15× faster. */
const parsed = new WeakMap<object, Template>();

export function expand(template: object, data: object): AdaptiveCard {
  let compiled = parsed.get(template);
  if (!compiled) {
    compiled = new Template(template);
    parsed.set(template, compiled);
  }
  return compiled.expand({ $root: data }) as AdaptiveCard;
}

/** A placeholder for a per-call text in expandWithHoles' data. */
export function hole(name: string): string {
  return `\u27e6hole:${name}\u27e7`;
}
const HOLE = /\u27e6hole:(\w+)\u27e7/g;
const MAX_SKELETONS = 500;
const skeletons = new Map<string, string>();

/**
 * For cards on the hot path (the thank-you card after every answer): the template is expanded once
 * per `key` with `hole()`s where the per-call texts go, and each call only fills the holes in the
 * JSON — a tenth of the cost of expanding. The holes must be plain texts (not used in `$when` or
 * `$data`). Values are JSON-escaped and inserted in one pass, never read as template expressions.
 */
export function expandWithHoles(
  template: object,
  key: string,
  data: () => object,
  values: Record<string, string>,
): AdaptiveCard {
  let skeleton = skeletons.get(key);
  if (skeleton === undefined) {
    skeleton = JSON.stringify(expand(template, data()));
    if (skeletons.size >= MAX_SKELETONS) skeletons.delete(skeletons.keys().next().value!);
    skeletons.set(key, skeleton);
  }
  return JSON.parse(
    skeleton.replace(HOLE, (_, name: string) => JSON.stringify(values[name] ?? '').slice(1, -1)),
  ) as AdaptiveCard;
}

/** The localised command words the navigation buttons post. */
export function navigationButtons(locale: Locale, which: ('help' | 'settings' | 'privacy')[]): ButtonData[] {
  const s = messages(locale);
  const words =
    locale === 'en' ? { help: 'help', settings: 'settings', privacy: 'privacy' } : COMMAND_WORDS_DE;
  return which.map((w) => ({ title: s.buttons[w], command: words[w] }));
}
const COMMAND_WORDS_DE = { help: 'hilfe', settings: 'einstellungen', privacy: 'datenschutz' };

export function renderWelcome(locale: Locale): AdaptiveCard {
  const s = messages(locale).welcome;
  return expand(welcomeTemplate, {
    ...s,
    buttons: navigationButtons(locale, ['settings', 'help', 'privacy']),
  });
}

export interface HelpEntry {
  word: string;
  description: string;
}

export interface HelpCardOptions {
  employeeCommands: HelpEntry[];
  /** Empty for everyone but officers. */
  officerCommands: HelpEntry[];
  /** The user wrote something Puls did not understand. */
  unknownInput?: boolean;
}

export function renderHelp(locale: Locale, options: HelpCardOptions): AdaptiveCard {
  const s = messages(locale).help;
  return expand(helpTemplate, {
    title: s.title,
    intro: options.unknownInput ? s.unknown : s.intro,
    employeeHeading: s.employeeHeading,
    officerHeading: s.officerHeading,
    employeeCommands: options.employeeCommands,
    officerCommands: options.officerCommands,
    buttons: navigationButtons(locale, ['settings', 'privacy']),
  });
}

export interface SettingsCardOptions {
  settings: UserSettings;
  kMin: number;
  /** Shown above the form after a save attempt. */
  status?: 'saved' | 'invalid';
}

export function renderSettings(locale: Locale, options: SettingsCardOptions): AdaptiveCard {
  const m = messages(locale);
  const s = m.settings;
  const status = options.status === 'saved' ? s.saved : options.status === 'invalid' ? s.invalid : '';
  return expand(settingsTemplate, {
    title: s.title,
    status,
    statusStyle: options.status === 'saved' ? 'good' : 'attention',
    languageLabel: s.language,
    language: options.settings.language ?? locale,
    languages: (['de', 'en'] as const).map((value) => ({ value, title: m.languages[value] })),
    districtLabel: s.district,
    districtRequired: s.districtRequired,
    districtPlaceholder: s.districtPlaceholder,
    district: options.settings.district ?? '',
    districts: DISTRICTS.map((value: District) => ({ value, title: m.districts[value] })),
    districtHint: format(s.districtHint, { k: options.kMin }),
    remindersLabel: s.reminders,
    reminders: options.settings.reminders ? 'true' : 'false',
    saveLabel: m.buttons.save,
  });
}

export interface PrivacyCardOptions {
  kMin: number;
  kText: number;
  retentionMonths: number;
  /** From configuration (PRIVACY_*); placeholders say which variable is missing. */
  notice: {
    controller: string | undefined;
    dpoContact: string | undefined;
    legalBasis: string | undefined;
    contact: string | undefined;
  };
}

export function renderPrivacy(locale: Locale, options: PrivacyCardOptions): AdaptiveCard {
  const s = messages(locale).privacy;
  const values = {
    kMin: options.kMin,
    kText: options.kText,
    months: options.retentionMonths,
    controller: options.notice.controller ?? s.placeholders.controller,
    dpo: options.notice.dpoContact ?? s.placeholders.dpo,
    legalBasis: options.notice.legalBasis ?? s.placeholders.legalBasis,
    contact: options.notice.contact ?? s.placeholders.contact,
  };
  return expand(privacyTemplate, {
    title: s.title,
    sections: s.sections.map((section) => ({ heading: section.heading, text: format(section.text, values) })),
  });
}

/** "Delete your data?": what goes, what is already anonymous, and the two buttons. */
export function renderEraseConfirm(locale: Locale): AdaptiveCard {
  const e = messages(locale).erase;
  return {
    ...renderNotice({ title: e.confirmTitle, text: e.confirmText, tone: 'warning' }),
    actions: [
      {
        type: 'Action.Execute',
        verb: 'privacy.erase',
        title: e.confirm,
        style: 'destructive',
        data: { verb: 'privacy.erase', confirm: 'yes' },
        fallback: {
          type: 'Action.Submit',
          title: e.confirm,
          data: { verb: 'privacy.erase', confirm: 'yes' },
        },
      },
      {
        type: 'Action.Execute',
        verb: 'privacy.erase',
        title: e.cancel,
        data: { verb: 'privacy.erase', confirm: 'no' },
        fallback: { type: 'Action.Submit', title: e.cancel, data: { verb: 'privacy.erase', confirm: 'no' } },
      },
    ],
  };
}

export interface NoticeCardOptions {
  title: string;
  text: string;
  tone?: 'default' | 'good' | 'warning' | 'attention' | 'accent';
  facts?: { title: string; value: string }[];
  buttons?: ButtonData[];
}

export function renderNotice(options: NoticeCardOptions): AdaptiveCard {
  return expand(noticeTemplate, {
    title: options.title,
    text: options.text,
    style: options.tone ?? 'default',
    facts: options.facts ?? [],
    buttons: options.buttons ?? [],
  });
}
