// Answer validation on its own (src/surveys/answers.ts), in milliseconds: everything a card can post
// is untrusted, values arrive as strings, and anything else may be posted (#15.6).
import { inputId, validateAnswers } from '../../src/surveys/answers';
import { NO_ANSWER } from '../../src/surveys/model';
import { TEST_SURVEY } from '../support/fixtures';

/** A complete, valid submission of TEST_SURVEY, as the card posts it (strings), with overrides by question id. */
function posted(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    tools: '4',
    mode: 'mobile',
    formats: 'video,chat',
    recommend: '9',
    comment: 'Weiter so.',
  };
  const all = { ...base, ...overrides };
  return Object.fromEntries(
    Object.entries(all)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [inputId(k), v]),
  );
}

function errorsOf(data: Record<string, unknown>) {
  const result = validateAnswers(TEST_SURVEY, data);
  return result.ok ? {} : result.errors;
}

describe('validateAnswers', () => {
  it('when every answer is valid, then they come back typed, multi choices in the definition order', () => {
    const result = validateAnswers(TEST_SURVEY, {
      ...posted(),
      verb: 'survey.answer',
      msteams: {},
      runId: 'r',
    });
    expect(result).toEqual({
      ok: true,
      answers: { tools: 4, mode: 'mobile', formats: ['chat', 'video'], recommend: 9, comment: 'Weiter so.' },
    });
  });

  it('when numbers arrive as numbers rather than strings, then they count the same', () => {
    expect(validateAnswers(TEST_SURVEY, posted({ tools: 4, recommend: 0 }))).toMatchObject({
      ok: true,
      answers: { tools: 4, recommend: 0 },
    });
  });

  it.each([
    ['a likert answer of 6', { tools: '6' }, { tools: 'range' }],
    ['a likert answer of -1', { tools: '-1' }, { tools: 'range' }],
    ['a likert answer that is no number', { tools: 'viel' }, { tools: 'type' }],
    ['a likert answer with decimals', { tools: '2.5' }, { tools: 'type' }],
    ['an NPS of 11', { recommend: '11' }, { recommend: 'range' }],
    ['an NPS of 1000', { recommend: '1000' }, { recommend: 'type' }],
    ['an unknown single choice', { mode: 'homeoffice' }, { mode: 'choice' }],
    ['an unknown multi choice', { formats: 'chat,fax' }, { formats: 'choice' }],
    ['a multi choice picked twice', { formats: 'chat,chat' }, { formats: 'choice' }],
    ['three of at most two choices', { formats: 'chat,wiki,video' }, { formats: 'too_many' }],
    ['a text over its maximum', { comment: 'x'.repeat(201) }, { comment: 'too_long' }],
    ['HTML in a text', { comment: '<b>laut</b>' }, { comment: 'markup' }],
    ['a markdown link in a text', { comment: '[hier](https://example.org)' }, { comment: 'markup' }],
    ['a number where a text belongs', { comment: 42 }, { comment: 'type' }],
    ['an object instead of a value', { mode: { $ne: '' } }, { mode: 'type' }],
    ['an array instead of a value', { tools: ['1'] }, { tools: 'type' }],
  ])('when the card posts %s, then that question gets its error', (_what, overrides, expected) => {
    expect(errorsOf(posted(overrides))).toEqual(expected);
  });

  it('when required questions are left empty, then each is "required"; an optional text may stay empty', () => {
    expect(
      errorsOf(posted({ tools: '', mode: '  ', formats: undefined, recommend: undefined, comment: '' })),
    ).toEqual({
      tools: 'required',
      mode: 'required',
      formats: 'required',
      recommend: 'required',
    });
  });

  it('when "no answer" is chosen where the question allows it, then it is kept as NO_ANSWER', () => {
    expect(validateAnswers(TEST_SURVEY, posted({ tools: String(NO_ANSWER) }))).toMatchObject({
      ok: true,
      answers: { tools: NO_ANSWER },
    });
  });

  it('when "no answer" is posted for an NPS question, which does not allow it, then 0 is a normal score', () => {
    expect(validateAnswers(TEST_SURVEY, posted({ recommend: '0' }))).toMatchObject({
      ok: true,
      answers: { recommend: 0 },
    });
  });

  it('when the card carries a field it does not have, then the whole payload is refused and the answers are re-filled', () => {
    const result = validateAnswers(TEST_SURVEY, { ...posted(), q_salary: '5000', district: 'altona' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.unknownFields.sort()).toEqual(['district', 'q_salary']);
    expect(result.errors).toEqual({});
    expect(result.entered).toMatchObject({ tools: '4', mode: 'mobile', recommend: '9' });
  });

  it('when a text carries control characters or Windows line ends, then they are cleaned before counting', () => {
    const result = validateAnswers(TEST_SURVEY, posted({ comment: '  Zeile 1\r\nZeile 2\u0007  ' }));
    expect(result).toMatchObject({ ok: true, answers: { comment: 'Zeile 1\nZeile 2' } });
  });

  it('when a very long value is entered, then what is re-filled is cut to 4,000 characters', () => {
    const result = validateAnswers(TEST_SURVEY, posted({ comment: 'y'.repeat(10_000) }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.entered.comment).toHaveLength(4000);
  });
});
