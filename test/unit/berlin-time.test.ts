// Hamburg's calendar (src/domain/berlin-time.ts) on its own, around the daylight-saving switches
// and the turn of the year, in milliseconds (#15.6). In 2026 summer time starts on 29 March
// (02:00 → 03:00, a 23-hour day) and ends on 25 October (03:00 → 02:00, a 25-hour day).
import {
  berlinDate,
  endOfBerlinDay,
  isoWeekOf,
  monthsBefore,
  startOfBerlinDay,
} from '../../src/domain/berlin-time';

const iso = (d: Date | undefined) => d?.toISOString();

describe('endOfBerlinDay (the closing time of a run)', () => {
  it.each([
    ['a winter day', '2026-12-07', '2026-12-07T22:59:59.999Z'],
    ['a summer day', '2026-07-01', '2026-07-01T21:59:59.999Z'],
    ['the day summer time starts (23 hours)', '2026-03-29', '2026-03-29T21:59:59.999Z'],
    ['the day before summer time starts', '2026-03-28', '2026-03-28T22:59:59.999Z'],
    ['the day summer time ends (25 hours)', '2026-10-25', '2026-10-25T22:59:59.999Z'],
    ['the day before summer time ends', '2026-10-24', '2026-10-24T21:59:59.999Z'],
    ['New Year’s Eve', '2026-12-31', '2026-12-31T22:59:59.999Z'],
    ['29 February of a leap year', '2028-02-29', '2028-02-29T22:59:59.999Z'],
  ])('when the date is %s, then it ends at the last millisecond of the Hamburg day', (_what, date, end) => {
    expect(iso(endOfBerlinDay(date))).toBe(end);
  });

  it.each(['2026-02-30', '2026-13-01', '2027-02-29', '07.12.2026', '2026-12-7', '', '2026-12-07T10:00'])(
    'when the date is "%s", then there is no end',
    (date) => {
      expect(endOfBerlinDay(date)).toBeUndefined();
    },
  );

  it('when a day is measured from its start to its end, then the DST days last 23 and 25 hours', () => {
    const hours = (date: string) =>
      (endOfBerlinDay(date)!.getTime() + 1 - startOfBerlinDay(date)!.getTime()) / 3_600_000;
    expect([hours('2026-03-29'), hours('2026-10-25'), hours('2026-11-23')]).toEqual([23, 25, 24]);
  });
});

describe('berlinDate (the date on the wall in Hamburg)', () => {
  it.each([
    ['23:30 in winter is still the same day', '2026-11-23T22:30:00Z', 0, '2026-11-23'],
    ['midnight in winter is the next day', '2026-11-23T23:00:00Z', 0, '2026-11-24'],
    ['22:30 UTC in summer is already the next day', '2026-07-01T22:30:00Z', 0, '2026-07-02'],
    ['the last minute of New Year’s Eve', '2026-12-31T22:59:00Z', 0, '2026-12-31'],
    ['14 days later, across the end of summer time', '2026-10-20T22:30:00Z', 14, '2026-11-04'],
    ['one day later, across the start of summer time', '2026-03-28T23:30:00Z', 1, '2026-03-30'],
  ])('when it is %s, then the date is right', (_what, at, plusDays, date) => {
    expect(berlinDate(new Date(at), plusDays)).toBe(date);
  });
});

describe('isoWeekOf (the digest week, Monday to Sunday in Hamburg)', () => {
  it('when it is Sunday 23:30 in Hamburg, then it is still that week; at Monday 00:00 the next begins', () => {
    expect(isoWeekOf(new Date('2026-11-29T22:30:00Z')).key).toBe('2026-W48');
    expect(isoWeekOf(new Date('2026-11-29T23:00:00Z')).key).toBe('2026-W49');
  });

  it('when the week holds the end of summer time, then it starts and ends at Hamburg midnights (169 hours)', () => {
    const week = isoWeekOf(new Date('2026-10-25T12:00:00Z'));
    expect(week.key).toBe('2026-W43');
    expect(iso(week.start)).toBe('2026-10-18T22:00:00.000Z');
    expect(iso(week.end)).toBe('2026-10-25T23:00:00.000Z');
    expect((week.end.getTime() - week.start.getTime()) / 3_600_000).toBe(169);
  });

  it('when it is the turn of the year, then ISO week years apply (2026 has 53 weeks)', () => {
    expect(isoWeekOf(new Date('2026-12-31T12:00:00Z'))).toMatchObject({
      key: '2026-W53',
      year: 2026,
      week: 53,
    });
    expect(isoWeekOf(new Date('2027-01-03T12:00:00Z')).key).toBe('2026-W53');
    expect(isoWeekOf(new Date('2027-01-04T12:00:00Z')).key).toBe('2027-W01');
  });
});

describe('monthsBefore (retention)', () => {
  it('when counting back over a DST switch, then the Hamburg wall time stays the same', () => {
    // 1 July 03:30 summer time → 1 January 03:30 winter time.
    expect(iso(monthsBefore(new Date('2026-07-01T01:30:00Z'), 6))).toBe('2026-01-01T02:30:00.000Z');
  });

  it('when the day does not exist in the earlier month, then it is the last day of that month', () => {
    // 31 March 12:00 summer time → 28 February 12:00 winter time.
    expect(iso(monthsBefore(new Date('2026-03-31T10:00:00Z'), 1))).toBe('2026-02-28T11:00:00.000Z');
  });
});
