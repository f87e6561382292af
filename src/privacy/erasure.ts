// Erasure ("meine daten löschen", and uninstalling Puls): everything that names the person goes —
// their profile and conversation reference, their rows in every delivery and reminder job, their
// links to their ideas (a named idea then shows a former employee instead of the name) and their
// supports of open ideas. On request, their answers to open runs go too; answers to closed runs
// cannot be found any more by anyone (the run's secret is gone), so there is nothing to delete.
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { IdeaService } from '../ideas/idea-service';
import type { DeliveryRepository } from '../storage/delivery-repository';
import type { ResponseRepository } from '../storage/response-repository';
import type { RunRepository } from '../storage/run-repository';
import type { UserRepository } from '../storage/user-repository';
import { reminderJobIds } from '../surveys/jobs';
import { isRunOpen } from '../surveys/model';
import type { Pseudonyms } from './pseudonyms';

export interface ErasureOptions {
  users: UserRepository;
  runs: RunRepository;
  deliveries: DeliveryRepository;
  responses: ResponseRepository;
  pseudonyms: Pseudonyms;
  ideas: IdeaService;
  clock: Clock;
  logger: Logger;
}

export interface ErasureReport {
  /** Answers to open runs deleted. */
  answers: number;
  /** Delivery and reminder rows deleted. */
  deliveries: number;
  /** Idea links removed. */
  ideas: number;
  /** Supports of open ideas withdrawn. */
  supports: number;
}

export class ErasureService {
  constructor(private readonly o: ErasureOptions) {}

  /**
   * Erases the person. `withAnswers`: also their answers to runs still open (an explicit request;
   * an uninstall keeps them — they name nobody, and they become anonymous when the run closes).
   * The profile goes last, so that a failure half-way can be repeated.
   */
  async erase(userId: string, options: { withAnswers: boolean }): Promise<ErasureReport> {
    const report: ErasureReport = { answers: 0, deliveries: 0, ideas: 0, supports: 0 };
    for (const run of await this.o.runs.list()) {
      if (run.purgedAt) continue;
      if (options.withAnswers && isRunOpen(run, this.o.clock.now())) {
        const pseudonym = await this.o.pseudonyms.of('run', run.runId, userId);
        if (pseudonym !== undefined && (await this.o.responses.delete(run.runId, pseudonym)))
          report.answers++;
      }
      for (const jobId of [run.runId, ...reminderJobIds(run.runId)]) {
        if (await this.o.deliveries.deleteRecipient(jobId, userId)) report.deliveries++;
      }
    }
    const ideas = await this.o.ideas.eraseUser(userId);
    report.ideas = ideas.ideas;
    report.supports = ideas.supports;
    await this.o.users.delete(userId);
    this.o.logger.info({ ...report }, 'a person erased their data');
    return report;
  }
}
