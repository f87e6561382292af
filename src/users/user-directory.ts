// Every user's profile (language, district, reminders, Teams locale) in memory, so that a turn does
// not read the users table first. That read was a third of an answer's storage work (measured in the
// answer benchmark); at 72,000 users the profiles take about 15 MB.
//
// Consistency: a write by this instance drops the cached copy at once (the next turn reads it again);
// writes by other instances arrive with the next refresh (every REFRESH_MS, rows whose Timestamp is
// newer than the last refresh minus a margin for clock skew). Until then another instance may, for
// a few seconds, still see someone's previous district or language: acceptable for settings that
// change a few times a year. A row deleted elsewhere (the user removed the app) cannot show up in a
// delta: every FULL_RELOAD_MS the whole map is replaced by a fresh read. Conversation references are
// not kept here: proactive sends read them from storage.
import { systemClock, type Clock } from '../clock';
import type { Logger } from '../logger';
import type { UserProfile, UserRepository } from '../storage/user-repository';

const REFRESH_MS = 15_000;
const FULL_RELOAD_MS = 10 * 60_000;
/** Rows changed this long before the last refresh are read again (server and local clocks differ). */
const SKEW_MARGIN_MS = 60_000;

export interface UserDirectoryOptions {
  users: UserRepository;
  logger: Logger;
  refreshMs?: number;
  fullReloadMs?: number;
  /** When a full reload is due (the injected clock); the deltas follow storage's wall-clock Timestamps. */
  clock?: Clock;
}

export class UserDirectory {
  private readonly profiles = new Map<string, UserProfile>();
  /** Bumped by every local write: a storage read that started before it must not be cached. */
  private generation = 0;
  /** Users written locally while a refresh scan runs: what the scan read of them may be stale. */
  private changedDuringScan: Set<string> | undefined;
  private refreshedAt: Date | undefined;
  private fullyLoadedAt: Date | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(private readonly o: UserDirectoryOptions) {
    o.users.onChange((userId) => {
      this.generation++;
      this.changedDuringScan?.add(userId);
      this.profiles.delete(userId);
    });
  }

  /** The user's profile: from memory, else from storage (and then kept). */
  async get(userId: string): Promise<UserProfile | undefined> {
    const known = this.profiles.get(userId);
    if (known) return known;
    const generation = this.generation;
    const record = await this.o.users.get(userId);
    if (!record) return undefined;
    const profile: UserProfile = {
      userId: record.userId,
      teamsLocale: record.teamsLocale,
      settings: record.settings,
    };
    if (generation === this.generation) this.profiles.set(userId, profile);
    return profile;
  }

  get size(): number {
    return this.profiles.size;
  }

  /**
   * Reads the profiles changed since the last refresh; everyone (replacing what is kept, so that
   * users deleted elsewhere go) on the first call and every FULL_RELOAD_MS.
   */
  refresh(options: { full?: boolean } = {}): Promise<void> {
    this.refreshing ??= this.load(options.full === true).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async load(forceFull: boolean): Promise<void> {
    // Compared with storage's Timestamps: wall-clock time.
    const started = new Date();
    const now = (this.o.clock ?? systemClock).now();
    const full =
      forceFull ||
      !this.fullyLoadedAt ||
      now.getTime() - this.fullyLoadedAt.getTime() >= (this.o.fullReloadMs ?? FULL_RELOAD_MS);
    const since = full ? undefined : new Date(this.refreshedAt!.getTime() - SKEW_MARGIN_MS);
    const changed = (this.changedDuringScan = new Set());
    try {
      const read = new Map<string, UserProfile>();
      for await (const profile of this.o.users.profiles(since)) read.set(profile.userId, profile);
      // What was written locally during the scan may be newer than what the scan saw: left out,
      // the next turn reads it from storage.
      for (const userId of changed) read.delete(userId);
      if (full) {
        // Replaced as a whole: users deleted elsewhere go (anyone read through get() meanwhile is
        // simply read again on their next turn).
        this.profiles.clear();
        for (const [userId, p] of read) this.profiles.set(userId, p);
        this.fullyLoadedAt = now;
      } else {
        for (const [userId, p] of read) this.profiles.set(userId, p);
      }
      this.refreshedAt = started;
    } finally {
      this.changedDuringScan = undefined;
    }
  }

  /** Loads everyone now and refreshes every REFRESH_MS. */
  start(): void {
    const tick = () => {
      this.refresh()
        .catch((err: unknown) => this.o.logger.warn({ err }, 'user directory refresh failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.o.refreshMs ?? REFRESH_MS).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
