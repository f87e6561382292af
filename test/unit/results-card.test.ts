// The results card (`ergebnisse`): it lays out what the disclosure module returns and nothing else.
// Valid Adaptive Card 1.5 in both languages, every figure a TextBlock with its own id (as the e2e
// tests read them back), numbers as each language writes them, no block-character bars, under
// 28 KB even with many long free texts, and respondents' text only ever inside TextRuns.
import { renderResults } from '../../cards/results';
import { decimal, integer, shareOf, signed } from '../../cards/format';
import type { Locale } from '../../src/i18n';
import type { RunFigures } from '../../src/privacy/disclosure';
import { surveySchema, type Survey } from '../../src/surveys/definition';
import type { Answers } from '../../src/surveys/model';
import type { District } from '../../src/domain/vocabulary';
import { MAX_CARD_BYTES, validateCard } from '../support/adaptive-cards';
import { cardText } from '../support/connector';
import { runFigures, TEST_SURVEY, type FigureRow } from '../support/fixtures';

function figures(
  survey: Survey,
  answers: Answers[],
  ctx: Parameters<typeof runFigures>[2] = {},
  district?: (i: number) => District | undefined,
): RunFigures {
  return runFigures(
    survey,
    answers.map((a, i): FigureRow => ({ district: district?.(i), answers: a })),
    ctx,
  );
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

const typical = (ctx: Parameters<typeof runFigures>[2] = {}) => figures(TEST_SURVEY, typicalAnswers(), ctx);

interface Element {
  type?: string;
  id?: string;
  text?: string;
  [key: string]: unknown;
}

/** Every element of a card, depth first. */
function elements(node: unknown, out: Element[] = []): Element[] {
  if (Array.isArray(node)) node.forEach((n) => elements(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Element;
    if (typeof o.type === 'string') out.push(o);
    Object.values(o).forEach((v) => elements(v, out));
  }
  return out;
}

/** Every element (at any depth) whose own text contains the needle. */
function elementsWithText(card: unknown, needle: string): Element[] {
  return elements(card).filter((e) => typeof e.text === 'string' && e.text.includes(needle));
}

/** The figure TextBlocks of a card, by id. */
function figureMap(card: unknown): Map<string, string> {
  const map = new Map<string, string>();
  for (const e of elements(card)) if (e.type === 'TextBlock' && e.id) map.set(e.id, e.text ?? '');
  return map;
}

/** The text of the TextBlock with this id; fails the test when there is none. */
function figure(card: unknown, id: string): string {
  const text = figureMap(card).get(id);
  if (text === undefined) throw new Error(`no figure ${id} on the card`);
  return text;
}

/** The card's texts outside its participation table (participation is not an answer). */
function textWithoutParticipation(card: { body: unknown[] }): string {
  return cardText(card.body.filter((e) => !elements(e).some((x) => x.id?.startsWith('p.'))));
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

const DISTRICT_OF = ['altona', 'altona', 'wandsbek', 'harburg'] as const;
/** 24 respondents: altona 12, wandsbek 6, harburg 5, bergedorf 1 (hidden, and harburg as its complement). */
function withDistricts(ctx: Parameters<typeof runFigures>[2] = {}): RunFigures {
  const answers = [...typicalAnswers(), ...typicalAnswers()];
  return figures(TEST_SURVEY, answers, ctx, (i) => (i === 23 ? 'bergedorf' : DISTRICT_OF[i % 4]));
}

describe('renderResults', () => {
  it.each(['de', 'en'] as const)(
    'when typical final results are rendered in %s, then the card is a valid Adaptive Card 1.5 without bindings',
    (locale: Locale) => {
      for (const f of [typical(), typical({ open: true }), withDistricts()]) {
        const card = renderResults(locale, f);
        expect(validateCard(card)).toEqual([]);
        expect(card.version).toBe('1.5');
        expect(JSON.stringify(card)).not.toContain('${');
      }
    },
  );

  it('when rendered in German, then header, participation, shares, mean and NPS use German conventions', () => {
    const card = renderResults('de', typical());
    const text = cardText(card);
    expect(text).toContain('Testumfrage');
    expect(text).toContain('Ergebnisse · testumfrage-2311-ab12 · beendet am 07.12.2026');
    expect(figure(card, 'p.audience')).toBe('40');
    expect(figure(card, 'p.delivered')).toBe('40');
    expect(figure(card, 'p.respondents')).toBe('12');
    expect(figure(card, 'p.rate')).toBe('30\u00a0%');
    // tools: 5,4,3,2,5,4,3,2,4,3 and two "keine Angabe" → mean 3,5.
    expect(figure(card, 'q.tools.mean')).toBe('Mittelwert (1–5): 3,5');
    expect(figure(card, 'q.tools.n.0')).toBe('2');
    expect(text).toContain('keine Angabe');
    expect(figure(card, 'q.recommend.nps')).toBe('NPS: +30');
    expect(figure(card, 'q.recommend.mean')).toBe('Mittelwert (0–10): 7,6');
    // office in 4 of 12 answers: 33 %.
    expect(figure(card, 'q.mode.n.office')).toBe('4');
    expect(figure(card, 'q.mode.s.office')).toBe('33\u00a0%');
  });

  it('when rendered in English, then it uses English conventions', () => {
    const card = renderResults('en', typical());
    const text = cardText(card);
    expect(text).toContain('Results · testumfrage-2311-ab12 · closed on 07/12/2026');
    expect(figure(card, 'q.tools.mean')).toBe('Mean (1–5): 3.5');
    expect(figure(card, 'q.recommend.nps')).toBe('NPS: +30');
    expect(figure(card, 'p.rate')).toBe('30%');
    expect(figure(card, 'q.mode.s.office')).toBe('33%');
    expect(text).toContain('prefer not to say');
  });

  it('when figures reach the thousands, then German groups with a dot and English with a comma', () => {
    const f = typical({ audience: 12_345, delivered: 12_000 });
    expect(figure(renderResults('de', f), 'p.audience')).toBe('12.345');
    expect(figure(renderResults('en', f), 'p.audience')).toBe('12,345');
    expect(figure(renderResults('de', f), 'p.delivered')).toBe('12.000');
  });

  it('when a previous run was shown, then the change is a signed figure of its own', () => {
    const previous = figures(
      TEST_SURVEY,
      typicalAnswers().map((a) => ({ ...a, tools: 3, recommend: 10 })),
      { runId: 'testumfrage-1011-aa11' },
    );
    const f = typical({ previous });
    const de = renderResults('de', f);
    expect(figure(de, 'q.tools.change')).toBe('Veränderung seit der letzten Umfrage: +0,5');
    expect(figure(de, 'q.recommend.change')).toBe('Veränderung seit der letzten Umfrage: −70');
    expect(figure(renderResults('en', f), 'q.tools.change')).toBe('Change since the last survey: +0.5');
  });

  it('when the figures are read back by id, then each equals what the disclosure module decided', () => {
    for (const locale of ['de', 'en'] as const) {
      for (const f of [typical(), withDistricts()]) {
        const card = renderResults(locale, f);
        for (const q of f.questions) {
          if (q.hidden || q.type === 'text' || q.type === 'nps') continue;
          for (const d of q.distribution) {
            expect(figure(card, `q.${q.questionId}.n.${d.key}`)).toBe(integer(d.count, locale));
            expect(figure(card, `q.${q.questionId}.s.${d.key}`)).toBe(shareOf(d.count, q.answered!, locale));
          }
          if (q.mean !== undefined)
            expect(figure(card, `q.${q.questionId}.mean`)).toContain(decimal(q.mean, locale));
        }
        for (const field of f.fields) {
          if (field.index !== undefined)
            expect(figure(card, `f.${field.field}.index`)).toBe(integer(field.index, locale));
        }
        for (const d of f.districts) {
          expect(figure(card, `d.${d.district}.respondents`)).toBe(
            d.respondents === undefined ? '–' : integer(d.respondents, locale),
          );
        }
      }
    }
  });

  it('when any card is rendered, then every figure TextBlock has an id of its own', () => {
    const previous = figures(TEST_SURVEY, typicalAnswers(), { runId: 'testumfrage-1011-aa11' });
    const cards = [
      renderResults('de', typical({ previous })),
      renderResults('en', withDistricts({ previous })),
      renderResults('de', typical({ open: true })),
      renderResults('de', figures(BIG_SURVEY, bigAnswers(BIG_SURVEY), { delivered: 250, audience: 250 })),
    ];
    for (const card of cards) {
      const ids = elements(card)
        .map((e) => e.id)
        .filter((id): id is string => id !== undefined);
      expect(ids.length).toBeGreaterThan(3);
      expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
      // A share never sits in a TextBlock without an id.
      for (const e of elements(card)) {
        if (e.type === 'TextBlock' && e.text?.includes('%')) expect(e.id).toBeDefined();
      }
    }
  });

  it('when a run is open, then the card shows participation and the "after close" notice, no result', () => {
    for (const locale of ['de', 'en'] as const) {
      const card = renderResults(locale, typical({ open: true, delivered: 30 }));
      expect(validateCard(card)).toEqual([]);
      const text = cardText(card);
      expect(text).toContain(
        locale === 'de'
          ? 'Die Umfrage läuft noch bis 07.12.2026. Ergebnisse gibt es, wenn sie beendet ist – bis dahin nur die Beteiligung'
          : 'The survey is open until 07/12/2026. Results come once it has closed – until then only participation',
      );
      expect(text).toContain(locale === 'de' ? 'läuft bis 07.12.2026' : 'open until 07/12/2026');
      expect(figure(card, 'p.respondents')).toBe('12');
      expect(figure(card, 'p.rate')).toBe(locale === 'de' ? '40\u00a0%' : '40%');
      expect([...figureMap(card).keys()].filter((id) => !id.startsWith('p.'))).toEqual([]);
      expect(text).not.toMatch(/Anmerkung|Mittelwert|Mean|NPS|Werkzeuge|tools I need/);
    }
  });

  it('when fewer than K_MIN responded to a closed run, then the card shows the count and the notice but no result', () => {
    const answers = typicalAnswers().slice(0, 4);
    for (const locale of ['de', 'en'] as const) {
      const card = renderResults(locale, figures(TEST_SURVEY, answers, { delivered: 10 }));
      expect(validateCard(card)).toEqual([]);
      const text = cardText(card);
      expect(figure(card, 'p.respondents')).toBe('4');
      expect(text).toContain(
        locale === 'de'
          ? 'Zu wenige Antworten: Ergebnisse gibt es erst ab 5 Teilnehmenden, damit niemand erkennbar ist.'
          : 'Not enough answers: results appear from 5 respondents, so that nobody can be identified.',
      );
      const body = textWithoutParticipation(card);
      expect(body).not.toContain('%');
      expect(body).not.toMatch(/█|░|Mittelwert|Mean|NPS|Anmerkung/);
    }
  });

  it('when the audience was below K_MIN, then the card says so and shows not even participation', () => {
    const card = renderResults(
      'de',
      figures(TEST_SURVEY, typicalAnswers().slice(0, 3), { audience: 3, delivered: 3 }),
    );
    expect(validateCard(card)).toEqual([]);
    expect(cardText(card)).toContain('Diese Umfrage ging an weniger als 5 Personen');
    expect(figureMap(card).has('p.respondents')).toBe(false);
    expect(figureMap(card).has('p.rate')).toBe(false);
  });

  it('when a question had fewer than K_MIN answers, then the card says it is hidden and shows none of its figures', () => {
    // Only three of twelve answered the (optional) NPS question.
    const answers = typicalAnswers().map((a, i) => {
      if (i < 3) return a;
      const { recommend: _dropped, ...rest } = a;
      return rest;
    });
    const card = renderResults('de', figures(TEST_SURVEY, answers));
    expect(cardText(card)).toContain(
      'Weniger als 5 Antworten auf diese Frage: ausgeblendet, damit niemand erkennbar ist.',
    );
    expect([...figureMap(card).keys()].filter((id) => id.startsWith('q.recommend.'))).toEqual([]);
    expect(figureMap(card).has('q.tools.mean')).toBe(true);
  });

  it('when fewer than K_TEXT texts arrive, then the card names the threshold and shows no text', () => {
    const answers = typicalAnswers((i) => (i < 9 ? `Text ${i}` : ''));
    const de = cardText(renderResults('de', figures(TEST_SURVEY, answers)));
    expect(de).toContain('Freitexte werden erst ab 10 Antworten gezeigt.');
    expect(de).not.toContain('Text 3');
    const en = cardText(renderResults('en', figures(TEST_SURVEY, answers)));
    expect(en).toContain('Free texts are shown from 10 answers.');
  });

  it('when a free text contains markdown, then it appears only inside a TextRun', () => {
    const evil = '**x** [link](http://evil.example)';
    const card = renderResults(
      'de',
      figures(
        TEST_SURVEY,
        typicalAnswers((i) => `${evil} ${i}`),
      ),
    );
    expect(validateCard(card)).toEqual([]);
    const holders = elementsWithText(card, 'evil.example');
    expect(holders).toHaveLength(12);
    for (const h of holders) expect(h.type).toBe('TextRun');
    expect(JSON.stringify(card)).not.toMatch(/"type":"TextBlock","text":"[^"]*evil\.example/);
  });

  it('when the texts are listed, then they are in the disclosure order, said to be random, not in submission order', () => {
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
    const f = figures(
      TEST_SURVEY,
      typicalAnswers((i) => words[i]!),
    );
    const card = renderResults('de', f);
    const runs = elements(card)
      .filter((e) => e.type === 'TextRun')
      .map((e) => e.text);
    expect(runs).toEqual(f.questions.find((q) => q.questionId === 'comment')!.texts);
    expect(runs).not.toEqual(words);
    expect(cardText(card)).toContain('12 Freitextantworten, in zufälliger Reihenfolge');
    expect(cardText(renderResults('en', f))).toContain('12 free-text answers, in random order');
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
    const card = renderResults('de', figures(survey, answers));
    const runs = elements(card)
      .filter((e) => e.type === 'TextRun')
      .map((e) => e.text!);
    expect(runs).toHaveLength(20);
    for (const r of runs) expect(Array.from(r).length).toBeLessThanOrEqual(300);
    expect(cardText(card)).toContain('+10 weitere Freitexte');
    const long = renderResults(
      'de',
      figures(
        survey,
        answers.map((a, i) => ({ ...a, comment: longText(i) })),
      ),
    );
    const cut = elements(long).filter((e) => e.type === 'TextRun');
    expect(cut.every((r) => Array.from(r.text!).length === 300 && r.text!.endsWith('…'))).toBe(true);
  });

  it('when districts are shown, then hidden cells read "–" with a footnote, and no text is given per district', () => {
    const f = withDistricts();
    const hidden = f.districts.filter((d) => d.hidden).map((d) => d.district);
    expect(hidden).toContain('bergedorf');
    const card = renderResults('de', f);
    for (const d of hidden) expect(figure(card, `d.${d}.respondents`)).toBe('–');
    expect(figure(card, 'd.altona.respondents')).toBe('12');
    expect(cardText(card)).toContain(
      '– ausgeblendet: weniger als 5 Antworten, oder sonst aus der Gesamtzahl errechenbar',
    );
    const districtIds = [...figureMap(card).keys()].filter((id) => id.startsWith('d.'));
    for (const id of districtIds) expect(figure(card, id)).not.toMatch(/Anmerkung/);
  });

  it.each(['de', 'en'] as const)(
    'when 8 questions have 200 respondents and three take 500-character texts, then the %s card stays under 28 KB',
    (locale) => {
      const f = figures(BIG_SURVEY, bigAnswers(BIG_SURVEY), { delivered: 250, audience: 250 });
      const card = renderResults(locale, f);
      expect(Buffer.byteLength(JSON.stringify(card), 'utf8')).toBeLessThan(MAX_CARD_BYTES);
      expect(validateCard(card)).toEqual([]);
      expect(elements(card).filter((e) => e.type === 'TextRun').length).toBeGreaterThan(0);
      expect(cardText(card)).toContain(locale === 'de' ? 'weitere' : 'more');
      // Every scored figure survives; only texts are cut.
      expect(figureMap(card).has('q.l1.mean')).toBe(true);
      expect(figureMap(card).has('q.s1.n.c11')).toBe(true);
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
    for (const locale of ['de', 'en'] as const) {
      const card = renderResults(
        locale,
        figures(survey, bigAnswers(survey), { delivered: 250, audience: 250 }),
      );
      expect(Buffer.byteLength(JSON.stringify(card), 'utf8')).toBeLessThan(MAX_CARD_BYTES);
      expect(validateCard(card)).toEqual([]);
      expect(cardText(card)).toContain(locale === 'de' ? '200 Freitextantworten' : '200 free-text answers');
    }
  });

  it('when figures are shown, then no block-character bar carries them', () => {
    const json = JSON.stringify(renderResults('de', withDistricts()));
    expect(json).not.toMatch(/[█░▓▒]/);
    expect(elements(renderResults('de', typical())).some((e) => e.type === 'Table')).toBe(true);
  });

  it('when a change is signed, then zero has no sign and negatives have one', () => {
    expect(signed(0.04, 'de', 1)).toBe('0,0');
    expect(signed(-0.26, 'de', 1)).toBe('\u22120,3');
    // The minus sign of "−100 bis +100", not a hyphen.
    expect(signed(-43, 'de')).toBe('−43');
    expect(signed(-43, 'en')).toBe('−43');
    expect(signed(12, 'en')).toBe('+12');
  });
});
