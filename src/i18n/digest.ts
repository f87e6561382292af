// The texts of the weekly digest card (officers' channel), German first, English with the same shape.
// Field-of-action names and idea statuses come from ./ideas; these are the digest's own words.
import type { Locale } from './index';
import type { Plural } from './results';
import type { District, FieldOfAction } from '../domain/vocabulary';

const de = {
  headline: 'Puls · Wochenübersicht',
  participation: 'Beteiligung',
  noRuns: 'In dieser Woche lief keine Umfrage.',
  open: 'offen',
  closed: 'beendet',
  respondents: { one: '1 Teilnehmende:r', other: '{n} Teilnehmende' } satisfies Plural,
  answers: { one: '1 Antwort', other: '{n} Antworten' } satisfies Plural,
  /** "40 % Beteiligung (12 von 30)" */
  rate: '{rate} Beteiligung ({respondents} von {delivered})',
  openRun: 'Läuft bis {date}: Ergebnisse nach dem Ende, bis dahin nur die Beteiligung.',
  tooFewRespondents: 'Zu wenige Teilnehmende: Ergebnisse gibt es ab {k}.',
  smallAudience: 'An weniger als {k} Personen gesendet: keine Zahlen.',
  questionHidden: 'ausgeblendet (weniger als {k} Antworten)',
  mean: 'Ø {value}',
  nps: 'NPS {value}',
  scale: '1 = {low} · 5 = {high}',
  noAnswer: 'k. A.',
  npsGroups: { detractors: '0–6', passives: '7–8', promoters: '9–10' },
  texts: { one: '1 Freitextantwort', other: '{n} Freitextantworten' } satisfies Plural,
  textsHidden: 'Freitexte: weniger als {k}',
  textsWhere: 'Freitexte: {n}, zu lesen mit „ergebnisse {runId}“',
  moreOptions: { one: '+1 weitere Option', other: '+{n} weitere Optionen' } satisfies Plural,
  moreQuestions: {
    one: '+1 weitere Frage – vollständig mit „ergebnisse {runId}“',
    other: '+{n} weitere Fragen – vollständig mit „ergebnisse {runId}“',
  } satisfies Plural,
  fieldsTitle: 'Gestaltungsfelder (Index 0–100)',
  fieldsHint:
    'Gestaltungsfelder sind die Themen der Digitalstrategie, nach denen die Fragen geordnet sind. Der Index fasst die Zustimmungsfragen eines Feldes zusammen: 0 = niedrigste, 100 = höchste Zustimmung.',
  districtsTitle: 'Nach Bereichen',
  districtColumn: 'Bereich',
  countColumn: 'n',
  districtsNone: 'Keine Aufteilung nach Bereichen: zu wenige Antworten je Bereich.',
  hiddenCell: '–',
  hiddenFootnote: '– ausgeblendet (weniger als {k} Antworten)',
  complementaryFootnote:
    '– auch ausgeblendet, wenn sich sonst ein kleiner Bereich aus der Gesamtzahl errechnen ließe',
  trend: { up: '▲', down: '▼', same: '►' },
  /** "seit der letzten Umfrage" */
  changeHint: 'Pfeile: Veränderung seit der letzten beendeten Umfrage',
  ideasTitle: 'Ideen',
  newIdeas: 'Neue Ideen der Woche',
  noNewIdeas: 'keine',
  topSupported: 'Meistunterstützt',
  supporters: { one: '1 Unterstützung', other: '{n} Unterstützungen' } satisfies Plural,
  statusChanges: 'Statusänderungen',
  noStatusChanges: 'keine',
  moreIdeas: '+{n} weitere',
  privacyNote:
    'Alle Zahlen sind zusammengefasst; Gruppen mit weniger als {k} Antworten werden nicht gezeigt.',
  districts: {
    altona: 'Altona',
    bergedorf: 'Bergedorf',
    eimsbuettel: 'Eimsbüttel',
    'hamburg-mitte': 'Mitte',
    'hamburg-nord': 'Nord',
    harburg: 'Harburg',
    wandsbek: 'Wandsbek',
    other: 'andere',
  } satisfies Record<District, string>,
  /** Column headers of the district table (narrow phones). */
  fieldsShort: {
    nutzerorientierung: 'Nutzer',
    'zusammenarbeit-vernetzung': 'Zus.arbeit',
    'rollen-organisation': 'Rollen',
    'digitale-kompetenzen': 'Kompet.',
    'digitales-arbeiten': 'Dig. Arb.',
    datenmanagement: 'Daten',
    ressourcen: 'Ressourc.',
    sonstiges: 'Sonst.',
  } satisfies Record<FieldOfAction, string>,
};

export type DigestMessages = typeof de;

const en: DigestMessages = {
  headline: 'Puls · Weekly digest',
  participation: 'Participation',
  noRuns: 'No survey ran this week.',
  open: 'open',
  closed: 'closed',
  respondents: { one: '1 respondent', other: '{n} respondents' },
  answers: { one: '1 answer', other: '{n} answers' },
  rate: '{rate} response rate ({respondents} of {delivered})',
  openRun: 'Open until {date}: results after it closes, until then participation only.',
  tooFewRespondents: 'Too few respondents: results appear from {k}.',
  smallAudience: 'Sent to fewer than {k} people: no figures.',
  questionHidden: 'hidden (fewer than {k} answers)',
  mean: 'Mean {value}',
  nps: 'NPS {value}',
  scale: '1 = {low} · 5 = {high}',
  noAnswer: 'n/a',
  npsGroups: { detractors: '0–6', passives: '7–8', promoters: '9–10' },
  texts: { one: '1 free-text answer', other: '{n} free-text answers' },
  textsHidden: 'Free texts: fewer than {k}',
  textsWhere: 'Free texts: {n}, to read with “results {runId}”',
  moreOptions: { one: '+1 more option', other: '+{n} more options' },
  moreQuestions: {
    one: '+1 more question – all of them with “results {runId}”',
    other: '+{n} more questions – all of them with “results {runId}”',
  },
  fieldsTitle: 'Fields of action (index 0–100)',
  fieldsHint:
    'Fields of action (Gestaltungsfelder) are the topics of the digital strategy that the questions are grouped by. The index sums up the agreement questions of a field: 0 = lowest, 100 = highest agreement.',
  districtsTitle: 'By organisation',
  districtColumn: 'Organisation',
  countColumn: 'n',
  districtsNone: 'No breakdown by organisation: too few answers per organisation.',
  hiddenCell: '–',
  hiddenFootnote: '– hidden (fewer than {k} answers)',
  complementaryFootnote: '– also hidden where a small group could otherwise be worked out from the total',
  trend: { up: '▲', down: '▼', same: '►' },
  changeHint: 'Arrows: change since the last closed survey',
  ideasTitle: 'Ideas',
  newIdeas: 'New ideas this week',
  noNewIdeas: 'none',
  topSupported: 'Most supported',
  supporters: { one: '1 supporter', other: '{n} supporters' },
  statusChanges: 'Status changes',
  noStatusChanges: 'none',
  moreIdeas: '+{n} more',
  privacyNote: 'All figures are aggregated; groups with fewer than {k} answers are not shown.',
  districts: {
    altona: 'Altona',
    bergedorf: 'Bergedorf',
    eimsbuettel: 'Eimsbüttel',
    'hamburg-mitte': 'Mitte',
    'hamburg-nord': 'Nord',
    harburg: 'Harburg',
    wandsbek: 'Wandsbek',
    other: 'other',
  },
  fieldsShort: {
    nutzerorientierung: 'Users',
    'zusammenarbeit-vernetzung': 'Collab.',
    'rollen-organisation': 'Roles',
    'digitale-kompetenzen': 'Skills',
    'digitales-arbeiten': 'Dig. work',
    datenmanagement: 'Data',
    ressourcen: 'Resources',
    sonstiges: 'Other',
  },
};

const catalogues: Record<Locale, DigestMessages> = { de, en };

export function digestMessages(locale: Locale): DigestMessages {
  return catalogues[locale];
}
