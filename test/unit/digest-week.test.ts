import { ManualClock } from '../../src/clock';
import { ExportTokens } from '../../src/digest/export-token';
import { PrivacyKeys } from '../../src/privacy/keys';
import { isoWeekOf } from '../../src/domain/berlin-time';
import { dueTimeInWeek } from '../../src/digest/week';

describe('ISO weeks in Hamburg', () => {
  it.each([
    ['2026-11-23T07:00:00Z', '2026-W48', '2026-11-22T23:00:00.000Z'],
    ['2026-11-22T22:59:59Z', '2026-W47', '2026-11-15T23:00:00.000Z'], // Sunday 23:59:59 Berlin
    ['2026-11-22T23:00:00Z', '2026-W48', '2026-11-22T23:00:00.000Z'], // Monday 00:00 Berlin
    ['2027-01-01T12:00:00Z', '2026-W53', '2026-12-27T23:00:00.000Z'],
    ['2026-03-30T08:00:00Z', '2026-W14', '2026-03-29T22:00:00.000Z'], // summer time
  ])('when it is %s, then the week is %s starting %s', (at, key, start) => {
    const week = isoWeekOf(new Date(at));
    expect(week.key).toBe(key);
    expect(week.start.toISOString()).toBe(start);
  });

  it('when a week spans the switch to winter time, then it ends the next Monday 00:00 Hamburg time', () => {
    // 25 October 2026: clocks go back, so this week has 169 hours.
    const week = isoWeekOf(new Date('2026-10-21T12:00:00Z'));
    expect(week).toMatchObject({ key: '2026-W43', year: 2026, week: 43 });
    expect(week.start.toISOString()).toBe('2026-10-18T22:00:00.000Z');
    expect(week.end.toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect(isoWeekOf(new Date(week.end.getTime() - 1)).key).toBe('2026-W43');
    expect(isoWeekOf(week.end).key).toBe('2026-W44');
  });

  it('when the digest is due Monday 08:00, then daylight saving is honoured', () => {
    expect(dueTimeInWeek('0 8 * * 1', new Date('2026-11-25T10:00:00Z'))?.toISOString()).toBe(
      '2026-11-23T07:00:00.000Z',
    );
    expect(dueTimeInWeek('0 8 * * 1', new Date('2026-07-01T10:00:00Z'))?.toISOString()).toBe(
      '2026-06-29T06:00:00.000Z',
    );
    // The week of the switch to summer time (29 March 2026): Monday 30 March 08:00 CEST.
    expect(dueTimeInWeek('0 8 * * 1', new Date('2026-03-31T10:00:00Z'))?.toISOString()).toBe(
      '2026-03-30T06:00:00.000Z',
    );
  });
});

describe('export tokens', () => {
  const clock = new ManualClock('2026-11-23T09:00:00Z');
  const tokens = new ExportTokens(new PrivacyKeys('k'.repeat(40)), clock);

  it('when a token is fresh, then it names its run; after 15 minutes it is refused', () => {
    const token = tokens.issue('kulturwandel-2311-ab12');
    expect(tokens.verify(token)).toBe('kulturwandel-2311-ab12');
    clock.advance(15 * 60_000);
    expect(tokens.verify(token)).toBeUndefined();
  });

  it('when a token is tampered with or signed with another key, then it is refused', () => {
    const token = tokens.issue('run-a');
    const [body, sig] = token.split('.') as [string, string];
    const forgedBody = Buffer.from(JSON.stringify({ r: 'run-b', e: Date.parse('2030-01-01') })).toString(
      'base64url',
    );
    expect(tokens.verify(`${forgedBody}.${sig}`)).toBeUndefined();
    expect(tokens.verify(`${body}.${sig.slice(0, -1)}A`)).toBeUndefined();
    expect(
      tokens.verify(new ExportTokens(new PrivacyKeys('x'.repeat(40)), clock).issue('run-a')),
    ).toBeUndefined();
    expect(tokens.verify('../../etc/passwd')).toBeUndefined();
    expect(tokens.verify('')).toBeUndefined();
  });
});
