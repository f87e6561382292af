// Results come back to the staff: when a run has closed with at least K respondents, the officer
// writes a short statement ("Was wir daraus machen") and every member of the run's audience gets
// one card — participation, the two or three clearest results, the statement — through the delivery
// engine at the Teams rate. The figures are the disclosure module's final figures, nothing else.
import type { Activity } from 'botbuilder';
import type { Clock } from '../clock';
import { cleanText, MARKUP } from '../domain/vocabulary';
import type { DeliveryEngine, ProactiveMessenger, Recipient } from '../delivery/delivery';
import type { DigestRepository } from '../storage/digest-repository';
import type { Locale } from '../i18n';
import type { Logger } from '../logger';
import type { QuestionFigures, RunFigures } from '../privacy/disclosure';
import type { ResultsService } from '../results/results-service';
import type { DeliveryRepository } from '../storage/delivery-repository';
import type { RunRepository } from '../storage/run-repository';
import type { UserRepository } from '../storage/user-repository';
import { resolveLocale } from '../users/settings-service';
import { resultsJobId } from './jobs';
import { isRunOpen, type Run } from './model';

export const STATEMENT_MAX = 1000;

export type ShareResult =
  | { kind: 'not_found' }
  | { kind: 'open'; run: Run }
  | { kind: 'no_results'; run: Run; figures: RunFigures }
  | { kind: 'invalid'; run: Run; problem: 'empty' | 'too_long' | 'markup' }
  | { kind: 'already'; run: Run }
  | { kind: 'sent'; run: Run; recipients: number };

/** One of the clearest results: a question and the figure that makes it stand out. */
export interface Highlight {
  question: QuestionFigures;
  kind: 'highest' | 'lowest' | 'nps';
}

export interface ResultsBackOptions {
  /** The card each member of the audience gets (renderResultsBack, wrapped as an activity). */
  render(run: Run, figures: RunFigures, locale: Locale): Partial<Activity>;
  /** The card that asks the officer who started a run for the statement, in their language. */
  renderAsk(run: Run, figures: RunFigures, locale: Locale): Partial<Activity>;
  messenger: ProactiveMessenger;
  claims: DigestRepository;
  instanceId: string;
  runs: RunRepository;
  deliveries: DeliveryRepository;
  users: UserRepository;
  results: ResultsService;
  delivery: DeliveryEngine;
  clock: Clock;
  logger: Logger;
  defaultLocale: Locale;
  /** Runs a background task (the delivery) so that shutdown can wait for it. */
  background(task: Promise<unknown>): void;
}

export class ResultsBackService {
  constructor(private readonly o: ResultsBackOptions) {}

  /**
   * Stores the officer's statement and sends the results card to everyone the run was sent to.
   * Once per run: a second share (another click, another officer) is refused.
   */
  async share(runId: string, statementInput: unknown, sharedBy: string): Promise<ShareResult> {
    const run = await this.o.runs.get(runId);
    if (!run) return { kind: 'not_found' };
    if (isRunOpen(run, this.o.clock.now())) return { kind: 'open', run };
    if (run.resultsShared) return { kind: 'already', run };
    const figures = await this.o.results.figures(run);
    if (figures.results !== 'final') return { kind: 'no_results', run, figures };
    const statement = typeof statementInput === 'string' ? cleanText(statementInput) : '';
    if (statement === '') return { kind: 'invalid', run, problem: 'empty' };
    if (statement.length > STATEMENT_MAX) return { kind: 'invalid', run, problem: 'too_long' };
    if (MARKUP.test(statement)) return { kind: 'invalid', run, problem: 'markup' };
    const shared = { statement, at: this.o.clock.now(), by: sharedBy };
    if (!(await this.o.runs.markResultsShared(run.runId, shared))) return { kind: 'already', run };
    const withStatement: Run = { ...run, resultsShared: shared };
    const recipients = await this.audienceOf(run);
    this.o.logger.info(
      { runId: run.runId, recipients: recipients.length },
      'results going back to the staff',
    );
    this.o.background(
      this.o.delivery
        .deliver({
          runId: resultsJobId(run.runId),
          recipients,
          render: (r) => this.o.render(withStatement, figures, r.locale),
        })
        .catch((err: unknown) =>
          this.o.logger.error({ err, runId: run.runId }, 'sending the results failed'),
        ),
    );
    return { kind: 'sent', run: withStatement, recipients: recipients.length };
  }

  /** The activity a resumed results job sends (figures of a closed run are final). */
  async renderFor(run: Run): Promise<((locale: Locale) => Partial<Activity>) | undefined> {
    if (!run.resultsShared) return undefined;
    const figures = await this.o.results.figures(run);
    if (figures.results !== 'final') return undefined;
    return (locale) => this.o.render(run, figures, locale);
  }

  /**
   * A run has closed (and was sealed): the officer who started it is asked, once, for the statement
   * that goes back to the staff — only when there are final results to send.
   */
  async askOfficer(run: Run): Promise<boolean> {
    if (run.resultsShared) return false;
    const figures = await this.o.results.figures(run);
    if (figures.results !== 'final') return false;
    const officer = await this.o.users.get(run.startedBy);
    if (!officer) return false;
    const etag = await this.o.claims.claim(
      'notice',
      `ask-${run.runId}`,
      this.o.instanceId,
      this.o.clock.now(),
      10 * 60_000,
    );
    if (!etag) return false;
    const locale = resolveLocale(officer, officer.teamsLocale, this.o.defaultLocale);
    await this.o.messenger.send(officer.reference, this.o.renderAsk(run, figures, locale));
    await this.o.claims.complete('notice', `ask-${run.runId}`, this.o.clock.now(), etag);
    return true;
  }

  /** Everyone the run's card reached, with their current conversation and language. */
  private async audienceOf(run: Run): Promise<Recipient[]> {
    const reached = new Set<string>();
    for await (const d of this.o.deliveries.listByRun(run.runId))
      if (d.status === 'sent') reached.add(d.userId);
    const out: Recipient[] = [];
    if (reached.size === 0) return out;
    for await (const user of this.o.users.list()) {
      if (!reached.has(user.userId)) continue;
      out.push({
        userId: user.userId,
        reference: user.reference,
        locale: resolveLocale(user, user.teamsLocale, this.o.defaultLocale),
      });
    }
    return out;
  }

  /** Whether this person was sent the run (to show its results back to them on `umfrage`). */
  async wasInvited(run: Run, userId: string): Promise<boolean> {
    return (await this.o.deliveries.get(run.runId, userId)) !== undefined;
  }
}

/**
 * The two or three clearest results of final figures: the likert item most agreed with, the one
 * least agreed with (when they differ by at least half a point), and the NPS.
 */
export function highlightsOf(figures: RunFigures): Highlight[] {
  const likert = figures.questions.filter((q) => q.type === 'likert5' && q.mean !== undefined);
  const out: Highlight[] = [];
  if (likert.length > 0) {
    const sorted = [...likert].sort((a, b) => b.mean! - a.mean!);
    out.push({ question: sorted[0]!, kind: 'highest' });
    const low = sorted.at(-1)!;
    if (sorted.length > 1 && sorted[0]!.mean! - low.mean! >= 0.5) out.push({ question: low, kind: 'lowest' });
  }
  const nps = figures.questions.find((q) => q.type === 'nps' && q.npsScore !== undefined);
  if (nps) out.push({ question: nps, kind: 'nps' });
  return out.slice(0, 3);
}
