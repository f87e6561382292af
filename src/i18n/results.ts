// The texts of the results card (officers), German first, English with the same shape.
import type { Locale } from './index';

/** A count-dependent text, chosen with Intl.PluralRules. */
export interface Plural {
  one: string;
  other: string;
}

const de = {
  heading: 'Ergebnisse',
  open: 'läuft bis {date}',
  closed: 'beendet am {date}',
  audience: 'Empfänger:innen',
  delivered: 'Zugestellt',
  respondents: 'Teilnehmende',
  rate: 'Beteiligung',
  /** A share: "42 %" (German writes a space before the percent sign). */
  percent: '{n} %',
  openRun:
    'Die Umfrage läuft noch bis {date}. Ergebnisse gibt es, wenn sie beendet ist – bis dahin nur die Beteiligung, damit sich aus keinem Zwischenstand auf Einzelne schließen lässt.',
  tooFewRespondents:
    'Zu wenige Antworten: Ergebnisse gibt es erst ab {kMin} Teilnehmenden, damit niemand erkennbar ist.',
  smallAudience:
    'Diese Umfrage ging an weniger als {kMin} Personen: Es werden weder Ergebnisse noch die Beteiligung gezeigt.',
  questionAnswered: { one: '1 Antwort', other: '{n} Antworten' } satisfies Plural,
  questionHidden: 'Weniger als {kMin} Antworten auf diese Frage: ausgeblendet, damit niemand erkennbar ist.',
  scale: '1 = {low} · 5 = {high}',
  answerColumn: 'Antwort',
  countColumn: 'Anzahl',
  shareColumn: 'Anteil',
  noAnswer: 'keine Angabe',
  mean: 'Mittelwert (1–5): {value}',
  meanNps: 'Mittelwert (0–10): {value}',
  nps: 'NPS: {value}',
  change: 'Veränderung seit der letzten Umfrage: {value}',
  npsExplained: 'NPS = Anteil 9–10 minus Anteil 0–6 (−100 bis +100)',
  npsGroups: { detractors: '0–6', passives: '7–8', promoters: '9–10' },
  multiHint: 'Mehrfachauswahl: Anteile bezogen auf {n} Antwortende',
  textsShown: {
    one: '1 Freitextantwort, in zufälliger Reihenfolge',
    other: '{n} Freitextantworten, in zufälliger Reihenfolge',
  } satisfies Plural,
  textsHidden: 'Freitexte werden erst ab {kText} Antworten gezeigt.',
  textsMore: {
    one: '+1 weiterer Freitext (auf dieser Karte ist nur begrenzt Platz)',
    other: '+{n} weitere Freitexte (auf dieser Karte ist nur begrenzt Platz)',
  } satisfies Plural,
  districtsTitle: 'Nach Bereichen',
  districtColumn: 'Bereich',
  hiddenCell: '–',
  hiddenFootnote: '– ausgeblendet: weniger als {kMin} Antworten, oder sonst aus der Gesamtzahl errechenbar',
  fieldsTitle: 'Gestaltungsfelder (Index 0–100)',
  fieldsHint:
    'Gestaltungsfelder sind die Themen der Digitalstrategie, nach denen die Fragen geordnet sind. Der Index fasst die Zustimmungsfragen eines Feldes zusammen: 0 = niedrigste, 100 = höchste Zustimmung.',
  back: {
    title: 'Ergebnisse: {title}',
    intro: 'Die Umfrage ist beendet. Danke an alle, die mitgemacht haben – hier ist, was dabei herauskam.',
    respondents: {
      one: '1 Person hat teilgenommen',
      other: '{n} Personen haben teilgenommen',
    } satisfies Plural,
    rate: 'Beteiligung: {rate}',
    highlightsTitle: 'Die deutlichsten Ergebnisse',
    highest: 'Am meisten Zustimmung: ',
    lowest: 'Am wenigsten Zustimmung: ',
    nps: 'Weiterempfehlung: ',
    meanOf5: 'Durchschnitt {value} von 5',
    npsValue: 'NPS {value} (von −100 bis +100)',
    statementTitle: 'Was wir daraus machen',
    privacyNote:
      'Alle Zahlen sind zusammengefasst; gezeigt wird nur, was mindestens {kMin} Personen beantwortet haben. Die Antworten werden mit dem Ende der Umfrage anonymisiert.',
  },
};

export type ResultsMessages = typeof de;

const en: ResultsMessages = {
  heading: 'Results',
  open: 'open until {date}',
  closed: 'closed on {date}',
  audience: 'Recipients',
  delivered: 'Delivered',
  respondents: 'Respondents',
  rate: 'Response rate',
  percent: '{n}%',
  openRun:
    'The survey is open until {date}. Results come once it has closed – until then only participation, so that no interim figure can point to individuals.',
  tooFewRespondents:
    'Not enough answers: results appear from {kMin} respondents, so that nobody can be identified.',
  smallAudience: 'This survey went to fewer than {kMin} people: neither results nor participation are shown.',
  questionAnswered: { one: '1 answer', other: '{n} answers' },
  questionHidden: 'Fewer than {kMin} answers to this question: hidden, so that nobody can be identified.',
  scale: '1 = {low} · 5 = {high}',
  answerColumn: 'Answer',
  countColumn: 'Count',
  shareColumn: 'Share',
  noAnswer: 'prefer not to say',
  mean: 'Mean (1–5): {value}',
  meanNps: 'Mean (0–10): {value}',
  nps: 'NPS: {value}',
  change: 'Change since the last survey: {value}',
  npsExplained: 'NPS = share of 9–10 minus share of 0–6 (−100 to +100)',
  npsGroups: { detractors: '0–6', passives: '7–8', promoters: '9–10' },
  multiHint: 'Multiple choice: shares of the {n} people who answered',
  textsShown: {
    one: '1 free-text answer, in random order',
    other: '{n} free-text answers, in random order',
  },
  textsHidden: 'Free texts are shown from {kText} answers.',
  textsMore: {
    one: '+1 more free text (this card has limited room)',
    other: '+{n} more free texts (this card has limited room)',
  },
  districtsTitle: 'By organisation',
  districtColumn: 'Organisation',
  hiddenCell: '–',
  hiddenFootnote: '– hidden: fewer than {kMin} answers, or computable from the total otherwise',
  fieldsTitle: 'Fields of action (index 0–100)',
  fieldsHint:
    'Fields of action (Gestaltungsfelder) are the topics of the digital strategy that the questions are grouped by. The index sums up the agreement questions of a field: 0 = lowest, 100 = highest agreement.',
  back: {
    title: 'Results: {title}',
    intro: 'The survey has closed. Thank you to everyone who took part – here is what came of it.',
    respondents: { one: '1 person took part', other: '{n} people took part' },
    rate: 'Response rate: {rate}',
    highlightsTitle: 'The clearest results',
    highest: 'Most agreement: ',
    lowest: 'Least agreement: ',
    nps: 'Would recommend: ',
    meanOf5: 'average {value} of 5',
    npsValue: 'NPS {value} (from −100 to +100)',
    statementTitle: 'What we make of it',
    privacyNote:
      'All figures are aggregated; only what at least {kMin} people answered is shown. The answers are made anonymous as the survey ends.',
  },
};

const catalogues: Record<Locale, ResultsMessages> = { de, en };

export function resultsMessages(locale: Locale): ResultsMessages {
  return catalogues[locale];
}

const pluralRules: Record<Locale, Intl.PluralRules> = {
  de: new Intl.PluralRules('de-DE'),
  en: new Intl.PluralRules('en-GB'),
};

/** Picks the singular or plural form for a count, as the language's plural rules say. */
export function plural(forms: Plural, n: number, locale: Locale): string {
  return pluralRules[locale].select(n) === 'one' ? forms.one : forms.other;
}
