// The directory wired into the bot, end to end over HTTP: Puls runs with GRAPH_BASE_URL pointing at the
// Graph simulator (2,000 directory users in eight districts and three groups) and the capture connector
// as Teams; 300 people installed Puls themselves (HTTP installationUpdate). The officer searches a group
// and sees the reach on the start card, then starts a run for two districts plus one group: exactly the
// members computed here from the simulator's data get the card once each — the installed ones in their
// chat, the others after Puls installed itself for them through Graph (409 for those installed by
// policy), people without a Teams licence are recorded as unreachable with the reason. An answer takes
// its district from the directory. A delta sync that moves one person changes the next run's audience,
// not the running one.
import { stepVerb } from '../../cards/surveys';
import { GRAPH_DOCUMENTED_LIMITS } from '../../src/directory/rate-limit';
import { loadDistrictMapping } from '../../src/directory/district-mapping';
import type { District } from '../../src/domain/vocabulary';
import { ManualClock } from '../../src/clock';
import { cardOf, cardText, type CapturedCall } from '../support/connector';
import { answerData, bankOf, TEST_SURVEY } from '../support/fixtures';
import {
  GraphSimulator,
  seeded,
  simulatedCity,
  SIMULATED_COMPANY_NAMES,
  type SimUser,
} from '../support/graph-simulator';
import { startHarness, type Harness } from '../support/harness';
import { installPersonal, makeUser, message, personalConversationId, type TeamsUser } from '../support/teams';

// Generous: on the shared 2-core machine under a full test run (load 14) one run took over a minute.
jest.setTimeout(240_000);

const SCALE = 20; // Graph's limits ×20 in the simulator; the client keeps 90 % of that
const OFFICER = makeUser('Dana Digital');
const mapping = loadDistrictMapping('config/district-mapping.json');
const districtOf = (u: SimUser): District | undefined => mapping.resolve(u.companyName);
const isMember = (u: SimUser) => u.accountEnabled && u.userType === 'Member';

/** A Teams user for a directory person (their Entra object id is the aadObjectId Teams sends). */
function teamsUserOf(u: SimUser): TeamsUser {
  return { id: `29:${u.id}`, aadObjectId: u.id, name: '', locale: 'de-DE' };
}

async function inPool<T>(items: readonly T[], n: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

describe('directory audiences through the bot', () => {
  let h: Harness;
  let graphSim: GraphSimulator;
  const city = simulatedCity({ users: 2_000, groups: 3, groupSize: 120, seed: 21 });
  const byId = new Map(city.users.map((u) => [u.id, u]));
  const random = seeded(5);
  const shuffled = [...city.users].sort(() => random() - 0.5);
  const installedUsers = shuffled.slice(0, 300);
  const installedIds = new Set(installedUsers.map((u) => u.id));
  // Installed by an app setup policy, but Puls never stored their conversation: installing answers 409.
  const policyInstalled = shuffled.slice(300, 350).filter((u) => u.teamsLicensed !== false);
  const group = city.groups[0]!;
  const districts: District[] = ['altona', 'wandsbek'];

  /** Members of the audience, computed from the simulator's data. */
  function expectedAudience(): Set<string> {
    const inGroup = graphSim.transitiveUserIds(group.id);
    return new Set(
      graphSim
        .allUsers()
        .filter((u) => isMember(u) && (districts.includes(districtOf(u)!) || inGroup.has(u.id)))
        .map((u) => u.id),
    );
  }

  /** Survey cards of a run sent proactively, by conversation. */
  function surveySends(runId: string): Map<string, CapturedCall[]> {
    const out = new Map<string, CapturedCall[]>();
    for (const c of h.connector.calls) {
      if ((c.kind !== 'send' && c.kind !== 'reply') || !JSON.stringify(c.activity).includes(stepVerb(runId)))
        continue;
      out.set(c.conversationId, [...(out.get(c.conversationId) ?? []), c]);
    }
    return out;
  }

  async function startRun(
    audience: { districts: string; groupIds?: string } = {
      districts: districts.join(','),
      groupIds: group.id,
    },
  ): Promise<{ runId: string; text: string }> {
    const card = await h.invoke(OFFICER, 'run.start', {
      surveyId: TEST_SURVEY.id,
      closesAt: '2026-12-07',
      ...audience,
      groupNames: JSON.stringify({ [group.id]: group.displayName }),
    });
    const text = cardText(card);
    expect(text).toContain('Umfrage gestartet');
    const runId = /testumfrage-\d{4}-[a-z0-9]{4}/.exec(text)![0];
    await h.app.background.idle();
    return { runId, text };
  }

  beforeAll(async () => {
    graphSim = new GraphSimulator({ scale: SCALE, catalogAppId: 'puls-catalog' });
    await graphSim.start();
    graphSim.addUsers(city.users);
    for (const g of city.groups) graphSim.addGroup(g);
    for (const u of policyInstalled) graphSim.install(u.id);
    h = await startHarness({
      clock: new ManualClock('2026-11-23T09:00:00Z'),
      questionBank: bankOf(TEST_SURVEY),
      env: {
        OFFICER_AAD_IDS: OFFICER.aadObjectId,
        GRAPH_BASE_URL: graphSim.baseUrl,
        TEAMS_CATALOG_APP_ID: 'puls-catalog',
        SEND_RATE_PER_S: '400',
        LOG_LEVEL: 'warn',
      },
      app: {
        graphLimits: {
          directoryUnitsPer10s: GRAPH_DOCUMENTED_LIMITS.directoryUnitsPer10s * SCALE * 0.9,
          teamsReadPerSecond: GRAPH_DOCUMENTED_LIMITS.teamsReadPerSecond * SCALE * 0.9,
          teamsWritePerSecond: GRAPH_DOCUMENTED_LIMITS.teamsWritePerSecond * SCALE * 0.9,
        },
      },
    });
    await h.send(installPersonal(OFFICER, h.serviceUrl));
    await inPool(installedUsers, 8, async (u) => {
      const res = await h.send(installPersonal(teamsUserOf(u), h.serviceUrl));
      expect(res.status).toBe(200);
    });
    // The app started the first sync; this waits for it (or runs it, should it not be due yet).
    const directory = h.app.directory!;
    await directory.sync.tick();
    expect((await directory.repository.getSyncState())?.lastCompletedAt).toBeDefined();
  });

  afterAll(async () => {
    await h?.stop();
    await graphSim?.stop();
  });

  let firstRun: string;
  const unlicensed = new Set<string>();

  it('when the officer searches a group, then the start card offers it and says how many the selection reaches', async () => {
    const expected = expectedAudience();
    const installedInAudience = [...expected].filter((id) => installedIds.has(id)).length;
    const card = await h.invoke(OFFICER, 'run.preview', {
      surveyId: TEST_SURVEY.id,
      districts: districts.join(','),
      groupSearch: group.displayName.split(' ')[0]!,
    });
    const json = JSON.stringify(card);
    expect(json).toContain(`"value":"${group.id}"`);
    expect(json).toContain(`"title":"${group.displayName}"`);
    // Nothing is recorded as unreachable yet: everyone not installed is to be installed.
    const preview = await h.invoke(OFFICER, 'run.preview', {
      surveyId: TEST_SURVEY.id,
      districts: districts.join(','),
      groupIds: group.id,
    });
    expect(cardText(preview)).toContain(
      `erreicht: ${installedInAudience.toLocaleString('de-DE')} installiert, ${(expected.size - installedInAudience).toLocaleString('de-DE')} werden installiert, 0 nicht erreichbar`,
    );
  });

  it('when a run for two districts plus one group starts, then exactly its members get the card once each, installed through Graph where needed', async () => {
    const expected = expectedAudience();
    expect(expected.size).toBeGreaterThan(500);
    const toInstall = [...expected].filter((id) => !installedIds.has(id));
    for (const id of toInstall) if (byId.get(id)!.teamsLicensed === false) unlicensed.add(id);
    const byPolicy = toInstall.filter((id) => policyInstalled.some((u) => u.id === id));
    expect(unlicensed.size).toBeGreaterThan(0);
    expect(byPolicy.length).toBeGreaterThan(0);

    const { runId, text } = await startRun();
    firstRun = runId;
    const installedInAudience = expected.size - toInstall.length;
    expect(text).toContain(
      `${installedInAudience} von ${expected.size.toLocaleString('de-DE')} installiert, ${toInstall.length} werden installiert, 0 nicht erreichbar`,
    );

    // Frozen into the run: one delivery row per member, nobody else.
    const rows = new Map<string, { status: string; error: string | undefined }>();
    for await (const d of h.app.repositories.deliveries.listByRun(runId))
      rows.set(d.userId.toLowerCase(), { status: d.status, error: d.error });
    expect(new Set(rows.keys())).toEqual(expected);
    const run = await h.app.surveys.getRun(runId);
    expect(run?.audience).toEqual({
      kind: 'directory',
      everyone: false,
      districts,
      groups: [{ id: group.id, name: group.displayName }],
    });

    // Once each: the installed in their own chat, the others in the chat Graph's installation opened.
    const sends = surveySends(runId);
    const reached = new Set<string>();
    for (const id of expected) {
      if (unlicensed.has(id)) continue;
      const conversation = installedIds.has(id)
        ? personalConversationId(teamsUserOf(byId.get(id)!))
        : graphSim.chatIdOf(id);
      expect(sends.get(conversation)?.length).toBe(1);
      reached.add(conversation);
    }
    expect(new Set(sends.keys())).toEqual(reached);
    // People without a Teams licence: recorded as unreachable with the reason, not sent to.
    for (const id of unlicensed) {
      expect(rows.get(id)).toMatchObject({ status: 'failed', error: 'unreachable: no_teams_licence' });
    }
    const unreachable = await h.app.directory!.repository.unreachable();
    expect(new Set(unreachable.keys())).toEqual(unlicensed);
    expect([...unreachable.values()].every((r) => r.reason === 'no_teams_licence')).toBe(true);
    expect(graphSim.installsCreated).toBe(toInstall.length - unlicensed.size - byPolicy.length);
    expect(graphSim.conflicts).toBe(byPolicy.length);
    expect(graphSim.violations).toBe(0);
    expect(await h.app.repositories.deliveries.counts(runId)).toMatchObject({
      recipients: expected.size,
      sent: expected.size - unlicensed.size,
      failed: unlicensed.size,
      pending: 0,
    });
  });

  it('when someone Puls installed itself for answers, then the answer is stored with the district from the directory', async () => {
    const expected = expectedAudience();
    const person = [...expected].find(
      (id) => !installedIds.has(id) && !unlicensed.has(id) && districtOf(byId.get(id)!) === 'wandsbek',
    )!;
    const user = teamsUserOf(byId.get(person)!);
    const card = await h.invoke(user, `survey.answer:${firstRun}`, answerData());
    expect(cardText(card)).toContain('Danke');
    const responses = [];
    for await (const r of h.app.repositories.responses.listByRun(firstRun)) responses.push(r);
    // The person never chose a district in the settings: it comes from the directory.
    expect(responses.map((r) => r.district)).toEqual(['wandsbek']);
    // The settings card shows it, and offers no choice.
    h.connector.clear();
    await h.send(message(user, 'einstellungen', h.serviceUrl));
    const settings = JSON.stringify(h.connector.calls.at(-1)?.activity);
    expect(settings).toContain('Bereich (aus dem Verzeichnis)');
    expect(settings).not.toContain('"id":"district"');
  });

  it('when a delta sync moves one person to another district, then the next run leaves them out and the running one keeps them', async () => {
    const expected = expectedAudience();
    const altonaBefore = new Set(
      graphSim
        .allUsers()
        .filter((u) => isMember(u) && districtOf(u) === 'altona')
        .map((u) => u.id),
    );
    const inGroup = graphSim.transitiveUserIds(group.id);
    const mover = [...expected].find(
      (id) => installedIds.has(id) && districtOf(byId.get(id)!) === 'altona' && !inGroup.has(id),
    )!;
    graphSim.updateUser(mover, { companyName: SIMULATED_COMPANY_NAMES.harburg });
    expect(await h.app.directory!.sync.syncNow()).toMatchObject({
      outcome: 'synced',
      full: false,
      members: 1,
    });

    // The next run (for Altona alone, to keep the test short) no longer includes the mover.
    h.connector.clear();
    const { runId } = await startRun({ districts: 'altona' });
    const next = new Set<string>();
    for await (const d of h.app.repositories.deliveries.listByRun(runId)) next.add(d.userId.toLowerCase());
    expect(altonaBefore.has(mover)).toBe(true);
    expect(next).toEqual(new Set([...altonaBefore].filter((id) => id !== mover)));
    expect(surveySends(runId).has(personalConversationId(teamsUserOf(byId.get(mover)!)))).toBe(false);

    // The running audience stays as it was frozen: the mover may still answer the first run, not the second.
    const moverUser = teamsUserOf(byId.get(mover)!);
    expect(cardText(await h.invoke(moverUser, `survey.answer:${firstRun}`, answerData()))).toContain('Danke');
    expect(cardText(await h.invoke(moverUser, `survey.answer:${runId}`, answerData()))).not.toContain(
      'Danke',
    );
    const first = await h.app.surveys.getRun(firstRun);
    expect(first?.audienceSize).toBe(expected.size);
  });

  it('when the officer asks for the status, then it shows the directory against those Puls reaches', async () => {
    h.connector.clear();
    await h.send(message(OFFICER, 'status', h.serviceUrl));
    const text = cardText(cardOf(h.connector.calls.at(-1)));
    const members = graphSim.allUsers().filter(isMember).length;
    expect(text).toContain(`${members.toLocaleString('de-DE')} Beschäftigte, davon`);
    expect(text).toMatch(/davon [\d.]+ mit Puls, [\d.]+ nicht erreichbar/);
  });
});
