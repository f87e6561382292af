// One disclosure, every surface: the same runs are shown through `ergebnisse`, the digest preview,
// the channel digest and the CSV export, and each surface's figures are read back (cards by their
// figure ids, the CSV by its rows). They must be identical, hidden in the same places, the same on
// every view — and no sequence of views (after each single new answer, across districts and
// questions, open → closed) may let a test recover one person's answer by subtraction.
import { ManualClock } from '../../src/clock';
import { surveySchema, type Survey } from '../../src/surveys/definition';
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
  id: 'flaechen',
  version: 1,
  title: t('Flächentest', 'Surface test'),
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
    {
      id: 'formats',
      type: 'multi',
      field: 'zusammenarbeit-vernetzung',
      text: t('Welche Formate nutzen Sie?'),
      choices: [
        { id: 'chat', label: t('Chat') },
        { id: 'wiki', label: t('Wiki') },
        { id: 'video', label: t('Video') },
      ],
      min: 1,
      max: 2,
    },
    { id: 'recommend', type: 'nps', field: 'digitale-kompetenzen', text: t('Würden Sie Puls empfehlen?') },
    {
      id: 'comment',
      type: 'text',
      field: 'sonstiges',
      text: t('Was möchten Sie noch sagen?'),
      required: false,
      maxLength: 200,
    },
  ],
});

/** The CSV's figures under the cards' ids (NPS answers summed into the cards' three groups). */
function csvFigures(csv: string): Figures {
  const out: Figures = new Map();
  const num = (cell: string | undefined) =>
    cell === undefined || cell === '' ? undefined : Number(cell.replace(',', '.'));
  const labelKey = new Map<string, string>([['keine Angabe', '0']]);
  for (const q of SURVEY.questions)
    if (q.type === 'single' || q.type === 'multi')
      for (const c of q.choices) labelKey.set(`${q.id}/${c.label.de}`, c.id);
  const fieldOf = new Map<string, string>();
  const lines = csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .slice(1);
  for (const line of lines) {
    const cells = line.split(';').map((c) => c.replace(/^"|"$/g, '').replace(/""/g, '"'));
    const [section, id, text, type, item, count, mean, nps, index, change] = cells;
    if (section === 'Umfrage' && item === 'Teilnehmende' && count) out.set('p.respondents', num(count)!);
    if (section === 'Frage' && item === 'gesamt') {
      out.set(`q.${id}.answered`, num(count)!);
      if (num(mean) !== undefined) out.set(`q.${id}.mean`, num(mean)!);
      if (num(nps) !== undefined) out.set(`q.${id}.nps`, num(nps)!);
      if (num(change) !== undefined) out.set(`q.${id}.change`, num(change)!);
    } else if (section === 'Frage' && item && count !== '') {
      if (type === 'nps') {
        const v = Number(item);
        const g = v <= 6 ? 'g0-6' : v <= 8 ? 'g7-8' : 'g9-10';
        out.set(`q.${id}.n.${g}`, ((out.get(`q.${id}.n.${g}`) as number | undefined) ?? 0) + num(count)!);
      } else {
        out.set(`q.${id}.n.${labelKey.get(`${id}/${item}`) ?? labelKey.get(item) ?? item}`, num(count)!);
      }
    }
    if (section === 'Handlungsfeld') {
      fieldOf.set(text!, id!);
      if (num(index) !== undefined) out.set(`f.${id}.index`, num(index)!);
    }
    if (section === 'Bezirk') {
      if (item === 'Teilnehmende') out.set(`d.${id}.respondents`, num(count) ?? 'hidden');
      else if (num(nps) !== undefined) out.set(`d.${id}.q.${item}.nps`, num(nps)!);
      else if (num(index) !== undefined && fieldOf.has(item!))
        out.set(`d.${id}.f.${fieldOf.get(item!)}`, num(index)!);
    }
  }
  return out;
}

describe('one disclosure, every surface', () => {
  let h: Harness;
  const clock = new ManualClock('2026-11-23T09:00:00Z');
  const officer = makeUser('Sabine Surface');
  const team = makeTeam('Digitalisierungsbeauftragte');
  const staff: { user: TeamsUser; district: string }[] = [];

  const ask = async (text: string) => {
    h.connector.clear();
    await h.send(message(officer, text, h.serviceUrl));
    return cardOf(h.connector.messagesIn(personalConversationId(officer)).at(-1));
  };
  const startRun = async (closesAt: string) => {
    const card = await h.invoke(officer, 'run.start', { surveyId: SURVEY.id, closesAt, districts: '' });
    await h.app.background.idle();
    return /flaechen-\d{4}-[a-z0-9]{4}/.exec(JSON.stringify(card))![0];
  };
  const answer = (i: number, runId: string, shift = 0) =>
    h.invoke(staff[i]!.user, `survey.answer:${runId}`, {
      q_tools: String(i % 7 === 0 ? 0 : ((i + shift) % 5) + 1),
      q_skills: i % 3 === 0 ? '' : String(((i + shift) % 4) + 2),
      q_rare: i < 3 ? '4' : '',
      q_mode: ['office', 'mobile', 'mixed'][(i + shift) % 3],
      q_formats: ['chat', 'wiki', 'video', 'chat,wiki'][i % 4],
      q_recommend: String((i * 3 + shift) % 11),
      q_comment: i % 2 === 0 ? `Hinweis ${i}` : '',
    });

  /** Every surface's figures of the run, read back. */
  async function surfaces(
    runId: string,
  ): Promise<Record<'results' | 'preview' | 'channel' | 'csv', Figures>> {
    const results = cardFigures(await ask(`ergebnisse ${runId}`));
    const preview = await ask('digest');
    h.connector.clear();
    await h.send(message(officer, 'digest senden', h.serviceUrl));
    // After the week's first post, Puls asks before posting again: confirm.
    if (!h.connector.calls.some((c) => c.kind === 'createConversation')) {
      await h.invoke(officer, 'digest.send', { again: 'yes' });
    }
    const posted = h.connector.calls.find((c) => c.kind === 'createConversation');
    const exportCard = await ask(`export ${runId}`);
    const url = /"url":"([^"]+)"/.exec(JSON.stringify(exportCard))![1]!;
    const csv = await (await fetch(`${h.botUrl}${new URL(url).pathname}`)).text();
    // The digest lists runs newest first: the run under test is always the newest (r0).
    return {
      results,
      preview: cardFigures(preview, 'r0.'),
      channel: cardFigures(cardOf(posted), 'r0.'),
      csv: csvFigures(csv),
    };
  }

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

  it('when a run is open, then after every single new answer each surface shows participation only — nothing to subtract', async () => {
    const runId = await startRun('2026-11-24');
    let previous = 0;
    for (let i = 0; i < 8; i++) {
      await answer(i, runId);
      const views = await surfaces(runId);
      for (const [surface, figures] of Object.entries(views)) {
        const keys = [...figures.keys()].filter((k) => !k.startsWith('p.'));
        expect({ surface, keys }).toEqual({ surface, keys: [] });
        if (figures.has('p.respondents')) expect(figures.get('p.respondents')).toBe(i + 1);
      }
      expect(i + 1).toBeGreaterThan(previous);
      previous = i + 1;
    }
  }, 120_000);

  describe('once runs have closed', () => {
    let views: Awaited<ReturnType<typeof surfaces>>;
    let runId: string;
    beforeAll(async () => {
      // A previous run of the same survey (closed, final), then the one under test.
      clock.set('2026-11-25T09:00:00Z');
      const previous = await startRun('2026-11-26');
      for (let i = 0; i < staff.length; i++) await answer(i, previous, 2);
      clock.set('2026-11-27T09:00:00Z');
      runId = await startRun('2026-11-28');
      for (let i = 0; i < staff.length; i++) await answer(i, runId);
      // Monday: the digest covers last week (Monday to Sunday), when these runs closed.
      clock.set('2026-11-30T09:00:00Z');
      await h.app.sealer.sealDue();
      views = await surfaces(runId);
    }, 120_000);

    it('when the four surfaces are read back, then every figure they share is identical', () => {
      const names = Object.keys(views) as (keyof typeof views)[];
      let compared = 0;
      for (const a of names) {
        for (const b of names) {
          if (a >= b) continue;
          for (const [key, value] of views[a]) {
            if (!views[b].has(key)) continue;
            compared++;
            expect({ key, [a]: value, agrees: agree(value, views[b].get(key)!) }).toEqual({
              key,
              [a]: value,
              agrees: true,
            });
          }
        }
      }
      expect(compared).toBeGreaterThan(50);
      // The figures every surface must carry (the digest leaves distributions out when three runs
      // would not fit one card; the results card and the CSV always have them).
      const everywhere = [
        'p.respondents',
        'q.tools.mean',
        'q.skills.mean',
        'q.recommend.nps',
        'f.digitales-arbeiten.index',
        'd.altona.respondents',
      ];
      for (const [surface, f] of Object.entries(views)) {
        const required =
          surface === 'results' || surface === 'csv'
            ? [...everywhere, 'q.mode.n.office', 'q.formats.n.wiki']
            : everywhere;
        for (const key of required)
          expect({ surface, key, present: f.has(key) }).toEqual({ surface, key, present: true });
      }
      expect(views.results.get('q.tools.change')).toBeDefined();
    });

    it('when a question has fewer than K answers or a district is small, then every surface hides it, and the hidden part is not the total minus the shown ones', () => {
      for (const [surface, f] of Object.entries(views)) {
        // "rare" was answered by three people: hidden everywhere, in every form.
        expect({ surface, rare: [...f.keys()].filter((k) => k.includes('.rare.')) }).toEqual({
          surface,
          rare: [],
        });
        // Bergedorf (2) is hidden, and with it the next smallest, so that 32 − shown ≥ K.
        expect(f.get('d.bergedorf.respondents') ?? 'hidden').toBe('hidden');
        const shown = ['altona', 'wandsbek', 'harburg', 'bergedorf']
          .map((d) => f.get(`d.${d}.respondents`))
          .filter((n): n is number => typeof n === 'number');
        if (shown.length === 0) continue;
        const rest = (f.get('p.respondents') as number) - shown.reduce((a, b) => a + b, 0);
        expect(rest === 0 || rest >= 5).toBe(true);
      }
    });

    it('when the officer looks again — twice, after a preview, after the channel digest — then every figure is the same', async () => {
      const again = await surfaces(runId);
      for (const surface of Object.keys(views) as (keyof typeof views)[]) {
        expect([...again[surface]].sort()).toEqual([...views[surface]].sort());
      }
    }, 120_000);
  });
});
