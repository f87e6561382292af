// Recurring pulses end to end: two bot instances on one Azurite with one controllable clock. A due
// occurrence becomes exactly one run; a restarted instance keeps the schedule and starts nothing
// again; after downtime only the latest missed occurrence is caught up, once; a failed start is
// recorded on the schedule and told to the officers, not retried.
import { ManualClock } from '../../src/clock';
import type { TickReport } from '../../src/surveys/schedule-scheduler';
import type { ScheduleFields } from '../../src/surveys/schedule-service';
import { bankOf, TEST_SURVEY } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { uniquePrefix } from '../support/storage';
import { installPersonal, installTeam, makeTeam, makeUser } from '../support/teams';

// Several app instances start and stop here: generous bounds for a busy 2-core CI machine.
jest.setTimeout(90_000);

describe('recurring schedules', () => {
  const prefix = uniquePrefix();
  const officer = makeUser('Olga Officer');
  const team = makeTeam('Digitalisierungsbeauftragte');
  // Monday 23 November 2026, 10:00 in Hamburg.
  const clock = new ManualClock('2026-11-23T09:00:00Z');
  const env = { TABLE_PREFIX: prefix, OFFICER_AAD_IDS: officer.aadObjectId, OFFICERS_TEAM_ID: team.id };
  const staff = Array.from({ length: 6 }, (_, i) => makeUser(`Kollegin ${i}`));
  const instances: Harness[] = [];
  let a: Harness;
  let b: Harness;
  let scheduleId: string;

  const start = async () => {
    const h = await startHarness({ env, clock, questionBank: bankOf(TEST_SURVEY) });
    instances.push(h);
    return h;
  };
  const weekly: ScheduleFields = {
    surveyId: TEST_SURVEY.id,
    districts: [],
    groupIds: [],
    cadence: { unit: 'weeks', every: 1 },
    firstDate: '2026-11-30',
    time: '09:00',
    openDays: 3,
    active: true,
  };
  const scheduledRuns = async (h: Harness, id: string) =>
    (await h.app.repositories.runs.list()).filter((r) => r.scheduleId === id);
  const channelTexts = () =>
    a.connector.calls
      .filter((c) => c.kind === 'createConversation')
      .map((c) => String(c.activity.text ?? ''));
  const outcomes = (reports: TickReport[][], id: string) =>
    reports
      .flat()
      .filter((r) => r.scheduleId === id)
      .map((r) => r.outcome)
      .sort();
  const idle = () => Promise.all(instances.map((h) => h.app.background.idle()));

  beforeAll(async () => {
    a = await start();
    b = await start();
    await a.send(installTeam(team, officer, a.serviceUrl));
    for (const u of staff) await a.send(installPersonal(u, a.serviceUrl));
    const saved = await a.app.schedules.save(
      { id: officer.aadObjectId, name: officer.name },
      undefined,
      weekly,
      undefined,
    );
    if (saved.kind !== 'saved') throw new Error(`schedule not saved: ${JSON.stringify(saved)}`);
    scheduleId = saved.schedule.scheduleId;
  });
  afterAll(async () => {
    await Promise.all(instances.map((h) => h.stop()));
  });

  it('when the first occurrence comes due with two instances ticking, then exactly one run starts', async () => {
    expect(await Promise.all([a.app.scheduleScheduler.tick(), b.app.scheduleScheduler.tick()])).toEqual([
      [],
      [],
    ]);

    clock.set('2026-11-30T08:00:05Z'); // Monday 09:00:05 in Hamburg
    const reports = await Promise.all([a.app.scheduleScheduler.tick(), b.app.scheduleScheduler.tick()]);
    const mine = outcomes(reports, scheduleId);
    expect(mine.filter((o) => o === 'started')).toHaveLength(1);
    expect(mine).toHaveLength(2);
    expect(mine.every((o) => ['started', 'claimed_elsewhere', 'settled'].includes(o))).toBe(true);
    // Both again: nothing more.
    await Promise.all([a.app.scheduleScheduler.tick(), b.app.scheduleScheduler.tick()]);
    await idle();

    const runs = await scheduledRuns(a, scheduleId);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.survey.id).toBe(TEST_SURVEY.id);
    expect(runs[0]!.startedBy).toBe(officer.aadObjectId);
    // Open three days, the start day included: closes at the end of Wednesday in Hamburg.
    expect(runs[0]!.closesAt.toISOString()).toBe('2026-12-02T22:59:59.999Z');
    expect(await a.app.repositories.deliveries.counts(runs[0]!.runId)).toMatchObject({ recipients: 6 });
    await idle();
    expect(channelTexts().filter((t) => t.includes(runs[0]!.runId))).toHaveLength(1);

    const [entry] = await b.app.schedules.list();
    expect(entry!.history).toEqual([
      expect.objectContaining({ occurrence: '2026-11-30', status: 'started', runId: runs[0]!.runId }),
    ]);
    expect(entry!.next?.date).toBe('2026-12-07');
  });

  it('when the run reaches its closing date, then it is closed without anyone closing it', async () => {
    const [run] = await scheduledRuns(a, scheduleId);
    clock.set('2026-12-02T23:00:00Z');
    expect(a.app.surveys.isOpen((await a.app.surveys.getRun(run!.runId))!)).toBe(false);
  });

  it('when a new instance starts on the same tables, then it keeps the schedule and starts nothing again', async () => {
    // b stops (a keeps the captured Teams service the officers' channel was installed through).
    await b.stop();
    instances.splice(instances.indexOf(b), 1);
    const c = await start();
    const [entry] = await c.app.schedules.list();
    expect(entry!.schedule).toMatchObject({
      scheduleId,
      surveyId: TEST_SURVEY.id,
      active: true,
      openDays: 3,
    });
    expect(outcomes([await c.app.scheduleScheduler.tick()], scheduleId)).toEqual(['settled']);
    expect(await scheduledRuns(c, scheduleId)).toHaveLength(1);
    b = c;
  });

  it('when the instances were down for two occurrences, then only the latest is started, once', async () => {
    // Tuesday 15 December: 7 and 14 December came due while nothing ran; 14 December is still open.
    clock.set('2026-12-15T10:00:00Z');
    const reports = await Promise.all([a.app.scheduleScheduler.tick(), b.app.scheduleScheduler.tick()]);
    expect(outcomes(reports, scheduleId).filter((o) => o === 'started')).toHaveLength(1);
    await Promise.all([a.app.scheduleScheduler.tick(), b.app.scheduleScheduler.tick()]);
    await idle();
    const runs = await scheduledRuns(a, scheduleId);
    expect(runs).toHaveLength(2);
    // It closes when the 14 December run would have: the end of Wednesday 16 December.
    expect(runs.map((r) => r.closesAt.toISOString())).toContain('2026-12-16T22:59:59.999Z');
    const [entry] = await a.app.schedules.list();
    expect(entry!.history.map((h) => [h.occurrence, h.status])).toEqual([
      ['2026-12-14', 'started'],
      ['2026-11-30', 'started'],
    ]);
  });

  it('when the instances were down past the whole window of an occurrence, then it is recorded as missed, not started', async () => {
    // Thursday 24 December: the 21 December run would have closed at the end of the 23rd.
    clock.set('2026-12-24T12:00:00Z');
    const reports = await Promise.all([a.app.scheduleScheduler.tick(), b.app.scheduleScheduler.tick()]);
    expect(outcomes(reports, scheduleId).filter((o) => o === 'missed')).toHaveLength(1);
    expect(await scheduledRuns(a, scheduleId)).toHaveLength(2);
    const [entry] = await a.app.schedules.list();
    expect(entry!.history[0]).toMatchObject({ occurrence: '2026-12-21', status: 'missed' });
  });

  it('when the audience is too small, then the failure is recorded on the schedule and told once, not retried', async () => {
    const saved = await a.app.schedules.save(
      { id: officer.aadObjectId, name: officer.name },
      undefined,
      { ...weekly, districts: ['bergedorf'], firstDate: '2026-12-28' },
      undefined,
    );
    if (saved.kind !== 'saved') throw new Error('not saved');
    const id = saved.schedule.scheduleId;
    clock.set('2026-12-28T08:00:01Z');
    const reports = await Promise.all([a.app.scheduleScheduler.tick(), b.app.scheduleScheduler.tick()]);
    expect(outcomes(reports, id).filter((o) => o === 'failed')).toHaveLength(1);
    // Ticks later, and on a fresh instance, do not try again.
    const c = await start();
    expect(
      outcomes([await c.app.scheduleScheduler.tick(), await b.app.scheduleScheduler.tick()], id),
    ).toEqual(['settled']);
    expect(await scheduledRuns(a, id)).toHaveLength(0);
    await idle();
    const entry = (await c.app.schedules.list()).find((e) => e.schedule.scheduleId === id);
    expect(entry!.history).toEqual([
      expect.objectContaining({
        occurrence: '2026-12-28',
        status: 'failed',
        error: 'audience',
        recipients: 0,
      }),
    ]);
    expect(channelTexts().filter((t) => t.includes('zu klein'))).toHaveLength(1);
  });

  it('when an instance died after claiming an occurrence, then another takes it over after the claim expires and starts it once', async () => {
    const saved = await a.app.schedules.save(
      { id: officer.aadObjectId, name: officer.name },
      undefined,
      { ...weekly, firstDate: '2027-01-04' },
      undefined,
    );
    if (saved.kind !== 'saved') throw new Error('not saved');
    const id = saved.schedule.scheduleId;
    const dueAt = new Date('2027-01-04T08:00:00Z');
    // A claim by an instance that never came back.
    const { ScheduleRepository } = await import('../../src/storage/schedule-repository');
    const repository = new ScheduleRepository(a.app.store);
    await repository.claim(id, '2027-01-04', dueAt, 'dead-instance', dueAt);
    clock.set('2027-01-04T08:05:00Z');
    expect(outcomes([await a.app.scheduleScheduler.tick()], id)).toEqual(['claimed_elsewhere']);
    clock.set('2027-01-04T08:11:00Z');
    const reports = await Promise.all([a.app.scheduleScheduler.tick(), b.app.scheduleScheduler.tick()]);
    expect(outcomes(reports, id).filter((o) => o === 'started')).toHaveLength(1);
    await idle();
    expect(await scheduledRuns(a, id)).toHaveLength(1);
  });

  it('when two officers edit a schedule at once, then one edit wins and the other is told it is stale; a resumed schedule does not catch up what came due while paused', async () => {
    const by = { id: officer.aadObjectId, name: officer.name };
    const fields = { ...weekly, firstDate: '2027-01-11' };
    const created = await a.app.schedules.save(by, undefined, fields, undefined);
    if (created.kind !== 'saved') throw new Error('not saved');
    const id = created.schedule.scheduleId;
    const edits = await Promise.all([
      a.app.schedules.save(by, id, { ...fields, openDays: 2 }, created.schedule.etag),
      b.app.schedules.save(by, id, { ...fields, openDays: 4 }, created.schedule.etag),
    ]);
    expect(edits.map((e) => e.kind).sort()).toEqual(['saved', 'stale']);
    const current = (await a.app.schedules.get(id))!;
    expect(current.openDays).toBe(edits[0]!.kind === 'saved' ? 2 : 4);

    const paused = await a.app.schedules.save(by, id, { ...fields, active: false }, current.etag);
    if (paused.kind !== 'saved') throw new Error('not paused');
    clock.set('2027-01-11T08:30:00Z'); // Monday 09:30 in Hamburg: due, but paused
    expect(
      outcomes([await a.app.scheduleScheduler.tick(), await b.app.scheduleScheduler.tick()], id),
    ).toEqual([]);
    const resumed = await a.app.schedules.save(by, id, { ...fields, active: true }, paused.schedule.etag);
    if (resumed.kind !== 'saved') throw new Error('not resumed');
    expect(outcomes([await a.app.scheduleScheduler.tick()], id)).toEqual([]);
    const entry = (await a.app.schedules.list()).find((e) => e.schedule.scheduleId === id);
    expect(entry!.next?.date).toBe('2027-01-18');
    expect(await scheduledRuns(a, id)).toHaveLength(0);
    await idle();
  });
});
