// The attacker of the privacy model, played against real Azurite after realistic traffic: two runs,
// 40 people in three districts, changed answers, reminders, named and anonymous ideas, supports.
// First as someone who can read every table while a run is open (no keys); then, after the runs
// have closed and the ideas reached a final status, as an operator holding every table AND
// PSEUDONYM_KEY. Neither may link any answer or anonymous idea to a person — not by joining on the
// server Timestamp, not by keys, not by any column.
import { createHmac, hkdfSync } from 'node:crypto';
import { ManualClock } from '../../src/clock';
import { KEY_PURPOSES, PrivacyKeys, pseudonymOf, type KeyPurpose } from '../../src/privacy/keys';
import { DISTRICTS } from '../../src/domain/vocabulary';
import { answerData, bankOf, TEST_SURVEY } from '../support/fixtures';
import { startHarness, TEST_PSEUDONYM_KEY, type Harness } from '../support/harness';
import { dumpTables, type RawRow } from '../support/tables';
import { installPersonal, makeUser, personalConversationId, type TeamsUser } from '../support/teams';
import { cardText } from '../support/connector';

/** When each sensitive act happened (wall time of its request), and whose it was. */
interface Act {
  kind: 'answer' | 'anonymousIdea' | 'support';
  user: TeamsUser;
  from: number;
  to: number;
}

/** The old participation flag followed an answer within ~200 ms: a window wider than that. */
const LINK_WINDOW_MS = 750;

describe('the privacy model against someone holding the database', () => {
  let h: Harness;
  const clock = new ManualClock('2026-11-23T09:00:00Z');
  const officer = makeUser('Oskar Officer');
  const people: { user: TeamsUser; district: (typeof DISTRICTS)[number]; reminders: boolean }[] = [];
  const acts: Act[] = [];
  let runA: string;
  let runB: string;
  const ideaIds: Record<string, string> = {};

  const identifiersOf = (u: TeamsUser) => [u.aadObjectId, u.id, u.name, personalConversationId(u)];
  const everyone = () => [officer, ...people.map((p) => p.user)];

  async function timed(kind: Act['kind'], user: TeamsUser, verb: string, data: Record<string, unknown>) {
    const from = Date.now();
    const card = await h.invoke(user, verb, data);
    acts.push({ kind, user, from, to: Date.now() });
    return card;
  }

  /** Rows that name a person in clear: any key or column holding one of their identifiers. */
  function personRows(rows: RawRow[]): { row: RawRow; user: TeamsUser }[] {
    const out: { row: RawRow; user: TeamsUser }[] = [];
    for (const row of rows) {
      const text = `${row.partitionKey}\n${row.rowKey}\n${JSON.stringify(row.columns)}`;
      for (const u of everyone()) {
        if (identifiersOf(u).some((id) => text.includes(id) || text.includes(encodeURIComponent(id)))) {
          out.push({ row, user: u });
        }
      }
    }
    return out;
  }

  /**
   * The attack on Timestamps: a row naming a person, written while (or just after) an act of that
   * same person — what joining an answer's Timestamp with a person's rows would find if Puls wrote
   * anything about someone when they answer (the old participation flag followed within 200 ms).
   */
  function timestampLinks(rows: RawRow[]): string[] {
    const named = personRows(rows);
    const links: string[] = [];
    for (const act of acts) {
      for (const { row, user } of named) {
        if (user !== act.user) continue;
        if (row.timestamp >= act.from - 5 && row.timestamp <= act.to + LINK_WINDOW_MS) {
          links.push(`${act.kind} of ${act.user.name} ~ ${row.table} row of ${user.name}`);
        }
      }
    }
    return links;
  }

  beforeAll(async () => {
    h = await startHarness({
      clock,
      questionBank: bankOf(TEST_SURVEY),
      env: { OFFICER_AAD_IDS: officer.aadObjectId },
    });
    const layout: [(typeof DISTRICTS)[number], number][] = [
      ['altona', 15],
      ['wandsbek', 13],
      ['harburg', 12],
    ];
    for (const [district, n] of layout) {
      for (let i = 0; i < n; i++) {
        people.push({ user: makeUser(`${district} ${i}`), district, reminders: i % 4 !== 0 });
      }
    }
    for (const u of [officer, ...people.map((p) => p.user)]) await h.send(installPersonal(u, h.serviceUrl));
    await h.invoke(officer, 'settings.save', { language: 'de', district: 'hamburg-nord', reminders: 'true' });
    for (const p of people) {
      await h.invoke(p.user, 'settings.save', {
        language: 'de',
        district: p.district,
        reminders: String(p.reminders),
      });
    }
    const start = async (districts: string, closesAt: string) => {
      const card = await h.invoke(officer, 'run.start', { surveyId: TEST_SURVEY.id, closesAt, districts });
      await h.app.background.idle();
      return /testumfrage-\d{4}-[a-z0-9]{4}/.exec(cardText(card))![0];
    };
    runA = await start('', '2026-12-07');
    runB = await start('altona,wandsbek', '2026-12-14');

    // Answers: most answer A, half of A's respondents answer B, five change their answer of A.
    const answer = (p: (typeof people)[number], runId: string, i: number) =>
      timed(
        'answer',
        p.user,
        `survey.answer:${runId}`,
        answerData({
          q_tools: String((i % 5) + 1),
          q_recommend: String(i % 11),
          q_mode: ['office', 'mobile', 'mixed'][i % 3],
          q_comment: i % 2 === 0 ? `Freitext Nummer ${i}` : '',
        }),
      );
    for (const [i, p] of people.slice(0, 28).entries()) await answer(p, runA, i);
    for (const [i, p] of people
      .filter((p) => p.district !== 'harburg')
      .slice(0, 14)
      .entries())
      await answer(p, runB, i + 3);
    for (const [i, p] of people.slice(0, 5).entries()) await answer(p, runA, i + 2);

    // Reminders at half time, then more answers after them.
    clock.set('2026-11-30T12:00:00Z');
    await h.app.reminders.sendDue();
    for (const [i, p] of people.slice(28, 34).entries()) await answer(p, runA, i + 7);

    // People do not submit an idea the very moment they answered: a pause, so that a named idea's
    // own row (which names its author) is not written inside the window of that author's answer.
    await new Promise((resolve) => setTimeout(resolve, LINK_WINDOW_MS + 250));
    // Ideas: a person with a named and an anonymous idea, another anonymous one, supports, reviews.
    const submitAnonymously = (u: TeamsUser, title: string) =>
      timed('anonymousIdea', u, 'idea.submit', {
        title,
        description: `Beschreibung von ${title}`,
        field: 'digitales-arbeiten',
        district: '',
        anonymous: 'true',
        confirm: 'true',
      });
    const [x, y] = [people[3]!.user, people[20]!.user];
    await h.invoke(x, 'idea.submit', {
      title: 'Benannte Idee von X',
      description: 'Mit Namen',
      field: 'sonstiges',
      district: '',
      anonymous: 'false',
      confirm: 'true',
    });
    await submitAnonymously(x, 'Anonyme Idee von X');
    await submitAnonymously(x, 'Zweite anonyme Idee von X');
    await submitAnonymously(y, 'Anonyme Idee von Y');
    for (const idea of (await h.app.ideas.list({}, 'newest', undefined)).ideas)
      ideaIds[idea.title] = idea.ideaId;
    for (const p of people.slice(10, 22)) {
      await timed('support', p.user, 'idea.support', {
        ideaId: ideaIds['Anonyme Idee von X']!,
        want: 'true',
      });
      await timed('support', p.user, 'idea.support', {
        ideaId: ideaIds['Anonyme Idee von Y']!,
        want: 'true',
      });
    }
    // X's first anonymous idea goes all the way (final); Y's stays open.
    const review = (ideaId: string, from: string, status: string) =>
      h.invoke(officer, `idea.status:${ideaId}:${from}`, { status, feedback: 'Danke' });
    await review(ideaIds['Anonyme Idee von X']!, 'submitted', 'accepted');
    await review(ideaIds['Anonyme Idee von X']!, 'accepted', 'implemented');
  }, 120_000);
  afterAll(() => h.stop());

  describe('while the runs are open, someone who can read every table (no keys)', () => {
    let rows: RawRow[];
    beforeAll(async () => {
      rows = await dumpTables(h.app.store);
    });

    it('when rows are joined on the server Timestamp, then nothing naming a person was written as anyone answered, submitted anonymously or supported', () => {
      expect(acts.filter((a) => a.kind === 'answer').length).toBeGreaterThan(40);
      expect(timestampLinks(rows)).toEqual([]);
    });

    it('when the responses are searched for anything that names or recurs with a person, then there is nothing', () => {
      const responses = rows.filter((r) => r.table === 'responses');
      expect(responses.length).toBe(34 + 14);
      for (const r of responses) {
        expect(Object.keys(r.columns).sort()).toEqual(['answers', 'district']);
        expect(r.rowKey).toMatch(/^[0-9a-f]{64}$/);
      }
      const text = JSON.stringify(responses);
      for (const u of everyone()) for (const id of identifiersOf(u)) expect(text).not.toContain(id);
      // A person's two responses (runs A and B) share no key.
      const keysA = new Set(responses.filter((r) => r.partitionKey.startsWith(runA)).map((r) => r.rowKey));
      expect(responses.filter((r) => r.partitionKey.startsWith(runB)).some((r) => keysA.has(r.rowKey))).toBe(
        false,
      );
    });

    it('when the idea tables are searched, then an anonymous idea shares no value with any other idea or row of its submitter', () => {
      const ideas = rows.filter((r) => r.table === 'ideas');
      const anonymous = ideas.filter((r) => r.columns.anonymous === true);
      expect(anonymous).toHaveLength(3);
      const describing = new Set([
        'title',
        'description',
        'field',
        'district',
        'status',
        'anonymous',
        'supportCount',
        'createdAt',
        'updatedAt',
        'submitterGone',
        'submitterName',
      ]);
      for (const idea of anonymous) {
        // No column that could recur across a person's ideas (the old submitterKey did).
        expect(
          Object.keys(idea.columns).filter((c) => !describing.has(c) && !c.endsWith('@odata.type')),
        ).toEqual([]);
        expect(idea.columns.submitterName).toBe('');
      }
      // The owner links are sealed one by one: X's two anonymous ideas and her named one look unrelated.
      const owners = rows.filter((r) => r.table === 'ideaowners');
      const sealed = owners.map((r) => String(r.columns.sealedUserId));
      expect(new Set(sealed).size).toBe(sealed.length);
      for (const u of everyone())
        for (const id of identifiersOf(u)) expect(JSON.stringify(owners)).not.toContain(id);
    });
  });

  describe('after the runs closed, an operator with every table and PSEUDONYM_KEY', () => {
    let rows: RawRow[];
    let sealedFrom: number;
    beforeAll(async () => {
      await h.app.surveys.closeRun(runA); // closed early; B closes by its date
      clock.set('2026-12-15T09:00:00Z');
      sealedFrom = Date.now();
      expect((await h.app.sealer.sealDue()).sort()).toEqual([runA, runB].sort());
      rows = await dumpTables(h.app.store);
    });

    it('when every pseudonym is recomputed with the key, every derived key and every secret left, then no response matches anyone', () => {
      const responseKeys = new Set(rows.filter((r) => r.table === 'responses').map((r) => r.rowKey));
      expect(responseKeys.size).toBe(34 + 14);
      const keys = new PrivacyKeys(TEST_PSEUDONYM_KEY);
      const derived = KEY_PURPOSES.map((p) =>
        Buffer.from(
          hkdfSync('sha256', Buffer.from(TEST_PSEUDONYM_KEY), 'puls-hkdf-salt-v1', `puls/${p}/v1`, 32),
        ),
      );
      // Every secret still stored, opened with every purpose key in every plausible context.
      const secrets: Buffer[] = [];
      for (const r of rows.filter((r) => r.table === 'secrets')) {
        for (const purpose of KEY_PURPOSES as readonly KeyPurpose[]) {
          for (const context of [`${r.partitionKey}:${r.rowKey}`, r.rowKey, runA, runB]) {
            const opened = keys.open(purpose, String(r.columns.sealed), context);
            if (opened) secrets.push(opened);
          }
        }
      }
      const candidates = (runId: string, userId: string) => [
        createHmac('sha256', TEST_PSEUDONYM_KEY).update(`${runId}\u001f${userId}`).digest('hex'),
        ...derived.map((k) => createHmac('sha256', k).update(`${runId}\u001f${userId}`).digest('hex')),
        ...derived.map((k) => pseudonymOf(k, userId)),
        ...secrets.map((s) => pseudonymOf(s, userId)),
      ];
      for (const u of everyone()) {
        for (const runId of [runA, runB]) {
          for (const c of candidates(runId, u.aadObjectId)) expect(responseKeys.has(c)).toBe(false);
        }
      }
      // The runs' secrets themselves are gone.
      expect(rows.filter((r) => r.table === 'secrets' && r.partitionKey === 'run')).toEqual([]);
    });

    it('when rows are joined on the Timestamp, then the responses carry no time of answering any more', () => {
      for (const r of rows.filter((r) => r.table === 'responses'))
        expect(r.timestamp).toBeGreaterThanOrEqual(sealedFrom - 5);
      expect(timestampLinks(rows)).toEqual([]);
      // Who had not answered when the reminders went out is not kept either.
      expect(rows.filter((r) => r.table === 'deliveries' && r.partitionKey.includes('~reminder'))).toEqual(
        [],
      );
    });

    it('when the final anonymous idea is attacked with the key, then neither its submitter nor its supporters can be found', () => {
      const finalId = ideaIds['Anonyme Idee von X']!;
      expect(rows.some((r) => r.table === 'ideaowners' && r.rowKey === finalId)).toBe(false);
      expect(rows.some((r) => r.table === 'secrets' && r.rowKey === finalId)).toBe(false);
      const keys = new PrivacyKeys(TEST_PSEUDONYM_KEY);
      // Every owner link still stored opens to someone else's idea, never to this one.
      for (const r of rows.filter((r) => r.table === 'ideaowners')) {
        expect(keys.open('idea-owners', String(r.columns.sealedUserId), finalId)).toBeUndefined();
      }
      const supports = new Set(
        rows.filter((r) => r.table === 'ideasupports' && r.partitionKey === finalId).map((r) => r.rowKey),
      );
      expect(supports.size).toBe(12);
      const secrets = rows
        .filter((r) => r.table === 'secrets')
        .map((r) => keys.open('supports', String(r.columns.sealed), `${r.partitionKey}:${r.rowKey}`))
        .filter((s): s is Buffer => s !== undefined);
      for (const u of everyone()) {
        for (const s of secrets) expect(supports.has(pseudonymOf(s, u.aadObjectId))).toBe(false);
      }
    });
  });
});
