// Retention: individual answers (and who was asked and answered) are deleted once a run ended more
// than RETENTION_MONTHS ago. The run itself (its definition and dates) stays; aggregates may stay.
import { Cron } from 'croner';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { DeliveryRepository } from '../storage/delivery-repository';
import type { ResponseRepository } from '../storage/response-repository';
import type { RunRepository } from '../storage/run-repository';

export interface RetentionOptions {
  runs: RunRepository;
  responses: ResponseRepository;
  deliveries: DeliveryRepository;
  clock: Clock;
  logger: Logger;
  retentionMonths: number;
}

export class RetentionService {
  private job: Cron | undefined;

  constructor(private readonly o: RetentionOptions) {}

  /** The moment before which a run must have ended for its answers to go. */
  cutoff(): Date {
    const now = this.o.clock.now();
    const cutoff = new Date(now);
    cutoff.setUTCMonth(cutoff.getUTCMonth() - this.o.retentionMonths);
    return cutoff;
  }

  /** Deletes the answers and delivery rows of every run that ended before the cutoff. Idempotent. */
  async purge(): Promise<{ runs: number; responses: number; deliveries: number }> {
    const cutoff = this.cutoff().getTime();
    const totals = { runs: 0, responses: 0, deliveries: 0 };
    for (const run of await this.o.runs.list()) {
      const ended = (run.closedAt ?? run.closesAt).getTime();
      if (ended >= cutoff) continue;
      const responses = await this.o.responses.deleteRun(run.runId);
      const deliveries = await this.o.deliveries.deleteRun(run.runId);
      if (responses + deliveries === 0) continue;
      totals.runs++;
      totals.responses += responses;
      totals.deliveries += deliveries;
      this.o.logger.info(
        { runId: run.runId, responses, deliveries },
        'retention: individual answers deleted',
      );
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
