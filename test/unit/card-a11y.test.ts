// Accessibility (BITV 2.0, #12.4): every card template in cards/, rendered with realistic data in
// German and English, passes the card check (labels, alt texts, action names, a heading first,
// nothing in colour or block bars alone, nothing cut off, custom colours ≥ 4.5:1). And the check
// itself fails on a card broken on purpose in each of those ways.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { checkCardAccessibility, contrast, type A11yRule } from '../support/card-a11y';
import { CARD_EXAMPLES, SHIPPED_SURVEYS, runOf } from '../support/card-examples';
import { renderSurveyStep } from '../../cards/surveys';
import { renderSettings, type AdaptiveCard } from '../../cards';

const CARDS = path.join(__dirname, '../../cards');

describe('the accessibility check over every card', () => {
  it('when the cards folder is listed, then every template and every render function has a rendered example', () => {
    const templates = readdirSync(CARDS)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));
    expect(templates.filter((t) => !CARD_EXAMPLES.some((e) => e.template === t))).toEqual([]);
    const renders = readdirSync(CARDS)
      .filter((f) => f.endsWith('.ts'))
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- every module in cards/, by name
      .flatMap((f) => Object.keys(require(path.join(CARDS, f)) as object))
      .filter((name) => /^render[A-Z]/.test(name));
    expect(renders.length).toBeGreaterThan(15);
    expect(renders.filter((r) => !CARD_EXAMPLES.some((e) => e.render === r))).toEqual([]);
  });

  describe.each(CARD_EXAMPLES.map((e) => [e.name, e] as const))('%s', (_name, example) => {
    it.each(['de', 'en'] as const)('when rendered in %s, then the check finds nothing', (locale) => {
      expect(checkCardAccessibility(example.card(locale))).toEqual([]);
    });
  });
});

/** A deep copy to break. */
const copy = (card: AdaptiveCard): AdaptiveCard => JSON.parse(JSON.stringify(card)) as AdaptiveCard;
type El = Record<string, unknown>;
function find(card: unknown, match: (e: El) => boolean): El {
  let found: El | undefined;
  JSON.stringify(card, (_k, v: unknown) => {
    if (!found && v && typeof v === 'object' && !Array.isArray(v) && match(v as El)) found = v as El;
    return v;
  });
  if (!found) throw new Error('no such element on the card');
  return found;
}
const rules = (card: unknown): A11yRule[] => [...new Set(checkCardAccessibility(card).map((p) => p.rule))];

describe('the accessibility check itself', () => {
  const survey = SHIPPED_SURVEYS.find((s) => s.questions.some((q) => q.type === 'multi'))!;
  const multiStep = survey.questions.findIndex((q) => q.type === 'multi');
  const textStep = survey.questions.findIndex((q) => q.type === 'text');
  const step = (n: number) => renderSurveyStep('de', { run: runOf(survey), step: n, answers: {} });

  it('when the cards are intact, then the examples used below pass', () => {
    expect(rules(step(multiStep))).toEqual([]);
    expect(rules(step(textStep))).toEqual([]);
    expect(rules(step(0))).toEqual([]);
  });

  it('when an input loses its label, then "input-label" is reported (choice set, text, toggle)', () => {
    for (const [card, type] of [
      [step(multiStep), 'Input.ChoiceSet'],
      [step(textStep), 'Input.Text'],
      [
        renderSettings('de', { settings: { language: 'de', district: 'altona', reminders: true }, kMin: 5 }),
        'Input.Toggle',
      ],
    ] as const) {
      const broken = copy(card);
      const input = find(broken, (e) => e.type === type);
      delete input.label;
      delete input.title;
      expect(rules(broken)).toContain('input-label');
    }
  });

  it('when a choice has no title, then "choice-title" is reported', () => {
    const broken = copy(step(multiStep));
    (find(broken, (e) => e.type === 'Input.ChoiceSet').choices as El[])[0]!.title = '';
    expect(rules(broken)).toEqual(['choice-title']);
  });

  it('when a chart or an image has no alt text, or one that does not state the data, then "alt-text" is reported', () => {
    const card = CARD_EXAMPLES.find((e) => e.name === 'weekly-digest/charts')!.card('de');
    const chart = find(card, (e) => String(e.type).startsWith('Chart.'));
    expect(String(chart.altText)).toMatch(/\d/);
    const noAlt = copy(card);
    delete find(noAlt, (e) => String(e.type).startsWith('Chart.')).altText;
    expect(rules(noAlt)).toEqual(['alt-text']);
    const vague = copy(card);
    find(vague, (e) => String(e.type).startsWith('Chart.')).altText = 'Ein Balkendiagramm';
    expect(rules(vague)).toEqual(['alt-text']);
    const image = copy(step(0));
    image.body.push({ type: 'Image', url: 'https://example.org/x.png' });
    expect(rules(image)).toEqual(['alt-text']);
  });

  it('when a tile loses its title, then "action-title" is reported (a screen reader would say "button")', () => {
    const broken = copy(step(0));
    (find(broken, (e) => e.type === 'Action.Execute') as El).title = '';
    expect(rules(broken)).toEqual(['action-title']);
  });

  it('when colour alone carries a meaning, then "colour-only" is reported', () => {
    const dot = copy(step(0));
    dot.body.push({ type: 'TextBlock', text: '●', color: 'Good' });
    expect(rules(dot)).toEqual(['colour-only']);
    const number = copy(step(0));
    number.body.push({ type: 'TextBlock', text: '0,3', color: 'Attention' });
    expect(rules(number)).toEqual(['colour-only']);
    const box = copy(step(0));
    box.body.push({ type: 'Container', style: 'attention', items: [] });
    expect(rules(box)).toEqual(['colour-only']);
  });

  it('when a long card has no heading first, then "heading" is reported', () => {
    const broken = copy(step(0));
    delete find(broken, (e) => e.style === 'heading').style;
    expect(rules(broken)).toEqual(['heading']);
    const late = copy(step(0));
    late.body.unshift({ type: 'TextBlock', text: 'Vorab', wrap: true });
    expect(rules(late)).toEqual(['heading']);
  });

  it('when a custom colour is below 4.5:1 on the card, then "contrast" is reported, and at 4.5:1 it is not', () => {
    expect(contrast('#767676', '#FFFFFF')).toBeGreaterThanOrEqual(4.5);
    expect(contrast('#777777', '#FFFFFF')).toBeLessThan(4.5);
    expect(contrast('#000', '#FFF')).toBeCloseTo(21, 5);
    const pale = copy(step(0));
    pale.body.push({ type: 'TextBlock', text: 'Hinweis', color: '#9E9E9E' });
    expect(rules(pale)).toEqual(['contrast']);
    const dark = copy(step(0));
    dark.body.push({ type: 'TextBlock', text: 'Hinweis', color: '#767676' });
    expect(rules(dark)).toEqual([]);
  });

  it('when a block-character bar stands without its figure, then "block-bar" is reported', () => {
    const broken = copy(step(0));
    broken.body.push({ type: 'TextBlock', text: 'trifft zu ▇▇▇▇▇▁▁▁', wrap: true });
    expect(rules(broken)).toEqual(['block-bar']);
    const withFigure = copy(step(0));
    withFigure.body.push({ type: 'TextBlock', text: 'trifft zu ▇▇▇▇▇▁▁▁ 62 %', wrap: true });
    expect(rules(withFigure)).toEqual([]);
  });

  it('when a long text does not wrap, then "cut-off" is reported', () => {
    const broken = copy(step(0));
    const question = find(
      broken,
      (e) => e.type === 'TextBlock' && e.weight === 'Bolder' && String(e.text).length > 24,
    );
    delete question.wrap;
    expect(rules(broken)).toEqual(['cut-off']);
  });

  it('when a table of three or more columns loses its header row, then "table-header" is reported', () => {
    const card = CARD_EXAMPLES.find((e) => e.name === 'run-results/digitale-kompetenzen/closed')!.card('de');
    const broken = copy(card);
    find(broken, (e) => e.type === 'Table' && (e.columns as unknown[]).length > 2).firstRowAsHeader = false;
    expect(rules(broken)).toEqual(['table-header']);
  });
});
