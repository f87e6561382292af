// Every text a user reads, German first, English when the user's locale is English.
import type { District } from '../config';

export type Locale = 'de' | 'en';

const de = {
  appName: 'Puls',
  districts: {
    altona: 'Bezirksamt Altona',
    bergedorf: 'Bezirksamt Bergedorf',
    eimsbuettel: 'Bezirksamt Eimsbüttel',
    'hamburg-mitte': 'Bezirksamt Hamburg-Mitte',
    'hamburg-nord': 'Bezirksamt Hamburg-Nord',
    harburg: 'Bezirksamt Harburg',
    wandsbek: 'Bezirksamt Wandsbek',
    other: 'Fachbehörde / andere',
  } satisfies Record<District, string>,
  languages: { de: 'Deutsch', en: 'English' } satisfies Record<Locale, string>,
  welcome: {
    title: 'Willkommen bei Puls',
    intro:
      'Mit Puls gestalten Sie die digitale Transformation Ihrer Verwaltung mit: kurze Umfragen im Chat, eigene Ideen einreichen und die Ideen anderer unterstützen.',
    anonymity:
      'Ihre Antworten werden pseudonym gespeichert und nur zusammengefasst ausgewertet – niemand kann Ihre einzelnen Antworten einsehen.',
    nextStep: 'Legen Sie zuerst in den Einstellungen Ihren Bereich fest, damit Ihr Bezirk mitgezählt wird.',
  },
  teamWelcome: {
    title: 'Puls ist in diesem Team',
    officers:
      'Dieser Kanal ist der Kanal der Digitalisierungsbeauftragten: Hier erscheint jeden Montag die Wochenübersicht.',
    notOfficers:
      'Dieser Kanal ist nicht als Kanal der Digitalisierungsbeauftragten eingerichtet. Umfragen und Ideen laufen im persönlichen Chat mit Puls.',
  },
  buttons: {
    help: 'Hilfe',
    settings: 'Einstellungen',
    privacy: 'Datenschutz',
    save: 'Speichern',
  },
  help: {
    title: 'Was Puls kann',
    intro: 'Schreiben Sie eines dieser Wörter in den Chat:',
    employeeHeading: 'Für alle',
    officerHeading: 'Für Digitalisierungsbeauftragte',
    unknown: 'Das habe ich nicht verstanden. Hier ist, was ich kann:',
  },
  commands: {
    help: 'diese Übersicht',
    settings: 'Sprache, Bereich und Erinnerungen einstellen',
    privacy: 'was gespeichert wird und wie Ihre Anonymität geschützt ist',
    status: 'Installationen und Kanal der Beauftragten anzeigen',
  },
  settings: {
    title: 'Einstellungen',
    language: 'Sprache',
    district: 'Bereich',
    districtPlaceholder: 'Bitte wählen',
    districtHint:
      'Ihr Bereich wird nur für zusammengefasste Auswertungen verwendet (mindestens {k} Antworten).',
    reminders: 'Erinnerungen an offene Umfragen erhalten',
    saved: 'Gespeichert. Ihre Einstellungen gelten ab sofort.',
    invalid: 'Bitte prüfen Sie Ihre Auswahl – sie wurde nicht gespeichert.',
    districtRequired: 'Bitte wählen Sie einen Bereich aus der Liste.',
  },
  privacy: {
    title: 'Datenschutz bei Puls',
    sections: [
      {
        heading: 'Was gespeichert wird',
        text: 'Damit Puls Ihnen schreiben kann, speichert es die technische Adresse Ihres Chats, Ihre Sprache, Ihren Bereich und ob Sie Erinnerungen möchten.',
      },
      {
        heading: 'Ihre Antworten',
        text: 'Antworten auf Umfragen werden unter einem Pseudonym gespeichert, das für jede Umfrage neu gebildet wird. Ihr Name oder Ihre Kennung steht nie neben einer Antwort. Wer geantwortet hat, steht getrennt davon nur als „ja/nein“ – für Erinnerungen und die Beteiligungsquote.',
      },
      {
        heading: 'Auswertungen',
        text: 'Ergebnisse gibt es nur zusammengefasst: für Gruppen mit weniger als {kMin} Antworten wird nichts angezeigt, Freitexte erst ab {kText} Antworten. Datum und Uhrzeit werden auf den Tag gerundet.',
      },
      {
        heading: 'Wie lange',
        text: 'Einzelantworten werden nach {months} Monaten gelöscht; zusammengefasste Zahlen dürfen bleiben. Wenn Sie Puls entfernen, werden Ihre Chat-Adresse und Ihre Einstellungen sofort gelöscht.',
      },
      {
        heading: 'Ideen',
        text: 'Ideen können Sie anonym einreichen. Dann sieht niemand Ihren Namen; Puls merkt sich nur, wem es Statusänderungen mitteilen soll, bis die Idee abgeschlossen ist.',
      },
    ],
  },
  notices: {
    officerOnlyTitle: 'Nur für Digitalisierungsbeauftragte',
    officerOnly:
      'Diese Funktion steht nur den Digitalisierungsbeauftragten zur Verfügung. Schreiben Sie „hilfe“, um zu sehen, was Sie tun können.',
    actionUnavailableTitle: 'Diese Aktion ist nicht mehr verfügbar',
    actionUnavailable:
      'Die Karte ist veraltet oder unvollständig. Schreiben Sie „hilfe“ für eine neue Übersicht.',
    errorTitle: 'Das hat leider nicht geklappt',
    error: 'Es ist ein Fehler aufgetreten. Bitte versuchen Sie es in einem Moment noch einmal.',
    personalOnly: 'Bitte schreiben Sie mir dafür im persönlichen Chat.',
  },
  status: {
    title: 'Status von Puls',
    users: 'Installationen (persönlich)',
    officersChannel: 'Kanal der Beauftragten',
    notConfigured: 'noch nicht eingerichtet',
  },
};

export type Messages = typeof de;

const en: Messages = {
  appName: 'Puls',
  districts: {
    altona: 'Altona district office',
    bergedorf: 'Bergedorf district office',
    eimsbuettel: 'Eimsbüttel district office',
    'hamburg-mitte': 'Hamburg-Mitte district office',
    'hamburg-nord': 'Hamburg-Nord district office',
    harburg: 'Harburg district office',
    wandsbek: 'Wandsbek district office',
    other: 'Specialist authority / other',
  },
  languages: { de: 'Deutsch', en: 'English' },
  welcome: {
    title: 'Welcome to Puls',
    intro:
      "With Puls you help shape your administration's digital transformation: short surveys in chat, your own ideas, and support for the ideas of others.",
    anonymity:
      'Your answers are stored under a pseudonym and only ever reported in aggregate – nobody can see your individual answers.',
    nextStep: 'First, set your organisation in the settings so that your district is counted.',
  },
  teamWelcome: {
    title: 'Puls has joined this team',
    officers: "This is the digitalisation officers' channel: the weekly digest appears here every Monday.",
    notOfficers:
      "This channel is not set up as the digitalisation officers' channel. Surveys and ideas happen in the personal chat with Puls.",
  },
  buttons: {
    help: 'Help',
    settings: 'Settings',
    privacy: 'Privacy',
    save: 'Save',
  },
  help: {
    title: 'What Puls can do',
    intro: 'Type one of these words in the chat:',
    employeeHeading: 'For everyone',
    officerHeading: 'For digitalisation officers',
    unknown: "I didn't understand that. Here is what I can do:",
  },
  commands: {
    help: 'this overview',
    settings: 'set language, organisation and reminders',
    privacy: 'what is stored and how your anonymity is protected',
    status: "show installations and the officers' channel",
  },
  settings: {
    title: 'Settings',
    language: 'Language',
    district: 'Organisation',
    districtPlaceholder: 'Please choose',
    districtHint: 'Your organisation is only used for aggregated results (at least {k} answers).',
    reminders: 'Receive reminders about open surveys',
    saved: 'Saved. Your settings apply from now on.',
    invalid: 'Please check your choice – it was not saved.',
    districtRequired: 'Please choose an organisation from the list.',
  },
  privacy: {
    title: 'Privacy in Puls',
    sections: [
      {
        heading: 'What is stored',
        text: 'So that Puls can write to you, it stores the technical address of your chat, your language, your organisation and whether you want reminders.',
      },
      {
        heading: 'Your answers',
        text: 'Survey answers are stored under a pseudonym that is formed anew for every survey. Your name or id never sits next to an answer. Who answered is kept separately, only as "yes/no" – for reminders and the response rate.',
      },
      {
        heading: 'Results',
        text: 'Results are only shown in aggregate: nothing is shown for groups with fewer than {kMin} answers, free text only from {kText} answers. Dates are rounded to the day.',
      },
      {
        heading: 'How long',
        text: 'Individual answers are deleted after {months} months; aggregated figures may stay. When you remove Puls, your chat address and settings are deleted at once.',
      },
      {
        heading: 'Ideas',
        text: 'You can submit ideas anonymously. Then nobody sees your name; Puls only remembers whom to tell about status changes until the idea is closed.',
      },
    ],
  },
  notices: {
    officerOnlyTitle: 'For digitalisation officers only',
    officerOnly:
      'This feature is only available to the digitalisation officers. Type "help" to see what you can do.',
    actionUnavailableTitle: 'This action is no longer available',
    actionUnavailable: 'The card is outdated or incomplete. Type "help" for a fresh overview.',
    errorTitle: 'Sorry, that did not work',
    error: 'Something went wrong. Please try again in a moment.',
    personalOnly: 'Please write to me in the personal chat for this.',
  },
  status: {
    title: 'Puls status',
    users: 'Installations (personal)',
    officersChannel: "Officers' channel",
    notConfigured: 'not set up yet',
  },
};

const catalogues: Record<Locale, Messages> = { de, en };

export function messages(locale: Locale): Messages {
  return catalogues[locale];
}

/** German unless the locale (a BCP 47 tag such as "en-US") is English; the fallback when there is none. */
export function localeFrom(tag: string | undefined | null, fallback: Locale = 'de'): Locale {
  if (typeof tag !== 'string' || tag.trim() === '') return fallback;
  return /^en\b/i.test(tag) ? 'en' : 'de';
}

/** Replaces {name} placeholders. */
export function format(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
