// The CSV writer on its own: figures as spreadsheets in each language read them, hidden figures
// named as hidden, texts guarded against formulas, numbers never.
import { runDigestCsv } from '../../src/digest/export-csv';
import { runFigures, TEST_SURVEY } from '../support/fixtures';

const rows = Array.from({ length: 12 }, (_, i) => ({
  district: 'altona' as const,
  answers: { tools: (i % 5) + 1, mode: 'office', formats: ['chat'], recommend: i < 9 ? 2 : 10 },
}));

function cells(csv: string): string[][] {
  return csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .map((line) => line.split(';'));
}

describe('runDigestCsv', () => {
  it('when written in German, then headers are German, decimals use a comma and a negative NPS stays a number', () => {
    const previous = runFigures(
      TEST_SURVEY,
      rows.map((r) => ({ ...r, answers: { ...r.answers, tools: 5 } })),
    );
    const csv = runDigestCsv(runFigures(TEST_SURVEY, rows, { previous }), 'de');
    expect(csv.startsWith('\uFEFF"Bereich";"Frage-ID"')).toBe(true);
    const tools = cells(csv).find((c) => c[1] === '"tools"' && c[4] === '"gesamt"')!;
    // Mean 2,75 (1,2,3,4,5,1,2,3,4,5,1,2), change against the previous run's 5: −2,25.
    expect(tools[6]).toBe('2,75');
    expect(tools[9]).toBe('-2,25');
    const nps = cells(csv).find((c) => c[1] === '"recommend"' && c[4] === '"gesamt"')!;
    // 9 detractors, 3 promoters of 12: −50, written as a plain number (no apostrophe).
    expect(nps[7]).toBe('-50');
  });

  it('when written in English, then headers are English and decimals use a point', () => {
    const csv = runDigestCsv(runFigures(TEST_SURVEY, rows), 'en');
    expect(csv.startsWith('\uFEFF"Section";"Question id"')).toBe(true);
    const tools = cells(csv).find((c) => c[1] === '"tools"' && c[4] === '"total"')!;
    expect(tools[6]).toBe('2.75');
  });

  it('when a text begins like a formula, then it is guarded; when a question is hidden, then it says why and gives no figure', () => {
    const survey = {
      ...TEST_SURVEY,
      questions: TEST_SURVEY.questions.map((q) =>
        q.id === 'tools' ? { ...q, text: { de: '=SUMME(A1)', en: '=SUM(A1)' } } : q,
      ),
    };
    const few = rows.map((r, i) => ({
      ...r,
      answers: { ...r.answers, ...(i < 4 ? { comment: 'Ein Text' } : {}) },
    }));
    const csv = runDigestCsv(runFigures(survey, few), 'de');
    expect(csv).toContain(`"'=SUMME(A1)"`);
    const comment = cells(csv).find((c) => c[1] === '"comment"')!;
    expect(comment[10]).toBe('"zu wenige Freitexte"');
    expect(comment.slice(4, 10).every((c) => c === '')).toBe(true);
  });
});
