// Correct words (#12.6) on the cards: counted words agree with their number ("+1 weitere Option"),
// and "Gestaltungsfeld" is explained once, where it first appears on a card.
import { renderDigest } from '../../cards/digest';
import { renderResults } from '../../cards/results';
import type { Locale } from '../../src/i18n';
import { cardText } from '../support/connector';
import { runOf, rowsOf, SHIPPED_SURVEYS } from '../support/card-examples';
import { runFigures } from '../support/fixtures';

const survey = SHIPPED_SURVEYS.find((s) => s.id === 'digitale-kompetenzen')!;
const closed = (s = survey) => runFigures(s, rowsOf(s, 37), { runId: runOf(s).runId, audience: 120 });
const digest = (locale: Locale) =>
  renderDigest(locale, {
    weekLabel: 'KW 48',
    runs: [closed(), closed(SHIPPED_SURVEYS.find((s) => s.id === 'kulturwandel')!)],
    ideas: { newByField: [], topSupported: [], statusChanges: [] },
  });
const count = (text: string, part: string) => text.split(part).length - 1;

describe('words on the cards', () => {
  it('when a digest question has one option more than fits, then it says "+1 weitere Option" / "+1 more option"', () => {
    const multi = survey.questions.find((q) => q.type === 'multi')!;
    expect(multi.type === 'multi' && multi.choices.length).toBe(7); // six shown, one more
    expect(cardText(digest('de'))).toContain('+1 weitere Option');
    expect(cardText(digest('de'))).not.toContain('+1 weitere Optionen');
    expect(cardText(digest('en'))).toContain('+1 more option');
    expect(cardText(digest('en'))).not.toContain('+1 more options');
  });

  it('when field indexes are shown, then "Gestaltungsfeld" is explained once per card, right under the first field title', () => {
    for (const [locale, hint] of [
      ['de', 'Gestaltungsfelder sind die Themen der Digitalstrategie'],
      ['en', 'Fields of action (Gestaltungsfelder) are the topics'],
    ] as const) {
      const text = cardText(digest(locale));
      expect(
        count(text, locale === 'de' ? 'Gestaltungsfelder (Index 0–100)' : 'Fields of action (index'),
      ).toBe(2);
      expect(count(text, hint)).toBe(1);
      expect(text.indexOf(hint)).toBeGreaterThan(
        text.indexOf(locale === 'de' ? 'Gestaltungsfelder (Index' : 'Fields of action (index'),
      );
      expect(count(cardText(renderResults(locale, closed())), hint)).toBe(1);
    }
  });
});
