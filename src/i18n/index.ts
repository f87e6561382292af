// Every text a user reads, German first, English when the user's locale is English.

import type { District, Locale } from '../domain/vocabulary';

export type { Locale };

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
    survey: 'Ihre offenen Umfragen anzeigen',
    startSurvey: 'eine Umfrage starten (Umfrage, Enddatum, Zielgruppe)',
    closeSurvey: 'eine laufende Umfrage vorzeitig beenden',
    surveys: 'alle Umfragen mit Zustellung und Beteiligung',
    results: 'Ergebnisse einer Umfrage: „ergebnisse“ und die Kennung der Umfrage',
    idea: 'eine Idee einreichen (auch anonym)',
    ideas: 'Ideen ansehen und unterstützen',
    myIdeas: 'Ihre Ideen und ihr Stand',
    newIdeas: 'neu eingereichte Ideen prüfen',
    digest: 'Vorschau der Wochenübersicht',
    digestSend: 'die Wochenübersicht jetzt in den Kanal senden',
    export: 'zusammengefasste Zahlen einer Umfrage als CSV: „export“ und die Kennung',
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
  survey: {
    meta: 'ca. {minutes} Min. · anonym · offen bis {date}',
    submit: 'Antwort senden',
    likertNoAnswer: 'keine Angabe',
    choose: 'Bitte wählen',
    textPlaceholder: 'Ihre Antwort (freiwillig, ohne Namen)',
    errors: {
      required: 'Bitte beantworten Sie diese Frage.',
      range: 'Bitte wählen Sie einen Wert aus der Liste.',
      type: 'Diese Angabe hat das falsche Format.',
      choice: 'Bitte wählen Sie nur Antworten aus der Liste.',
      too_many: 'Bitte wählen Sie höchstens {max} Antworten.',
      too_few: 'Bitte wählen Sie mindestens {min} Antworten.',
      too_long: 'Bitte kürzen Sie Ihren Text auf höchstens {max} Zeichen.',
      markup: 'Bitte schreiben Sie ohne HTML, Links oder Formatierungen.',
    },
    invalidSummary: 'Ihre Antwort wurde noch nicht gespeichert. Bitte prüfen Sie die markierten Fragen.',
    unknownFields:
      'Die Karte enthielt unbekannte Felder. Es wurde nichts gespeichert – bitte nutzen Sie diese neue Karte.',
    thanksTitle: 'Danke – Ihre Antwort ist gespeichert',
    thanksText:
      'Sie können Ihre Antwort bis {date} ändern. Ausgewertet wird nur zusammengefasst, ab {kMin} Antworten.',
    change: 'Antwort ändern',
    notAnswered: '–',
    closedTitle: 'Diese Umfrage ist beendet',
    closedText:
      'Antworten waren bis {date} möglich. Diese Antwort wurde nicht gespeichert. Danke für Ihr Interesse!',
    notFoundTitle: 'Diese Umfrage gibt es nicht',
    notFoundText:
      'Die Karte gehört zu keiner bekannten Umfrage. Schreiben Sie „umfrage“ für Ihre offenen Umfragen.',
    outsiderTitle: 'Diese Umfrage richtet sich an andere Bereiche',
    outsiderText:
      'Laut Ihren Einstellungen gehören Sie nicht zu den Bereichen dieser Umfrage, deshalb wurde nichts gespeichert. Stimmt Ihr Bereich nicht? Ändern Sie ihn unter „einstellungen“.',
    reminder:
      'Erinnerung: Diese Umfrage läuft nur noch bis {date}. Sie dauert etwa {minutes} Minuten – danke fürs Mitmachen!',
    noneOpenTitle: 'Keine offenen Umfragen',
    noneOpenText: 'Für Sie ist gerade keine Umfrage offen, oder Sie haben schon alle beantwortet. Danke!',
  },
  runs: {
    startTitle: 'Umfrage starten',
    survey: 'Umfrage',
    surveyRequired: 'Bitte wählen Sie eine Umfrage.',
    closesAt: 'Offen bis (Ende des Tages)',
    closesAtRequired: 'Bitte wählen Sie ein Datum in der Zukunft (höchstens 90 Tage).',
    audience: 'Zielgruppe: Bereiche',
    audienceHint: 'Keine Auswahl = alle Beschäftigten.',
    start: 'Starten',
    startedTitle: 'Umfrage gestartet',
    sendingTitle: 'Umfrage wird gesendet',
    sentTitle: 'Umfrage gesendet',
    progressSent: '{sent} von {total}',
    timeLeft: 'Restzeit',
    timeLeftValue: 'ca. {minutes} Min.',
    startedText: 'Die Umfrage wird jetzt an {count} Personen gesendet.',
    invalidTitle: 'Umfrage nicht gestartet',
    runId: 'Kennung',
    recipients: 'Empfänger',
    audienceAll: 'alle Beschäftigten',
    open: 'offen',
    closed: 'beendet',
    until: 'bis',
    delivered: 'Zugestellt',
    failed: 'Fehlgeschlagen',
    pending: 'Ausstehend',
    answered: 'Beantwortet',
    rate: 'Beteiligung',
    listTitle: 'Umfragen',
    listEmpty: 'Es wurde noch keine Umfrage gestartet. Schreiben Sie „umfrage starten“.',
    results: 'Ergebnisse',
    close: 'Beenden',
    closedTitle: 'Umfrage beendet',
    closedText: 'Die Umfrage {runId} nimmt keine Antworten mehr an.',
    notFound: 'Es gibt keine Umfrage mit der Kennung „{runId}“. Schreiben Sie „umfragen“ für die Liste.',
    whichRun: 'Welche Umfrage? Schreiben Sie zum Beispiel „ergebnisse {example}“ oder wählen Sie unten.',
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
    survey: 'show your open surveys',
    startSurvey: 'start a survey (survey, closing date, audience)',
    closeSurvey: 'close a running survey early',
    surveys: 'all surveys with delivery and response rate',
    results: 'results of a survey: "results" and the survey id',
    idea: 'submit an idea (anonymously if you like)',
    ideas: 'browse and support ideas',
    myIdeas: 'your ideas and their status',
    newIdeas: 'review newly submitted ideas',
    digest: 'preview of the weekly digest',
    digestSend: 'send the weekly digest to the channel now',
    export: 'aggregated figures of a survey as CSV: "export" and the id',
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
  survey: {
    meta: 'about {minutes} min · anonymous · open until {date}',
    submit: 'Send answer',
    likertNoAnswer: 'prefer not to say',
    choose: 'Please choose',
    textPlaceholder: 'Your answer (optional, no names please)',
    errors: {
      required: 'Please answer this question.',
      range: 'Please choose a value from the list.',
      type: 'This answer has the wrong format.',
      choice: 'Please choose only answers from the list.',
      too_many: 'Please choose at most {max} answers.',
      too_few: 'Please choose at least {min} answers.',
      too_long: 'Please shorten your text to at most {max} characters.',
      markup: 'Please write without HTML, links or formatting.',
    },
    invalidSummary: 'Your answer has not been saved yet. Please check the marked questions.',
    unknownFields: 'The card contained unknown fields. Nothing was saved – please use this new card.',
    thanksTitle: 'Thank you – your answer is saved',
    thanksText:
      'You can change your answer until {date}. Results are only reported in aggregate, from {kMin} answers.',
    change: 'Change answer',
    notAnswered: '–',
    closedTitle: 'This survey has closed',
    closedText: 'Answers were possible until {date}. This answer was not saved. Thank you for your interest!',
    notFoundTitle: 'This survey does not exist',
    notFoundText: 'The card does not belong to a known survey. Type "survey" for your open surveys.',
    outsiderTitle: 'This survey is for other organisations',
    outsiderText:
      'According to your settings you are not part of this survey\'s audience, so nothing was saved. Wrong organisation? Change it under "settings".',
    reminder:
      'Reminder: this survey is open only until {date}. It takes about {minutes} minutes – thank you for taking part!',
    noneOpenTitle: 'No open surveys',
    noneOpenText: 'There is no survey open for you right now, or you have answered them all. Thank you!',
  },
  runs: {
    startTitle: 'Start a survey',
    survey: 'Survey',
    surveyRequired: 'Please choose a survey.',
    closesAt: 'Open until (end of day)',
    closesAtRequired: 'Please choose a date in the future (at most 90 days).',
    audience: 'Audience: organisations',
    audienceHint: 'No selection = all staff.',
    start: 'Start',
    startedTitle: 'Survey started',
    sendingTitle: 'Sending the survey',
    sentTitle: 'Survey sent',
    progressSent: '{sent} of {total}',
    timeLeft: 'Time left',
    timeLeftValue: 'about {minutes} min',
    startedText: 'The survey is now being sent to {count} people.',
    invalidTitle: 'Survey not started',
    runId: 'Id',
    recipients: 'Recipients',
    audienceAll: 'all staff',
    open: 'open',
    closed: 'closed',
    until: 'until',
    delivered: 'Delivered',
    failed: 'Failed',
    pending: 'Pending',
    answered: 'Answered',
    rate: 'Response rate',
    listTitle: 'Surveys',
    listEmpty: 'No survey has been started yet. Type "start survey".',
    results: 'Results',
    close: 'Close',
    closedTitle: 'Survey closed',
    closedText: 'The survey {runId} no longer accepts answers.',
    notFound: 'There is no survey with the id "{runId}". Type "surveys" for the list.',
    whichRun: 'Which survey? Type for example "results {example}" or choose below.',
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

/** A calendar date as people in Hamburg read it: 07.12.2026 / 07/12/2026 (Europe/Berlin). */
export function formatDate(date: Date, locale: Locale): string {
  return DATE_FORMATS[locale].format(date);
}
const dateFormat = (tag: string) =>
  new Intl.DateTimeFormat(tag, {
    timeZone: 'Europe/Berlin',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  });
// Building an Intl formatter is costly; these two are reused.
const DATE_FORMATS: Record<Locale, Intl.DateTimeFormat> = {
  de: dateFormat('de-DE'),
  en: dateFormat('en-GB'),
};

/** Picks the locale's text of a bilingual definition text. */
export function pick(text: { de: string; en: string }, locale: Locale): string {
  return text[locale];
}

/** At most `max` characters (code points), with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}
