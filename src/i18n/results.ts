// The texts of the results card (officers), German first, English with the same shape.
import type { Locale } from './index';

/** A count-dependent text: `one` for exactly 1, `other` for everything else (0 included). */
export interface Plural {
  one: string;
  other: string;
}

const de = {
  heading: 'Ergebnisse',
  open: 'offen bis {date}',
  closed: 'beendet am {date}',
  respondents: 'Antworten',
  delivered: 'Zugestellt',
  rate: 'Beteiligung',
  /** A share: "42 %" (German writes a space before the percent sign). */
  percent: '{n} %',
  tooFewNew:
    'Noch zu wenige neue Antworten seit der letzten Auswertung: neue Zahlen gibt es, sobald {kMin} weitere Antworten da sind – sonst ließe sich aus dem Unterschied auf Einzelne schließen.',
  suppressed:
    'Noch zu wenige Antworten: Ergebnisse erscheinen ab {kMin} Antworten, damit niemand erkennbar ist.',
  questionAnswered: { one: '1 Antwort', other: '{n} Antworten' } satisfies Plural,
  questionSuppressed: {
    one: '1 Antwort auf diese Frage – Ergebnisse erscheinen ab {kMin} Antworten.',
    other: '{n} Antworten auf diese Frage – Ergebnisse erscheinen ab {kMin} Antworten.',
  } satisfies Plural,
  scale: '1 = {low} · 5 = {high}',
  noAnswer: 'keine Angabe',
  mean: 'Mittelwert {value}',
  nps: 'NPS {value}',
  npsExplained: 'Anteil 9–10 minus Anteil 0–6',
  multiHint: 'Mehrfachauswahl: Anteile bezogen auf {n} Antwortende',
  textsShown: {
    one: '1 Freitextantwort, alphabetisch sortiert',
    other: '{n} Freitextantworten, alphabetisch sortiert',
  } satisfies Plural,
  textsHidden: {
    one: '1 Freitextantwort – sichtbar ab {kText}',
    other: '{n} Freitextantworten – sichtbar ab {kText}',
  } satisfies Plural,
  textsMore: '+{n} weitere',
};

export type ResultsMessages = typeof de;

const en: ResultsMessages = {
  heading: 'Results',
  open: 'open until {date}',
  closed: 'closed on {date}',
  respondents: 'Answers',
  delivered: 'Delivered',
  rate: 'Response rate',
  percent: '{n}%',
  tooFewNew:
    'Not enough new answers since the last results: new figures appear once {kMin} more answers are in – otherwise the difference could point to individuals.',
  suppressed: 'Not enough answers yet: results appear from {kMin} answers, so that nobody can be identified.',
  questionAnswered: { one: '1 answer', other: '{n} answers' },
  questionSuppressed: {
    one: '1 answer to this question – results appear from {kMin} answers.',
    other: '{n} answers to this question – results appear from {kMin} answers.',
  },
  scale: '1 = {low} · 5 = {high}',
  noAnswer: 'prefer not to say',
  mean: 'Mean {value}',
  nps: 'NPS {value}',
  npsExplained: 'share of 9–10 minus share of 0–6',
  multiHint: 'Multiple choice: shares of the {n} people who answered',
  textsShown: {
    one: '1 free-text answer, sorted alphabetically',
    other: '{n} free-text answers, sorted alphabetically',
  },
  textsHidden: {
    one: '1 free-text answer – visible from {kText}',
    other: '{n} free-text answers – visible from {kText}',
  },
  textsMore: '+{n} more',
};

const catalogues: Record<Locale, ResultsMessages> = { de, en };

export function resultsMessages(locale: Locale): ResultsMessages {
  return catalogues[locale];
}

/** Picks the singular or plural form for a count. */
export function plural(forms: Plural, n: number): string {
  return n === 1 ? forms.one : forms.other;
}
