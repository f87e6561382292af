// The results card: valid Adaptive Card 1.5 in both languages, under 28 KB even with many long free
// texts, nothing but counts below K, and respondents' text only ever inside TextRuns.
import { renderResults, type ResultsCardView } from '../../cards/results';
import type { Locale } from '../../src/i18n';
import { surveySchema, type Survey } from '../../src/surveys/definition';
import type { Answers } from '../../src/surveys/model';
import { ResultsAccumulator, summariseResults, type RunResults } from '../../src/surveys/results';
import { MAX_CARD_BYTES, validateCard } from '../support/adaptive-cards';
import { cardText } from '../support/connector';
import { TEST_SURVEY } from '../support/fixtures';

const closesAt = new Date('2026-12-07T22:59:59.999Z');

function results(survey: Survey, answers: Answers[], delivered = 40): RunResults {
  const acc = new ResultsAccumulator(survey);
  for (const a of answers) acc.add({ answers: a, district: undefined });
  return summariseResults(acc, { kMin: 5, kText: 10, delivered, answered: answers.length });
}

function view(r: RunResults, open = true): ResultsCardView {
  return { runId: 'testumfrage-2311-ab12', title: 'Testumfrage', results: r, closesAt, open };
}

/** 12 respondents: tools 5,4,3,2 and "keine Angabe" (mean 3,5), NPS 5/3/2 → +30, 12 texts. */
function typicalAnswers(comment = (i: number) => `Anmerkung Nummer ${i}`): Answers[] {
  const tools = [5, 4, 3, 2, 0, 5, 4, 3, 2, 0, 4, 3];
  const recommend = [10, 9, 9, 10, 9, 7, 8, 8, 6, 0];
  return tools.map((t, i) => ({
    tools: t,
    mode: i % 3 === 0 ? 'office' : 'mobile',
    formats: i % 2 === 0 ? ['chat', 'video'] : ['wiki'],
    ...(i < recommend.length ? { recommend: recommend[i]! } : {}),
    comment: comment(i),
  }));
}

/** Every element (at any depth) whose own text contains the needle. */
function elementsWithText(card: unknown, needle: string): { type?: string }[] {
  const found: { type?: string }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.text === 'string' && o.text.includes(needle)) found.push(o as { type?: string });
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** The card's texts outside the FactSet (participation lives there and is not an answer). */
function bodyTextWithoutFacts(card: { body: unknown[] }): string {
  return cardText(card.body.filter((e) => (e as { type?: string }).type !== 'FactSet'));
}

const t = (de: string, en = de) => ({ de, en });
const longLabel = (n: number) =>
  t(`Antwortmöglichkeit ${n} mit einer recht langen Beschreibung, die umbricht`);

/** 8 questions, three of them free text, with 12 long options where the schema allows them. */
const BIG_SURVEY: Survey = surveySchema.parse({
  id: 'gross',
  version: 1,
  title: t('Große Umfrage', 'Big survey'),
  intro: t('Viele Fragen.', 'Many questions.'),
  minutes: 10,
  questions: [
    {
      id: 'l1',
      type: 'likert5',
      field: 'ressourcen',
      text: t('Likert'),
      labels: { low: t('gar nicht'), high: t('voll') },
      allowNoAnswer: true,
    },
    { id: 'n1', type: 'nps', field: 'ressourcen', text: t('NPS') },
    {
      id: 's1',
      type: 'single',
      field: 'ressourcen',
      text: t('Single'),
      choices: Array.from({ length: 12 }, (_, i) => ({ id: `c${i}`, label: longLabel(i) })),
    },
    {
      id: 'm1',
      type: 'multi',
      field: 'ressourcen',
      text: t('Multi'),
      choices: Array.from({ length: 12 }, (_, i) => ({ id: `c${i}`, label: longLabel(i) })),
    },
    {
      id: 'l2',
      type: 'likert5',
      field: 'ressourcen',
      text: t('Likert 2'),
      labels: { low: t('a'), high: t('b') },
    },
    { id: 't1', type: 'text', field: 'sonstiges', text: t('Freitext 1'), maxLength: 500 },
    { id: 't2', type: 'text', field: 'sonstiges', text: t('Freitext 2'), maxLength: 500 },
    { id: 't3', type: 'text', field: 'sonstiges', text: t('Freitext 3'), maxLength: 500 },
  ],
});

/** 500 characters, with umlauts and quotes, which cost extra bytes in JSON. */
const longText = (i: number) => `${String(i).padStart(3, '0')} „Äußerung“ "ö" `.padEnd(500, 'äx');

function bigAnswers(survey: Survey): Answers[] {
  return Array.from({ length: 200 }, (_, i) => {
    const a: Answers = {};
    for (const q of survey.questions) {
      if (q.type === 'text') a[q.id] = longText(i);
      else if (q.type === 'likert5') a[q.id] = i % 6;
      else if (q.type === 'nps') a[q.id] = i % 11;
      else if (q.type === 'single') a[q.id] = `c${i % 12}`;
      else a[q.id] = [`c${i % 12}`, `c${(i + 5) % 12}`];
    }
    return a;
  });
}

describe('renderResults', () => {
  it.each(['de', 'en'] as const)(
    'when typical results are rendered in %s, then the card is a valid Adaptive Card 1.5 without bindings',
    (locale: Locale) => {
      const card = renderResults(locale, view(results(TEST_SURVEY, typicalAnswers())));
      expect(validateCard(card)).toEqual([]);
      expect(card.version).toBe('1.5');
      expect(JSON.stringify(card)).not.toContain('${');
    },
  );

  it('when rendered in German, then header, facts, bars, mean and NPS use German conventions', () => {
    const card = renderResults('de', view(results(TEST_SURVEY, typicalAnswers()), true));
    const text = cardText(card);
    expect(text).toContain('Testumfrage');
    expect(text).toContain('testumfrage-2311-ab12');
    expect(text).toContain('offen bis 07.12.2026');
    expect(text).toMatch(/Antworten\n12/);
    expect(text).toMatch(/Zugestellt\n40/);
    expect(text).toMatch(/Beteiligung\n30 %/);
    // tools: 5,4,3,2,5,4,3,2,4,3 and two "keine Angabe" → mean 3,5.
    expect(text).toContain('Mittelwert 3,5');
    expect(text).toContain('NPS +30');
    expect(text).toContain('keine Angabe');
    // office in 4 of 12 answers: 33 %.
    expect(text).toMatch(/im Büro\n███░░░░░░░\s+33 % \(4\)/);
    const bars = elementsWithText(card, '█') as { fontType?: string }[];
    expect(bars.length).toBeGreaterThan(0);
    for (const b of bars) expect(b.fontType).toBe('Monospace');
  });

  it('when rendered in English for a closed run, then it uses English conventions', () => {
    const card = renderResults('en', view(results(TEST_SURVEY, typicalAnswers()), false));
    const text = cardText(card);
    expect(text).toContain('closed on 07/12/2026');
    expect(text).toContain('Mean 3.5');
    expect(text).toContain('NPS +30');
    expect(text).toMatch(/Response rate\n30%/);
    expect(text).toContain('prefer not to say');
  });

  it('when fewer than K_text texts arrive, then the card gives their number and the threshold', () => {
    const answers = typicalAnswers((i) => (i < 9 ? `Text ${i}` : ''));
    const de = cardText(renderResults('de', view(results(TEST_SURVEY, answers))));
    expect(de).toContain('9 Freitextantworten – sichtbar ab 10');
    expect(de).not.toContain('Text 3');
    const en = cardText(renderResults('en', view(results(TEST_SURVEY, answers))));
    expect(en).toContain('9 free-text answers – visible from 10');
  });

  it('when fewer than K_min responded, then the card shows the count and the notice but no percentages', () => {
    const answers = typicalAnswers().slice(0, 4);
    for (const locale of ['de', 'en'] as const) {
      const card = renderResults(locale, view(results(TEST_SURVEY, answers, 10)));
      expect(validateCard(card)).toEqual([]);
      const text = cardText(card);
      expect(text).toMatch(locale === 'de' ? /Antworten\n4/ : /Answers\n4/);
      expect(text).toContain(
        locale === 'de'
          ? 'Noch zu wenige Antworten: Ergebnisse erscheinen ab 5 Antworten, damit niemand erkennbar ist.'
          : 'Not enough answers yet: results appear from 5 answers, so that nobody can be identified.',
      );
      const body = bodyTextWithoutFacts(card);
      expect(body).not.toContain('%');
      expect(body).not.toMatch(/█|░|Mittelwert|Mean|NPS|Anmerkung/);
      expect(text).not.toMatch(/\d+ ?%.*\(\d+\)/);
    }
  });

  it('when a free text contains markdown, then it appears only inside a TextRun', () => {
    const evil = '**x** [link](http://evil.example)';
    const card = renderResults(
      'de',
      view(
        results(
          TEST_SURVEY,
          typicalAnswers((i) => `${evil} ${i}`),
        ),
      ),
    );
    expect(validateCard(card)).toEqual([]);
    const holders = elementsWithText(card, 'evil.example');
    expect(holders).toHaveLength(12);
    for (const h of holders) expect(h.type).toBe('TextRun');
    expect(JSON.stringify(card)).not.toMatch(/"type":"TextBlock","text":"[^"]*evil\.example/);
  });

  it('when the texts are listed, then they are in alphabetical order, not in submission order', () => {
    const words = [
      'zwölf',
      'acht',
      'Mitte',
      'beta',
      'Ende',
      'ohne',
      'Igel',
      'dritte',
      'Chor',
      'Nest',
      'Kiel',
      'fünf',
    ];
    const card = renderResults(
      'de',
      view(
        results(
          TEST_SURVEY,
          typicalAnswers((i) => words[i]!),
        ),
      ),
    );
    const runs = elementsWithText(card, '')
      .filter((e) => e.type === 'TextRun')
      .map((e) => (e as { text: string }).text);
    expect(runs).toEqual([...words].sort((a, b) => a.localeCompare(b, 'de')));
    expect(cardText(card)).toContain('12 Freitextantworten, alphabetisch sortiert');
  });

  it('when there are more than 20 long texts, then at most 20 are listed, cut to 300 characters, with "+N weitere"', () => {
    const answers = Array.from({ length: 30 }, (_, i) => ({
      tools: 3,
      comment: longText(i).slice(0, 200) + 'Ende',
    }));
    const survey = {
      ...TEST_SURVEY,
      questions: TEST_SURVEY.questions.map((q) => (q.type === 'text' ? { ...q, maxLength: 500 } : q)),
    };
    const card = renderResults('de', view(results(survey, answers)));
    const runs = elementsWithText(card, '')
      .filter((e) => e.type === 'TextRun')
      .map((e) => (e as { text: string }).text);
    expect(runs).toHaveLength(20);
    for (const r of runs) expect(Array.from(r).length).toBeLessThanOrEqual(300);
    expect(cardText(card)).toContain('+10 weitere');
    const long = renderResults(
      'de',
      view(
        results(
          survey,
          answers.map((a, i) => ({ ...a, comment: longText(i) })),
        ),
      ),
    );
    const cut = elementsWithText(long, '').filter((e) => e.type === 'TextRun') as { text: string }[];
    expect(cut.every((r) => Array.from(r.text).length === 300 && r.text.endsWith('…'))).toBe(true);
  });

  it.each(['de', 'en'] as const)(
    'when 8 questions have 200 respondents and three take 500-character texts, then the %s card stays under 28 KB',
    (locale) => {
      const card = renderResults(locale, view(results(BIG_SURVEY, bigAnswers(BIG_SURVEY), 250)));
      const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
      expect(bytes).toBeLessThan(MAX_CARD_BYTES);
      expect(validateCard(card)).toEqual([]);
      expect(elementsWithText(card, '').filter((e) => e.type === 'TextRun').length).toBeGreaterThan(0);
      expect(cardText(card)).toContain(locale === 'de' ? 'weitere' : 'more');
    },
  );

  it('when all 8 questions are free text with 200 texts of 500 characters, then the card still stays under 28 KB', () => {
    const survey: Survey = {
      ...BIG_SURVEY,
      questions: Array.from({ length: 8 }, (_, i) => ({
        id: `t${i}`,
        type: 'text' as const,
        field: 'sonstiges' as const,
        text: t(`Freitext ${i}`),
        required: false,
        maxLength: 500,
      })),
    };
    const card = renderResults('de', view(results(survey, bigAnswers(survey), 250)));
    expect(Buffer.byteLength(JSON.stringify(card), 'utf8')).toBeLessThan(MAX_CARD_BYTES);
    expect(validateCard(card)).toEqual([]);
    expect(cardText(card)).toContain('200 Freitextantworten');
  });
});
