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
      'Ihre Antworten werden pseudonym gespeichert und nie einzeln gezeigt, sondern nur zusammengefasst nach dem Ende einer Umfrage; dann werden sie anonym.',
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
    privacy: 'was gespeichert wird, wer verantwortlich ist und welche Rechte Sie haben',
    erase: 'alle Daten löschen, die Sie als Person nennen',
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
        heading: 'Wer verantwortlich ist',
        text: 'Verantwortlich: {controller}. Datenschutzbeauftragte Stelle: {dpo}. Rechtsgrundlage: {legalBasis}. Fragen zu Puls: {contact}.',
      },
      {
        heading: 'Was gespeichert wird',
        text: 'Damit Puls Ihnen schreiben kann, speichert es die technische Adresse Ihres Chats, Ihre Sprache, Ihren Bereich, ob Sie Erinnerungen möchten und an wen eine Umfrage zugestellt wurde.',
      },
      {
        heading: 'Ihre Antworten',
        text: 'Jede Umfrage erhält einen eigenen Zufallsschlüssel. Ihre Antwort wird unter einem daraus gebildeten Pseudonym gespeichert – Ihr Name oder Ihre Kennung steht nie daneben, und beim Antworten wird sonst nichts über Sie gespeichert. Solange die Umfrage läuft, ist Ihre Antwort pseudonym, damit Sie sie ändern können. Wenn sie endet, wird der Schlüssel vernichtet: ab dann ist Ihre Antwort anonym – niemand, auch kein Administrator, kann sie Ihnen mehr zuordnen.',
      },
      {
        heading: 'Auswertungen',
        text: 'Während eine Umfrage läuft, sehen die Digitalisierungsbeauftragten nur die Beteiligung. Ergebnisse gibt es erst nach dem Ende und nur zusammengefasst: für Gruppen mit weniger als {kMin} Antworten wird nichts gezeigt, Freitexte erst ab {kText} Antworten, in zufälliger Reihenfolge und nie mit dem Bereich.',
      },
      {
        heading: 'Wie lange',
        text: 'Die Antworten einer Umfrage werden {months} Monate nach ihrem Ende gelöscht. Wenn Sie Puls entfernen, werden Ihre Chat-Adresse, Ihre Einstellungen und die Zustellvermerke sofort gelöscht.',
      },
      {
        heading: 'Ideen',
        text: 'Anonyme Ideen tragen keinen Namen. Die Verbindung zu Ihnen wird verschlüsselt und nur gehalten, bis die Idee abgeschlossen ist, damit Puls Ihnen Statusänderungen mitteilen kann. Unterstützungen werden je Idee pseudonym gezählt und nach Abschluss anonym.',
      },
      {
        heading: 'Ihre Rechte',
        text: 'Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung und Widerspruch (Art. 15–21 DSGVO) sowie auf Beschwerde bei der Datenschutzaufsicht (in Hamburg: der Hamburgische Beauftragte für Datenschutz und Informationsfreiheit). Mit „meine daten löschen“ löschen Sie Ihre Daten sofort selbst.',
      },
    ],
    placeholders: {
      controller: '[noch nicht eingetragen: PRIVACY_CONTROLLER]',
      dpo: '[noch nicht eingetragen: PRIVACY_DPO_CONTACT]',
      legalBasis: '[noch nicht eingetragen: PRIVACY_LEGAL_BASIS]',
      contact: '[noch nicht eingetragen: PRIVACY_CONTACT]',
    },
  },
  erase: {
    confirmTitle: 'Ihre Daten löschen?',
    confirmText:
      'Gelöscht werden: Ihre Einstellungen und die Adresse Ihres Chats, die Vermerke, an wen Umfragen zugestellt wurden, Ihre Antworten auf noch laufende Umfragen, Ihre Unterstützungen offener Ideen und die Verbindung zu Ihren Ideen (Ihre Ideen bleiben, benannte Ideen zeigen dann „ehemalige:r Mitarbeiter:in“). Antworten auf beendete Umfragen sind bereits anonym: Niemand kann sie Ihnen noch zuordnen, auch Puls nicht.',
    confirm: 'Ja, alles löschen',
    cancel: 'Abbrechen',
    cancelled: 'Es wurde nichts gelöscht.',
    doneTitle: 'Ihre Daten sind gelöscht',
    doneText:
      'Gelöscht: {answers} Antworten auf laufende Umfragen, {deliveries} Zustellvermerke, {ideas} Verbindungen zu Ideen, {supports} Unterstützungen. Wenn Sie Puls weiter schreiben, speichert es die Adresse Ihres Chats wieder; entfernen Sie die App, um keine Umfragen mehr zu erhalten.',
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
    foreignTenantTitle: 'Puls ist für Ihre Organisation nicht freigegeben',
    foreignTenant:
      'Puls steht nur den Beschäftigten der Organisationen zur Verfügung, die es eingerichtet haben. Es wurde nichts gespeichert.',
  },
  survey: {
    meta: 'ca. {minutes} Min. · pseudonym, nie einzeln sichtbar · offen bis {date}',
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
    districtsInvalid: 'Bitte wählen Sie nur Bereiche aus der Liste.',
    audienceTooSmall:
      'Diese Zielgruppe erreicht Puls nur bei {count} Personen. Eine Umfrage braucht mindestens {k}, damit niemand einzeln erkennbar ist – bitte wählen Sie eine größere Zielgruppe.',
    participationWithheld: 'ab {k} Empfänger:innen',
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
    more: 'Weitere anzeigen',
    listEmpty: 'Es wurde noch keine Umfrage gestartet. Schreiben Sie „umfrage starten“.',
    results: 'Ergebnisse',
    close: 'Beenden',
    closeConfirmTitle: 'Umfrage jetzt beenden?',
    closeConfirmText:
      '„{title}“ ({runId}) nimmt danach keine Antworten mehr an. {answers} Niemand kann seine Antwort dann noch ändern, und zwei Minuten später werden die Antworten anonym.',
    closeConfirmAnswers: {
      one: 'Die 1 Antwort wird damit endgültig.',
      other: 'Die {n} Antworten werden damit endgültig.',
    },
    closeConfirmAnswersHidden: 'Die bisherigen Antworten werden damit endgültig.',
    closeNow: 'Jetzt beenden',
    cancel: 'Abbrechen',
    closeCancelled: 'Die Umfrage läuft weiter.',
    askTitle: 'Beendet: {title}',
    askText:
      '{n} Personen haben teilgenommen. Die Ergebnisse können jetzt an alle zurückgehen, die die Umfrage bekommen haben – mit einem kurzen Wort von Ihnen.',
    statementLabel: 'Was wir daraus machen (geht mit den Ergebnissen an alle, höchstens 1000 Zeichen)',
    statementRequired: 'Bitte schreiben Sie ein paar Sätze dazu, was aus den Ergebnissen folgt.',
    statementTooLong: 'Bitte kürzen Sie auf höchstens 1000 Zeichen.',
    statementMarkup: 'Bitte schreiben Sie ohne HTML, Links oder Formatierungen.',
    shareNow: 'Ergebnisse an alle senden',
    sharedTitle: 'Ergebnisse werden gesendet',
    sharedText: 'Die Ergebnisse und Ihr Text gehen jetzt an {count} Personen.',
    alreadyShared: 'Die Ergebnisse dieser Umfrage wurden schon an alle gesendet.',
    noResultsToShare:
      'Diese Umfrage hat keine Ergebnisse, die gezeigt werden dürfen (zu wenige Antworten) – es wird nichts gesendet.',
    stillOpen: 'Diese Umfrage läuft noch: Ergebnisse gehen erst nach dem Ende an alle.',
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
      'Your answers are stored under a pseudonym and never shown one by one, only in aggregate after a survey has closed; then they become anonymous.',
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
    privacy: 'what is stored, who is responsible and what your rights are',
    erase: 'delete all data that names you',
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
        heading: 'Who is responsible',
        text: 'Controller: {controller}. Data protection officer: {dpo}. Legal basis: {legalBasis}. Questions about Puls: {contact}.',
      },
      {
        heading: 'What is stored',
        text: 'So that Puls can write to you, it stores the technical address of your chat, your language, your organisation, whether you want reminders and to whom a survey was delivered.',
      },
      {
        heading: 'Your answers',
        text: 'Every survey gets its own random key. Your answer is stored under a pseudonym formed from it – your name or id never sits next to it, and nothing else about you is stored when you answer. While the survey is open your answer is pseudonymous, so that you can change it. When it closes, the key is destroyed: from then on your answer is anonymous – nobody, not even an administrator, can link it to you.',
      },
      {
        heading: 'Results',
        text: 'While a survey is open, the digitalisation officers only see how many took part. Results come after it has closed, and only in aggregate: nothing is shown for groups with fewer than {kMin} answers, free text only from {kText} answers, in random order and never with the organisation.',
      },
      {
        heading: 'How long',
        text: "A survey's answers are deleted {months} months after it closed. When you remove Puls, your chat address, your settings and the delivery records are deleted at once.",
      },
      {
        heading: 'Ideas',
        text: 'Anonymous ideas carry no name. The link to you is encrypted and kept only until the idea is closed, so that Puls can tell you about status changes. Supports are counted per idea under a pseudonym and become anonymous when it is closed.',
      },
      {
        heading: 'Your rights',
        text: 'You have the right of access, rectification, erasure, restriction of processing and objection (Art. 15–21 GDPR) and may complain to the data protection authority (in Hamburg: the Hamburg Commissioner for Data Protection and Freedom of Information). Type "delete my data" to erase your data yourself at once.',
      },
    ],
    placeholders: {
      controller: '[not set yet: PRIVACY_CONTROLLER]',
      dpo: '[not set yet: PRIVACY_DPO_CONTACT]',
      legalBasis: '[not set yet: PRIVACY_LEGAL_BASIS]',
      contact: '[not set yet: PRIVACY_CONTACT]',
    },
  },
  erase: {
    confirmTitle: 'Delete your data?',
    confirmText:
      'This deletes: your settings and the address of your chat, the records of which surveys were delivered to you, your answers to surveys still open, your supports of open ideas and the link to your ideas (your ideas stay; named ones then show "former employee"). Answers to closed surveys are already anonymous: nobody can link them to you any more, not even Puls.',
    confirm: 'Yes, delete everything',
    cancel: 'Cancel',
    cancelled: 'Nothing was deleted.',
    doneTitle: 'Your data is deleted',
    doneText:
      'Deleted: {answers} answers to open surveys, {deliveries} delivery records, {ideas} links to ideas, {supports} supports. If you go on writing to Puls, it stores the address of your chat again; remove the app to receive no more surveys.',
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
    foreignTenantTitle: 'Puls is not available for your organisation',
    foreignTenant:
      'Puls is only available to the staff of the organisations that set it up. Nothing was stored.',
  },
  survey: {
    meta: 'about {minutes} min · pseudonymous, never shown individually · open until {date}',
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
    districtsInvalid: 'Please choose only organisations from the list.',
    audienceTooSmall:
      'Puls reaches only {count} people in this audience. A survey needs at least {k}, so that nobody can be singled out – please choose a larger audience.',
    participationWithheld: 'from {k} recipients',
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
    more: 'Show more',
    listEmpty: 'No survey has been started yet. Type "start survey".',
    results: 'Results',
    close: 'Close',
    closeConfirmTitle: 'Close the survey now?',
    closeConfirmText:
      '"{title}" ({runId}) will then take no more answers. {answers} Nobody can change their answer after that, and two minutes later the answers become anonymous.',
    closeConfirmAnswers: { one: 'The 1 answer becomes final.', other: 'The {n} answers become final.' },
    closeConfirmAnswersHidden: 'The answers so far become final.',
    closeNow: 'Close now',
    cancel: 'Cancel',
    closeCancelled: 'The survey stays open.',
    askTitle: 'Closed: {title}',
    askText:
      '{n} people took part. The results can now go back to everyone who got the survey – with a short word from you.',
    statementLabel: 'What we make of it (goes to everyone with the results, at most 1000 characters)',
    statementRequired: 'Please write a few sentences on what follows from the results.',
    statementTooLong: 'Please shorten it to at most 1000 characters.',
    statementMarkup: 'Please write without HTML, links or formatting.',
    shareNow: 'Send the results to everyone',
    sharedTitle: 'Sending the results',
    sharedText: 'The results and your text are now going to {count} people.',
    alreadyShared: 'The results of this survey have already been sent to everyone.',
    noResultsToShare: 'This survey has no results that may be shown (too few answers) – nothing is sent.',
    stillOpen: 'This survey is still open: results go to everyone only after it has closed.',
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
