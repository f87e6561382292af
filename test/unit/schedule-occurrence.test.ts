// Occurrences of recurring schedules in Hamburg time, across the changes to and from summer time.
import {
  closingAt,
  closingDate,
  latestDue,
  nextAfter,
  nextStart,
  occurrenceAt,
  type Schedule,
} from '../../src/surveys/schedule';
import { ScheduleService, type ScheduleFields } from '../../src/surveys/schedule-service';
import type { ScheduleRepository } from '../../src/storage/schedule-repository';

const weekly = { firstDate: '2027-03-22', time: '09:00', cadence: { unit: 'weeks' as const, every: 1 } };
const iso = (d: Date | undefined) => d?.toISOString();

describe('schedule occurrences', () => {
  it('when a weekly schedule crosses the spring change, then it stays at 09:00 Hamburg time', () => {
    expect(iso(occurrenceAt(weekly, 0))).toBe('2027-03-22T08:00:00.000Z'); // CET
    expect(iso(occurrenceAt(weekly, 1))).toBe('2027-03-29T07:00:00.000Z'); // CEST
  });

  it('when a monthly schedule crosses the autumn change, then it stays at 09:00 Hamburg time', () => {
    const monthly = {
      firstDate: '2027-10-15',
      time: '09:00',
      cadence: { unit: 'months' as const, every: 1 },
    };
    expect(iso(occurrenceAt(monthly, 0))).toBe('2027-10-15T07:00:00.000Z');
    expect(iso(occurrenceAt(monthly, 1))).toBe('2027-11-15T08:00:00.000Z');
  });

  it('when a quarterly schedule starts on the 31st, then shorter months take their last day and the 31st comes back', () => {
    const quarterly = {
      firstDate: '2027-01-31',
      time: '09:00',
      cadence: { unit: 'months' as const, every: 3 },
    };
    expect(iso(occurrenceAt(quarterly, 1))).toBe('2027-04-30T07:00:00.000Z');
    expect(iso(occurrenceAt(quarterly, 2))).toBe('2027-07-31T07:00:00.000Z');
    // 31 October 2027 is the day summer time ends: 09:00 is CET again.
    expect(iso(occurrenceAt(quarterly, 3))).toBe('2027-10-31T08:00:00.000Z');
  });

  it('when the time does not exist on the spring-change day, then that occurrence moves an hour on and the next is back at 02:30', () => {
    const sundays = { firstDate: '2027-03-21', time: '02:30', cadence: { unit: 'weeks' as const, every: 1 } };
    expect(iso(occurrenceAt(sundays, 0))).toBe('2027-03-21T01:30:00.000Z');
    expect(iso(occurrenceAt(sundays, 1))).toBe('2027-03-28T01:30:00.000Z'); // 03:30 CEST
    expect(iso(occurrenceAt(sundays, 2))).toBe('2027-04-04T00:30:00.000Z'); // 02:30 CEST
  });

  it('when asked for the latest due occurrence, then it is the last one at or before now', () => {
    const every2 = { ...weekly, cadence: { unit: 'weeks' as const, every: 2 } };
    expect(latestDue(every2, new Date('2027-03-22T07:59:59Z'))).toBeUndefined();
    expect(latestDue(every2, new Date('2027-03-22T08:00:00Z'))).toMatchObject({
      index: 0,
      date: '2027-03-22',
    });
    expect(latestDue(every2, new Date('2027-04-05T06:59:59Z'))).toMatchObject({ index: 0 });
    expect(latestDue(every2, new Date('2027-04-05T07:00:00Z'))).toMatchObject({
      index: 1,
      date: '2027-04-05',
    });
    // A year later: found without stepping through every occurrence from the first.
    expect(latestDue(every2, new Date('2028-03-21T12:00:00Z'))).toMatchObject({
      index: 26,
      date: '2028-03-20',
    });
    expect(nextAfter(every2, new Date('2027-04-05T07:00:00Z'))).toMatchObject({
      index: 2,
      date: '2027-04-19',
    });
  });

  it('when a schedule is paused or not yet in force, then its next start says so', () => {
    const s: Schedule = {
      ...weekly,
      scheduleId: 's-1',
      surveyId: 'x',
      districts: [],
      groupIds: [],
      openDays: 5,
      active: true,
      createdBy: 'o',
      createdByName: 'O',
      createdAt: new Date('2027-04-01T00:00:00Z'),
      updatedAt: new Date('2027-04-01T00:00:00Z'),
      notBefore: new Date('2027-04-10T00:00:00Z'),
      etag: '',
    };
    expect(iso(nextStart(s, new Date('2027-04-01T00:00:00Z'))?.at)).toBe('2027-04-12T07:00:00.000Z');
    expect(nextStart({ ...s, active: false }, new Date('2027-04-01T00:00:00Z'))).toBeUndefined();
  });

  it('when a run is open 14 days from a Monday, then it closes at the end of the second Sunday in Hamburg', () => {
    const at = occurrenceAt(weekly, 0);
    expect(closingDate({ openDays: 14 }, at)).toBe('2027-04-04');
    expect(iso(closingAt({ openDays: 14 }, at))).toBe('2027-04-04T21:59:59.999Z');
    expect(closingDate({ openDays: 1 }, at)).toBe('2027-03-22');
  });
});

describe('schedule validation', () => {
  const service = new ScheduleService({
    schedules: {} as ScheduleRepository,
    clock: { now: () => new Date('2027-01-01T00:00:00Z') },
    surveyExists: (id) => id === 'kulturwandel',
    hasDirectory: false,
  });
  const valid: ScheduleFields = {
    surveyId: 'kulturwandel',
    districts: ['altona'],
    groupIds: [],
    cadence: { unit: 'months', every: 3 },
    firstDate: '2027-01-04',
    time: '09:00',
    openDays: 14,
    active: true,
  };
  const paths = (f: Partial<ScheduleFields>) => service.validate({ ...valid, ...f }).map((i) => i.path);

  it('when a schedule is complete, then it is valid', () => {
    expect(paths({})).toEqual([]);
  });

  it('when a field is wrong, then that field is named', () => {
    expect(paths({ surveyId: 'gibt-es-nicht' })).toEqual(['surveyId']);
    expect(paths({ districts: ['atlantis'] })).toEqual(['districts']);
    expect(paths({ firstDate: '2027-02-30' })).toEqual(['firstDate']);
    expect(paths({ time: '24:00' })).toEqual(['time']);
    expect(paths({ cadence: { unit: 'weeks', every: 0 } })).toEqual(['cadence.every', 'openDays']);
    expect(paths({ groupIds: ['aaaaaaaa-0000-4000-8000-000000000001'] })).toEqual(['groupIds']);
  });

  it('when a run would stay open into the next occurrence, then the open days are refused', () => {
    expect(paths({ cadence: { unit: 'weeks', every: 1 }, openDays: 7 })).toEqual([]);
    expect(paths({ cadence: { unit: 'weeks', every: 1 }, openDays: 8 })).toEqual(['openDays']);
    // Quarterly: at most 84 days (three short months); half-yearly: the 90 days a run may last.
    expect(paths({ openDays: 84 })).toEqual([]);
    expect(paths({ openDays: 85 })).toEqual(['openDays']);
    expect(paths({ cadence: { unit: 'months', every: 6 }, openDays: 90 })).toEqual([]);
    expect(paths({ cadence: { unit: 'months', every: 6 }, openDays: 91 })).toEqual(['openDays']);
  });
});
