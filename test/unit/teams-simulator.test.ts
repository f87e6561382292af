// The Teams throttling simulator: tenant and per-conversation limits with Retry-After, scaling,
// refused and failing conversations, back-off violations and the per-conversation counts. Driven with
// plain fetch and a fake clock, so nothing waits for real time.
import { TeamsSimulator, type TeamsSimulatorOptions } from '../support/teams-simulator';

const T0 = 1_700_000_000_000;

let now = T0;
let sim: TeamsSimulator;
let serviceUrl: string;

async function startSimulator(options: TeamsSimulatorOptions = {}): Promise<void> {
  sim = new TeamsSimulator({ clock: () => now, ...options });
  serviceUrl = await sim.start();
}

beforeEach(() => {
  now = T0;
});

afterEach(async () => {
  await sim?.stop();
});

interface Answer {
  status: number;
  retryAfter: string | null;
  retryAfterMs: string | null;
  body: Record<string, unknown>;
}

async function call(method: string, path: string, body: unknown): Promise<Answer> {
  const res = await fetch(new URL(path, serviceUrl), {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    retryAfterMs: res.headers.get('retry-after-ms'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

function message(conversationId: string, tenantId = 'tenant-a'): Record<string, unknown> {
  return { type: 'message', text: 'Hallo', conversation: { id: conversationId, tenantId } };
}

/** A proactive send as continueConversationAsync makes it: a reply to an activity id. */
function send(conversationId: string, tenantId = 'tenant-a'): Promise<Answer> {
  return call(
    'POST',
    `v3/conversations/${encodeURIComponent(conversationId)}/activities/act-1`,
    message(conversationId, tenantId),
  );
}

/** Sends one message to each conversation, all at the current (fake) instant. */
function sendToEach(conversationIds: string[], tenantId = 'tenant-a'): Promise<Answer[]> {
  return Promise.all(conversationIds.map((c) => send(c, tenantId)));
}

const conversations = (n: number, prefix = 'conv'): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** A small seeded PRNG (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('TeamsSimulator', () => {
  it('when more than 50 requests per second reach one tenant, then the rest get 429 with Retry-After', async () => {
    await startSimulator();
    const answers = await sendToEach(conversations(60));

    expect(answers.filter((a) => a.status === 201)).toHaveLength(50);
    const throttled = answers.filter((a) => a.status === 429);
    expect(throttled).toHaveLength(10);
    for (const a of throttled) {
      expect(a.retryAfter).toBe('1');
      expect(a.retryAfterMs).toBe('1000');
      expect(a.body).toEqual({ error: expect.objectContaining({ code: 'Throttled' }) });
    }
    expect(sim.acceptedTotal).toBe(50);
    expect(sim.throttled).toBe(10);
    expect(sim.throttledBy()).toEqual({ 'tenant-1s': 10 });
    expect(sim.maxAcceptedInAnyWindow().tenant1s).toBe(50);
  });

  it('when the tenant window has passed, then the tenant is accepted again, and other tenants were never limited', async () => {
    await startSimulator();
    await sendToEach(conversations(50));
    expect((await sendToEach(['other-conv'], 'tenant-b'))[0]!.status).toBe(201);
    now += 999;
    expect((await send('late-1')).status).toBe(429);
    now += 1;
    expect((await send('late-2')).status).toBe(201);
  });

  it('when 8 messages go to one conversation within 1 s, then the 8th gets 429 with Retry-After', async () => {
    await startSimulator();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const a = await send('conv-burst');
      statuses.push(a.status);
      if (i === 7) {
        expect(a.retryAfter).toBe('1');
        expect(Number(a.retryAfterMs)).toBeGreaterThanOrEqual(300);
      }
      now += 100;
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 201, 429]);
    expect(sim.accepted('conv-burst')).toBe(7);
    expect(sim.throttledBy()).toEqual({ 'conversation-1s': 1 });
  });

  it('when a conversation gets a 9th message within 2 s, then it gets 429 for the 2-second limit', async () => {
    await startSimulator();
    for (let i = 0; i < 7; i++) expect((await send('conv-2s')).status).toBe(201);
    now += 1000; // the 1-s window is free again, the 2-s window holds 7
    expect((await send('conv-2s')).status).toBe(201);
    const ninth = await send('conv-2s');
    expect(ninth.status).toBe(429);
    expect(ninth.retryAfterMs).toBe('1000');
    expect(sim.throttledBy()).toEqual({ 'conversation-2s': 1 });
    now += 1000;
    expect((await send('conv-2s')).status).toBe(201);
    expect(sim.accepted('conv-2s')).toBe(9);
  });

  it('when a conversation gets more than 60 messages within 30 s, then the 61st gets 429', async () => {
    await startSimulator();
    let accepted = 0;
    for (let i = 0; i < 60; i++) {
      if ((await send('conv-30s')).status === 201) accepted++;
      now += 400; // 2.5 per second: under the 1-s and 2-s limits
    }
    expect(accepted).toBe(60);
    const a = await send('conv-30s');
    expect(a.status).toBe(429);
    expect(sim.throttledBy()).toEqual({ 'conversation-30s': 1 });
    // The oldest of the 60 was sent 24 s ago: it leaves the window in 6 s.
    expect(a.retryAfter).toBe('6');
    expect(a.retryAfterMs).toBe('6000');
  });

  it('when requests stay within the limits, then all are accepted and counted per conversation', async () => {
    await startSimulator();
    for (const c of ['conv-a', 'conv-b', 'conv-c']) {
      for (let i = 0; i < 5; i++) expect((await send(c)).status).toBe(201);
    }
    const sent = await call('POST', 'v3/conversations/conv-d/activities', message('conv-d'));
    expect(sent.status).toBe(201);
    const update = await call(
      'PUT',
      `v3/conversations/conv-d/activities/${String(sent.body.id)}`,
      message('conv-d'),
    );
    expect(update).toMatchObject({ status: 200, body: { id: sent.body.id } });

    expect(sim.throttled + sim.failed + sim.refused).toBe(0);
    expect(sim.accepted('conv-a')).toBe(5);
    expect(sim.accepted('conv-b')).toBe(5);
    expect(sim.accepted('conv-c')).toBe(5);
    expect(sim.accepted('conv-d')).toBe(1); // the update is not a new message
    expect(sim.accepted('conv-unknown')).toBe(0);
    expect(sim.acceptedTotal).toBe(16);
    expect(sim.acceptedRequests).toBe(17);
    expect(sim.updates).toBe(1);
    expect(new Set(sim.acceptedIds('conv-a')).size).toBe(5);
    expect(sim.acceptedIds('conv-d')).toEqual([sent.body.id]);
    expect(sim.duplicates().sort()).toEqual(['conv-a', 'conv-b', 'conv-c']);
    expect(sim.maxAcceptedInAnyWindow()).toMatchObject({ conversation1s: 5, tenant1s: 17 });
  });

  it('when a conversation is blocked or unknown, then it gets 403 or 404 and nothing is counted as accepted', async () => {
    await startSimulator({ blockedConversations: ['conv-blocked'], notFoundConversations: ['conv-gone'] });
    const blocked = await send('conv-blocked');
    const gone = await send('conv-gone');
    expect(blocked.status).toBe(403);
    expect(blocked.body).toEqual({ error: expect.objectContaining({ code: 'ConversationBlockedByUser' }) });
    expect(gone.status).toBe(404);
    expect(sim.refused).toBe(2);
    expect(sim.acceptedTotal).toBe(0);
    expect(sim.accepted('conv-blocked')).toBe(0);
    // Refused requests use no budget: 50 more in the same second are all accepted.
    const answers = await sendToEach(conversations(50));
    expect(answers.every((a) => a.status === 201)).toBe(true);
  });

  it('when failureRate is 1, then every request gets 502 or 503 and none is accepted', async () => {
    await startSimulator({ failureRate: 1, random: seeded(1) });
    const answers = await sendToEach(conversations(20));
    expect(answers.every((a) => a.status === 502 || a.status === 503)).toBe(true);
    expect(new Set(answers.map((a) => a.status)).size).toBe(2);
    expect(sim.failed).toBe(20);
    expect(sim.acceptedTotal).toBe(0);
    expect(sim.accepted('conv-0')).toBe(0);
  });

  it('when the same seed is used twice, then the same requests fail', async () => {
    const run = async (): Promise<number[]> => {
      await startSimulator({ failureRate: 0.5, random: seeded(42) });
      const statuses: number[] = [];
      for (const c of conversations(20)) statuses.push((await send(c)).status);
      await sim.stop();
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first.filter((s) => s === 201).length).toBeGreaterThan(0);
    expect(first.filter((s) => s !== 201).length).toBeGreaterThan(0);
  });

  it('when scale is 10, then 10 times the tenant rate is accepted and Retry-After is scaled', async () => {
    await startSimulator({ scale: 10 });
    const answers = await sendToEach(conversations(520));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(500);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(20);
    expect(sim.acceptedTotal).toBe(500);

    // 950 ms later the window frees up in 50 ms; the announced wait is retryAfterSeconds / scale = 100 ms.
    now += 950;
    const late = await send('conv-late');
    expect(late).toMatchObject({ status: 429, retryAfter: '1', retryAfterMs: '100' });
  });

  it('when scale is 10, then a conversation takes 70 messages in one second', async () => {
    await startSimulator({ scale: 10 });
    const statuses: number[] = [];
    for (let i = 0; i < 71; i++) statuses.push((await send('conv-scaled')).status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(70);
    expect(statuses[70]).toBe(429);
  });

  it('when a request arrives inside the announced back-off window, then it is counted as a violation', async () => {
    await startSimulator();
    await sendToEach(conversations(51)); // the 51st is throttled: back off 1 s
    expect(sim.violations).toBe(0);

    now += 500;
    await send('conv-impatient');
    expect(sim.violations).toBe(1);
    await send('conv-other-tenant', 'tenant-b');
    expect(sim.violations).toBe(1); // another tenant was not told to back off

    now += 1000; // after the window (the 429 at +500 announced until +1500)
    expect((await send('conv-patient')).status).toBe(201);
    expect(sim.violations).toBe(1);
  });

  it('when one conversation is throttled, then only that conversation must back off', async () => {
    await startSimulator();
    for (let i = 0; i < 8; i++) await send('conv-busy');
    expect(sim.throttled).toBe(1);

    now += 200;
    expect((await send('conv-quiet')).status).toBe(201);
    expect(sim.violations).toBe(0);
    await send('conv-busy');
    expect(sim.violations).toBe(1);
  });

  it('when a 429 comes without Retry-After, then it announces no back-off window', async () => {
    await startSimulator({ omitRetryAfterShare: 1 });
    const answers = await sendToEach(conversations(51));
    const throttled = answers.find((a) => a.status === 429)!;
    expect(throttled.retryAfter).toBeNull();
    expect(throttled.retryAfterMs).toBeNull();
    expect(sim.throttledWithoutRetryAfter).toBe(1);
    now += 10;
    await send('conv-next');
    expect(sim.violations).toBe(0);
  });

  it('when a conversation is created twice for the same user, then it has the same id and its messages are counted', async () => {
    await startSimulator();
    const parameters = {
      isGroup: false,
      bot: { id: 'bot' },
      members: [{ id: '29:user-1' }],
      tenantId: 'tenant-a',
      channelData: { tenant: { id: 'tenant-a' } },
    };
    const first = await call('POST', 'v3/conversations', parameters);
    const second = await call('POST', 'v3/conversations', { ...parameters, activity: { type: 'message' } });
    expect(first.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(typeof second.body.activityId).toBe('string');
    expect(sim.conversationsCreated).toBe(2);
    expect(sim.accepted(String(first.body.id))).toBe(1);
    expect((await send(String(first.body.id))).status).toBe(201);
    expect(sim.accepted(String(first.body.id))).toBe(2);
  });

  it('when reset, then counters and windows start over', async () => {
    await startSimulator();
    await sendToEach(conversations(51));
    sim.reset();
    expect(sim.acceptedTotal + sim.throttled + sim.violations).toBe(0);
    expect(sim.accepted('conv-0')).toBe(0);
    const answers = await sendToEach(conversations(50));
    expect(answers.every((a) => a.status === 201)).toBe(true);
  });
});
