import { allocate, factorAt, hashOf, type AllocationInput } from '../../src/delivery/send-budget';
import type { BudgetState } from '../../src/storage/send-budget-repository';

const R = 45;
const base = {
  ratePerSecond: R,
  leaseMs: 4_000,
  skewMs: 1_000,
  jobs: ['run-1'],
  adopt: true,
  slowdown: 0.9,
  minFactor: 0.25,
  recoveryMs: 5_000,
} satisfies Partial<AllocationInput>;

/** One instance's renewal against the record, as SharedSendBudget does it (minus storage). */
function renew(
  state: BudgetState | undefined,
  instanceId: string,
  now: number,
  more: Partial<AllocationInput> = {},
) {
  return allocate(state, { ...base, instanceId, now, busy: true, ...more });
}

const sumOfRates = (s: BudgetState) => Object.values(s.leases).reduce((sum, l) => sum + l.rate, 0);

describe('send budget allocation', () => {
  it('when one instance is alone, then it gets the whole rate', () => {
    const a = renew(undefined, 'a', 0);
    expect(a.rate).toBe(R);
    expect(a.state.leases.a).toMatchObject({ rate: R, until: 4_000, busy: true, jobs: ['run-1'] });
  });

  it('when a second instance comes, then it gets only what is free until the first has lowered its share, never more than the total', () => {
    let s = renew(undefined, 'a', 0).state;
    const b1 = renew(s, 'b', 100);
    expect(b1.rate).toBe(0);
    expect(b1.fair).toBe(R / 2);
    s = b1.state;
    const a2 = renew(s, 'a', 1_000);
    expect(a2.rate).toBe(R / 2);
    s = a2.state;
    const b2 = renew(s, 'b', 1_200);
    expect(b2.rate).toBe(R / 2);
    expect(sumOfRates(b2.state)).toBe(R);
  });

  it('when an instance has nothing to send, then it holds no share and does not count for the others', () => {
    let s = renew(undefined, 'a', 0).state;
    const idle = renew(s, 'b', 100, { busy: false });
    expect(idle.rate).toBe(0);
    expect(idle.state.leases.b).toMatchObject({ rate: 0, busy: false, jobs: ['run-1'] });
    s = idle.state;
    expect(renew(s, 'a', 1_000).rate).toBe(R);
  });

  it('when an instance has neither work nor jobs, then its lease is removed and an idle watcher writes nothing', () => {
    const s = renew(undefined, 'a', 0).state;
    const gone = renew(s, 'a', 500, { busy: false, jobs: [] });
    expect(gone.state.leases).toEqual({});
    const watcher = renew(gone.state, 'w', 600, { busy: false, jobs: [] });
    expect(watcher.changed).toBe(false);
  });

  it('when a lease was not renewed, then it counts until one skew margin after it ran out, and then its share and its lone jobs pass on', () => {
    let s = renew(undefined, 'a', 0, { jobs: ['run-1', 'run-1-reminders'] }).state;
    s = renew(s, 'b', 100, { jobs: ['run-1'] }).state;
    s = renew(s, 'a', 1_000, { jobs: ['run-1', 'run-1-reminders'] }).state; // a: R/2 until 5,000
    s = renew(s, 'b', 1_100, { jobs: ['run-1'] }).state;
    // a dies. Still counted at 5,900 (within the skew margin).
    expect(renew(s, 'b', 5_900, { jobs: ['run-1'] }).rate).toBe(R / 2);
    const after = renew(s, 'b', 6_100, { jobs: ['run-1'] });
    expect(after.rate).toBe(R);
    expect(Object.keys(after.state.leases)).toEqual(['b']);
    // run-1 is b's already; only the reminders were a's alone.
    expect(after.adopted).toEqual(['run-1-reminders']);
    expect(after.state.leases.b!.jobs).toEqual(['run-1', 'run-1-reminders']);
  });

  it('when an instance that cannot adopt finds orphans, then they stay in the record for one that can', () => {
    let s = renew(undefined, 'a', 0, { jobs: ['run-9'] }).state;
    const bare = renew(s, 'b', 10_000, { jobs: [], adopt: false });
    expect(bare.adopted).toEqual([]);
    expect(bare.state.orphans).toEqual(['run-9']);
    s = bare.state;
    const engine = renew(s, 'c', 10_100, { jobs: [], busy: false });
    expect(engine.adopted).toEqual(['run-9']);
    expect(engine.state.orphans).toEqual([]);
  });

  it('when an instance stops before its job is done, then the job is handed over as an orphan', () => {
    const s = renew(undefined, 'a', 0).state;
    const stopped = allocate(s, {
      ...base,
      instanceId: 'a',
      now: 500,
      busy: false,
      jobs: [],
      adopt: false,
      handOver: ['run-1'],
    });
    expect(stopped.state.leases).toEqual({});
    expect(stopped.state.orphans).toEqual(['run-1']);
  });

  it('when Teams answers 429, then the record pauses everyone and lowers the total once a second, and it recovers by 10 % per quiet period', () => {
    let s = renew(undefined, 'a', 0).state;
    s = renew(s, 'b', 100).state;
    s = renew(s, 'a', 1_000).state;
    s = renew(s, 'b', 1_100).state; // a and b: R/2 each
    const hit = renew(s, 'a', 2_000, { throttle: { retryAfterMs: 3_000 } });
    expect(hit.state.pausedUntil).toBe(5_000);
    expect(hit.total).toBeCloseTo(R * 0.9);
    expect(hit.rate).toBeLessThanOrEqual(R * 0.9 - R / 2 + 1e-9); // b still holds R/2 until it renews
    // A second 429 within the second (same burst) does not lower it again.
    const again = renew(hit.state, 'a', 2_500, { throttle: { retryAfterMs: 1_000 } });
    expect(again.total).toBeCloseTo(R * 0.9);
    expect(again.state.pausedUntil).toBe(5_000);
    // b, at its next renewal, lowers to its share of the lower total.
    const b = renew(again.state, 'b', 2_600);
    expect(b.rate).toBeCloseTo((R * 0.9) / 2);
    expect(b.state.pausedUntil).toBe(5_000);
    // Recovery: 10 % per 5 s without a 429, back to the full rate, computed alike by everyone.
    expect(factorAt(b.state, 2_500 + 4_999, 5_000)).toBeCloseTo(0.9);
    expect(factorAt(b.state, 2_500 + 5_000, 5_000)).toBeCloseTo(0.99);
    expect(factorAt(b.state, 2_500 + 10_000, 5_000)).toBe(1);
  });

  it('when instances come, go, idle and die at random, then the leases in the record never add up to more than the total', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const ids = ['a', 'b', 'c', 'd'];
    const alive = new Set(ids);
    let state: BudgetState | undefined;
    let now = 0;
    for (let step = 0; step < 5_000; step++) {
      now += Math.floor(random() * 400);
      const id = ids[Math.floor(random() * ids.length)]!;
      if (random() < 0.01) alive.delete(id); // dies: never renews again
      if (random() < 0.01) alive.add(id); // a new process with the same name
      if (!alive.has(id)) continue;
      const next = renew(state, id, now, { busy: random() < 0.8, jobs: random() < 0.9 ? ['run-1'] : [] });
      state = next.state;
      expect(sumOfRates(state)).toBeLessThanOrEqual(R + 1e-9);
    }
    expect(Object.keys(state!.leases).length).toBeGreaterThan(0);
  });
});

describe('rows spread over instances', () => {
  it('when 9,000 users are spread over three instances by hash, then each gets about a third', () => {
    const counts = [0, 0, 0];
    for (let i = 0; i < 9_000; i++) counts[hashOf(`user-${i}`) % 3]!++;
    for (const c of counts) {
      expect(c).toBeGreaterThan(2_800);
      expect(c).toBeLessThan(3_200);
    }
  });
});
