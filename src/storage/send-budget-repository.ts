// The Teams send budget that every instance shares: one record (one entity) per scope, read and
// written whole with its ETag, so that a share is only ever raised by a write nobody else got in
// before. What the record means and how shares are computed is src/delivery/send-budget.ts; this
// module only stores it.
import { statusOf, type TableStore } from './tables';

/** One instance's lease on a share of the rate. Times are epoch milliseconds of the writer's clock. */
export interface BudgetLease {
  /** Requests per second this instance may send until `until`. */
  rate: number;
  until: number;
  /** Whether it has rows to send now (only busy instances get a share). */
  busy: boolean;
  /** The jobs it works on: if it dies, another instance adopts those nobody else works on. */
  jobs: string[];
}

export interface BudgetState {
  leases: Record<string, BudgetLease>;
  /** Jobs whose instance stopped or died while nobody else worked on them, waiting to be adopted. */
  orphans: string[];
  /** After a 429 nobody sends before this time. */
  pausedUntil: number;
  /** Share of the configured rate in force at `throttledAt` (1 = the full rate); it recovers from there. */
  factor: number;
  /** The last 429 (0: none yet). */
  throttledAt: number;
  /** The last time a 429 lowered the factor (at most once a second). */
  slowedAt: number;
}

export function emptyBudgetState(): BudgetState {
  return { leases: {}, orphans: [], pausedUntil: 0, factor: 1, throttledAt: 0, slowedAt: 0 };
}

interface BudgetEntity {
  partitionKey: string;
  rowKey: string;
  state?: string;
}

const PARTITION = 'budget';

export interface SendBudgetRepositoryOptions {
  /** Every storage call gives up after this long (default 5 s): a renewal must not hang. */
  timeoutMs?: number;
}

export class SendBudgetRepository {
  constructor(
    private readonly store: TableStore,
    private readonly options: SendBudgetRepositoryOptions = {},
  ) {}

  /** The record and its ETag; undefined when nobody has written it yet. */
  async read(scope: string): Promise<{ state: BudgetState; etag: string } | undefined> {
    try {
      const e = await this.store
        .client('sendbudget')
        .getEntity<BudgetEntity>(PARTITION, scope, { abortSignal: this.signal() });
      return { state: parseState(e.state), etag: e.etag };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  /**
   * Writes the record if it is unchanged since `etag` (undefined: creates it). Returns the new ETag,
   * or undefined when another instance wrote first (read again and recompute).
   */
  async write(scope: string, state: BudgetState, etag: string | undefined): Promise<string | undefined> {
    const client = this.store.client('sendbudget');
    const entity: BudgetEntity = { partitionKey: PARTITION, rowKey: scope, state: JSON.stringify(state) };
    try {
      const res = etag
        ? await client.updateEntity(entity, 'Replace', { etag, abortSignal: this.signal() })
        : await client.createEntity(entity, { abortSignal: this.signal() });
      return res.etag;
    } catch (err) {
      const status = statusOf(err);
      if (status === 412 || status === 409 || status === 404) return undefined;
      throw err;
    }
  }

  private signal(): AbortSignal {
    return AbortSignal.timeout(this.options.timeoutMs ?? 5_000);
  }
}

/** A record that cannot be read is treated as empty: every lease in it runs out within seconds anyway. */
function parseState(text: string | undefined): BudgetState {
  const state = emptyBudgetState();
  let raw: unknown;
  try {
    raw = JSON.parse(text ?? '{}');
  } catch {
    return state;
  }
  if (!raw || typeof raw !== 'object') return state;
  const r = raw as Record<string, unknown>;
  const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
  state.pausedUntil = num(r.pausedUntil, 0);
  state.factor = Math.min(1, Math.max(0, num(r.factor, 1)));
  state.throttledAt = num(r.throttledAt, 0);
  state.slowedAt = num(r.slowedAt, 0);
  if (Array.isArray(r.orphans)) state.orphans = r.orphans.filter((j): j is string => typeof j === 'string');
  if (r.leases && typeof r.leases === 'object') {
    for (const [id, l] of Object.entries(r.leases as Record<string, unknown>)) {
      if (!l || typeof l !== 'object') continue;
      const lease = l as Record<string, unknown>;
      state.leases[id] = {
        rate: Math.max(0, num(lease.rate, 0)),
        until: num(lease.until, 0),
        busy: lease.busy === true,
        jobs: Array.isArray(lease.jobs) ? lease.jobs.filter((j): j is string => typeof j === 'string') : [],
      };
    }
  }
  return state;
}
