// Idea validation on its own (validateIdea in src/ideas/idea-service.ts), in milliseconds (#15.6).
import { DESCRIPTION_MAX, TITLE_MAX, validateIdea } from '../../src/ideas/idea-service';

function form(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Digitale Terminvergabe',
    description: 'Termine online buchen statt anrufen.',
    field: 'nutzerorientierung',
    district: 'altona',
    anonymous: 'false',
    ...overrides,
  };
}

const errorsOf = (data: Record<string, unknown>) => {
  const v = validateIdea(data);
  return v.ok ? {} : v.errors;
};

describe('validateIdea', () => {
  it('when the form is complete, then the input comes back cleaned and typed', () => {
    expect(
      validateIdea({ ...form({ title: '  Digitale   Terminvergabe\n ' }), verb: 'idea.submit', msteams: {} }),
    ).toEqual({
      ok: true,
      input: {
        title: 'Digitale Terminvergabe',
        description: 'Termine online buchen statt anrufen.',
        field: 'nutzerorientierung',
        district: 'altona',
        anonymous: false,
      },
    });
  });

  it('when the district is left empty or missing, then the idea has none; "true" or true make it anonymous', () => {
    expect(validateIdea(form({ district: '', anonymous: 'true' }))).toMatchObject({
      ok: true,
      input: { district: undefined, anonymous: true },
    });
    expect(validateIdea(form({ district: undefined, anonymous: true }))).toMatchObject({
      ok: true,
      input: { district: undefined, anonymous: true },
    });
  });

  it('when the title and description are exactly at their maximum, then they pass; one more character does not', () => {
    expect(
      validateIdea(form({ title: 'T'.repeat(TITLE_MAX), description: 'D'.repeat(DESCRIPTION_MAX) })).ok,
    ).toBe(true);
    expect(
      errorsOf(form({ title: 'T'.repeat(TITLE_MAX + 1), description: 'D'.repeat(DESCRIPTION_MAX + 1) })),
    ).toEqual({
      title: 'too_long',
      description: 'too_long',
    });
  });

  it.each([
    ['an empty title', { title: '' }, { title: 'required' }],
    ['a title of blanks', { title: ' \n\t ' }, { title: 'required' }],
    ['no description', { description: undefined }, { description: 'required' }],
    ['no field of action', { field: '' }, { field: 'required' }],
    ['an unknown field of action', { field: 'astrologie' }, { field: 'choice' }],
    ['an unknown district', { district: 'atlantis' }, { district: 'choice' }],
    ['"anonymous" neither true nor false', { anonymous: 'maybe' }, { anonymous: 'choice' }],
    ['an HTML tag in the title', { title: 'Neu <img src=x>' }, { title: 'markup' }],
    [
      'a script URL in the description',
      { description: 'Siehe javascript:alert(1)' },
      { description: 'markup' },
    ],
    ['an object for the title', { title: { $gt: '' } }, { title: 'type' }],
    ['a number for the district', { district: 7 }, { district: 'type' }],
    ['an array for the field', { field: ['sonstiges'] }, { field: 'type' }],
  ])('when the form has %s, then that field gets its error', (_what, overrides, expected) => {
    expect(errorsOf(form(overrides))).toEqual(expected);
  });

  it('when the card carries an unknown field, then the idea is refused and what was entered comes back', () => {
    const v = validateIdea(form({ submitter: 'someone-else' }));
    expect(v).toMatchObject({ ok: false, unknownFields: ['submitter'], errors: {} });
    if (!v.ok)
      expect(v.entered).toMatchObject({ title: 'Digitale Terminvergabe', field: 'nutzerorientierung' });
  });

  it('when "confirm" comes with the form ("submit anyway"), then it is not an unknown field', () => {
    expect(validateIdea(form({ confirm: 'true' })).ok).toBe(true);
  });
});
