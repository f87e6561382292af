// Every card template: expands with fixture data, leaves no binding, parses with the adaptivecards
// library without errors, and stays under 28 KB — in German and in English.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import {
  renderHelp,
  renderNotice,
  renderPrivacy,
  renderEraseConfirm,
  renderSettings,
  renderWelcome,
  expand,
  hole,
  type AdaptiveCard,
} from '../../cards';
import {
  describeAnswer,
  renderRunStart,
  renderRuns,
  renderSurveyForm,
  renderSurveyThanks,
} from '../../cards/surveys';
import thanksTemplate from '../../cards/survey-thanks.json';
import { renderDigest } from '../../cards/digest';
import { renderIdeaForm, renderIdeaList, renderIdeaReview } from '../../cards/ideas';
import { renderResultsBack, renderResults } from '../../cards/results';
import type { Idea } from '../../src/ideas/model';
import type { Locale } from '../../src/i18n';
import type { Run } from '../../src/surveys/model';
import { runFigures, TEST_SURVEY, type FigureRow } from '../support/fixtures';
import { validateCard } from '../support/adaptive-cards';
import { cardText } from '../support/connector';
import type { District } from '../../src/domain/vocabulary';

const run: Run = {
  runId: 'testumfrage-2311-ab12',
  survey: TEST_SURVEY,
  audience: { kind: 'districts', districts: ['altona', 'wandsbek'] },
  startedAt: new Date('2026-11-23T09:00:00Z'),
  closesAt: new Date('2026-12-07T22:59:59Z'),
  closedAt: undefined,
  startedBy: 'officer',
  audienceSize: 20,
};
const answers = {
  tools: 0,
  mode: 'mobile',
  formats: ['chat', 'video'],
  recommend: 9,
  comment: '**fett** [link](x)',
};

const sampleIdea: Idea = {
  ideaId: '8204573999999-abcd1234',
  title: 'Digitale Terminvergabe **jetzt**',
  description: 'Termine online buchen statt anrufen. [Link](https://example.org)',
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

/** n complete answers to TEST_SURVEY, spread over the given districts in turn. */
function sampleRows(n: number, districts: readonly District[]): FigureRow[] {
  return Array.from({ length: n }, (_, i) => ({
    district: districts[i % districts.length],
    answers: { ...answers, tools: (i % 5) + 1, recommend: i % 11, comment: `Text ${i}` },
  }));
}

const fixtures: Record<string, (locale: Locale) => AdaptiveCard> = {
  'weekly-digest': (l) =>
    renderDigest(
      l,
      {
        weekLabel: 'KW 48 · 23.–29.11.2026',
        runs: [
          runFigures(TEST_SURVEY, sampleRows(14, ['altona', 'wandsbek', 'harburg']), {
            runId: run.runId,
            delivered: 20,
            audience: 20,
          }),
          runFigures(TEST_SURVEY, sampleRows(6, ['altona']), {
            runId: 'testumfrage-3011-cd34',
            open: true,
            delivered: 20,
            audience: 20,
          }),
        ],
        ideas: {
          newByField: [{ field: 'nutzerorientierung', count: 2 }],
          topSupported: [{ title: sampleIdea.title, supportCount: 12, status: 'in_review' }],
          statusChanges: [{ title: sampleIdea.title, from: 'submitted', to: 'in_review' }],
        },
      },
      // The adaptivecards validator does not know Teams' Chart.* types; the card with charts and
      // the text lines beside them is validated in digest-card.test.ts.
      { charts: false },
    ),
  'idea-form': (l) =>
    renderIdeaForm(l, {
      entered: { title: 'x', description: 'y', field: 'sonstiges', anonymous: 'true' },
      errors: { title: 'too_long', field: 'choice' },
      notice: 'Bitte prüfen',
      district: 'wandsbek',
    }),
  'idea-list': (l) =>
    renderIdeaList(l, {
      title: 'Ideen',
      notice: 'Hinweis',
      items: [
        {
          idea: sampleIdea,
          feedback: 'Wir prüfen das.',
          actions: [
            {
              verb: 'idea.support',
              title: 'Unterstützen',
              data: { verb: 'idea.support', ideaId: sampleIdea.ideaId, want: 'true' },
            },
          ],
        },
      ],
      filters: { sort: 'support', field: 'all', district: 'altona' },
      footer: [{ verb: 'idea.list', title: 'Weitere', data: { verb: 'idea.list', token: 'abc' } }],
    }),
  'idea-review': (l) =>
    renderIdeaReview(l, {
      idea: sampleIdea,
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
          byName: 'Olga',
          feedback: 'Danke!',
        },
      ],
      entered: { status: 'rejected', feedback: 'Nein, weil …' },
      notice: 'Bitte begründen',
      noticeStyle: 'attention',
    }),
  survey: (l) =>
    renderSurveyForm(l, {
      run,
      entered: { tools: '7', comment: 'Text' },
      errors: { tools: 'range', formats: 'too_many' },
      notice: 'Bitte prüfen',
    }),
  'survey-thanks': (l) => renderSurveyThanks(l, { run, answers, kMin: 5 }),
  'run-start': (l) =>
    renderRunStart(l, {
      surveys: [TEST_SURVEY],
      minDate: '2026-11-24',
      maxDate: '2027-02-20',
      closesAt: '2026-12-07',
      surveyId: 'testumfrage',
      districts: ['altona'],
      error: 'Fehler',
    }),
  'results-back': (l) =>
    renderResultsBack(
      l,
      runFigures(TEST_SURVEY, sampleRows(12, ['altona', 'wandsbek']), { runId: run.runId, delivered: 20 }),
      'Wir setzen das um – **kein Markdown**, [kein Link](https://x.example)',
    ),
  'run-results': (l) =>
    renderResults(
      l,
      runFigures(TEST_SURVEY, sampleRows(12, ['altona', 'wandsbek']), { runId: run.runId, delivered: 20 }),
    ),
  runs: (l) =>
    renderRuns(l, {
      items: [
        {
          run,
          open: true,
          participation: runFigures(TEST_SURVEY, sampleRows(5, ['altona']), {
            open: true,
            audience: 10,
            delivered: 8,
          }).participation,
          delivery: { recipients: 10, sent: 8, failed: 1, pending: 1 },
        },
        {
          run: { ...run, closedAt: new Date('2026-12-01'), audienceSize: 2 },
          open: false,
          participation: runFigures(TEST_SURVEY, [], { audience: 2, delivered: 0 }).participation,
          delivery: { recipients: 2, sent: 0, failed: 0, pending: 0 },
        },
      ],
      closable: true,
      kMin: 5,
      more: { verb: 'run.list', offset: 10 },
    }),
  welcome: (l) => renderWelcome(l),
  help: (l) =>
    renderHelp(l, {
      employeeCommands: [{ word: 'hilfe', description: 'diese Übersicht' }],
      officerCommands: [{ word: 'status', description: 'Status' }],
      unknownInput: true,
    }),
  settings: (l) =>
    renderSettings(l, {
      settings: { language: 'de', district: 'hamburg-nord', reminders: false },
      kMin: 5,
      status: 'invalid',
    }),
  privacy: (l) =>
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
  notice: () =>
    renderNotice({
      title: 'Titel',
      text: 'Text',
      tone: 'warning',
      facts: [{ title: 'a', value: 'b' }],
      buttons: [{ title: 'Hilfe', command: 'hilfe' }],
    }),
};

describe('card templates', () => {
  it('when the cards folder is listed, then every template has a fixture here', () => {
    const templates = readdirSync(path.join(__dirname, '../../cards'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));
    expect(templates.sort()).toEqual(Object.keys(fixtures).sort());
  });

  describe.each(Object.keys(fixtures))('%s', (name) => {
    it.each(['de', 'en'] as const)(
      'when rendered in %s, then it is a valid Adaptive Card 1.5 under 28 KB',
      (locale) => {
        const card = fixtures[name]!(locale);
        expect(validateCard(card)).toEqual([]);
        expect(card.version).toBe('1.5');
      },
    );
  });

  it('when the settings card renders a user choice, then the inputs carry it', () => {
    const card = renderSettings('de', {
      settings: { language: 'en', district: 'wandsbek', reminders: true },
      kMin: 7,
    });
    const inputs = card.body.filter((e) => (e as { id?: string }).id) as { id: string; value: string }[];
    expect(Object.fromEntries(inputs.map((i) => [i.id, i.value]))).toEqual({
      language: 'en',
      district: 'wandsbek',
      reminders: 'true',
    });
    expect(cardText(card)).toContain('mindestens 7 Antworten');
    expect(cardText(card)).not.toContain('Gespeichert');
  });

  it('when a survey form is rendered empty, then every question has an input and the answer verb names the run', () => {
    const card = renderSurveyForm('de', { run });
    const json = JSON.stringify(card);
    for (const q of TEST_SURVEY.questions) expect(json).toContain(`"id":"q_${q.id}"`);
    expect(json).toContain('"verb":"survey.answer:testumfrage-2311-ab12"');
    expect(cardText(card)).not.toContain('Bitte prüfen');
    expect(validateCard(card)).toEqual([]);
  });

  it('when answers are summarised, then free text sits in a TextRun, never in markdown', () => {
    const json = JSON.stringify(renderSurveyThanks('de', { run, answers, kMin: 5 }));
    expect(json).toContain('{"type":"TextRun","text":"**fett** [link](x)"');
    expect(json).not.toMatch(/"type":"TextBlock","text":"\*\*fett/);
    expect(json).toContain('keine Angabe');
  });

  it('when the thank-you card is filled from its cached skeleton, then it equals a full expansion, whatever the answer text', () => {
    const tricky = [
      'Zitat "so" \\ und Backslash',
      'Zeile 1\nZeile 2',
      '${title} ${survey}',
      `${hole('a0')} am Ende`,
      '</script><b>x</b>',
    ];
    for (const [i, comment] of tricky.entries()) {
      const withAnswers = { ...answers, comment };
      // A run the cache has not seen yet for the first, then the same run again: both paths.
      const r = { ...run, runId: `testumfrage-2311-h${i}` };
      const first = renderSurveyThanks('de', { run: r, answers: withAnswers, kMin: 5 });
      const again = renderSurveyThanks('de', { run: r, answers: withAnswers, kMin: 5 });
      const full = expand(thanksTemplate, {
        title: 'Danke – Ihre Antwort ist gespeichert',
        survey: TEST_SURVEY.title.de,
        summary: TEST_SURVEY.questions.map((q) => ({
          question: q.text.de,
          answer: describeAnswer(q, withAnswers[q.id as keyof typeof withAnswers], 'de'),
        })),
        note: (first.body.at(-1) as { text: string }).text,
        change: 'Antwort ändern',
        verb: `survey.edit:${r.runId}`,
      });
      expect(again).toEqual(full);
      expect(first).toEqual(full);
      expect(JSON.stringify(again)).toContain(JSON.stringify(comment).slice(1, -1));
    }
  });

  it('when an idea is listed, then its text is a TextRun and the action data stays an object', () => {
    const card = fixtures['idea-list']!('de');
    const json = JSON.stringify(card);
    expect(json).toContain('{"type":"TextRun","text":"Digitale Terminvergabe **jetzt**"');
    expect(json).toContain('"data":{"verb":"idea.support","ideaId":"8204573999999-abcd1234","want":"true"}');
    expect(cardText(card)).toContain('anonym');
    expect(cardText(card)).toContain('12 Unterstützungen');
  });

  it('when the submitter of a named idea erased their data, then it shows a former employee, not the name', () => {
    const gone = renderIdeaList('de', {
      title: 'Ideen',
      items: [
        {
          idea: { ...sampleIdea, anonymous: false, submitterName: 'Erika Muster', submitterGone: true },
          actions: [],
        },
      ],
      filters: { sort: 'support', field: 'all', district: 'altona' },
      footer: [],
    });
    expect(cardText(gone)).toContain('ehemalige:r Mitarbeiter:in');
    expect(JSON.stringify(gone)).not.toContain('Erika Muster');
  });

  it('when runs are listed, then participation shows as the disclosure module gives it, withheld for a small audience', () => {
    const de = cardText(fixtures.runs!('de'));
    expect(de).toMatch(/Zugestellt\n8 \/ 10/);
    expect(de).toMatch(/Beantwortet\n5/);
    expect(de).toMatch(/Beteiligung\n63\u00a0%/);
    expect(de).toMatch(/Beantwortet\nab 5 Empfänger:innen/);
    expect(cardText(fixtures.runs!('en'))).toMatch(/Answered\nfrom 5 recipients/);
  });

  it('when the privacy card is rendered, then it names what is configured and says which setting is missing', () => {
    const text = cardText(fixtures.privacy!('de'));
    expect(text).toContain('Freie und Hansestadt Hamburg, Bezirksamt Altona');
    expect(text).toContain('[noch nicht eingetragen: PRIVACY_DPO_CONTACT]');
    expect(text).toContain('§ 10 HmbDSG');
    expect(text).toMatch(/Art\. 15–21 DSGVO/);
  });

  it.each(['de', 'en'] as const)(
    'when the erase confirmation is rendered in %s, then it is a valid card with both choices',
    (l) => {
      const card = renderEraseConfirm(l);
      expect(validateCard(card)).toEqual([]);
      expect(JSON.stringify(card.actions)).toContain('"confirm":"yes"');
      expect(JSON.stringify(card.actions)).toContain('"confirm":"no"');
    },
  );

  it('when help is rendered for a non-officer, then no officer section appears', () => {
    const card = renderHelp('en', {
      employeeCommands: [{ word: 'help', description: 'this' }],
      officerCommands: [],
    });
    expect(cardText(card)).not.toContain('For digitalisation officers');
    expect(validateCard(card)).toEqual([]);
  });

  it('when a value contains template syntax, then it is shown literally and not evaluated', () => {
    const card = renderNotice({ title: '${title}', text: '${1+1}' });
    expect(cardText(card)).toContain('${1+1}');
  });
});

describe('the card validator itself', () => {
  it('when a card is broken, then the validator reports it', () => {
    expect(validateCard({ type: 'AdaptiveCard', version: '1.6', body: [] })).not.toEqual([]);
    expect(
      validateCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Text', label: 'x' }] }),
    ).not.toEqual([]);
    expect(validateCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Bogus' }] })).not.toEqual([]);
    expect(
      validateCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: '${x}' }] }),
    ).not.toEqual([]);
  });
});
