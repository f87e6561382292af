// Publishing surveys from the tab: version rows in Table Storage (Azurite), read by the question bank of
// every instance. A published survey is numbered per survey, concurrent publications get distinct
// versions, a built-in survey's id is refused, a restarted or second instance offers (and starts) what
// another published, and a run keeps the version it froze when a newer one is published.
import { ManualClock } from '../../src/clock';
import { PublishedSurveyRepository } from '../../src/storage/published-survey-repository';
import type { TableStore } from '../../src/storage/tables';
import type {
  RunListView,
  SaveDraftResult,
  StartRunResultView,
  SurveyLibraryView,
  SurveyOptionView,
} from '../../src/tab/view-types';
import { answerData, bankOf, TEST_SURVEY } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { createTestStore, uniquePrefix } from '../support/storage';
import { installPersonal, makeUser } from '../support/teams';

type Definition = {
  id: string;
  version: number;
  title: { de: string; en: string };
  questions: { text: { de: string } }[];
};

describe('PublishedSurveyRepository (Azurite)', () => {
  let store: TableStore;
  beforeAll(async () => {
    store = await createTestStore();
  });
  afterAll(() => store.dropTables());

  const publish = (repo: PublishedSurveyRepository, surveyId: string, draftId: string) =>
    repo.publish({
      surveyId,
      definition: (version) => ({ id: surveyId, version }),
      draftId,
      publishedAt: new Date('2026-11-23T09:00:00Z'),
      publishedBy: 'Test',
    });

  it('when a survey is published three times, then it has versions 1, 2 and 3, each row as written', async () => {
    const repo = new PublishedSurveyRepository(store);
    const versions = [];
    for (let i = 0; i < 3; i++) versions.push((await publish(repo, 'serie', 'd1')).version);
    expect(versions).toEqual([1, 2, 3]);
    expect(await repo.latestVersion('serie')).toBe(3);
    expect((await repo.get('serie', 2))?.definition).toEqual({ id: 'serie', version: 2 });
    expect((await repo.list()).filter((v) => v.surveyId === 'serie').map((v) => v.version)).toEqual([
      1, 2, 3,
    ]);
  });

  it('when six officers publish the same survey at once (two repositories), then each gets a version of its own', async () => {
    const a = new PublishedSurveyRepository(store);
    const b = new PublishedSurveyRepository(store);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => publish(i % 2 ? a : b, 'gleichzeitig', `d${i}`)),
    );
    const versions = results.map((r) => r.version).sort((x, y) => x - y);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
    // Every row holds the definition of the publication that claimed it.
    for (const r of results) {
      const row = await a.get('gleichzeitig', r.version);
      expect(row).toMatchObject({ draftId: r.draftId, definition: { version: r.version } });
    }
  });
});

describe('publishing in the tab, on two instances and after a restart (Azurite, the bot over HTTP)', () => {
  const prefix = uniquePrefix();
  const clock = new ManualClock('2026-11-23T09:00:00Z');
  const officer = makeUser('Petra Publish');
  const staff = Array.from({ length: 5 }, (_, i) => makeUser(`Person ${i}`));
  const env = { TABLE_PREFIX: prefix, OFFICER_AAD_IDS: officer.aadObjectId };
  let a: Harness;
  let b: Harness;

  const call = async <T>(h: Harness, method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${h.botUrl}/api/tab/${path}`, {
      method,
      headers: { 'x-puls-tab': '1', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const saved = (r: SaveDraftResult) => {
    if (r.kind !== 'saved' && r.kind !== 'published') throw new Error(`not saved: ${JSON.stringify(r)}`);
    return r;
  };
  const start = (h: Harness, surveyId: string) =>
    call<StartRunResultView>(h, 'POST', 'runs', { surveyId, closesOn: '2026-11-30', districts: [] });

  beforeAll(async () => {
    a = await startHarness({ env, clock, questionBank: bankOf(TEST_SURVEY) });
    b = await startHarness({ env, clock, questionBank: bankOf(TEST_SURVEY) });
    for (const u of staff) await a.send(installPersonal(u, a.serviceUrl));
  }, 60_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
  });

  it('when an officer publishes a draft on A, then B starts it, a newer version leaves the run as it was, and a restarted instance still offers it', async () => {
    // A draft from the built-in template gets an id of its own; the built-in id is refused.
    const draft = saved(await call(a, 'POST', 'drafts', { templateId: TEST_SURVEY.id })).draft;
    const definition = structuredClone(draft.definition) as Definition;
    expect(definition.id).not.toBe(TEST_SURVEY.id);
    const builtIn = await call<SaveDraftResult>(a, 'PUT', `drafts/${draft.draftId}`, {
      definition: { ...definition, id: TEST_SURVEY.id },
      etag: draft.etag,
    });
    expect(builtIn).toMatchObject({ kind: 'invalid', issues: [{ path: 'id', code: 'builtin' }] });
    // Schema problems come as codes with a path, which the tab words in the officer's language.
    const broken = structuredClone(definition);
    broken.title.de = ' ';
    broken.questions[0]!.text.de = 'x'.repeat(301);
    const invalid = await call<SaveDraftResult>(a, 'PUT', `drafts/${draft.draftId}`, {
      definition: broken,
      etag: draft.etag,
    });
    if (invalid.kind !== 'invalid') throw new Error(`not refused: ${JSON.stringify(invalid)}`);
    expect(invalid.issues.map(({ path, code, limit }) => ({ path, code, limit }))).toEqual([
      { path: 'title.de', code: 'required', limit: 1 },
      { path: 'questions.0.text.de', code: 'too_long', limit: 300 },
    ]);

    definition.questions[0]!.text.de = 'Fassung eins';
    const v1draft = saved(
      await call(a, 'PUT', `drafts/${draft.draftId}`, { definition, etag: draft.etag }),
    ).draft;
    const v1 = await call<SaveDraftResult>(a, 'POST', `drafts/${draft.draftId}/publish`);
    expect(v1).toMatchObject({ kind: 'published', surveyId: definition.id, version: 1 });

    // Instance B never saw the publication: its bank reads it from storage.
    const options = await call<SurveyOptionView[]>(b, 'GET', 'surveys');
    expect(options.map((o) => [o.surveyId, o.version])).toEqual([
      [TEST_SURVEY.id, TEST_SURVEY.version],
      [definition.id, 1],
    ]);
    const started = await start(b, definition.id);
    if (started.kind !== 'started') throw new Error(`not started: ${JSON.stringify(started)}`);
    const runId = started.run.runId;
    await b.app.background.idle();

    // Version 2 on A: new runs get it, the open run keeps version 1 (its definition was frozen).
    definition.questions[0]!.text.de = 'Fassung zwei';
    saved(await call(a, 'PUT', `drafts/${draft.draftId}`, { definition, etag: v1draft.etag }));
    const v2 = await call<SaveDraftResult>(a, 'POST', `drafts/${draft.draftId}/publish`);
    expect(v2).toMatchObject({ kind: 'published', version: 2 });
    const later = await start(b, definition.id);
    if (later.kind !== 'started') throw new Error(`not started: ${JSON.stringify(later)}`);
    const first = (await b.app.surveys.getRun(runId))!;
    const second = (await a.app.surveys.getRun(later.run.runId))!;
    expect([first.survey.version, first.survey.questions[0]!.text.de]).toEqual([1, 'Fassung eins']);
    expect([second.survey.version, second.survey.questions[0]!.text.de]).toEqual([2, 'Fassung zwei']);
    // An answer to the first run is validated against the version it froze.
    const answered = await a.invoke(staff[0]!, `survey.answer:${runId}`, answerData({ q_tools: '2' }));
    // The thank-you card shows the answers under the first version's question text.
    const thanks = JSON.stringify(answered);
    expect(thanks).toContain('Danke');
    expect(thanks).toContain('Fassung eins');
    expect(thanks).not.toContain('Fassung zwei');

    const library = await call<SurveyLibraryView>(a, 'GET', 'surveys/library');
    expect(library.publishingAvailable).toBe(true);
    expect(library.templates.map((t) => t.surveyId)).toEqual([TEST_SURVEY.id]);
    expect(library.published).toMatchObject([
      {
        surveyId: definition.id,
        version: 2,
        versions: [1, 2],
        draftId: draft.draftId,
        publishedBy: expect.stringMatching(/Beauftragte/),
      },
    ]);
    expect(library.drafts[0]!.publishedVersions).toEqual([1, 2]);

    // A survey from scratch: a valid one-question draft under an id of its own, publishable at once.
    const blank = saved(await call(a, 'POST', 'drafts', {})).draft;
    expect(blank.definition).toMatchObject({
      id: expect.stringMatching(/^umfrage-/),
      questions: [{ type: 'likert5' }],
    });
    expect(await call(a, 'POST', `drafts/${blank.draftId}/publish`)).toMatchObject({
      kind: 'published',
      version: 1,
    });

    // A restart: a new app on the same tables offers version 2 and starts it.
    await b.stop();
    b = await startHarness({ env, clock, questionBank: bankOf(TEST_SURVEY) });
    const after = await call<SurveyOptionView[]>(b, 'GET', 'surveys');
    expect(after.find((o) => o.surveyId === definition.id)?.version).toBe(2);
    const third = await start(b, definition.id);
    expect(third.kind).toBe('started');
    await b.app.background.idle();
    await a.app.background.idle();
    const runs = await call<RunListView>(b, 'GET', 'runs');
    expect(runs.runs.filter((r) => r.surveyId === definition.id)).toHaveLength(3);
  }, 120_000);
});
