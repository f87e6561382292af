// Sealing a closed run makes its answers anonymous rather than pseudonymous: the run's secret is
// destroyed (nobody, not even with PSEUDONYM_KEY and every table, can tell any more whose response
// is whose), every response row is rewritten in a random order (Table Storage's Timestamp no longer
// tells when anyone answered) and what is left of its reminders is deleted. It happens a grace
// period after the close, so that no instance still holds the run as open in its cache. Every step
// is idempotent: a failed or interrupted seal is simply done again on the next check.
import { Cron } from 'croner';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Pseudonyms } from '../privacy/pseudonyms';
import type { DeliveryRepository } from '../storage/delivery-repository';
import type { ResponseRepository } from '../storage/response-repository';
import type { RunRepository } from '../storage/run-repository';
import { reminderJobIds } from './jobs';
import type { Run } from './model';

export interface RunSealerOptions {
  runs: RunRepository;
  responses: ResponseRepository;
  deliveries: DeliveryRepository;
  pseudonyms: Pseudonyms;
  clock: Clock;
  logger: Logger;
  /** How long after its close a run is sealed (default 2 minutes: longer than any instance's run cache). */
  graceMs?: number;
  /** After a seal: e.g. ask the officer for the statement that goes back to the staff. */
  onSealed?(run: Run): Promise<unknown>;
}

export class RunSealer {
  private job: Cron | undefined;

  constructor(private readonly o: RunSealerOptions) {}

  /** Seals every run that closed more than the grace period ago and is not sealed yet. */
  async sealDue(): Promise<string[]> {
    const now = this.o.clock.now().getTime();
    const grace = this.o.graceMs ?? 2 * 60_000;
    const sealed: string[] = [];
    for (const run of await this.o.runs.list()) {
      if (run.sealedAt) continue;
      const closed = (run.closedAt ?? run.closesAt).getTime();
      if (closed + grace > now) continue;
      try {
        await this.seal(run);
        sealed.push(run.runId);
      } catch (err) {
        this.o.logger.error(
          { err, runId: run.runId },
          'sealing a closed run failed; retried at the next check',
        );
      }
    }
    return sealed;
  }

  async seal(run: Run): Promise<void> {
    await this.o.pseudonyms.destroy('run', run.runId);
    const responses = await this.o.responses.rewriteAll(run.runId);
    for (const jobId of reminderJobIds(run.runId)) await this.o.deliveries.deleteJob(jobId);
    await this.o.runs.markSealed(run.runId, this.o.clock.now());
    this.o.logger.info(
      { runId: run.runId, responses },
      'run sealed: its secret is destroyed, its answers anonymous',
    );
    await this.o
      .onSealed?.(run)
      .catch((err: unknown) =>
        this.o.logger.warn(
          { err, runId: run.runId },
          'after sealing: the officer could not be asked for a statement',
        ),
      );
  }

  /** Every minute. */
  start(): void {
    this.job = new Cron('* * * * *', { protect: true }, () => {
      this.sealDue().catch((err: unknown) => this.o.logger.error({ err }, 'sealing closed runs failed'));
    });
  }

  stop(): void {
    this.job?.stop();
  }
}
