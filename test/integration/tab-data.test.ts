// The tab's JSON API against the real app (Azurite, the bot over HTTP, local mode on loopback): its
// figures are the disclosure module's — equal to the results card's for the same run, and nothing
// the card hides is in the JSON, not even as a number elsewhere in the object. Also the actions
// (close with the count that becomes final, remind once) and the CSV/XLSX downloads.
import { unzipSync, strFromU8 } from 'fflate';
import { ManualClock } from '../../src/clock';
import { surveySchema, type Survey } from '../../src/surveys/definition';
import type {
  ClosePreviewView,
  Disclosed,
  RunActionResultView,
  RunListView,
  RunResultsView,
  SaveDraftResult,
  SurveyLibraryView,
} from '../../src/tab/view-types';
import { cardOf } from '../support/connector';
import { agree, cardFigures, type Figures } from '../support/figures';
import { bankOf } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import {
  installPersonal,
  installTeam,
  makeTeam,
  makeUser,
  message,
  personalConversationId,
  type TeamsUser,
} from '../support/teams';

const t = (de: string, en = de) => ({ de, en });
const SURVEY: Survey = surveySchema.parse({
  id: 'tabtest',
  version: 1,
  title: t('Tabtest', 'Tab test'),
  intro: t('Für Tests.', 'For tests.'),
  minutes: 2,
  questions: [
    {
      id: 'tools',
      type: 'likert5',
      field: 'digitales-arbeiten',
      text: t('Ich habe die Werkzeuge, die ich brauche.'),
      labels: { low: t('gar nicht'), high: t('voll') },
      allowNoAnswer: true,
    },
    {
      id: 'skills',
      type: 'likert5',
      field: 'digitale-kompetenzen',
      text: t('Ich fühle mich sicher im Umgang mit digitalen Werkzeugen.'),
      labels: { low: t('gar nicht'), high: t('voll') },
      required: false,
    },
    {
      id: 'rare',
      type: 'likert5',
      field: 'digitale-kompetenzen',
      text: t('Eine Frage, die kaum jemand beantwortet.'),
      labels: { low: t('gar nicht'), high: t('voll') },
      required: false,
    },
    {
      id: 'mode',
      type: 'single',
      field: 'digitales-arbeiten',
      text: t('Wo arbeiten Sie meistens?'),
      choices: [
        { id: 'office', label: t('im Büro') },
        { id: 'mobile', label: t('mobil') },
        { id: 'mixed', label: t('gemischt') },
      ],
    },
    { id: 'recommend', type: 'nps', field: 'digitale-kompetenzen', text: t('Würden Sie Puls empfehlen?') },
  ],
});

/** Every figure of a results card (participation, questions, fields, districts), by its element id. */
function resultFigures(card: unknown): Figures {
  return new Map([...cardFigures(card)].filter(([id]) => /^[pqfd]\./.test(id)));
}

/** The API's figures under the card's ids (NPS answers summed into the card's three groups). */
function apiFigures(r: RunResultsView): Figures {
  const out: Figures = new Map();
  const put = (key: string, v: number | null) => out.set(key, v === null ? 'hidden' : v);
  put('p.respondents', r.participation.respondents);
  put('p.audience', r.participation.audience);
  put('p.delivered', r.participation.delivered);
  if (r.participation.rate !== null) put('p.rate', r.participation.rate * 100);
  for (const q of r.questions) {
    if (q.hidden) continue;
    put(`q.${q.questionId}.answered`, q.answered);
    if (q.mean !== null) put(`q.${q.questionId}.mean`, q.mean);
    if (q.nps !== null) put(`q.${q.questionId}.nps`, q.nps);
    if (q.change !== null) put(`q.${q.questionId}.change`, q.change);
    for (const d of q.distribution) {
      if (q.type === 'nps') {
        const v = Number(d.key);
        const key = `q.${q.questionId}.n.${v <= 6 ? 'g0-6' : v <= 8 ? 'g7-8' : 'g9-10'}`;
        out.set(key, ((out.get(key) as number | undefined) ?? 0) + d.count);
      } else put(`q.${q.questionId}.n.${d.key}`, d.count);
    }
  }
  for (const f of r.fieldIndex) if (f.index !== null) put(`f.${f.field}.index`, f.index);
  for (const row of r.heatmap.rows) {
    put(`d.${row.district}.respondents`, row.respondents);
    r.heatmap.columns.forEach((c, i) => {
      put(`d.${row.district}.${c.id}`, row.cells[i]!);
    });
  }
  return out;
}

/** Every number anywhere in a JSON value, with its path. */
function numbersIn(value: unknown, path = ''): [string, number][] {
  if (typeof value === 'number') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbersIn(v, `${path}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => numbersIn(v, `${path}.${k}`));
  return [];
}

describe('the tab API over the disclosure module', () => {
  let h: Harness;
  const clock = new ManualClock('2026-11-23T09:00:00Z');
  const officer = makeUser('Tabea Tab');
  const team = makeTeam('Digitalisierungsbeauftragte');
  const staff: { user: TeamsUser; district: string }[] = [];

  const api = async <T>(path: string, method: 'GET' | 'POST' = 'GET'): Promise<T> => {
    const res = await fetch(`${h.botUrl}/api/tab/${path}`, { method, headers: { 'x-puls-tab': '1' } });
    if (res.status !== 200) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const startRun = async (closesAt: string) => {
    const card = await h.invoke(officer, 'run.start', { surveyId: SURVEY.id, closesAt, districts: '' });
    await h.app.background.idle();
    return new RegExp(`${SURVEY.id}-\\d{4}-[a-z0-9]{4}`).exec(JSON.stringify(card))![0];
  };
  const answer = (i: number, runId: string, shift = 0) =>
    h.invoke(staff[i]!.user, `survey.answer:${runId}`, {
      q_tools: String(i % 7 === 0 ? 0 : ((i + shift) % 5) + 1),
      q_skills: i % 3 === 0 ? '' : String(((i + shift) % 4) + 2),
      q_rare: i < 3 ? '4' : '',
      q_mode: ['office', 'mobile', 'mixed'][(i + shift) % 3],
      q_recommend: String((i * 3 + shift) % 11),
    });
  const resultsCard = async (runId: string) => {
    h.connector.clear();
    await h.send(message(officer, `ergebnisse ${runId}`, h.serviceUrl));
    return cardOf(h.connector.messagesIn(personalConversationId(officer)).at(-1));
  };

  beforeAll(async () => {
    h = await startHarness({
      clock,
      questionBank: bankOf(SURVEY),
      env: { OFFICER_AAD_IDS: officer.aadObjectId },
    });
    await h.send(installTeam(team, officer, h.serviceUrl));
    const layout: [string, number][] = [
      ['altona', 12],
      ['wandsbek', 10],
      ['harburg', 6],
      ['bergedorf', 2],
      ['', 2],
    ];
    for (const [district, n] of layout)
      for (let i = 0; i < n; i++) staff.push({ user: makeUser(`${district || 'ohne'} ${i}`), district });
    for (const u of [officer, ...staff.map((s) => s.user)]) await h.send(installPersonal(u, h.serviceUrl));
    for (const s of staff) {
      if (s.district)
        await h.invoke(s.user, 'settings.save', { language: 'de', district: s.district, reminders: 'true' });
    }
  }, 120_000);
  afterAll(() => h.stop());

  describe('while a run is open', () => {
    let runId: string;
    beforeAll(async () => {
      runId = await startRun('2026-11-24');
    }, 60_000);

    it('when the runs are listed, then participation is shown overall and by district only for groups of at least K, and no result figure is in the JSON', async () => {
      for (let i = 0; i < staff.length; i++) await answer(i, runId);
      const list = await api<RunListView>('runs');
      const run = list.runs.find((r) => r.runId === runId)!;
      expect(run.open).toBe(true);
      if (!run.participation.available) throw new Error('participation withheld');
      const p = run.participation.value;
      expect(p.overall.answered).toBe(staff.length);
      expect(p.reach).toEqual({
        installed: staff.length + 1,
        delivered: staff.length + 1,
        audience: undefined,
      });
      const by = Object.fromEntries(p.byDistrict.map((d) => [d.district, [d.answered, d.hidden]]));
      // Bergedorf (2) is below K; then 32 − 12 − 10 − 6 = 4 would be Bergedorf plus those without a
      // district: Harburg is hidden as well.
      expect(by).toEqual({
        altona: [12, false],
        wandsbek: [10, false],
        harburg: [null, 'complementary'],
        bergedorf: [null, 'too_few'],
      });
      const results = await api<Disclosed<RunResultsView>>(`runs/${runId}/results`);
      expect(results).toEqual({ available: false, reason: 'run_open' });
    }, 120_000);

    it('when the officer asks to close, then the tab says how many answers become final, and closing says it again', async () => {
      const preview = await api<ClosePreviewView>(`runs/${runId}/close-preview`);
      expect(preview).toEqual({ runId, open: true, respondents: staff.length });
      const closed = await api<RunActionResultView>(`runs/${runId}/close`, 'POST');
      expect(closed).toMatchObject({ kind: 'done', respondents: staff.length });
      expect(await api<RunActionResultView>(`runs/${runId}/close`, 'POST')).toEqual({ kind: 'not_open' });
    }, 60_000);
  });

  describe('once runs have closed', () => {
    let runId: string;
    let api1: Disclosed<RunResultsView>;
    beforeAll(async () => {
      // The open run above closed at 09:00 on the 23rd; a second run of the same survey follows.
      clock.set('2026-11-25T09:00:00Z');
      runId = await startRun('2026-11-26');
      for (let i = 0; i < staff.length; i++) await answer(i, runId, 2);
      clock.set('2026-11-27T09:00:00Z');
      await h.app.sealer.sealDue();
      api1 = await api<Disclosed<RunResultsView>>(`runs/${runId}/results`);
    }, 120_000);

    it("when the API's results are compared with the results card of the same run, then every figure is the same", async () => {
      if (!api1.available) throw new Error(`results withheld: ${api1.reason}`);
      const card = resultFigures(await resultsCard(runId));
      const api = apiFigures(api1.value);
      let compared = 0;
      for (const [key, value] of card) {
        expect({ key, inApi: api.has(key) }).toEqual({ key, inApi: true });
        expect({ key, card: value, agrees: agree(value, api.get(key)!) }).toEqual({
          key,
          card: value,
          agrees: true,
        });
        compared++;
      }
      expect(compared).toBeGreaterThan(25);
      for (const key of ['q.tools.mean', 'q.tools.change', 'q.recommend.nps', 'f.digitales-arbeiten.index'])
        expect({ key, present: card.has(key) }).toEqual({ key, present: true });
      // The trend: the earlier run and this one, oldest first, both shown.
      expect(api1.value.trend.runs.map((r) => r.shown)).toEqual([true, true]);
      expect(api1.value.trend.runs.at(-1)!.runId).toBe(runId);
      const tools = api1.value.fieldIndex.find((f) => f.field === 'digitales-arbeiten')!;
      expect(api1.value.trend.fields.find((f) => f.field === 'digitales-arbeiten')!.values.at(-1)).toBe(
        tools.index,
      );
    }, 60_000);

    it('when the card suppresses a question or a district, then the JSON has no figure for it anywhere', () => {
      if (!api1.available) throw new Error('results withheld');
      const r = api1.value;
      const rare = r.questions.find((q) => q.questionId === 'rare')!;
      expect(rare).toMatchObject({
        hidden: 'too_few',
        answered: null,
        mean: null,
        nps: null,
        distribution: [],
      });
      const qIndex = r.questions.indexOf(rare);
      expect(numbersIn(rare)).toEqual([]);
      expect(r.heatmap.columns.map((c) => c.id)).not.toContain('q.rare');
      // No number under the suppressed question or the hidden districts, anywhere in the JSON.
      const paths = numbersIn(api1).map(([p]) => p);
      expect(paths.filter((p) => p.startsWith(`.value.questions[${qIndex}]`))).toEqual([]);
      for (const district of ['bergedorf', 'harburg']) {
        const row = r.heatmap.rows.find((x) => x.district === district)!;
        expect(row.hidden).not.toBe(false);
        expect(numbersIn(row)).toEqual([]);
      }
      // What the hidden districts total is not the total minus the shown ones.
      const shown = r.heatmap.rows.reduce((a, x) => a + (x.respondents ?? 0), 0);
      const rest = r.participation.respondents - shown;
      expect(rest === 0 || rest >= r.kMin).toBe(true);
    });

    it('when the officer downloads CSV and XLSX, then both hold exactly the export of the run', async () => {
      h.connector.clear();
      await h.send(message(officer, `export ${runId}`, h.serviceUrl));
      const link = /"url":"([^"]+)"/.exec(
        JSON.stringify(cardOf(h.connector.messagesIn(personalConversationId(officer)).at(-1))),
      )![1]!;
      const chatCsv = await (await fetch(`${h.botUrl}${new URL(link).pathname}`)).text();
      const csvRes = await fetch(`${h.botUrl}/api/tab/runs/${runId}/export?format=csv&lang=de`);
      expect(csvRes.status).toBe(200);
      expect(csvRes.headers.get('content-disposition')).toBe(`attachment; filename="puls-${runId}.csv"`);
      const csv = await csvRes.text();
      expect(csv).toBe(chatCsv);

      const xlsxRes = await fetch(`${h.botUrl}/api/tab/runs/${runId}/export?format=xlsx&lang=de`);
      expect(xlsxRes.status).toBe(200);
      const files = unzipSync(new Uint8Array(await xlsxRes.arrayBuffer()));
      expect(Object.keys(files).sort()).toEqual([
        '[Content_Types].xml',
        '_rels/.rels',
        'xl/_rels/workbook.xml.rels',
        'xl/styles.xml',
        'xl/workbook.xml',
        'xl/worksheets/sheet1.xml',
      ]);
      const sheet = strFromU8(files['xl/worksheets/sheet1.xml']!);
      const sheetRows = [...sheet.matchAll(/<row r="\d+">(.*?)<\/row>/g)].map((m) =>
        [
          ...m[1]!.matchAll(
            /<c r="([A-Z]+)\d+"[^>]*>(?:<v>([^<]*)<\/v>|<is><t[^>]*>([^<]*)<\/t><\/is>)<\/c>/g,
          ),
        ].map((c) => [c[1], c[2] ?? c[3]]),
      );
      const csvRows = csv
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n')
        .map((line) =>
          line
            .split(';')
            .map((c, i) => [String.fromCharCode(65 + i), c.replace(/^"|"$/g, '').replace(/""/g, '"')])
            .filter(([, c]) => c !== '')
            .map(([col, c]) => [col, /^-?\d+(,\d+)?$/.test(c!) ? c!.replace(',', '.') : c]),
        );
      const unescape = (s: string | undefined) =>
        s
          ?.replace(/&quot;/g, '"')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&amp;/g, '&');
      expect(sheetRows.map((r) => r.map(([c, v]) => [c, unescape(v)]))).toEqual(csvRows);
      expect(sheetRows.length).toBeGreaterThan(20);
    }, 60_000);
  });

  it('when the officer reminds an open run, then those who have not answered get one reminder, and only once', async () => {
    clock.set('2026-11-28T09:00:00Z');
    const runId = await startRun('2026-12-04');
    for (let i = 0; i < 10; i++) await answer(i, runId);
    h.connector.clear();
    expect(await api<RunActionResultView>(`runs/${runId}/remind`, 'POST')).toEqual({
      kind: 'reminding',
      reminded: 'started',
    });
    expect(await api<RunActionResultView>(`runs/${runId}/remind`, 'POST')).toEqual({
      kind: 'already_reminded',
    });
    await h.app.background.idle();
    const reminded = staff.filter(
      (s) => h.connector.messagesIn(personalConversationId(s.user)).length > 0,
    ).length;
    expect(reminded).toBe(staff.length - 10);
    expect(h.connector.messagesIn(personalConversationId(staff[0]!.user))).toHaveLength(0);
  }, 120_000);

  it('when an officer creates a draft from a template and edits it, then it is stored, validated like the survey files, and a stale save is refused', async () => {
    const send = async (method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) => {
      const res = await fetch(`${h.botUrl}/api/tab/${path}`, {
        method,
        headers: { 'x-puls-tab': '1', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as unknown };
    };
    const created = (await send('POST', 'drafts', { templateId: SURVEY.id })).body as SaveDraftResult;
    if (created.kind !== 'saved') throw new Error(`not saved: ${JSON.stringify(created)}`);
    const draft = created.draft;
    expect(draft.definition).toMatchObject({ id: `${SURVEY.id}-entwurf`, title: SURVEY.title });
    expect(draft.templateId).toBe(SURVEY.id);
    const library = await api<SurveyLibraryView>('surveys/library');
    expect(library.authoringAvailable).toBe(true);
    expect(library.drafts.map((d) => d.draftId)).toEqual([draft.draftId]);

    // Invalid: a likert question without its field of action, as the file loader would refuse it.
    const def = structuredClone(draft.definition) as { questions: Record<string, unknown>[] };
    delete def.questions[0]!.field;
    const invalid = (await send('PUT', `drafts/${draft.draftId}`, { definition: def, etag: draft.etag }))
      .body as SaveDraftResult;
    expect(invalid.kind).toBe('invalid');
    expect(invalid.kind === 'invalid' && invalid.issues[0]!.path).toBe('questions.0.field');

    const edited = structuredClone(draft.definition) as { title: { de: string; en: string } };
    edited.title.de = 'Tabtest, überarbeitet';
    const saved = (await send('PUT', `drafts/${draft.draftId}`, { definition: edited, etag: draft.etag }))
      .body as SaveDraftResult;
    expect(saved.kind).toBe('saved');
    // The old ETag no longer matches: someone (here: the same officer) saved in between.
    const stale = (await send('PUT', `drafts/${draft.draftId}`, { definition: edited, etag: draft.etag }))
      .body as SaveDraftResult;
    expect(stale).toEqual({ kind: 'stale' });
    const stored = await api<{ definition: { title: { de: string } } }>(`drafts/${draft.draftId}`);
    expect(stored.definition.title.de).toBe('Tabtest, überarbeitet');

    expect((await send('DELETE', `drafts/${draft.draftId}`)).status).toBe(200);
    expect((await fetch(`${h.botUrl}/api/tab/drafts/${draft.draftId}`)).status).toBe(404);
  }, 60_000);
});
