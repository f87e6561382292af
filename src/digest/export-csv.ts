// The export of a run: exactly the figures the disclosure module allows (hidden ones are named as
// hidden, never given), as every other surface shows them. Semicolon-separated with a BOM, headers
// and decimal separator in the reader's language, as German spreadsheet programs expect. Numbers are
// written as numbers (also negative ones); only texts are guarded against spreadsheet formulas.
import type { Locale } from '../domain/vocabulary';
import { messages } from '../i18n';
import { ideaMessages } from '../i18n/ideas';
import type { RunFigures, SuppressionReason } from '../privacy/disclosure';

type Cell = string | number | undefined;

const HEADERS: Record<Locale, string[]> = {
  de: [
    'Bereich',
    'Frage-ID',
    'Frage',
    'Typ',
    'Ausprägung',
    'Anzahl',
    'Mittelwert',
    'NPS',
    'Index',
    'Veränderung',
    'Hinweis',
  ],
  en: [
    'Section',
    'Question id',
    'Question',
    'Type',
    'Item',
    'Count',
    'Mean',
    'NPS',
    'Index',
    'Change',
    'Note',
  ],
};

const WORDS: Record<
  Locale,
  {
    run: string;
    question: string;
    field: string;
    district: string;
    audience: string;
    delivered: string;
    respondents: string;
    responseRate: string;
    total: string;
    noAnswer: string;
    reasons: Record<SuppressionReason, string>;
  }
> = {
  de: {
    run: 'Umfrage',
    question: 'Frage',
    field: 'Handlungsfeld',
    district: 'Bezirk',
    audience: 'Empfänger:innen',
    delivered: 'zugestellt',
    respondents: 'Teilnehmende',
    responseRate: 'Beteiligung (%)',
    total: 'gesamt',
    noAnswer: 'keine Angabe',
    reasons: {
      openRun: 'läuft noch: Ergebnisse erst nach dem Ende',
      smallAudience: 'zu kleine Zielgruppe',
      tooFewRespondents: 'zu wenige Antworten',
      complementary: 'verborgen, damit keine kleine Gruppe errechenbar ist',
      tooFewTexts: 'zu wenige Freitexte',
    },
  },
  en: {
    run: 'Survey',
    question: 'Question',
    field: 'Field of action',
    district: 'District',
    audience: 'recipients',
    delivered: 'delivered',
    respondents: 'respondents',
    responseRate: 'response rate (%)',
    total: 'total',
    noAnswer: 'no answer',
    reasons: {
      openRun: 'still open: results after it closes',
      smallAudience: 'audience too small',
      tooFewRespondents: 'too few answers',
      complementary: 'hidden so that no small group can be computed',
      tooFewTexts: 'too few free texts',
    },
  },
};

/** A number as a spreadsheet in this locale reads it: 3,75 (de) / 3.75 (en), at most two decimals. */
function numberCell(value: number, locale: Locale): string {
  const rounded = Math.round(value * 100) / 100;
  const text = String(rounded === 0 ? 0 : rounded);
  return locale === 'de' ? text.replace('.', ',') : text;
}

function textCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function runDigestCsv(f: RunFigures, locale: Locale): string {
  const w = WORDS[locale];
  const fieldNames: Record<string, string> = ideaMessages(locale).fields;
  const districtNames: Record<string, string> = messages(locale).districts;
  const rows: Cell[][] = [];
  const row = (cells: {
    section: string;
    id?: string;
    text?: string;
    type?: string;
    item?: string;
    count?: number;
    mean?: number;
    nps?: number;
    index?: number;
    change?: number;
    note?: string;
  }) =>
    rows.push([
      cells.section,
      cells.id,
      cells.text,
      cells.type,
      cells.item,
      cells.count,
      cells.mean,
      cells.nps,
      cells.index,
      cells.change,
      cells.note,
    ]);

  const p = f.participation;
  row({ section: w.run, id: f.runId, item: w.audience, count: p.audience });
  row({ section: w.run, id: f.runId, item: w.delivered, count: p.delivered });
  if (p.withheld) row({ section: w.run, id: f.runId, item: w.respondents, note: w.reasons.smallAudience });
  else row({ section: w.run, id: f.runId, item: w.respondents, count: p.respondents });
  if (p.responseRate !== undefined)
    row({ section: w.run, id: f.runId, item: w.responseRate, count: Math.round(p.responseRate * 100) });
  if (f.results !== 'final') row({ section: w.run, id: f.runId, note: w.reasons[f.results] });

  for (const q of f.questions) {
    const text = q.text[locale];
    if (q.hidden) {
      row({ section: w.question, id: q.questionId, text, type: q.type, note: w.reasons[q.hidden] });
      continue;
    }
    row({
      section: w.question,
      id: q.questionId,
      text,
      type: q.type,
      item: w.total,
      count: q.answered,
      mean: q.mean,
      nps: q.npsScore,
      change: q.change,
    });
    for (const d of q.distribution) {
      row({
        section: w.question,
        id: q.questionId,
        text,
        type: q.type,
        item: d.label ? d.label[locale] : d.key,
        count: d.count,
      });
    }
    if (q.noAnswer !== undefined)
      row({ section: w.question, id: q.questionId, text, type: q.type, item: w.noAnswer, count: q.noAnswer });
  }
  for (const field of f.fields) {
    row({
      section: w.field,
      id: field.field,
      text: fieldNames[field.field] ?? field.field,
      count: field.items,
      index: field.index,
      change: field.change,
      note: field.index === undefined ? w.reasons.tooFewRespondents : undefined,
    });
  }
  for (const d of f.districts) {
    const name = districtNames[d.district] ?? d.district;
    if (d.hidden) {
      row({
        section: w.district,
        id: d.district,
        text: name,
        item: w.respondents,
        note: w.reasons[d.hidden],
      });
      continue;
    }
    row({ section: w.district, id: d.district, text: name, item: w.respondents, count: d.respondents });
    for (const [questionId, cell] of Object.entries(d.questions)) {
      row({
        section: w.district,
        id: d.district,
        text: name,
        item: questionId,
        mean: cell.mean,
        nps: cell.npsScore,
      });
    }
    for (const [field, index] of Object.entries(d.fields)) {
      row({ section: w.district, id: d.district, text: name, item: fieldNames[field] ?? field, index });
    }
  }
  const render = (cells: Cell[]) =>
    cells
      .map((c) => (c === undefined ? '' : typeof c === 'number' ? numberCell(c, locale) : textCell(c)))
      .join(';');
  return `\uFEFF${[HEADERS[locale].map(textCell).join(';'), ...rows.map(render)].join('\r\n')}\r\n`;
}
