// Rendered examples of every card Puls sends, with realistic data: the three shipped surveys step by
// step, their summaries and thank-you cards, their results (closed, open, small), the results that go
// back to the staff, the digest with Teams charts, the idea cards and the help, settings and privacy
// cards. Used by the accessibility check (test/unit/card-a11y.test.ts) and the survey measurements.
import {
  renderEraseConfirm,
  renderHelp,
  renderNotice,
  renderPrivacy,
  renderSettings,
  renderWelcome,
  type AdaptiveCard,
} from '../../cards';
import { renderDigest } from '../../cards/digest';
import { renderIdeaForm, renderIdeaList, renderIdeaReview } from '../../cards/ideas';
import { renderResults, renderResultsBack } from '../../cards/results';
import { renderCloseConfirm, renderResultsAsk } from '../../cards/run-close';
import {
  renderRunStart,
  renderRuns,
  renderSurveyStep,
  renderSurveySummary,
  renderSurveyThanks,
} from '../../cards/surveys';
import type { District } from '../../src/domain/vocabulary';
import type { Locale } from '../../src/i18n';
import type { Idea } from '../../src/ideas/model';
import { carryAnswers } from '../../src/surveys/answers';
import type { Survey } from '../../src/surveys/definition';
import type { Answers, Run } from '../../src/surveys/model';
import { defaultSurveysDir, loadQuestionBank } from '../../src/surveys/question-bank';
import { runFigures, type FigureRow } from './fixtures';

export interface CardExample {
  /** "<template or function>/<case>", unique. */
  name: string;
  /** The cards/*.json template it expands, if any. */
  template?: string;
  /** The exported render function it calls. */
  render: string;
  card: (locale: Locale) => AdaptiveCard;
}

export const SHIPPED_SURVEYS: readonly Survey[] = loadQuestionBank(defaultSurveysDir()).list();
const DISTRICTS: readonly District[] = ['altona', 'wandsbek', 'hamburg-nord', 'eimsbuettel'];

export function runOf(survey: Survey, open = true): Run {
  return {
    runId: `${survey.id}-2311-ab12`,
    survey,
    audience: { kind: 'districts', districts: ['altona', 'wandsbek'] },
    startedAt: new Date('2026-11-23T09:00:00Z'),
    closesAt: new Date('2026-12-07T22:59:59Z'),
    closedAt: open ? undefined : new Date('2026-12-07T22:59:59Z'),
    startedBy: 'officer',
    audienceSize: 120,
  };
}

/** A plausible answer of person i to every question (varied, complete). */
export function answersOf(survey: Survey, i: number): Answers {
  const answers: Answers = {};
  survey.questions.forEach((q, n) => {
    switch (q.type) {
      case 'likert5':
        answers[q.id] = ((i * 3 + n * 2 + (i >> 2)) % 5) + 1;
        break;
      case 'nps':
        answers[q.id] = (i * 4 + n) % 11;
        break;
      case 'single':
        answers[q.id] = q.choices[(i + n) % q.choices.length]!.id;
        break;
      case 'multi':
        answers[q.id] = [...new Set([(i + n) % q.choices.length, (i * 3 + 1) % q.choices.length])]
          .slice(0, q.max ?? q.choices.length)
          .map((c) => q.choices[c]!.id);
        break;
      case 'text':
        answers[q.id] = `Mehr Zeit und feste Ansprechpersonen im Team (${i}).`;
        break;
    }
  });
  return answers;
}

export function rowsOf(survey: Survey, n: number): FigureRow[] {
  return Array.from({ length: n }, (_, i) => ({
    district: DISTRICTS[i % DISTRICTS.length],
    answers: answersOf(survey, i),
  }));
}

const idea: Idea = {
  ideaId: '8204573999999-abcd1234',
  title: 'Digitale Terminvergabe für das Kundenzentrum',
  description: 'Termine online buchen statt anrufen; Erinnerung per E-Mail am Vortag.',
  field: 'nutzerorientierung',
  district: 'altona',
  anonymous: true,
  submitterName: undefined,
  submitterGone: false,
  status: 'in_review',
  supportCount: 12,
  createdAt: new Date('2026-11-20T10:00:00Z'),
  updatedAt: new Date('2026-11-21T10:00:00Z'),
};

function surveyExamples(survey: Survey): CardExample[] {
  const run = runOf(survey);
  const answers = answersOf(survey, 1);
  const carried = carryAnswers(survey, answers);
  const out: CardExample[] = survey.questions.map((q, step) => ({
    name: `survey/${survey.id}/q${step + 1}-${q.type}`,
    template: 'survey',
    render: 'renderSurveyStep',
    card: (l) =>
      renderSurveyStep(l, {
        run,
        step,
        answers: Object.fromEntries(Object.entries(carried).filter(([id]) => id !== q.id)),
      }),
  }));
  const multi = survey.questions.findIndex((q) => q.type === 'multi');
  if (multi >= 0)
    out.push({
      name: `survey/${survey.id}/error-and-notice`,
      template: 'survey',
      render: 'renderSurveyStep',
      card: (l) =>
        renderSurveyStep(l, {
          run,
          step: multi,
          answers: carried,
          review: true,
          error: 'too_many',
          entered: 'x,y,z,w',
          notice:
            l === 'en'
              ? 'Reminder: the survey closes on Monday.'
              : 'Erinnerung: Die Umfrage endet am Montag.',
        }),
    });
  for (const mode of ['confirm', 'edit', 'closed'] as const)
    out.push({
      name: `survey-summary/${survey.id}/${mode}`,
      template: 'survey-summary',
      render: 'renderSurveySummary',
      card: (l) =>
        renderSurveySummary(l, {
          run: mode === 'closed' ? runOf(survey, false) : run,
          answers: carried,
          mode,
        }),
    });
  out.push({
    name: `survey-thanks/${survey.id}`,
    template: 'survey-thanks',
    render: 'renderSurveyThanks',
    card: (l) => renderSurveyThanks(l, { run, answers, kMin: 5 }),
  });
  const closed = runFigures(survey, rowsOf(survey, 37), { runId: run.runId, audience: 120, delivered: 118 });
  out.push(
    {
      name: `run-results/${survey.id}/closed`,
      template: 'run-results',
      render: 'renderResults',
      card: (l) => renderResults(l, closed),
    },
    {
      name: `results-back/${survey.id}`,
      template: 'results-back',
      render: 'renderResultsBack',
      card: (l) =>
        renderResultsBack(
          l,
          closed,
          'Wir richten ab Januar eine feste Lernzeit von einer Stunde pro Woche ein und suchen Lernpatinnen und -paten in jedem Fachamt.',
        ),
    },
  );
  return out;
}

const digestView =
  (charts: boolean, empty = false) =>
  (l: Locale) =>
    renderDigest(
      l,
      {
        weekLabel: 'KW 48 · 23.–29.11.2026',
        runs: empty
          ? []
          : [
              runFigures(SHIPPED_SURVEYS[0]!, rowsOf(SHIPPED_SURVEYS[0]!, 37), {
                runId: runOf(SHIPPED_SURVEYS[0]!).runId,
                audience: 120,
                delivered: 118,
              }),
              runFigures(SHIPPED_SURVEYS[1]!, rowsOf(SHIPPED_SURVEYS[1]!, 9), {
                runId: runOf(SHIPPED_SURVEYS[1]!).runId,
                open: true,
                audience: 60,
                delivered: 60,
              }),
            ],
        ideas: empty
          ? { newByField: [], topSupported: [], statusChanges: [] }
          : {
              newByField: [
                { field: 'nutzerorientierung', count: 2 },
                { field: 'digitales-arbeiten', count: 1 },
              ],
              topSupported: [{ title: idea.title, supportCount: 12, status: 'in_review' }],
              statusChanges: [{ title: idea.title, from: 'submitted', to: 'in_review' }],
            },
      },
      { charts },
    );

export const CARD_EXAMPLES: readonly CardExample[] = [
  ...SHIPPED_SURVEYS.flatMap(surveyExamples),
  {
    name: 'run-results/open',
    template: 'run-results',
    render: 'renderResults',
    card: (l) =>
      renderResults(
        l,
        runFigures(SHIPPED_SURVEYS[2]!, rowsOf(SHIPPED_SURVEYS[2]!, 9), {
          open: true,
          audience: 60,
          delivered: 60,
        }),
      ),
  },
  {
    name: 'run-results/too-few',
    template: 'run-results',
    render: 'renderResults',
    card: (l) =>
      renderResults(l, runFigures(SHIPPED_SURVEYS[2]!, rowsOf(SHIPPED_SURVEYS[2]!, 3), { audience: 60 })),
  },
  { name: 'weekly-digest/charts', template: 'weekly-digest', render: 'renderDigest', card: digestView(true) },
  { name: 'weekly-digest/text', template: 'weekly-digest', render: 'renderDigest', card: digestView(false) },
  {
    name: 'weekly-digest/empty',
    template: 'weekly-digest',
    render: 'renderDigest',
    card: digestView(true, true),
  },
  {
    name: 'run-start',
    template: 'run-start',
    render: 'renderRunStart',
    card: (l) =>
      renderRunStart(l, {
        surveys: SHIPPED_SURVEYS,
        minDate: '2026-11-24',
        maxDate: '2027-02-20',
        closesAt: '2026-12-07',
        districts: ['altona'],
      }),
  },
  {
    name: 'runs',
    template: 'runs',
    render: 'renderRuns',
    card: (l) =>
      renderRuns(l, {
        items: [
          {
            run: runOf(SHIPPED_SURVEYS[0]!),
            open: true,
            participation: runFigures(SHIPPED_SURVEYS[0]!, rowsOf(SHIPPED_SURVEYS[0]!, 40), {
              open: true,
              audience: 120,
              delivered: 118,
            }).participation,
            delivery: { recipients: 120, sent: 118, failed: 1, pending: 1 },
          },
          {
            run: { ...runOf(SHIPPED_SURVEYS[1]!, false), audienceSize: 3 },
            open: false,
            participation: runFigures(SHIPPED_SURVEYS[1]!, [], { audience: 3, delivered: 3 }).participation,
            delivery: { recipients: 3, sent: 3, failed: 0, pending: 0 },
          },
        ],
        closable: true,
        kMin: 5,
        more: { verb: 'run.list', offset: 10 },
      }),
  },
  {
    name: 'run-close/confirm',
    template: 'notice',
    render: 'renderCloseConfirm',
    card: (l) => renderCloseConfirm(l, runOf(SHIPPED_SURVEYS[0]!), 37),
  },
  {
    name: 'run-close/ask',
    template: 'notice',
    render: 'renderResultsAsk',
    card: (l) =>
      renderResultsAsk(
        l,
        runOf(SHIPPED_SURVEYS[0]!, false),
        runFigures(SHIPPED_SURVEYS[0]!, rowsOf(SHIPPED_SURVEYS[0]!, 37), { audience: 120 }),
        { error: l === 'en' ? 'Please write a statement.' : 'Bitte schreiben Sie eine Stellungnahme.' },
      ),
  },
  {
    name: 'idea-form',
    template: 'idea-form',
    render: 'renderIdeaForm',
    card: (l) =>
      renderIdeaForm(l, {
        entered: { title: 'x', description: 'y', field: 'sonstiges', anonymous: 'true' },
        errors: { title: 'too_long', field: 'choice' },
        notice: 'Bitte prüfen',
        district: 'wandsbek',
      }),
  },
  {
    name: 'idea-list',
    template: 'idea-list',
    render: 'renderIdeaList',
    card: (l) =>
      renderIdeaList(l, {
        title: 'Ideen',
        notice: 'Hinweis',
        items: [
          {
            idea,
            feedback: 'Wir prüfen das bis Ende Januar.',
            actions: [
              {
                verb: 'idea.support',
                title: 'Unterstützen',
                data: { verb: 'idea.support', ideaId: idea.ideaId, want: 'true' },
              },
            ],
          },
        ],
        filters: { sort: 'support', field: 'all', district: 'altona' },
        footer: [{ verb: 'idea.list', title: 'Weitere', data: { verb: 'idea.list', token: 'abc' } }],
      }),
  },
  {
    name: 'idea-review',
    template: 'idea-review',
    render: 'renderIdeaReview',
    card: (l) =>
      renderIdeaReview(l, {
        idea,
        history: [
          {
            at: new Date('2026-11-20T10:00:00Z'),
            from: undefined,
            to: 'submitted',
            byId: '',
            byName: '',
            feedback: '',
          },
          {
            at: new Date('2026-11-21T10:00:00Z'),
            from: 'submitted',
            to: 'in_review',
            byId: 'o',
            byName: 'Olga Petersen',
            feedback: 'Danke, wir prüfen das.',
          },
        ],
        entered: { status: 'rejected', feedback: 'Nein, weil …' },
        notice: 'Bitte begründen',
        noticeStyle: 'attention',
      }),
  },
  { name: 'welcome', template: 'welcome', render: 'renderWelcome', card: (l) => renderWelcome(l) },
  {
    name: 'help',
    template: 'help',
    render: 'renderHelp',
    card: (l) =>
      renderHelp(l, {
        employeeCommands: [
          { word: 'umfrage', description: 'offene Umfragen und geteilte Ergebnisse' },
          { word: 'ideen', description: 'Ideen lesen und unterstützen' },
        ],
        officerCommands: [{ word: 'umfrage starten', description: 'eine Umfrage an Bezirke senden' }],
        unknownInput: true,
      }),
  },
  {
    name: 'settings',
    template: 'settings',
    render: 'renderSettings',
    card: (l) =>
      renderSettings(l, {
        settings: { language: 'de', district: 'hamburg-nord', reminders: false },
        kMin: 5,
        status: 'saved',
      }),
  },
  {
    name: 'privacy',
    template: 'privacy',
    render: 'renderPrivacy',
    card: (l) =>
      renderPrivacy(l, {
        kMin: 5,
        kText: 10,
        retentionMonths: 24,
        notice: {
          controller: 'Freie und Hansestadt Hamburg, Bezirksamt Altona',
          dpoContact: undefined,
          legalBasis: '§ 10 HmbDSG',
          contact: 'puls@example.org',
        },
      }),
  },
  {
    name: 'erase-confirm',
    template: 'notice',
    render: 'renderEraseConfirm',
    card: (l) => renderEraseConfirm(l),
  },
  {
    name: 'notice',
    template: 'notice',
    render: 'renderNotice',
    card: () =>
      renderNotice({
        title: 'Umfrage gestartet',
        text: 'Die Umfrage geht an 120 Beschäftigte in Altona und Wandsbek.',
        tone: 'good',
        facts: [{ title: 'Endet am', value: '07.12.2026' }],
        buttons: [{ title: 'Hilfe', command: 'hilfe' }],
      }),
  },
];
