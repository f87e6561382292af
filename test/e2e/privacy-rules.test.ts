// The privacy rules that are about who is served and what stays, end to end over HTTP: another
// tenant's staff get a refusal and write nothing; "meine daten löschen" and uninstalling remove
// everything that names the person; what a reminder knew about who had not answered is deleted once
// it is sent, and retention deletes every partition a run created; the officers' channel comes only
// from OFFICERS_TEAM_ID (or, locally, the first team) and is never taken by another team.
import type { Activity } from 'botbuilder';
import { ManualClock } from '../../src/clock';
import { reminderJobId } from '../../src/surveys/jobs';
import { cardOf, cardText } from '../support/connector';
import { answerData, bankOf, TEST_SURVEY } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { contentOf, dumpTables } from '../support/tables';
import {
  installPersonal,
  installTeam,
  makeTeam,
  makeUser,
  message,
  personalConversationId,
  uninstallPersonal,
  type TeamsUser,
} from '../support/teams';

const HAMBURG = '11111111-2222-3333-4444-555555555555';
const ELSEWHERE = '99999999-8888-7777-6666-555555555555';

/** The same activity as if it came from another Entra tenant. */
function fromTenant<T extends Partial<Activity>>(activity: T, tenantId: string): T {
  return {
    ...activity,
    conversation: { ...activity.conversation!, tenantId },
    channelData: { ...(activity.channelData as object), tenant: { id: tenantId } },
  };
}

describe('tenants', () => {
  let h: Harness;
  const officer = makeUser('Tina Tenant');
  beforeAll(async () => {
    h = await startHarness({
      questionBank: bankOf(TEST_SURVEY),
      env: { ALLOWED_TENANT_IDS: HAMBURG, OFFICER_AAD_IDS: officer.aadObjectId, K_MIN: '3' },
    });
  });
  afterAll(() => h.stop());

  it('when someone of another tenant installs, writes, answers or supports, then they get a short refusal and nothing is written', async () => {
    // A run and an idea of Hamburg's staff exist.
    const staff = [makeUser('Hanna H'), makeUser('Hugo H'), makeUser('Heike H')];
    for (const u of [officer, ...staff]) {
      await h.send(installPersonal(u, h.serviceUrl));
      await h.invoke(u, 'settings.save', { language: 'de', district: 'altona', reminders: 'true' });
    }
    const started = await h.invoke(officer, 'run.start', {
      surveyId: TEST_SURVEY.id,
      closesAt: '2026-12-07',
      districts: '',
    });
    const runId = /testumfrage-\d{4}-[a-z0-9]{4}/.exec(cardText(started))![0];
    await h.app.background.idle();
    await h.invoke(staff[0]!, 'idea.submit', {
      title: 'Eine Idee aus Hamburg',
      description: 'Beschreibung',
      field: 'sonstiges',
      district: '',
      anonymous: 'false',
      confirm: 'true',
    });
    const ideaId = (await h.app.ideas.list({}, 'newest', undefined)).ideas[0]!.ideaId;

    const stranger = makeUser('Fremde Frieda');
    const before = contentOf(await dumpTables(h.app.store));
    h.connector.clear();
    const install = await h.send(fromTenant(installPersonal(stranger, h.serviceUrl), ELSEWHERE));
    expect(install.status).toBe(200);
    await h.send(fromTenant(message(stranger, 'hilfe', h.serviceUrl), ELSEWHERE));
    const replies = h.connector.messagesIn(personalConversationId(stranger));
    expect(replies).toHaveLength(1);
    expect(cardText(cardOf(replies[0]))).toContain('nicht freigegeben');
    for (const [verb, data] of [
      [`survey.answer:${runId}`, answerData()],
      ['idea.support', { ideaId, want: 'true' }],
      ['idea.submit', { title: 'Fremde Idee', description: 'x', field: 'sonstiges', confirm: 'true' }],
      ['settings.save', { language: 'de', district: 'altona', reminders: 'true' }],
    ] as const) {
      const res = await h.send(
        fromTenant(
          {
            ...message(stranger, '', h.serviceUrl),
            type: 'invoke',
            name: 'adaptiveCard/action',
            value: { action: { type: 'Action.Execute', verb, data: { verb, ...data } } },
          },
          ELSEWHERE,
        ),
      );
      expect(res.status).toBe(200);
      expect(cardText((res.body as { value: Record<string, unknown> }).value)).toContain('nicht freigegeben');
    }
    // An activity without any tenant is refused as well.
    const noTenant = message(stranger, 'umfrage', h.serviceUrl);
    delete (noTenant.conversation as { tenantId?: string }).tenantId;
    await h.send({ ...noTenant, channelData: {} });
    expect(contentOf(await dumpTables(h.app.store))).toBe(before);
    expect(
      (await h.app.results.participation((await h.app.surveys.getRun(runId))!)).participation.respondents,
    ).toBe(0);
  });
});

describe('erasure', () => {
  it('when a person asks to delete their data and confirms, then everything that names them goes and the card says what', async () => {
    const clock = new ManualClock('2026-11-23T09:00:00Z');
    const officer = makeUser('Erik Erasure');
    const leaving = makeUser('Lea Löscht');
    const others = [makeUser('Olga O'), makeUser('Otto O'), makeUser('Ole O'), makeUser('Oda O')];
    const h = await startHarness({
      clock,
      questionBank: bankOf(TEST_SURVEY),
      env: { OFFICER_AAD_IDS: officer.aadObjectId },
    });
    try {
      for (const u of [officer, leaving, ...others]) {
        await h.send(installPersonal(u, h.serviceUrl));
        await h.invoke(u, 'settings.save', { language: 'de', district: 'altona', reminders: 'true' });
      }
      const start = async (closesAt: string) => {
        const card = await h.invoke(officer, 'run.start', {
          surveyId: TEST_SURVEY.id,
          closesAt,
          districts: '',
        });
        await h.app.background.idle();
        return /testumfrage-\d{4}-[a-z0-9]{4}/.exec(cardText(card))![0];
      };
      const closed = await start('2026-11-25');
      const open = await start('2026-12-20');
      for (const u of [leaving, ...others]) {
        await h.invoke(u, `survey.answer:${closed}`, answerData());
        await h.invoke(u, `survey.answer:${open}`, answerData());
      }
      // The half-time reminder of the open run is due for the officer (who has not answered).
      clock.set('2026-11-24T09:00:00Z');
      await h.app.surveys.closeRun(closed);
      clock.set('2026-11-24T10:00:00Z');
      await h.app.sealer.sealDue();
      // Lea's ideas: one named, one anonymous; and her support of a colleague's idea.
      const submit = (u: TeamsUser, title: string, anonymous: boolean) =>
        h.invoke(u, 'idea.submit', {
          title,
          description: 'Beschreibung',
          field: 'sonstiges',
          district: '',
          anonymous: String(anonymous),
          confirm: 'true',
        });
      await submit(leaving, 'Leas benannte Idee', false);
      await submit(leaving, 'Leas anonyme Idee', true);
      await submit(others[0]!, 'Olgas Idee', false);
      const ideas = (await h.app.ideas.list({}, 'newest', undefined)).ideas;
      const idOf = (title: string) => ideas.find((i) => i.title === title)!.ideaId;
      await h.invoke(leaving, 'idea.support', { ideaId: idOf('Olgas Idee'), want: 'true' });
      expect((await h.app.ideas.get(idOf('Olgas Idee')))?.supportCount).toBe(1);

      h.connector.clear();
      await h.send(message(leaving, 'meine daten löschen', h.serviceUrl));
      const confirm = cardOf(h.connector.messagesIn(personalConversationId(leaving)).at(-1));
      expect(cardText(confirm)).toContain('Ihre Daten löschen?');
      expect(cardText(confirm)).toContain('bereits anonym');
      // Cancelling deletes nothing.
      const before = contentOf(await dumpTables(h.app.store));
      expect(cardText(await h.invoke(leaving, 'privacy.erase', { confirm: 'no' }))).toContain(
        'nichts gelöscht',
      );
      expect(contentOf(await dumpTables(h.app.store))).toBe(before);

      const done = await h.invoke(leaving, 'privacy.erase', { confirm: 'yes' });
      expect(cardText(done)).toContain('Ihre Daten sind gelöscht');
      expect(cardText(done)).toMatch(/1 Antworten auf laufende Umfragen/);

      const rows = await dumpTables(h.app.store);
      const everything = JSON.stringify(rows);
      for (const id of [leaving.aadObjectId, leaving.id, 'Lea Löscht', personalConversationId(leaving)]) {
        expect(everything).not.toContain(id);
      }
      // The named idea stays, as a former employee's; the anonymous one stays, unlinked.
      expect(await h.app.ideas.get(idOf('Leas benannte Idee'))).toMatchObject({
        submitterGone: true,
        submitterName: undefined,
      });
      expect(await h.app.repositories.ideas.getOwner(idOf('Leas benannte Idee'))).toBeUndefined();
      expect(await h.app.repositories.ideas.getOwner(idOf('Leas anonyme Idee'))).toBeUndefined();
      expect(await h.app.ideas.mine(leaving.aadObjectId)).toEqual([]);
      // Her support of the open idea is withdrawn; her answer to the open run is gone; the closed
      // run's answers are anonymous already and stay.
      expect((await h.app.ideas.get(idOf('Olgas Idee')))?.supportCount).toBe(0);
      expect(
        (await h.app.results.participation((await h.app.surveys.getRun(open))!)).participation.respondents,
      ).toBe(4);
      expect(
        (await h.app.results.participation((await h.app.surveys.getRun(closed))!)).participation.respondents,
      ).toBe(5);
      expect(await h.app.repositories.users.get(leaving.aadObjectId)).toBeUndefined();
      expect(await h.app.repositories.deliveries.get(open, leaving.aadObjectId)).toBeUndefined();
      expect(await h.app.repositories.deliveries.get(closed, leaving.aadObjectId)).toBeUndefined();
    } finally {
      await h.stop();
    }
  });

  it('when a person uninstalls Puls, then their profile, delivery rows and idea links go, their answers stay (they name nobody)', async () => {
    const officer = makeUser('Uwe Uninstall');
    const staff = [
      makeUser('Udo U'),
      makeUser('Ute U'),
      makeUser('Ulf U'),
      makeUser('Uta U'),
      makeUser('Urs U'),
    ];
    const h = await startHarness({
      questionBank: bankOf(TEST_SURVEY),
      env: { OFFICER_AAD_IDS: officer.aadObjectId },
    });
    try {
      for (const u of [officer, ...staff]) {
        await h.send(installPersonal(u, h.serviceUrl));
        await h.invoke(u, 'settings.save', { language: 'de', district: 'wandsbek', reminders: 'true' });
      }
      const card = await h.invoke(officer, 'run.start', {
        surveyId: TEST_SURVEY.id,
        closesAt: '2026-12-07',
        districts: '',
      });
      const runId = /testumfrage-\d{4}-[a-z0-9]{4}/.exec(cardText(card))![0];
      await h.app.background.idle();
      const leaving = staff[0]!;
      await h.invoke(leaving, `survey.answer:${runId}`, answerData());
      await h.invoke(leaving, 'idea.submit', {
        title: 'Udos Idee',
        description: 'Beschreibung',
        field: 'sonstiges',
        district: '',
        anonymous: 'true',
        confirm: 'true',
      });
      await h.send(uninstallPersonal(leaving, h.serviceUrl));
      const everything = JSON.stringify(await dumpTables(h.app.store));
      expect(everything).not.toContain(leaving.aadObjectId);
      expect(await h.app.ideas.mine(leaving.aadObjectId)).toEqual([]);
      expect(
        (await h.app.results.participation((await h.app.surveys.getRun(runId))!)).participation.respondents,
      ).toBe(1);
    } finally {
      await h.stop();
    }
  });
});

describe('reminder partitions and retention', () => {
  it('when a reminder went out, then its list of who had not answered is deleted, and retention later deletes every partition of the run', async () => {
    const clock = new ManualClock('2026-01-05T09:00:00Z');
    const officer = makeUser('Rita Retention');
    const staff = [makeUser('Rolf R'), makeUser('Rosi R'), makeUser('Rudi R'), makeUser('Ruth R')];
    const h = await startHarness({
      clock,
      questionBank: bankOf(TEST_SURVEY),
      env: { OFFICER_AAD_IDS: officer.aadObjectId, RETENTION_MONTHS: '1' },
    });
    try {
      for (const u of [officer, ...staff]) {
        await h.send(installPersonal(u, h.serviceUrl));
        await h.invoke(u, 'settings.save', { language: 'de', district: 'harburg', reminders: 'true' });
      }
      const card = await h.invoke(officer, 'run.start', {
        surveyId: TEST_SURVEY.id,
        closesAt: '2026-01-19',
        districts: '',
      });
      const runId = /testumfrage-\d{4}-[a-z0-9]{4}/.exec(cardText(card))![0];
      await h.app.background.idle();
      await h.invoke(staff[0]!, `survey.answer:${runId}`, answerData());
      clock.set('2026-01-12T18:00:00Z'); // past half time
      expect(await h.app.reminders.sendDue()).toBe(4);
      expect((await h.app.repositories.deliveries.counts(reminderJobId(runId, 'half'))).recipients).toBe(0);
      expect(
        await h.app.repositories.digests.getTask('reminder', reminderJobId(runId, 'half')),
      ).toMatchObject({
        status: 'done',
      });

      clock.set('2026-03-01T12:00:00Z'); // more than a month after the close
      await h.app.sealer.sealDue();
      expect(await h.app.retention.purge()).toMatchObject({ runs: 1, responses: 1 });
      const left = (await dumpTables(h.app.store)).filter(
        (r) =>
          r.partitionKey.startsWith(runId) ||
          r.rowKey.startsWith(runId) ||
          JSON.stringify(r.columns).includes(runId),
      );
      // Only the run itself (its definition and dates, no person) remains.
      expect(left.map((r) => r.table)).toEqual(['runs']);
    } finally {
      await h.stop();
    }
  });
});

describe("the officers' channel", () => {
  it('when OFFICERS_TEAM_ID is set, then only that team is the officers team, whichever team adds Puls first', async () => {
    const officer = makeUser('Otto Officer');
    const first = makeTeam('Kantine');
    const officers = makeTeam('Digitalisierung');
    const h = await startHarness({ env: { OFFICERS_TEAM_ID: officers.aadGroupId } });
    try {
      await h.send(installTeam(first, officer, h.serviceUrl));
      expect(cardText(cardOf(h.connector.messagesIn(first.id)[0]))).toContain('nicht als Kanal');
      expect(await h.app.installation.officersChannel()).toBeUndefined();
      await h.send(installTeam(officers, officer, h.serviceUrl));
      expect(cardText(cardOf(h.connector.messagesIn(officers.id)[0]))).toContain(
        'Kanal der Digitalisierungsbeauftragten',
      );
      expect((await h.app.installation.officersChannel())?.teamId).toBe(officers.id);
    } finally {
      await h.stop();
    }
  });
});
