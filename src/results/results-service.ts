// Reads what a run's figures need from storage and hands it to the disclosure module
// (src/privacy/disclosure.ts), which alone decides what may be shown. Every surface — the results
// card, the digest, the CSV export, the officers' tab — gets its figures here. A closed run's
// figures never change, so they are computed once and kept.
import type { Clock } from '../clock';
import { DISTRICTS } from '../domain/vocabulary';
import {
  discloseParticipation,
  discloseRun,
  type ParticipationFigures,
  type RunContext,
  type RunFigures,
} from '../privacy/disclosure';
import type { DeliveryCounts, DeliveryRepository } from '../storage/delivery-repository';
import type { ResponseRepository } from '../storage/response-repository';
import type { RunRepository } from '../storage/run-repository';
import { isRunOpen, type Run } from '../surveys/model';
import { RunAggregator } from './aggregate';

export interface ResultsServiceOptions {
  runs: RunRepository;
  responses: ResponseRepository;
  deliveries: DeliveryRepository;
  clock: Clock;
  privacy: { kMin: number; kText: number };
}

export interface FiguresOptions {
  /** Participation per district (the officers' tab); it needs a pass over the district column. */
  participationByDistrict?: boolean;
}

/** Closed runs whose final figures are kept in memory. */
const FINAL_CACHE_SIZE = 50;

export class ResultsService {
  private readonly finals = new Map<string, Promise<RunFigures>>();

  constructor(private readonly o: ResultsServiceOptions) {}

  /** What of the run may be shown now, with the change against the previous run of its survey. */
  async figures(run: Run, options: FiguresOptions = {}): Promise<RunFigures> {
    if (isRunOpen(run, this.o.clock.now())) return this.compute(run, options, true);
    const key = `${run.runId}\n${options.participationByDistrict === true}`;
    let final = this.finals.get(key);
    if (!final) {
      final = this.compute(run, options, false);
      final.catch(() => this.finals.delete(key));
      if (this.finals.size >= FINAL_CACHE_SIZE) this.finals.delete(this.finals.keys().next().value!);
      this.finals.set(key, final);
    }
    return final;
  }

  /**
   * Participation only (cheap: counts), as every list of runs shows it, with the delivery's own
   * counts (sent, failed, pending: about Teams, not about answers).
   */
  async participation(run: Run): Promise<{ participation: ParticipationFigures; delivery: DeliveryCounts }> {
    const [delivery, respondents] = await Promise.all([
      this.o.deliveries.counts(run.runId),
      this.o.responses.count(run.runId),
    ]);
    return { participation: discloseParticipation(this.context(run, delivery), { respondents }), delivery };
  }

  private async compute(run: Run, options: FiguresOptions, countsOnly: boolean): Promise<RunFigures> {
    const open = isRunOpen(run, this.o.clock.now());
    // While a run is open its counts are all that may be shown: its answers are not even read.
    const agg = countsOnly ? undefined : new RunAggregator(run.survey);
    const [delivery, respondents, districts, previous] = await Promise.all([
      this.o.deliveries.counts(run.runId),
      agg ? this.aggregate(run, agg) : this.o.responses.count(run.runId),
      options.participationByDistrict ? this.o.responses.districtCounts(run.runId) : undefined,
      open ? undefined : this.previousOf(run),
    ]);
    return discloseRun(
      {
        ...this.context(run, delivery),
        participationByDistrict: options.participationByDistrict,
        previous,
      },
      {
        respondents,
        districts: districts && DISTRICTS.filter((d) => districts.has(d)).map((d) => [d, districts.get(d)!]),
      },
      agg,
    );
  }

  private context(run: Run, delivery: DeliveryCounts): RunContext {
    return {
      runId: run.runId,
      surveyId: run.survey.id,
      title: run.survey.title,
      open: isRunOpen(run, this.o.clock.now()),
      closesAt: run.closedAt ?? run.closesAt,
      // Runs stored before the audience was recorded: everyone their delivery job went to.
      audience: run.audienceSize ?? delivery.recipients,
      delivered: delivery.sent,
      kMin: this.o.privacy.kMin,
      kText: this.o.privacy.kText,
    };
  }

  private async aggregate(run: Run, agg: RunAggregator): Promise<number> {
    for await (const r of this.o.responses.listByRun(run.runId)) agg.add(r);
    return agg.respondents;
  }

  /** The figures of the closed run of the same survey that ended last before this one started. */
  private async previousOf(run: Run): Promise<RunFigures | undefined> {
    const now = this.o.clock.now();
    const earlier = (await this.o.runs.list())
      .filter(
        (r) =>
          r.survey.id === run.survey.id &&
          r.runId !== run.runId &&
          !isRunOpen(r, now) &&
          (r.closedAt ?? r.closesAt).getTime() <= run.startedAt.getTime(),
      )
      .sort((a, b) => (b.closedAt ?? b.closesAt).getTime() - (a.closedAt ?? a.closesAt).getTime())[0];
    return earlier ? this.figures(earlier) : undefined;
  }
}
