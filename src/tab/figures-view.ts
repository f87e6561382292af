// Lays the disclosure module's figures (RunFigures, ParticipationFigures) out as the tab's JSON.
// Computes no figure: every number below is copied from what src/privacy/disclosure.ts returned,
// and whatever it hid (undefined there) becomes null here, with the reason. So the API can never
// return a figure the results card, the digest or the CSV would suppress.
import { ideaMessages } from '../i18n/ideas';
import { resultsMessages } from '../i18n/results';
import type {
  DistrictParticipation,
  ParticipationFigures,
  QuestionFigures,
  RunFigures,
  SuppressionReason,
} from '../privacy/disclosure';
import type { Run } from '../surveys/model';
import type {
  Disclosed,
  Figure,
  HeatmapColumnView,
  HiddenView,
  LocalisedTextView,
  ParticipationView,
  QuestionResultView,
  RunResultsView,
  WithheldReason,
} from './view-types';

const fig = (value: number | undefined): Figure => (value === undefined ? null : value);

const REASONS: Record<SuppressionReason, WithheldReason> = {
  openRun: 'run_open',
  smallAudience: 'small_audience',
  tooFewRespondents: 'too_few',
  complementary: 'complementary',
  tooFewTexts: 'too_few_texts',
};

function hiddenOf(hidden: DistrictParticipation['hidden']): HiddenView {
  return hidden === undefined ? false : hidden === 'tooFewRespondents' ? 'too_few' : 'complementary';
}

function both(text: (locale: 'de' | 'en') => string): LocalisedTextView {
  return { de: text('de'), en: text('en') };
}

/** Participation as a list of runs shows it; `audience` is the directory's count when known. */
export function participationView(
  p: ParticipationFigures,
  audience: number | undefined,
): Disclosed<ParticipationView> {
  if (p.withheld || p.respondents === undefined) return { available: false, reason: 'small_audience' };
  return {
    available: true,
    value: {
      reach: { installed: p.audience, delivered: p.delivered, audience },
      overall: { answered: p.respondents, rate: fig(p.responseRate) },
      byDistrict: p.districts.map((d) => ({
        district: d.district,
        answered: fig(d.respondents),
        hidden: hiddenOf(d.hidden),
      })),
    },
  };
}

/** The final figures of a closed run, or why there are none. */
export function resultsView(
  run: Run,
  f: RunFigures,
  trend: { run: Run; figures: RunFigures }[],
): Disclosed<RunResultsView> {
  if (f.results !== 'final') return { available: false, reason: REASONS[f.results] };
  const p = f.participation;
  return {
    available: true,
    value: {
      runId: f.runId,
      surveyId: f.surveyId,
      surveyTitle: { ...f.title },
      closedAt: (run.closedAt ?? run.closesAt).toISOString(),
      kMin: f.kMin,
      kText: f.kText,
      participation: {
        audience: p.audience,
        delivered: p.delivered,
        respondents: p.respondents!,
        rate: fig(p.responseRate),
      },
      questions: f.questions.map(questionView),
      fieldIndex: f.fields.map((ff) => ({
        field: ff.field,
        items: ff.items,
        index: fig(ff.index),
        change: fig(ff.change),
      })),
      trend: trendView(f, trend, run),
      heatmap: heatmapView(f),
      explanations: f.explanations.map((r) => REASONS[r]),
    },
  };
}

function questionView(q: QuestionFigures): QuestionResultView {
  const base = {
    questionId: q.questionId,
    text: { ...q.text },
    type: q.type,
    field: q.field,
  };
  if (q.hidden) {
    return {
      ...base,
      hidden: q.hidden === 'tooFewTexts' ? 'too_few_texts' : 'too_few',
      answered: null,
      mean: null,
      nps: null,
      change: null,
      distribution: [],
      texts: [],
    };
  }
  const distribution: QuestionResultView['distribution'] = q.distribution.map((d) => {
    const end =
      q.type === 'likert5' &&
      q.scale &&
      (d.key === '1' ? q.scale.low : d.key === '5' ? q.scale.high : undefined);
    const label = d.label
      ? { ...d.label }
      : end
        ? { de: `${d.key} – ${end.de}`, en: `${d.key} – ${end.en}` }
        : { de: d.key, en: d.key };
    return { key: d.key, label, count: d.count };
  });
  if (q.type === 'likert5' && q.noAnswer) {
    distribution.push({ key: '0', label: both((l) => resultsMessages(l).noAnswer), count: q.noAnswer });
  }
  return {
    ...base,
    hidden: false,
    answered: fig(q.answered),
    mean: fig(q.mean),
    nps: fig(q.npsScore),
    change: fig(q.change),
    distribution,
    texts: [...(q.texts ?? [])],
  };
}

/** Field indexes of the earlier closed runs of the survey and this one, oldest first. */
function trendView(
  f: RunFigures,
  earlier: { run: Run; figures: RunFigures }[],
  run: Run,
): RunResultsView['trend'] {
  const schedules = new Map([
    ...earlier.map((e) => [e.run.runId, e.run.scheduleId] as const),
    [run.runId, run.scheduleId],
  ]);
  const all = [...earlier.filter((e) => e.figures.runId !== f.runId).map((e) => e.figures), f].sort(
    (a, b) => a.closesAt.getTime() - b.closesAt.getTime(),
  );
  const fields = f.fields.map((ff) => ff.field);
  return {
    runs: all.map((r) => ({
      runId: r.runId,
      closesAt: r.closesAt.toISOString(),
      shown: r.results === 'final',
      ...(schedules.get(r.runId) ? { scheduleId: schedules.get(r.runId) } : {}),
    })),
    fields: fields.map((field) => ({
      field,
      values: all.map((r) =>
        r.results === 'final' ? fig(r.fields.find((x) => x.field === field)?.index) : null,
      ),
    })),
  };
}

/** Districts × (field indexes, likert means, NPS scores), the columns the run shows overall. */
function heatmapView(f: RunFigures): RunResultsView['heatmap'] {
  const fieldNames = { de: ideaMessages('de').fields, en: ideaMessages('en').fields };
  const columns: (HeatmapColumnView & {
    value: (d: RunFigures['districts'][number]) => number | undefined;
  })[] = [];
  for (const ff of f.fields) {
    if (ff.index === undefined) continue;
    columns.push({
      id: `f.${ff.field}`,
      kind: 'index',
      label: { de: fieldNames.de[ff.field], en: fieldNames.en[ff.field] },
      value: (d) => d.fields[ff.field],
    });
  }
  for (const q of f.questions) {
    if (q.hidden) continue;
    if (q.type === 'likert5' && q.mean !== undefined) {
      columns.push({
        id: `q.${q.questionId}`,
        kind: 'mean',
        label: { ...q.text },
        value: (d) => d.questions[q.questionId]?.mean,
      });
    } else if (q.type === 'nps' && q.npsScore !== undefined) {
      columns.push({
        id: `q.${q.questionId}.nps`,
        kind: 'nps',
        label: { ...q.text },
        value: (d) => d.questions[q.questionId]?.npsScore,
      });
    }
  }
  const withheld = f.districtsWithheld !== undefined;
  return {
    columns: columns.map(({ id, kind, label }) => ({ id, kind, label })),
    rows: withheld
      ? []
      : f.districts.map((d) => ({
          district: d.district,
          respondents: d.hidden ? null : fig(d.respondents),
          hidden: hiddenOf(d.hidden),
          cells: columns.map((c) => (d.hidden ? null : fig(c.value(d)))),
        })),
    withheld,
  };
}
