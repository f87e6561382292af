// The Graph client against the Graph simulator, on one fake clock: the client's waits move the clock
// instead of passing real time, so throttling and backoff are tested without waiting.
import type { AccessToken, TokenCredential } from '@azure/identity';
import { GraphClient, GraphError, type GraphClientOptions } from '../../src/directory/graph-client';
import { TokenBucket } from '../../src/directory/rate-limit';
import { GraphSimulator, type GraphSimulatorOptions } from '../support/graph-simulator';

let now = 1_700_000_000_000;
let sim: GraphSimulator;
let base: string;

const credential = (tokens: string[] = ['t']): TokenCredential & { calls: number } => {
  const c = {
    calls: 0,
    getToken(): Promise<AccessToken> {
      const token = tokens[Math.min(c.calls, tokens.length - 1)]!;
      c.calls++;
      return Promise.resolve({ token, expiresOnTimestamp: now + 3_600_000 });
    },
  };
  return c;
};

async function setup(
  simOptions: GraphSimulatorOptions = {},
  clientOptions: Partial<GraphClientOptions> = {},
) {
  sim = new GraphSimulator({ clock: () => now, ...simOptions });
  base = await sim.start();
  const slept: number[] = [];
  const client = new GraphClient({
    baseUrl: base,
    credential: credential(),
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
    ...clientOptions,
  });
  return { client, slept };
}

afterEach(async () => {
  await sim?.stop();
});

const bind = () => ({ 'teamsApp@odata.bind': `${base}/appCatalogs/teamsApps/${sim.catalogAppId}` });

describe('GraphClient', () => {
  it('when Graph throttles, then the client waits the announced Retry-After and every request succeeds without violating it', async () => {
    // The client is told Graph allows far more than the simulator does, so it runs into 429s.
    const { client, slept } = await setup({}, { limits: { teamsWritePerSecond: 1000 } });
    sim.addUsers(
      Array.from({ length: 45 }, (_, i) => ({
        id: `u${i}`,
        accountEnabled: true,
        userType: 'Member' as const,
      })),
    );
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) {
      const res = await client.send({
        method: 'POST',
        url: `/users/u${i}/teamwork/installedApps`,
        body: bind(),
      });
      statuses.push(res.status);
    }
    expect(statuses.every((s) => s === 201)).toBe(true);
    expect(sim.throttled).toBeGreaterThan(0);
    expect(client.stats.throttled).toBe(sim.throttled);
    expect(sim.violations).toBe(0);
    expect(slept.some((ms) => ms >= 1000)).toBe(true); // Retry-After: 1 (second) was honoured
    expect(sim.installsCreated).toBe(45);
  });

  it('when the client keeps its own limit, then Graph never has to throttle it', async () => {
    const { client } = await setup({}, { limits: { teamsReadPerSecond: 27 } });
    sim.addUser({ id: 'u1', accountEnabled: true, userType: 'Member' });
    for (let i = 0; i < 100; i++) {
      expect((await client.send({ url: '/users/u1/teamwork/installedApps' })).status).toBe(200);
      now += 5; // requests take time; the bucket spaces them out
    }
    expect(sim.throttled).toBe(0);
    expect(sim.peakUnits()['teams-read']).toBeLessThanOrEqual(30);
  });

  it('when Graph answers 503 twice, then the request is retried with backoff and succeeds', async () => {
    const { client, slept } = await setup();
    sim.failNext(2);
    const res = await client.send({ url: '/users/delta' });
    expect(res.status).toBe(200);
    expect(client.stats.retried).toBe(2);
    expect(slept.filter((ms) => ms > 0)).toEqual([250, 500]); // full jitter at random 0.5: 500·2^n / 2
  });

  it('when Graph stays unavailable, then the client gives up after maxAttempts with a transient GraphError', async () => {
    const { client } = await setup({}, { maxAttempts: 3 });
    sim.failNext(5);
    const err = await client.send({ url: '/users/delta' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphError);
    expect(err).toMatchObject({ status: 503, code: 'ServiceUnavailable', transient: true });
    expect(sim.failed).toBe(3);
  });

  it('when a 4xx comes back, then send hands it over and json turns it into a GraphError with Graph’s code', async () => {
    const { client } = await setup();
    const res = await client.send({ url: '/groups/none/transitiveMembers' });
    expect(res.status).toBe(404);
    await expect(client.json({ url: '/groups/none/transitiveMembers' })).rejects.toMatchObject({
      status: 404,
      code: 'Request_ResourceNotFound',
      transient: false,
    });
  });

  it('when the token is refused once, then a new token is fetched and the request repeated', async () => {
    const cred = credential(['stale', 'fresh']);
    const { client } = await setup({ acceptToken: 'fresh' }, { credential: cred });
    expect((await client.send({ url: '/users/delta' })).status).toBe(200);
    expect(cred.calls).toBe(2);
    expect((await client.send({ url: '/users/delta' })).status).toBe(200);
    expect(cred.calls).toBe(2); // the fresh token is kept
  });

  it('when a collection has several pages, then pages() follows nextLink to the deltaLink', async () => {
    const { client } = await setup({ deltaPageSize: 3 });
    sim.addUsers(
      Array.from({ length: 8 }, (_, i) => ({
        id: `u${i}`,
        accountEnabled: true,
        userType: 'Member' as const,
      })),
    );
    const ids: string[] = [];
    let deltaLink: string | undefined;
    for await (const page of client.pages<{ id: string }>({ url: '/users/delta?$select=id' })) {
      ids.push(...page.value.map((u) => u.id));
      deltaLink = page.deltaLink;
    }
    expect(ids).toHaveLength(8);
    expect(deltaLink).toContain('$deltatoken=');
  });

  it('when a link points outside Graph, then the client refuses to send its token there', async () => {
    const { client } = await setup();
    await expect(client.send({ url: 'https://evil.example/users/delta' })).rejects.toMatchObject({
      code: 'ForeignLink',
    });
    expect(sim.requests).toBe(0);
  });
});

describe('TokenBucket', () => {
  it('when more than the rate is asked for, then callers are spaced out in order', async () => {
    let t = 0;
    const bucket = new TokenBucket({
      ratePerSecond: 10,
      burst: 1,
      now: () => t,
      sleep: (ms) => {
        t += ms;
        return Promise.resolve();
      },
    });
    const times: number[] = [];
    await Promise.all(Array.from({ length: 5 }, () => bucket.acquire().then(() => times.push(t))));
    expect(times).toEqual([0, 100, 200, 300, 400]);
    bucket.pause(1000);
    await bucket.acquire();
    expect(t).toBeGreaterThanOrEqual(1400);
  });
});
