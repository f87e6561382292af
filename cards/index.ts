// One typed render function per card template. Templates are data (cards/*.json, Adaptive Card
// 1.5); the strings come from src/i18n, so every card exists in German and English.
import { Template } from 'adaptivecards-templating';
import type { District } from '../src/config';
import { DISTRICTS } from '../src/config';
import { format, messages, type Locale } from '../src/i18n';
import type { UserSettings } from '../src/storage/user-repository';
import helpTemplate from './help.json';
import noticeTemplate from './notice.json';
import privacyTemplate from './privacy.json';
import settingsTemplate from './settings.json';
import welcomeTemplate from './welcome.json';

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
}

export function renderPrivacy(locale: Locale, options: PrivacyCardOptions): AdaptiveCard {
  const s = messages(locale).privacy;
  const values = { kMin: options.kMin, kText: options.kText, months: options.retentionMonths };
  return expand(privacyTemplate, {
    title: s.title,
    sections: s.sections.map((section) => ({ heading: section.heading, text: format(section.text, values) })),
  });
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
