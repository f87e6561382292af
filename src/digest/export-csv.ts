// The export of a run: aggregates only, with exactly the suppression of the digest (hidden cells
// are left empty). Semicolon-separated with a BOM, as German spreadsheet programs expect.
import type { Locale } from '../i18n';
import type { RunDigest } from './aggregate';

function cell(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = typeof value === 'number' ? String(Math.round(value * 100) / 100) : value;
  // Quote everything textual; neutralise spreadsheet formulas in labels.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[;"\n\r]/.test(safe) || typeof value === 'string' ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function runDigestCsv(d: RunDigest, locale: Locale): string {
  const rows: (string | number | undefined)[][] = [
    ['section', 'question', 'type', 'item', 'count', 'mean', 'nps', 'change'],
    ['run', d.runId, '', 'respondents', d.respondents, undefined, undefined, undefined],
    ['run', d.runId, '', 'delivered', d.delivered, undefined, undefined, undefined],
    ['run', d.runId, '', 'answered', d.answered, undefined, undefined, undefined],
  ];
  if (!d.published)
    rows.push([
      'run',
      d.runId,
      '',
      `withheld: ${d.withheld ?? ''}`,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  for (const q of d.questions) {
    const text = q.text[locale];
    if (q.hidden) {
      rows.push([
        'question',
        text,
        q.type,
        `hidden: ${q.hidden}`,
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
      continue;
    }
    rows.push(['question', text, q.type, 'total', q.count, q.mean, q.npsScore, q.change]);
    for (const entry of q.distribution) {
      rows.push([
        'question',
        text,
        q.type,
        entry.label ? entry.label[locale] : entry.key,
        entry.count,
        undefined,
        undefined,
        undefined,
      ]);
    }
    if (q.noAnswer !== undefined)
      rows.push(['question', text, q.type, 'no answer', q.noAnswer, undefined, undefined, undefined]);
  }
  for (const f of d.fields) rows.push(['field', f.field, 'index', '', f.items, f.index, undefined, f.change]);
  for (const district of d.districts) {
    rows.push([
      'district',
      district.district,
      '',
      district.hidden ? `hidden: ${district.hidden}` : 'respondents',
      district.respondents,
      undefined,
      undefined,
      undefined,
    ]);
    for (const [questionId, c] of Object.entries(district.questions)) {
      rows.push(['district', district.district, questionId, '', undefined, c.mean, c.npsScore, undefined]);
    }
  }
  return `\uFEFF${rows.map((r) => r.map(cell).join(';')).join('\r\n')}\r\n`;
}
