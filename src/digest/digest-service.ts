// Builds the weekly digest: the runs open or closed in the last week, with the figures the
// disclosure module allows (through ResultsService, as every surface), and the ideas of the week.
import type { Clock } from '../clock';
import type { IdeaStatus } from '../ideas/model';
import { formatDate, type Locale } from '../i18n';
import type { IdeaRepository } from '../storage/idea-repository';
import type { RunRepository } from '../storage/run-repository';
import { isRunOpen } from '../surveys/model';
import type { RunFigures } from '../privacy/disclosure';
import type { ResultsService } from '../results/results-service';
import { isoWeekOf, type IsoWeek } from '../domain/berlin-time';
import type { FieldOfAction } from '../domain/vocabulary';

export interface DigestViewData {
  weekLabel: string;
  runs: RunFigures[];
  ideas: {
    newByField: { field: FieldOfAction; count: number }[];
    topSupported: { title: string; supportCount: number; status: IdeaStatus }[];
    statusChanges: { title: string; from?: IdeaStatus; to: IdeaStatus }[];
  };
}

export interface DigestServiceOptions {
  runs: RunRepository;
  results: ResultsService;
  ideas: IdeaRepository;
  clock: Clock;
}

export class DigestService {
  constructor(private readonly o: DigestServiceOptions) {}

  /**
   * The digest of the last complete ISO week (Monday–Sunday, Hamburg time) — what Monday's post
   * covers, and what a preview or "digest senden" shows during the week after: the runs open now or
   * closed in that week, the ideas of that week and the status changes in it.
   */
  async build(locale: Locale): Promise<DigestViewData> {
    const now = this.o.clock.now();
    const week = coveredWeek(now);
    const since = week.start;
    const until = week.end;
    const all = await this.o.runs.list();
    const current = all.filter((r) => {
      const ended = (r.closedAt ?? r.closesAt).getTime();
      return isRunOpen(r, now) || (ended >= since.getTime() && ended < until.getTime());
    });
    const runs: RunFigures[] = [];
    for (const run of current) runs.push(await this.o.results.figures(run));

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
      if (idea.createdAt.getTime() >= since.getTime() && idea.createdAt.getTime() < until.getTime())
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
      if (entry.at.getTime() >= until.getTime()) continue;
      statusChanges.push({ title: titles.get(ideaId) ?? '–', from: entry.from, to: entry.to });
    }

    const sunday = new Date(until.getTime() - 1);
    const weekLabel = `${locale === 'en' ? 'Week' : 'KW'} ${week.week} · ${formatDate(since, locale)} – ${formatDate(sunday, locale)}`;
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

/** The last complete ISO week before the one that contains `now`. */
export function coveredWeek(now: Date): IsoWeek {
  return isoWeekOf(new Date(isoWeekOf(now).start.getTime() - 1));
}
