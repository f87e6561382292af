// Builds the weekly digest (runs open or closed in the last week, ideas of the week) by streaming
// rows through the aggregation, applies the privacy rules, and records what was published so that
// the next publication cannot be differenced against it. Results cards and exports go through the
// same `runFigures`, so the same rules hold everywhere.
import type { Clock } from '../clock';
import type { IdeaStatus } from '../ideas/model';
import { formatDate, type Locale } from '../i18n';
import type { Logger } from '../logger';
import type { DeliveryRepository } from '../storage/delivery-repository';
import type { DigestRepository } from '../storage/digest-repository';
import type { IdeaRepository } from '../storage/idea-repository';
import type { ResponseRepository } from '../storage/response-repository';
import type { RunRepository } from '../storage/run-repository';
import { isRunOpen, type Run } from '../surveys/model';
import { publishedQuestionCounts, RunAggregator, summariseRun, type RunDigest } from './aggregate';
import { isoWeekOf } from '../domain/berlin-time';
import type { FieldOfAction } from '../domain/vocabulary';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export interface DigestViewData {
  weekLabel: string;
  runs: RunDigest[];
  ideas: {
    newByField: { field: FieldOfAction; count: number }[];
    topSupported: { title: string; supportCount: number; status: IdeaStatus }[];
    statusChanges: { title: string; from?: IdeaStatus; to: IdeaStatus }[];
  };
}

export interface DigestServiceOptions {
  runs: RunRepository;
  responses: ResponseRepository;
  deliveries: DeliveryRepository;
  ideas: IdeaRepository;
  digests: DigestRepository;
  clock: Clock;
  logger: Logger;
  privacy: { kMin: number; kText: number };
}

export class DigestService {
  constructor(private readonly o: DigestServiceOptions) {}

  /**
   * The figures of one run as they may be shown now. `publish` records them as shown (every view
   * counts: a preview, the channel post, a results card, an export), which the next view must respect.
   */
  async runFigures(run: Run, publish: boolean, previous?: RunDigest): Promise<RunDigest> {
    const now = this.o.clock.now();
    const agg = new RunAggregator(run.survey);
    const [counts, last] = await Promise.all([
      this.o.deliveries.counts(run.runId),
      this.o.digests.getPublished(run.runId),
      (async () => {
        for await (const r of this.o.responses.listByRun(run.runId)) agg.add(r);
      })(),
    ]);
    const digest = summariseRun(agg, {
      runId: run.runId,
      title: run.survey.title,
      open: isRunOpen(run, now),
      delivered: counts.sent,
      answered: counts.answered,
      kMin: this.o.privacy.kMin,
      kText: this.o.privacy.kText,
      previous,
      lastPublishedRespondents: last?.respondents,
      lastPublishedQuestionCounts: last?.questionCounts,
    });
    // Closed runs are final: their figures can be shown again as they are; open ones are recorded.
    if (publish && digest.published && digest.open) {
      await this.o.digests.setPublished(run.runId, {
        respondents: digest.respondents,
        questionCounts: publishedQuestionCounts(digest),
      });
    }
    return digest;
  }

  /** The previous closed run of the same survey, for the change against it. */
  private async previousOf(run: Run, all: Run[]): Promise<RunDigest | undefined> {
    const now = this.o.clock.now();
    const earlier = all
      .filter(
        (r) =>
          r.survey.id === run.survey.id &&
          r.runId !== run.runId &&
          !isRunOpen(r, now) &&
          (r.closedAt ?? r.closesAt).getTime() <= run.startedAt.getTime(),
      )
      .sort((a, b) => (b.closedAt ?? b.closesAt).getTime() - (a.closedAt ?? a.closesAt).getTime())[0];
    // Closed runs do not change any more; showing them again reveals nothing new.
    return earlier ? this.runFigures(earlier, false) : undefined;
  }

  /** The digest of the week up to now: open runs and runs that closed in the last seven days. */
  async build(locale: Locale, publish: boolean): Promise<DigestViewData> {
    const now = this.o.clock.now();
    const since = new Date(now.getTime() - WEEK_MS);
    const all = await this.o.runs.list();
    const current = all.filter(
      (r) => isRunOpen(r, now) || (r.closedAt ?? r.closesAt).getTime() >= since.getTime(),
    );
    const runs: RunDigest[] = [];
    for (const run of current)
      runs.push(await this.runFigures(run, publish, await this.previousOf(run, all)));

    const newByField = new Map<FieldOfAction, number>();
    const ideas: {
      ideaId: string;
      title: string;
      supportCount: number;
      status: IdeaStatus;
      final: boolean;
    }[] = [];
    const titles = new Map<string, string>();
    for await (const idea of this.o.ideas.list()) {
      titles.set(idea.ideaId, idea.title);
      if (idea.createdAt.getTime() >= since.getTime())
        newByField.set(idea.field, (newByField.get(idea.field) ?? 0) + 1);
      ideas.push({
        ideaId: idea.ideaId,
        title: idea.title,
        supportCount: idea.supportCount,
        status: idea.status,
        final: idea.status === 'implemented' || idea.status === 'rejected',
      });
    }
    const topSupported = ideas
      .filter((i) => !i.final && i.supportCount > 0)
      .sort((a, b) => b.supportCount - a.supportCount)
      .slice(0, 5)
      .map(({ title, supportCount, status }) => ({ title, supportCount, status }));
    const statusChanges: DigestViewData['ideas']['statusChanges'] = [];
    for await (const { ideaId, entry } of this.o.ideas.statusChangesSince(since)) {
      statusChanges.push({ title: titles.get(ideaId) ?? '–', from: entry.from, to: entry.to });
    }

    const week = isoWeekOf(now);
    const weekLabel = `${locale === 'en' ? 'Week' : 'KW'} ${week.week} · ${formatDate(since, locale)} – ${formatDate(now, locale)}`;
    return {
      weekLabel,
      runs,
      ideas: {
        newByField: [...newByField]
          .map(([field, count]) => ({ field, count }))
          .sort((a, b) => b.count - a.count),
        topSupported,
        statusChanges,
      },
    };
  }
}
