// The in-memory user directory against Azurite: read once then from memory, a local write is seen at
// once, another instance's write after the next refresh, and a refresh loads everyone.
import { createLogger } from '../../src/logger';
import { UserRepository } from '../../src/storage/user-repository';
import type { TableStore } from '../../src/storage/tables';
import { UserDirectory } from '../../src/users/user-directory';
import { createTestStore } from '../support/storage';

const logger = createLogger({ level: 'silent' });
const now = new Date('2026-11-23T10:00:00Z');
const ref = (id: string) => ({
  conversation: { id: `conv-${id}`, isGroup: false, conversationType: 'personal', name: '' },
});

describe('UserDirectory', () => {
  let store: TableStore;
  beforeAll(async () => {
    store = await createTestStore();
  });
  afterAll(() => store.dropTables());

  it('when a profile was read once, then it comes from memory until this instance writes it', async () => {
    const users = new UserRepository(store);
    const elsewhere = new UserRepository(store); // another instance's repository, same table
    const directory = new UserDirectory({ users, logger });
    await users.saveReference('d-1', ref('1'), 'de-DE', now);
    await users.saveSettings('d-1', { language: 'de', district: 'altona', reminders: true });

    await directory.refresh(); // the first, full load
    expect((await directory.get('d-1'))?.settings.district).toBe('altona');
    // Changed behind its back: memory still answers (no storage read per turn) …
    await elsewhere.saveSettings('d-1', { language: 'de', district: 'wandsbek', reminders: true });
    expect((await directory.get('d-1'))?.settings.district).toBe('altona');
    // … until the next refresh (a delta: rows changed since the last one) picks up the changed row.
    await directory.refresh();
    expect((await directory.get('d-1'))?.settings.district).toBe('wandsbek');

    // Removed by another instance (the user uninstalled there): gone with the next full reload.
    await elsewhere.delete('d-1');
    await directory.refresh();
    expect(await directory.get('d-1')).toBeDefined();
    await directory.refresh({ full: true });
    expect(await directory.get('d-1')).toBeUndefined();
    await users.saveReference('d-1', ref('1'), 'de-DE', now);

    // A write through this instance is seen by the very next turn.
    await users.saveSettings('d-1', { language: 'en', district: 'harburg', reminders: false });
    expect(await directory.get('d-1')).toEqual({
      userId: 'd-1',
      teamsLocale: 'de-DE',
      settings: { language: 'en', district: 'harburg', reminders: false },
    });
  });

  it('when a user is unknown, then get says so, and a first contact is seen at once', async () => {
    const users = new UserRepository(store);
    const directory = new UserDirectory({ users, logger });
    expect(await directory.get('d-new')).toBeUndefined();
    await users.saveReference('d-new', ref('new'), 'en-US', now);
    expect((await directory.get('d-new'))?.teamsLocale).toBe('en-US');
    await users.delete('d-new');
    expect(await directory.get('d-new')).toBeUndefined();
  });

  it('when it refreshes for the first time, then every user is in memory without reading them one by one', async () => {
    const writer = new UserRepository(store);
    for (let i = 0; i < 40; i++) {
      await writer.saveReference(`bulk-${i}`, ref(`b${i}`), 'de-DE', now);
      await writer.saveSettings(`bulk-${i}`, { language: 'de', district: 'bergedorf', reminders: true });
    }
    const directory = new UserDirectory({ users: new UserRepository(store), logger });
    await directory.refresh();
    expect(directory.size).toBeGreaterThanOrEqual(40);
    // Drop the table's rows: the directory still answers from memory.
    for (let i = 0; i < 40; i++) await writer.delete(`bulk-${i}`);
    expect((await directory.get('bulk-7'))?.settings.district).toBe('bergedorf');
  });
});
