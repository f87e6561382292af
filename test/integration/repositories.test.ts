// Repositories against real Table Storage (Azurite), one fresh table prefix per file.
import type { TableStore } from '../../src/storage/tables';
import { ChannelRepository } from '../../src/storage/channel-repository';
import { decodeKey, encodeKey } from '../../src/storage/tables';
import { UserRepository, USER_BUCKETS } from '../../src/storage/user-repository';
import { createTestStore } from '../support/storage';

const now = new Date('2026-11-23T10:00:00Z');
const ref = (id: string) => ({
  conversation: { id: `conv-${id}`, isGroup: false, conversationType: 'personal', name: '' },
});

describe('UserRepository', () => {
  let store: TableStore;
  let users: UserRepository;
  beforeAll(async () => {
    store = await createTestStore();
    users = new UserRepository(store);
  });
  afterAll(() => store.dropTables());

  it('when a user is seen for the first time, then saveReference says so and keeps default settings', async () => {
    expect(await users.saveReference('u-1', ref('1'), 'de-DE', now)).toBe(true);
    expect(await users.saveReference('u-1', ref('1b'), 'en-US', now)).toBe(false);
    const u = await users.get('u-1');
    expect(u).toMatchObject({
      userId: 'u-1',
      teamsLocale: 'en-US',
      settings: { language: undefined, district: undefined, reminders: true },
    });
    expect(u?.reference.conversation?.id).toBe('conv-1b');
    expect(u?.installedAt.toISOString()).toBe(now.toISOString());
  });

  it('when settings are saved, then a later reference update keeps them', async () => {
    await users.saveReference('u-2', ref('2'), 'de-DE', now);
    expect(await users.saveSettings('u-2', { language: 'en', district: 'altona', reminders: false })).toBe(
      true,
    );
    await users.saveReference('u-2', ref('2'), 'de-DE', now);
    expect((await users.get('u-2'))?.settings).toEqual({
      language: 'en',
      district: 'altona',
      reminders: false,
    });
  });

  it('when settings are saved for an unknown user, then nothing is created', async () => {
    expect(await users.saveSettings('ghost', { language: 'de', district: 'harburg', reminders: true })).toBe(
      false,
    );
    expect(await users.get('ghost')).toBeUndefined();
  });

  it('when ids hold characters illegal in keys, then they round-trip', async () => {
    const odd = '29:a/b\\c#d?e%f';
    expect(decodeKey(encodeKey(odd))).toBe(odd);
    expect(encodeKey(odd)).not.toMatch(/[/\\#?]/);
    await users.saveReference(odd, ref('odd'), undefined, now);
    expect((await users.get(odd))?.userId).toBe(odd);
  });

  it('when many users are stored, then list and count see all of them across shards', async () => {
    const fresh = new UserRepository(await createTestStore());
    const ids = Array.from({ length: 80 }, (_, i) => `user-${i}`);
    await Promise.all(ids.map((id) => fresh.saveReference(id, ref(id), undefined, now)));
    expect(await fresh.count()).toBe(80);
    const listed: string[] = [];
    for await (const u of fresh.list()) listed.push(u.userId);
    expect(listed.sort()).toEqual([...ids].sort());
    expect(USER_BUCKETS).toBeGreaterThanOrEqual(16);
  });

  it('when a user is deleted, then get finds nothing and a second delete is harmless', async () => {
    await users.saveReference('u-del', ref('del'), undefined, now);
    expect(await users.delete('u-del')).toBe(true);
    expect(await users.get('u-del')).toBeUndefined();
    expect(await users.delete('u-del')).toBe(false);
  });
});

describe('ChannelRepository', () => {
  let store: TableStore;
  let channels: ChannelRepository;
  beforeAll(async () => {
    store = await createTestStore();
    channels = new ChannelRepository(store);
  });
  afterAll(() => store.dropTables());

  it('when two teams race to be the first, then exactly one becomes the officers team', async () => {
    const results = await Promise.all(
      ['team-a', 'team-b', 'team-c'].map((t) => channels.claimOfficersTeam(t)),
    );
    expect(new Set(results).size).toBe(1);
    expect(await channels.getOfficersTeamId()).toBe(results[0]);
  });

  it('when a team is saved twice, then the second save reports it as known and keeps addedAt', async () => {
    const team = { teamId: '19:x@thread.tacv2', teamName: 'X', reference: ref('x'), addedAt: now };
    expect(await channels.saveTeam(team)).toBe(true);
    expect(await channels.saveTeam({ ...team, teamName: 'X2', addedAt: new Date('2030-01-01') })).toBe(false);
    const stored = await channels.getTeam(team.teamId);
    expect(stored?.teamName).toBe('X2');
    expect(stored?.addedAt.toISOString()).toBe(now.toISOString());
  });
});
