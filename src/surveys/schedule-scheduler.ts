// Starts the runs of recurring schedules, exactly once per occurrence across instances and restarts.
// Every tick (each minute, on every instance) looks at each active schedule's latest due
// occurrence only: after downtime the latest missed one is caught up once and older ones are never
// started (no backlog). Before starting, the occurrence is claimed with an insert-only row (see
// ScheduleRepository.claim); the instance that created the row starts the run and records its id,
// or why it could not start (e.g. an audience under K), on the same row — the schedule shows it and
// it is not tried again. A claim left without an outcome (its instance died mid-start) is taken over
// after claimTtlMs, but only after checking that no run of that schedule was started since it came
// due. Runs close by their closesAt like every run; nothing here closes them.
import { Cron } from 'croner';
import type { Clock } from '../clock';
import { BERLIN } from '../domain/berlin-time';
import type { Logger } from '../logger';
import type { ScheduleRepository } from '../storage/schedule-repository';
import type { Run } from './model';
import {
  closingAt,
  closingDate,
  latestDue,
  type Occurrence,
  type OccurrenceRecord,
  type Schedule,
} from './schedule';
import type { StartRunInput, StartRunResult } from './survey-service';

export type OccurrenceOutcome = 'started' | 'failed' | 'missed' | 'claimed_elsewhere' | 'settled';

export interface TickReport {
  scheduleId: string;
  occurrence: string;
  outcome: OccurrenceOutcome;
  runId?: string;
}

/** What the officers are told when a schedule started a run, or could not. */
export type ScheduleNotice =
  | { kind: 'started'; schedule: Schedule; run: Run; recipients: number }
  | { kind: 'failed'; schedule: Schedule; occurrence: string; error: string; recipients?: number }
  | { kind: 'missed'; schedule: Schedule; occurrence: string };

export interface ScheduleSchedulerOptions {
  schedules: ScheduleRepository;
  startRun(input: StartRunInput, startedBy: string): Promise<StartRunResult>;
  /** A run of this schedule started at or after `from` (used when taking over a dead claim). */
  findRun(scheduleId: string, from: Date): Promise<Run | undefined>;
  /** Tells the officers (their channel); a failure is logged, never retried. */
  notify?(notice: ScheduleNotice): Promise<void>;
  /** Runs the notice in the background (a slow Teams call must not hold up the tick). */
  background(task: Promise<unknown>): void;
  clock: Clock;
  logger: Logger;
  instanceId: string;
  /** When ticks run, in Hamburg time (default every minute). */
  cron?: string;
  /** How long a claim without an outcome holds before another instance takes it over (default 10 min). */
  claimTtlMs?: number;
}

export class ScheduleScheduler {
  private job: Cron | undefined;
  private running: Promise<TickReport[]> | undefined;
  /** Occurrences this process knows are settled: not looked at again. */
  private readonly settled = new Set<string>();

  constructor(private readonly o: ScheduleSchedulerOptions) {}

  /** Starts the cron job; the first tick runs at once (catching up after downtime). */
  start(): void {
    this.job = new Cron(this.o.cron ?? '* * * * *', { timezone: BERLIN, protect: true }, () => {
      void this.tick();
    });
    void this.tick();
  }

  stop(): void {
    this.job?.stop();
  }

  /** Starts every due occurrence nobody has started; safe at any time, from any instance. */
  tick(): Promise<TickReport[]> {
    this.running ??= this.doTick().finally(() => (this.running = undefined));
    return this.running;
  }

  private async doTick(): Promise<TickReport[]> {
    const now = this.o.clock.now();
    let schedules: Schedule[];
    try {
      schedules = await this.o.schedules.list();
    } catch (err) {
      this.o.logger.error({ err }, 'reading the schedules failed');
      return [];
    }
    const reports: TickReport[] = [];
    for (const schedule of schedules) {
      if (!schedule.active) continue;
      const due = latestDue(schedule, now);
      // Before the schedule existed (or while it was paused): never started.
      if (!due || due.at.getTime() < schedule.notBefore.getTime()) continue;
      const key = `${schedule.scheduleId}/${due.date}`;
      if (this.settled.has(key)) continue;
      try {
        const report = await this.occur(schedule, due, now);
        if (report.outcome !== 'claimed_elsewhere') this.settled.add(key);
        reports.push(report);
      } catch (err) {
        // Storage failed: the claim (if any) expires and this or another instance tries again.
        this.o.logger.error(
          { err, scheduleId: schedule.scheduleId, occurrence: due.date },
          'schedule tick failed',
        );
      }
    }
    return reports;
  }

  private async occur(schedule: Schedule, due: Occurrence, now: Date): Promise<TickReport> {
    const { schedules, instanceId, logger } = this.o;
    const base = { scheduleId: schedule.scheduleId, occurrence: due.date };
    let record = await schedules.claim(schedule.scheduleId, due.date, due.at, instanceId, now);
    if (!record) {
      const existing = await schedules.getOccurrence(schedule.scheduleId, due.date);
      if (!existing || existing.status !== 'claimed') return { ...base, outcome: 'settled' };
      if (existing.claimedAt.getTime() + (this.o.claimTtlMs ?? 10 * 60_000) > now.getTime())
        return { ...base, outcome: 'claimed_elsewhere' };
      // Its instance died mid-start. If it got as far as the run, record that run; else start it.
      record = await schedules.takeOver(existing, instanceId, now);
      if (!record) return { ...base, outcome: 'claimed_elsewhere' };
      const run = await this.o.findRun(schedule.scheduleId, existing.dueAt);
      if (run) {
        await schedules.settle(record, { status: 'started', runId: run.runId });
        logger.info({ ...base, runId: run.runId }, 'scheduled run recorded after a takeover');
        return { ...base, outcome: 'started', runId: run.runId };
      }
    }
    return this.startOccurrence(schedule, due, record, now);
  }

  private async startOccurrence(
    schedule: Schedule,
    due: Occurrence,
    record: OccurrenceRecord,
    now: Date,
  ): Promise<TickReport> {
    const { schedules, logger } = this.o;
    const base = { scheduleId: schedule.scheduleId, occurrence: due.date };
    if (closingAt(schedule, due.at).getTime() <= now.getTime()) {
      // Down for the whole window: the run would be closed before it started.
      await schedules.settle(record, { status: 'missed' });
      logger.warn(base, 'scheduled run missed: its window closed while no instance ran');
      await this.tell({ kind: 'missed', schedule, occurrence: due.date });
      return { ...base, outcome: 'missed' };
    }
    let result: StartRunResult;
    try {
      result = await this.o.startRun(
        {
          surveyId: schedule.surveyId,
          // Caught up late, the run still closes when the occurrence's run would have.
          closesAt: closingDate(schedule, due.at),
          districts: schedule.districts.join(','),
          groupIds: schedule.groupIds,
          scheduleId: schedule.scheduleId,
        },
        schedule.createdBy,
      );
    } catch (err) {
      logger.error({ err, ...base }, 'scheduled run failed to start');
      await schedules.settle(record, { status: 'failed', error: 'error' });
      await this.tell({ kind: 'failed', schedule, occurrence: due.date, error: 'error' });
      return { ...base, outcome: 'failed' };
    }
    if (!result.ok) {
      await schedules.settle(record, {
        status: 'failed',
        error: result.error,
        ...(result.recipients !== undefined ? { recipients: result.recipients } : {}),
      });
      logger.warn(
        { ...base, error: result.error, recipients: result.recipients },
        'scheduled run not started',
      );
      await this.tell({
        kind: 'failed',
        schedule,
        occurrence: due.date,
        error: result.error,
        ...(result.recipients !== undefined ? { recipients: result.recipients } : {}),
      });
      return { ...base, outcome: 'failed' };
    }
    await schedules.settle(record, {
      status: 'started',
      runId: result.run.runId,
      recipients: result.recipients,
    });
    logger.info({ ...base, runId: result.run.runId, recipients: result.recipients }, 'scheduled run started');
    await this.tell({ kind: 'started', schedule, run: result.run, recipients: result.recipients });
    return { ...base, outcome: 'started', runId: result.run.runId };
  }

  private async tell(notice: ScheduleNotice): Promise<void> {
    const sent = this.o.notify?.(notice);
    if (!sent) return;
    this.o.background(
      sent.catch((err: unknown) =>
        this.o.logger.warn({ err, scheduleId: notice.schedule.scheduleId }, 'telling the officers failed'),
      ),
    );
  }
}
