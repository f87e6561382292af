// The results view's trend names the schedule that started each run, so that the tab can mark the
// runs of one recurring schedule; runs started by hand carry no mark.
import type { Run } from '../../src/surveys/model';
import { resultsView } from '../../src/tab/figures-view';
import { runFigures, TEST_SURVEY } from '../support/fixtures';

const answers = [5, 4, 3, 2, 4, 3].map((tools) => ({
  answers: { tools, mode: 'office', formats: ['chat'] },
}));

function run(runId: string, closesAt: string, scheduleId?: string): Run {
  return {
    runId,
    survey: TEST_SURVEY,
    audience: { kind: 'all' },
    startedAt: new Date(new Date(closesAt).getTime() - 14 * 86_400_000),
    closesAt: new Date(closesAt),
    closedAt: undefined,
    startedBy: 'officer',
    ...(scheduleId ? { scheduleId } : {}),
  };
}

describe('trend of scheduled runs', () => {
  it('when earlier runs came from a schedule, then the trend names it for each of them and not for a manual run', () => {
    const runs = [
      run('testumfrage-0103-aaaa', '2027-03-14T22:59:59.999Z', 's-quarterly'),
      run('testumfrage-0106-bbbb', '2027-06-13T21:59:59.999Z'),
      run('testumfrage-0109-cccc', '2027-09-12T21:59:59.999Z', 's-quarterly'),
    ];
    const figures = runs.map((r) =>
      runFigures(TEST_SURVEY, answers, { runId: r.runId, closesAt: r.closesAt }),
    );
    const view = resultsView(
      runs[2]!,
      figures[2]!,
      runs.slice(0, 2).map((r, i) => ({ run: r, figures: figures[i]! })),
    );
    if (!view.available) throw new Error('results withheld');
    expect(view.value.trend.runs.map((r) => [r.runId, r.scheduleId])).toEqual([
      ['testumfrage-0103-aaaa', 's-quarterly'],
      ['testumfrage-0106-bbbb', undefined],
      ['testumfrage-0109-cccc', 's-quarterly'],
    ]);
  });
});
