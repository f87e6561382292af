// Merging a duplicate idea into another (#13), against the real app (Azurite, the bot and the tab's
// API over HTTP): supports are carried over once per person (someone who supported both counts
// once), a retried merge counts nothing twice, concurrent merges neither lose nor double a support
// nor build a cycle, the refusals (into itself, into a merged idea, chains, closed ideas), the
// submitter's news card in their language, the followers' news, and the privacy rule that no row
// ties the duplicate to the target's supports.
import { ManualClock } from '../../src/clock';
import { ideaNewsJobId } from '../../src/ideas/idea-news';
import type { MergeIdeaResult } from '../../src/tab/view-types';
import { cardOf, cardText } from '../support/connector';
import { startHarness, type Harness } from '../support/harness';
import { dumpTables } from '../support/tables';
import { installPersonal, makeUser, personalConversationId, type TeamsUser } from '../support/teams';
import { waitUntil } from '../support/wait';

const OFFICER = makeUser('Otto Officer');

describe('merging a duplicate idea', () => {
  let h: Harness;
  const clock = new ManualClock('2026-11-23T09:00:00Z');
  let n = 0;

  async function install(user: TeamsUser, language = 'de') {
    await h.send(installPersonal(user, h.serviceUrl));
    await h.invoke(user, 'settings.save', { language, district: 'altona', reminders: 'true' });
  }

  async function people(prefix: string, count: number): Promise<TeamsUser[]> {
    const out: TeamsUser[] = [];
    for (let i = 0; i < count; i++) {
      const u = makeUser(`${prefix} ${++n}`);
      await install(u);
      out.push(u);
    }
    return out;
  }

  async function submit(author: TeamsUser, title: string, anonymous = false): Promise<string> {
    clock.advance(1000);
    const card = await h.invoke(author, 'idea.submit', {
      title,
      description: `${title}: so würde es gehen, und so hilft es allen.`,
      field: 'sonstiges',
      district: 'altona',
      anonymous: String(anonymous),
      confirm: 'true',
    });
    expect(cardText(card)).toMatch(/Danke für Ihre Idee!|Thank you for your idea!/);
    for await (const idea of h.app.repositories.ideas.list()) if (idea.title === title) return idea.ideaId;
    throw new Error(`idea ${title} not stored`);
  }

  async function support(users: TeamsUser[], ideaId: string) {
    for (const u of users) {
      const card = await h.invoke(u, 'idea.support', { ideaId, want: 'true' });
      expect(cardText(card)).toMatch(/Sie unterstützen diese Idee\.|You support this idea\./);
    }
  }

  async function merge(ideaId: string, into: string): Promise<MergeIdeaResult> {
    const res = await fetch(`${h.botUrl}/api/tab/ideas/${ideaId}/merge`, {
      method: 'POST',
      headers: { 'x-puls-tab': '1', 'content-type': 'application/json' },
      body: JSON.stringify({ into }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as MergeIdeaResult;
  }

  const countOf = async (ideaId: string) => (await h.app.repositories.ideas.get(ideaId))!.supportCount;
  const rowsOf = async (ideaId: string) => h.app.repositories.ideas.countSupports(ideaId);
  const cardsIn = (user: TeamsUser) =>
    h.connector.messagesIn(personalConversationId(user)).map((c) => cardText(cardOf(c)));

  beforeAll(async () => {
    h = await startHarness({ clock, env: { OFFICER_AAD_IDS: OFFICER.aadObjectId } });
    await install(OFFICER);
  });
  afterAll(() => h.stop());

  describe('supports of both ideas', () => {
    const dupAuthor = makeUser('Dora Doppelt');
    const targetAuthor = makeUser('Tom Ziel', 'en-GB');
    let dup = '';
    let target = '';
    let onlyDup: TeamsUser[] = [];
    let both: TeamsUser[] = [];
    let onlyTarget: TeamsUser[] = [];
    let follower: TeamsUser;
    let first: MergeIdeaResult;

    beforeAll(async () => {
      await install(dupAuthor);
      await install(targetAuthor, 'en');
      dup = await submit(dupAuthor, 'E-Akte für Bauanträge', true);
      target = await submit(targetAuthor, 'Bauanträge digital bearbeiten');
      onlyDup = await people('Nur Duplikat', 3);
      both = await people('Beide', 2);
      onlyTarget = await people('Nur Ziel', 2);
      [follower] = onlyDup;
      await support([...onlyDup, ...both], dup);
      await support([...both, ...onlyTarget], target);
      // The target's submitter supported the duplicate: their own idea cannot count them again.
      await support([targetAuthor], dup);
      const followed = await h.invoke(follower!, 'idea.follow', { ideaId: dup, want: 'true' });
      expect(cardText(followed)).toContain('Sie erfahren es hier');
      expect(await countOf(dup)).toBe(6);
      expect(await countOf(target)).toBe(4);
      h.connector.clear();
      first = await merge(dup, target);
    });

    it('when a duplicate is merged, then every supporter counts once on the target', async () => {
      expect(first).toMatchObject({
        kind: 'merged',
        supportsCarried: 3,
        supportsAlready: 3,
        supportsUnmatched: 0,
        submitterNotified: true,
        again: false,
      });
      if (first.kind !== 'merged') throw new Error('not merged');
      // 2 only on the target + 3 only on the duplicate + 2 on both (once each) = 7.
      expect(first.into.supportCount).toBe(7);
      expect(await countOf(target)).toBe(7);
      expect(await rowsOf(target)).toBe(7);
      expect(first.idea).toMatchObject({ status: 'merged', mergedInto: { ideaId: target } });
      expect(first.idea.next).toEqual([]);
    });

    it('when the merge is sent again, then it answers the same and counts nothing twice', async () => {
      const again = await merge(dup, target);
      expect(again).toMatchObject({ kind: 'merged', supportsCarried: 3, supportsAlready: 3, again: true });
      expect(await countOf(target)).toBe(7);
      expect(await rowsOf(target)).toBe(7);
      // The submitter is told once.
      expect(cardsIn(dupAuthor).filter((t) => t.includes('zusammengeführt'))).toHaveLength(1);
    });

    it('when merged, then the submitter gets a news card naming the target, in German', () => {
      const texts = cardsIn(dupAuthor);
      expect(texts).toHaveLength(1);
      expect(texts[0]).toContain('Neuigkeiten zu Ihrer Idee');
      expect(texts[0]).toContain(
        'Ihre Idee „E-Akte für Bauanträge“ wurde mit der Idee „Bauanträge digital bearbeiten“ zusammengeführt',
      );
    });

    it('when merged, then the followers of the duplicate are told and follow the target', async () => {
      const jobId = ideaNewsJobId(dup, 'merged');
      await waitUntil(
        async () =>
          (await h.app.repositories.digests.getTask('ideanews', jobId))?.status === 'done' &&
          (await h.app.repositories.deliveries.counts(jobId)).recipients === 0,
        'the merge news to be sent',
      );
      const news = cardsIn(follower).filter((t) => t.includes('Neuigkeiten zu einer Idee'));
      expect(news).toHaveLength(1);
      expect(news[0]).toContain('wurde mit der Idee „Bauanträge digital bearbeiten“ zusammengeführt');
      const followersOfTarget: string[] = [];
      for await (const f of h.app.repositories.ideas.followers(target)) followersOfTarget.push(f);
      expect(followersOfTarget).toHaveLength(1);
      // Nobody else was sent anything.
      for (const u of [...onlyDup.slice(1), ...both, ...onlyTarget]) expect(cardsIn(u)).toEqual([]);
    });

    it('when merged, then the duplicate is closed: its secret is gone, and nothing ties it to the target’s supports', async () => {
      expect(await h.app.pseudonyms.of('idea', dup, onlyDup[0]!.aadObjectId)).toBeUndefined();
      const rows = await dumpTables(h.app.store);
      const targetRows = rows.filter((r) => r.table === 'ideasupports' && r.partitionKey === target);
      expect(JSON.stringify(targetRows)).not.toContain(dup);
      // The anonymous duplicate's link to its submitter went with the final status.
      expect(await h.app.repositories.ideas.getOwner(dup)).toBeUndefined();
      // The merged supporters are the target's supporters now: supporting again changes nothing.
      const card = await h.invoke(onlyDup[1]!, 'idea.support', { ideaId: target, want: 'true' });
      expect(cardText(card)).toContain('7 Unterstützungen');
    });

    it('when the bot lists ideas, then the duplicate says what it was merged into', async () => {
      const list = await h.invoke(onlyTarget[0]!, 'idea.list', {
        sort: 'newest',
        field: 'sonstiges',
        district: 'all',
      });
      expect(cardText(list)).toContain('Zusammengeführt mit „Bauanträge digital bearbeiten“');
    });

    it('when an officer merges into itself, into a merged idea, a merged idea, or builds a chain, then it is refused', async () => {
      const author = (await people('Kette', 1))[0]!;
      const other = await submit(author, 'Noch eine Idee zu Bauanträgen');
      const third = await submit(author, 'Dritte Idee zu Bauanträgen');
      expect(await merge(other, other)).toEqual({ kind: 'invalid', problem: 'same' });
      expect(await merge(other, dup)).toEqual({ kind: 'invalid', problem: 'target_merged' });
      expect(await merge(dup, other)).toEqual({ kind: 'invalid', problem: 'final' });
      // The target has a merged idea: it cannot be merged on (dup → target → third would be a chain).
      expect(await merge(target, third)).toEqual({ kind: 'invalid', problem: 'chain' });
      expect(await merge(other, 'x-unknown')).toEqual({ kind: 'not_found' });
      const rejected = await h.invoke(OFFICER, `idea.status:${third}:submitted`, {
        status: 'rejected',
        feedback: 'Gibt es schon.',
      });
      expect(cardText(rejected)).toContain('Gespeichert');
      expect(await merge(other, third)).toEqual({ kind: 'invalid', problem: 'target_final' });
      expect((await h.app.repositories.ideas.get(other))!.status).toBe('submitted');
    });
  });

  describe('concurrent merges', () => {
    it('when two duplicates with shared supporters are merged into one idea at once, then each person counts once', async () => {
      const [a1, a2, a3] = await people('Autor', 3);
      const d1 = await submit(a1!, 'Parallel eins');
      const d2 = await submit(a2!, 'Parallel zwei');
      const t = await submit(a3!, 'Parallel Ziel');
      const shared = await people('Geteilt', 3);
      const own1 = await people('Eins', 2);
      const own2 = await people('Zwei', 2);
      await support([...shared, ...own1], d1);
      await support([...shared, ...own2], d2);
      await support(shared.slice(0, 1), t);
      const [r1, r2] = await Promise.all([merge(d1, t), merge(d2, t)]);
      expect(r1.kind).toBe('merged');
      expect(r2.kind).toBe('merged');
      // 3 shared + 2 + 2, each once.
      expect(await rowsOf(t)).toBe(7);
      await waitUntil(async () => (await countOf(t)) === 7, 'the count to settle');
    });

    it('when the same merge is sent twice at once, then the supports count once and the submitter is told once', async () => {
      const [a1, a2] = await people('Doppelklick', 2);
      const d = await submit(a1!, 'Doppelklick Duplikat');
      const t = await submit(a2!, 'Doppelklick Ziel');
      await support(await people('Klick', 3), d);
      h.connector.clear();
      const results = await Promise.all([merge(d, t), merge(d, t), merge(d, t)]);
      expect(results.filter((r) => r.kind === 'merged').length).toBeGreaterThanOrEqual(1);
      for (const r of results) expect(['merged', 'stale']).toContain(r.kind);
      expect(await rowsOf(t)).toBe(3);
      await waitUntil(async () => (await countOf(t)) === 3, 'the count to settle');
      expect(cardsIn(a1!).filter((x) => x.includes('zusammengeführt'))).toHaveLength(1);
    });

    it('when two ideas are merged into each other at once, then at most one merge happens and no cycle', async () => {
      const [a1, a2] = await people('Kreuz', 2);
      const x = await submit(a1!, 'Kreuz eins');
      const y = await submit(a2!, 'Kreuz zwei');
      await support(await people('Kreuzfan', 2), x);
      const [rx, ry] = await Promise.all([merge(x, y), merge(y, x)]);
      const [ix, iy] = [await h.app.repositories.ideas.get(x), await h.app.repositories.ideas.get(y)];
      expect(ix!.status === 'merged' && iy!.status === 'merged').toBe(false);
      const merged = [rx, ry].filter((r) => r.kind === 'merged');
      expect(merged.length).toBeLessThanOrEqual(1);
      // An idea that stepped back is as it was and can be merged afterwards.
      if (merged.length === 0) {
        expect(ix!.status).toBe('submitted');
        expect(iy!.status).toBe('submitted');
        expect((await merge(x, y)).kind).toBe('merged');
      }
      const final = await h.app.repositories.ideas.get(x);
      if (final!.status === 'merged') expect(await rowsOf(y)).toBe(2);
    });
  });
});
