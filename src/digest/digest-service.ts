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
import { isoWeekOf } from '../domain/berlin-time';
import type { FieldOfAction } from '../domain/vocabulary';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

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

  /** The digest of the week up to now: open runs and runs that closed in the last seven days. */
  async build(locale: Locale): Promise<DigestViewData> {
    const now = this.o.clock.now();
    const since = new Date(now.getTime() - WEEK_MS);
    const all = await this.o.runs.list();
    const current = all.filter(
      (r) => isRunOpen(r, now) || (r.closedAt ?? r.closesAt).getTime() >= since.getTime(),
    );
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
