// Retention: once a run ended more than RETENTION_MONTHS ago, every partition it created goes — its
// responses, the rows of its delivery and reminder jobs, its secret (if it was never sealed) and its
// reminder records. The run itself (definition and dates, no person in it) stays, marked purged.
import { Cron } from 'croner';
import type { Clock } from '../clock';
import { monthsBefore } from '../domain/berlin-time';
import type { Logger } from '../logger';
import type { DeliveryRepository } from '../storage/delivery-repository';
import type { DigestRepository } from '../storage/digest-repository';
import type { ResponseRepository } from '../storage/response-repository';
import type { RunRepository } from '../storage/run-repository';
import { reminderJobIds } from '../surveys/jobs';
import type { Pseudonyms } from './pseudonyms';

export interface RetentionOptions {
  runs: RunRepository;
  responses: ResponseRepository;
  deliveries: DeliveryRepository;
  claims: DigestRepository;
  pseudonyms: Pseudonyms;
  clock: Clock;
  logger: Logger;
  retentionMonths: number;
}

export class RetentionService {
  private job: Cron | undefined;

  constructor(private readonly o: RetentionOptions) {}

  /** The moment before which a run must have ended for its data to go. */
  cutoff(): Date {
    return monthsBefore(this.o.clock.now(), this.o.retentionMonths);
  }

  /** Deletes what every run that ended before the cutoff left behind. Idempotent. */
  async purge(): Promise<{ runs: number; responses: number; deliveries: number }> {
    const cutoff = this.cutoff().getTime();
    const totals = { runs: 0, responses: 0, deliveries: 0 };
    for (const run of await this.o.runs.list()) {
      if (run.purgedAt) continue;
      const ended = (run.closedAt ?? run.closesAt).getTime();
      if (ended >= cutoff) continue;
      await this.o.pseudonyms.destroy('run', run.runId);
      const responses = await this.o.responses.deleteRun(run.runId);
      let deliveries = 0;
      for (const jobId of [run.runId, ...reminderJobIds(run.runId)]) {
        deliveries += await this.o.deliveries.deleteJob(jobId);
      }
      await this.o.claims.deleteTasks('reminder', run.runId);
      await this.o.runs.markPurged(run.runId, this.o.clock.now());
      totals.runs++;
      totals.responses += responses;
      totals.deliveries += deliveries;
      this.o.logger.info({ runId: run.runId, responses, deliveries }, "retention: the run's data deleted");
    }
    return totals;
  }

  /** Daily at 03:30 Hamburg time. */
  start(): void {
    this.job = new Cron('30 3 * * *', { timezone: 'Europe/Berlin', protect: true }, () => {
      this.purge().catch((err: unknown) => this.o.logger.error({ err }, 'retention failed'));
    });
  }

  stop(): void {
    this.job?.stop();
  }
}
