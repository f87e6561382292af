// Pulse surveys end to end over HTTP: an officer starts a run, cards reach exactly the audience,
// answers are stored pseudonymously (and nothing else is written when someone answers), results
// come only after the run has closed and respect the privacy thresholds.
import { OutboxRepository } from '../../src/storage/outbox-repository';
import { reminderJobId } from '../../src/surveys/jobs';
import { TableClient } from '@azure/data-tables';
import { ManualClock } from '../../src/clock';
import { cardOf, cardText } from '../support/connector';
import { bankOf, answerData, TEST_SURVEY } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { testConnectionString } from '../support/storage';
import crypto from 'node:crypto';
import {
  cardAction,
  cardSubmit,
  installPersonal,
  makeUser,
  message,
  personalConversationId,
  type TeamsUser,
} from '../support/teams';

const OFFICER = makeUser('Dana Digital');

interface InvokeBody {
  statusCode: number;
  type: string;
  value: Record<string, unknown>;
}

describe('pulse surveys over HTTP', () => {
  let h: Harness;
  let clock: ManualClock;
  const altona = [makeUser('Anna A'), makeUser('Ben A'), makeUser('Cem A')];
  const wandsbek = [makeUser('Dora W'), makeUser('Emil W'), makeUser('Fenja W', 'en-US')];
  const harburg = [makeUser('Gesa H'), makeUser('Hauke H')];
  const noDistrict = makeUser('Ida Ohne');

  const invoke = (user: TeamsUser, verb: string, data: Record<string, unknown> = {}) =>
    h.invoke(user, verb, data);

  const lastCard = (user: TeamsUser) => cardOf(h.connector.messagesIn(personalConversationId(user)).at(-1));

  async function install(user: TeamsUser, district?: string) {
    await h.send(installPersonal(user, h.serviceUrl));
    if (district) {
      await invoke(user, 'settings.save', {
        language: user.locale?.startsWith('en') ? 'en' : 'de',
        district,
        reminders: 'true',
      });
    }
  }

  async function startRun(districts: string, closesAt = '2026-12-07'): Promise<string> {
    const card = await invoke(OFFICER, 'run.start', { surveyId: TEST_SURVEY.id, closesAt, districts });
    const text = cardText(card);
    expect(text).toContain('Umfrage gestartet');
    const runId = /testumfrage-\d{4}-[a-z0-9]{4}/.exec(text)?.[0];
    expect(runId).toBeDefined();
    await h.app.background.idle();
    return runId!;
  }

  /** Raw rows of a table, as Azure stores them: what an administrator with storage access sees. */
  async function rawRows(table: 'responses' | 'deliveries'): Promise<Record<string, unknown>[]> {
    const client = TableClient.fromConnectionString(testConnectionString(), h.app.store.tableName(table), {
      allowInsecureConnection: true,
    });
    const rows: Record<string, unknown>[] = [];
    for await (const e of client.listEntities()) {
      const { etag: _etag, timestamp: _ts, ...rest } = e as Record<string, unknown>;
      rows.push(rest);
    }
    return rows.sort((a, b) => String(a.rowKey).localeCompare(String(b.rowKey)));
  }

  const snapshot = async () => JSON.stringify([await rawRows('responses'), await rawRows('deliveries')]);

  beforeAll(async () => {
    clock = new ManualClock('2026-11-23T09:00:00Z');
    h = await startHarness({
      clock,
      questionBank: bankOf(TEST_SURVEY),
      env: { OFFICER_AAD_IDS: OFFICER.aadObjectId },
    });
    await install(OFFICER, 'hamburg-nord');
    for (const u of altona) await install(u, 'altona');
    for (const u of wandsbek) await install(u, 'wandsbek');
    for (const u of harburg) await install(u, 'harburg');
    await install(noDistrict);
  });
  afterAll(() => h.stop());

  let runId: string;

  it('when an officer starts a run for two districts, then exactly their staff get the card', async () => {
    h.connector.clear();
    runId = await startRun('altona,wandsbek');
    const receivers = new Set(
      h.connector.calls.filter((c) => c.kind !== 'update').map((c) => c.conversationId),
    );
    expect([...receivers].sort()).toEqual([...altona, ...wandsbek].map(personalConversationId).sort());
    const card = lastCard(altona[0]!);
    expect(cardText(card)).toContain('Ich habe die Werkzeuge, die ich brauche.');
    // The stepped card: question 1 first; pressing a choice goes on (survey.step), nothing stored yet.
    expect(JSON.stringify(card)).toContain(`"verb":"survey.step:${runId}"`);
    // The English user gets the English card.
    expect(cardText(lastCard(wandsbek[2]!))).toContain('I have the tools I need.');
    const counts = await h.app.repositories.deliveries.counts(runId);
    expect(counts).toMatchObject({ recipients: 6, sent: 6, failed: 0, pending: 0 });
  });

  it('when a non-officer tries to start a run, then it is refused and nothing starts', async () => {
    const before = await h.app.repositories.runs.list();
    const card = await invoke(altona[0]!, 'run.start', { surveyId: TEST_SURVEY.id, closesAt: '2026-12-07' });
    expect(cardText(card)).toContain('Nur für Digitalisierungsbeauftragte');
    expect(await h.app.repositories.runs.list()).toHaveLength(before.length);
  });

  it('when five answer, one changes and one double-clicks, then exactly five pseudonymous rows hold the latest answers and nothing else was written', async () => {
    const [a1, a2, a3] = altona as [TeamsUser, TeamsUser, TeamsUser];
    const [w1, w2] = wandsbek as [TeamsUser, TeamsUser];
    const deliveriesBefore = JSON.stringify(await rawRows('deliveries'));
    const usersBefore = JSON.stringify(await h.app.repositories.users.get(a1.aadObjectId));

    const thanks = await invoke(
      a1,
      `survey.answer:${runId}`,
      answerData({ q_tools: '5', q_recommend: '10' }),
    );
    expect(cardText(thanks)).toContain('Danke – Ihre Antwort ist gespeichert');
    expect(cardText(thanks)).toContain('5 von 5 – trifft voll zu');
    expect(JSON.stringify(thanks)).toContain(`"verb":"survey.edit:${runId}"`);

    await invoke(a2, `survey.answer:${runId}`, answerData({ q_tools: '4', q_recommend: '8' }));
    // a3 answers, then changes the answer through "Antwort ändern".
    await invoke(a3, `survey.answer:${runId}`, answerData({ q_tools: '1', q_recommend: '0' }));
    const form = await invoke(a3, `survey.edit:${runId}`);
    // The saved answer comes back as the summary to change (test/e2e/stepped-survey.test.ts).
    expect(JSON.stringify(form)).toContain('"q_tools":"1"');
    await invoke(
      a3,
      `survey.answer:${runId}`,
      answerData({ q_tools: '3', q_recommend: '6', q_mode: 'office' }),
    );
    // w1 double-clicks: two identical invokes at the same moment.
    await Promise.all([
      invoke(w1, `survey.answer:${runId}`, answerData({ q_tools: '2', q_recommend: '9' })),
      invoke(w1, `survey.answer:${runId}`, answerData({ q_tools: '2', q_recommend: '9' })),
    ]);
    // w2 answers through the Action.Submit fallback.
    await h.send(
      cardSubmit(
        w2,
        { verb: `survey.answer:${runId}`, ...answerData({ q_tools: '0', q_recommend: '7' }) },
        h.serviceUrl,
      ),
    );

    const rows = await rawRows('responses');
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(row.rowKey).toMatch(/^[0-9a-f]{64}$/);
      // No user id, no date: only the answers and the district from the person's settings.
      expect(Object.keys(row).sort()).toEqual(['answers', 'district', 'partitionKey', 'rowKey']);
    }
    const raw = JSON.stringify(rows);
    for (const u of [...altona, ...wandsbek, ...harburg, OFFICER]) {
      for (const secret of [u.id, u.aadObjectId, u.name, personalConversationId(u)])
        expect(raw).not.toContain(secret);
    }
    const tools = rows.map((r) => (JSON.parse(String(r.answers)) as { tools: number }).tools).sort();
    expect(tools).toEqual([0, 2, 3, 4, 5]); // a3's changed answer (3), not the first one (1)
    expect(rows.map((r) => r.district).sort()).toEqual([
      'altona',
      'altona',
      'altona',
      'wandsbek',
      'wandsbek',
    ]);

    // Nothing that names a person was written when they answered: no flag, no timestamp, nothing.
    expect(JSON.stringify(await rawRows('deliveries'))).toBe(deliveriesBefore);
    expect(JSON.stringify(await h.app.repositories.users.get(a1.aadObjectId))).toBe(usersBefore);
  });

  it('when an officer asks for the results of an open run, then only participation is shown', async () => {
    h.connector.clear();
    await h.send(message(OFFICER, `ergebnisse ${runId}`, h.serviceUrl));
    const card = lastCard(OFFICER);
    const text = cardText(card);
    expect(text).toContain('Testumfrage');
    expect(text).toContain('läuft noch');
    expect(figure(card, 'p.respondents')).toBe('5');
    expect(text).not.toContain('Mittelwert');
    expect(text).not.toContain('NPS');
  });

  it('when a run ends with four respondents, then its results show nothing but participation', async () => {
    const small = await startRun('altona,harburg');
    for (const u of [...altona.slice(0, 2), ...harburg])
      await invoke(u, `survey.answer:${small}`, answerData());
    await h.invoke(OFFICER, `run.close:${small}`, { confirm: 'yes' });
    h.connector.clear();
    await h.send(message(OFFICER, `ergebnisse ${small}`, h.serviceUrl));
    const card = lastCard(OFFICER);
    const text = cardText(card);
    expect(figure(card, 'p.respondents')).toBe('4');
    expect(text).toContain('Zu wenige Antworten');
    expect(text).not.toContain('Mittelwert');
    expect(text).not.toContain('NPS');
  });

  it('when an officer starts a run for fewer than K people, then it is refused with the reason and nothing starts', async () => {
    const before = await h.app.repositories.runs.list();
    const card = await invoke(OFFICER, 'run.start', {
      surveyId: TEST_SURVEY.id,
      closesAt: '2026-12-07',
      districts: 'harburg',
    });
    expect(cardText(card)).toMatch(/nur bei 2 Personen[\s\S]*mindestens 5/);
    expect(await h.app.repositories.runs.list()).toHaveLength(before.length);
    expect(
      cardText(
        await invoke(OFFICER, 'run.start', {
          surveyId: TEST_SURVEY.id,
          closesAt: '2026-12-07',
          districts: 'altona,mars',
        }),
      ),
    ).toContain('nur Bereiche aus der Liste');
  });

  it('when an employee types "umfrage", then the open runs they have not answered come back', async () => {
    h.connector.clear();
    await h.send(message(wandsbek[2]!, 'survey', h.serviceUrl));
    const msgs = h.connector.messagesIn(personalConversationId(wandsbek[2]!));
    expect(msgs).toHaveLength(1);
    expect(JSON.stringify(cardOf(msgs[0]))).toContain(`survey.step:${runId}`);

    h.connector.clear();
    await h.send(message(altona[0]!, 'umfrage', h.serviceUrl));
    // Anna answered both runs already.
    expect(cardText(lastCard(altona[0]!))).toContain('Keine offenen Umfragen');
  });

  it('when officers list the runs, then delivered and answered counts and the rate show', async () => {
    h.connector.clear();
    await h.send(message(OFFICER, 'umfragen', h.serviceUrl));
    const text = cardText(lastCard(OFFICER));
    expect(text).toContain(runId);
    expect(text).toContain('6 / 6');
    expect(text).toMatch(/83\s%/); // 5 of 6
  });

  describe('bad submissions get a clear card and change nothing', () => {
    const gesa = harburg[0]!;
    const ben = altona[1]!;
    const cases: [string, () => Promise<Record<string, unknown>>, RegExp][] = [
      ['wrong run', () => invoke(ben, 'survey.answer:kulturwandel-0101-zzzz', answerData()), /gibt es nicht/],
      ['outsider', () => invoke(gesa, `survey.answer:${runId}`, answerData()), /andere Bereiche/],
      [
        'no district set',
        () => invoke(noDistrict, `survey.answer:${runId}`, answerData()),
        /andere Bereiche/,
      ],
      [
        'out of range',
        () => invoke(ben, `survey.answer:${runId}`, answerData({ q_tools: '7' })),
        /Wert aus der Liste/,
      ],
      [
        'NPS out of range',
        () => invoke(ben, `survey.answer:${runId}`, answerData({ q_recommend: '11' })),
        /Wert aus der Liste/,
      ],
      [
        'wrong type',
        () => invoke(ben, `survey.answer:${runId}`, answerData({ q_tools: 'viel' })),
        /falsche Format/,
      ],
      [
        'object instead of value',
        () => invoke(ben, `survey.answer:${runId}`, answerData({ q_mode: { $ne: 1 } })),
        /falsche Format/,
      ],
      [
        'missing required',
        () => invoke(ben, `survey.answer:${runId}`, answerData({ q_mode: undefined })),
        /beantworten Sie diese Frage/,
      ],
      [
        'unknown choice',
        () => invoke(ben, `survey.answer:${runId}`, answerData({ q_mode: 'beach' })),
        /nur Antworten aus der Liste/,
      ],
      [
        'too many choices',
        () => invoke(ben, `survey.answer:${runId}`, answerData({ q_formats: 'chat,wiki,video' })),
        /höchstens 2/,
      ],
      [
        'unknown field',
        () => invoke(ben, `survey.answer:${runId}`, answerData({ q_salary: '5' })),
        /unbekannte Felder/,
      ],
      [
        'oversized text',
        () => invoke(ben, `survey.answer:${runId}`, answerData({ q_comment: 'x'.repeat(201) })),
        /höchstens 200 Zeichen/,
      ],
      [
        'injected markup',
        () =>
          invoke(ben, `survey.answer:${runId}`, answerData({ q_comment: '<img src=x onerror=alert(1)>' })),
        /ohne HTML/,
      ],
      [
        'markdown link',
        () =>
          invoke(ben, `survey.answer:${runId}`, answerData({ q_comment: '[hier](https://evil.example)' })),
        /ohne HTML/,
      ],
      [
        "another user's data",
        () =>
          invoke(
            ben,
            `survey.answer:${runId}`,
            answerData({ userId: altona[0]!.aadObjectId, pseudonym: 'a'.repeat(64) }),
          ),
        /unbekannte Felder/,
      ],
      [
        'empty payload',
        async () => {
          const res = await h.send({ ...cardAction(ben, 'x', {}, h.serviceUrl), value: {} });
          return (res.body as InvokeBody).value;
        },
        /nicht mehr verfügbar/,
      ],
      ['verb without run', () => invoke(ben, 'survey.answer', answerData()), /gibt es nicht/],
    ];

    it.each(cases)(
      'when the submission is "%s", then a clear card answers and storage is unchanged',
      async (_name, submit, expected) => {
        const before = await snapshot();
        const card = await submit();
        expect(cardText(card)).toMatch(expected);
        expect(await snapshot()).toBe(before);
      },
    );

    it('when an invalid form comes back, then the step of the first error shows it and the valid entries stay on the card', async () => {
      const card = await invoke(
        ben,
        `survey.answer:${runId}`,
        answerData({ q_tools: '7', q_comment: 'bleibt stehen' }),
      );
      const text = cardText(card);
      expect(text).toContain('Frage 1 von 5');
      expect(text).toContain('Wert aus der Liste');
      // The stepped card carries the valid answers in its action data.
      expect(JSON.stringify(card)).toContain('"comment":"bleibt stehen"');
    });

    it('when the run is closed early, then answers and replays get the closed card and nothing changes', async () => {
      h.connector.clear();
      await h.send(message(OFFICER, `umfrage beenden ${runId}`, h.serviceUrl));
      // First the question, with what becomes final; then the officer confirms.
      expect(cardText(lastCard(OFFICER))).toMatch(
        /Umfrage jetzt beenden\?[\s\S]*Die 5 Antworten werden damit endgültig/,
      );
      expect(await h.app.surveys.getRun(runId).then((r) => h.app.surveys.isOpen(r!))).toBe(true);
      // With final results the officer is asked at once for the statement that goes back to the staff.
      expect(cardText(await h.invoke(OFFICER, `run.close:${runId}`, { confirm: 'yes' }))).toContain(
        'Beendet: Testumfrage',
      );
      clock.advance(5 * 60_000);
      await h.app.sealer.sealDue();
      const before = await snapshot();
      // A replay of Anna's earlier, valid answer, and Ben's first answer.
      const replay = await invoke(altona[0]!, `survey.answer:${runId}`, answerData({ q_tools: '1' }));
      expect(cardText(replay)).toContain('Diese Umfrage ist beendet');
      expect(cardText(await invoke(ben, `survey.answer:${runId}`, answerData()))).toContain(
        'Diese Umfrage ist beendet',
      );
      expect(cardText(await invoke(ben, `survey.edit:${runId}`))).toContain('Diese Umfrage ist beendet');
      expect(await snapshot()).toBe(before);
    });

    it('when the closing date passes, then the run closes by itself', async () => {
      const later = await startRun('altona,wandsbek', '2026-11-30');
      clock.set('2026-11-30T22:59:59.000Z'); // 23:59:59 in Hamburg: still open
      expect(cardText(await invoke(wandsbek[0]!, `survey.answer:${later}`, answerData()))).toContain('Danke');
      clock.set('2026-11-30T23:00:00.000Z'); // midnight in Hamburg
      const before = await snapshot();
      expect(cardText(await invoke(wandsbek[1]!, `survey.answer:${later}`, answerData()))).toContain(
        'beendet',
      );
      expect(await snapshot()).toBe(before);
      clock.set('2026-11-23T09:00:00Z');
    });
  });

  it('when the run has closed, then the officer sees its final figures, the same every time, also after a digest preview', async () => {
    const ask = async () => {
      h.connector.clear();
      await h.send(message(OFFICER, `ergebnisse ${runId}`, h.serviceUrl));
      return lastCard(OFFICER);
    };
    const first = await ask();
    expect(cardText(first)).toContain('beendet am');
    // tools: 5, 4, 3, 2 and one "keine Angabe": four substantive answers are fewer than K = 5, so
    // the item is hidden as a whole (its distribution would give away the mean).
    expect(figure(first, 'q.tools.mean')).toBeUndefined();
    expect(figure(first, 'q.tools.n.5')).toBeUndefined();
    expect(cardText(first)).toContain('Weniger als 5 Antworten auf diese Frage');
    expect([figure(first, 'q.mode.n.office'), figure(first, 'q.mode.n.mobile')]).toEqual(['1', '4']);
    // recommend: 10, 8, 6, 9, 7 → 2 promoters, 2 passives, 1 detractor → NPS +20.
    expect(figure(first, 'q.recommend.nps')).toContain('+20');
    expect(figure(first, 'q.recommend.mean')).toContain('8,0');
    const second = await ask();
    await h.send(message(OFFICER, 'digest', h.serviceUrl));
    const third = await ask();
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(JSON.stringify(third)).toBe(JSON.stringify(first));
  });
});

/** The text of the card element with this id (every figure on a results card has one). */
function figure(card: Record<string, unknown>, id: string): string | undefined {
  let found: string | undefined;
  JSON.stringify(card, (_key, value: unknown) => {
    if (value && typeof value === 'object' && (value as { id?: unknown }).id === id) {
      found = String((value as { text?: unknown }).text);
    }
    return value;
  });
  return found;
}

describe('delivery failures', () => {
  it('when Teams refuses one recipient, then that delivery is recorded as failed with the error and the others as sent', async () => {
    const officer = makeUser('Olaf Officer');
    const blocked = makeUser('Bea Blockiert');
    const fine = makeUser('Fritz Fein');
    let blocking = false;
    const h = await startHarness({
      questionBank: bankOf(TEST_SURVEY),
      env: { OFFICER_AAD_IDS: officer.aadObjectId, K_MIN: '3' },
      connector: {
        // Once the run starts, Teams answers 403 for the blocked user (the app was blocked there).
        respond: (call) =>
          blocking && call.conversationId === personalConversationId(blocked) ? 403 : undefined,
      },
    });
    try {
      for (const u of [officer, blocked, fine]) {
        await h.send(installPersonal(u, h.serviceUrl));
        await h.send(
          cardAction(
            u,
            'settings.save',
            { language: 'de', district: 'bergedorf', reminders: 'true' },
            h.serviceUrl,
          ),
        );
      }
      blocking = true;
      const res = await h.send(
        cardAction(
          officer,
          'run.start',
          { surveyId: TEST_SURVEY.id, closesAt: '2026-12-07', districts: 'bergedorf' },
          h.serviceUrl,
        ),
      );
      const runId = /testumfrage-\d{4}-[a-z0-9]{4}/.exec(cardText((res.body as InvokeBody).value))![0];
      await h.app.background.idle();
      const failed = await h.app.repositories.deliveries.get(runId, blocked.aadObjectId);
      expect(failed?.status).toBe('failed');
      expect(failed?.error).toContain('403');
      expect((await h.app.repositories.deliveries.get(runId, fine.aadObjectId))?.status).toBe('sent');
      // The officer's "Starten" card became the progress card, updated in place with the final figures.
      const progress = h.connector.calls.filter(
        (c) => c.kind === 'update' && c.conversationId === personalConversationId(officer),
      );
      expect(progress.length).toBeGreaterThanOrEqual(1);
      const final = cardText(cardOf(progress.at(-1)));
      expect(final).toContain('Umfrage gesendet');
      expect(final).toContain('2 von 3');
      expect(final).toMatch(/Fehlgeschlagen\s+1/);
      expect(await h.app.repositories.deliveries.counts(runId)).toMatchObject({
        recipients: 3,
        sent: 2,
        failed: 1,
      });
    } finally {
      await h.stop();
    }
  });

  it('when an instance died mid-delivery, then the next one sends the rest and goes on updating the progress card with the whole run', async () => {
    const officer = makeUser('Pia Progress');
    const staff = [makeUser('Sven Eins'), makeUser('Sara Zwei'), makeUser('Sami Drei')];
    const h = await startHarness({
      questionBank: bankOf(TEST_SURVEY),
      env: { OFFICER_AAD_IDS: officer.aadObjectId },
    });
    try {
      for (const u of [officer, ...staff]) {
        await h.send(installPersonal(u, h.serviceUrl));
        await h.invoke(u, 'settings.save', { language: 'de', district: 'bergedorf', reminders: 'true' });
      }
      // What the instance that died left behind: the run with its progress card, the outbox with one
      // card sent (and marked), two still pending.
      const officerRecord = (await h.app.repositories.users.get(officer.aadObjectId))!;
      const run = {
        runId: 'testumfrage-2311-dead',
        survey: TEST_SURVEY,
        audience: { kind: 'districts' as const, districts: ['bergedorf' as const] },
        startedAt: new Date('2026-11-23T09:00:00Z'),
        closesAt: new Date('2099-12-07T22:59:59Z'),
        closedAt: undefined,
        startedBy: officer.aadObjectId,
        audienceSize: 3,
        progressCard: {
          reference: officerRecord.reference,
          activityId: 'start-card-1',
          locale: 'de' as const,
        },
      };
      await h.app.pseudonyms.create('run', run.runId);
      await h.app.repositories.runs.create(run);
      const recipients = await Promise.all(
        staff.map(async (u) => {
          const user = (await h.app.repositories.users.get(u.aadObjectId))!;
          return { userId: user.userId, reference: user.reference, locale: 'de' as const };
        }),
      );
      const outbox = new OutboxRepository(h.app.store);
      await outbox.enqueue(run.runId, recipients, new Date());
      // The card to the first recipient went out and was marked sent before the instance died.
      for (const pk of outbox.partitions(run.runId)) {
        for await (const item of outbox.due(pk, new Date())) {
          if (item.userId !== staff[0]!.aadObjectId) continue;
          const etag = (await outbox.claim(item, new Date(Date.now() + 60_000), 'instance-before'))!;
          await outbox.markSent(item, etag, 'msg-before', 200, new Date());
        }
      }
      h.connector.clear();

      h.app.resumeDeliveries();
      await h.app.background.idle();

      const receivers = h.connector.calls.filter((c) => c.kind !== 'update').map((c) => c.conversationId);
      expect(receivers.sort()).toEqual([staff[1]!, staff[2]!].map(personalConversationId).sort());
      const updates = h.connector.calls.filter(
        (c) => c.kind === 'update' && c.conversationId === personalConversationId(officer),
      );
      expect(updates.length).toBeGreaterThanOrEqual(1);
      expect(updates.every((c) => c.activityId === 'start-card-1')).toBe(true);
      // The whole run, not just what this instance sent: 3 of 3.
      expect(cardText(cardOf(updates.at(-1)))).toContain('3 von 3');
      expect(await h.app.repositories.runs.get(run.runId)).toMatchObject({
        progressCard: { activityId: 'start-card-1', locale: 'de' },
      });

      // Another restart: the run's delivery is complete, so nobody gets anything and the card stays.
      h.connector.clear();
      h.app.resumeDeliveries();
      await h.app.background.idle();
      expect(h.connector.calls).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});

describe('reminders', () => {
  it('when a run reaches half time and the day before it closes, then each reminder reaches exactly those who have not answered and want reminders — two at most', async () => {
    const clock = new ManualClock('2026-11-23T09:00:00Z');
    const officer = makeUser('Rosa Reminder');
    const answered = makeUser('Anton Antwortet');
    const waiting = makeUser('Wilma Wartet');
    const optedOut = makeUser('Otto Ohne');
    const late = makeUser('Lena Später');
    const h = await startHarness({
      clock,
      questionBank: bankOf(TEST_SURVEY),
      env: { OFFICER_AAD_IDS: officer.aadObjectId },
    });
    const act = async (u: TeamsUser, verb: string, data: Record<string, unknown>) =>
      ((await h.send(cardAction(u, verb, data, h.serviceUrl))).body as InvokeBody).value;
    try {
      for (const [u, reminders] of [
        [officer, 'true'],
        [answered, 'true'],
        [waiting, 'true'],
        [optedOut, 'false'],
        [late, 'true'],
      ] as const) {
        await h.send(installPersonal(u, h.serviceUrl));
        await act(u, 'settings.save', { language: 'de', district: 'bergedorf', reminders });
      }
      const started = await act(officer, 'run.start', {
        surveyId: TEST_SURVEY.id,
        closesAt: '2026-12-07',
        districts: 'bergedorf',
      });
      const runId = /testumfrage-\d{4}-[a-z0-9]{4}/.exec(cardText(started))![0];
      await h.app.background.idle();
      await act(answered, `survey.answer:${runId}`, answerData());
      const remindedNow = async () => {
        h.connector.clear();
        const n = await h.app.reminders.sendDue();
        return { n, to: new Set(h.connector.calls.map((c) => c.conversationId)) };
      };

      expect((await remindedNow()).n).toBe(0); // not yet: before half time
      clock.set('2026-11-30T17:00:00Z'); // past half time (23 Nov 09:00 – 7 Dec 23:59 Hamburg)
      const half = await remindedNow();
      expect(half.n).toBe(3);
      expect(half.to).toEqual(new Set([officer, waiting, late].map(personalConversationId)));
      const card = cardOf(h.connector.messagesIn(personalConversationId(waiting))[0]);
      expect(cardText(card)).toContain('Erinnerung');
      expect(JSON.stringify(card)).toContain(`survey.step:${runId}`);
      // Who had not answered is not kept once the reminder is out.
      expect((await h.app.repositories.deliveries.counts(reminderJobId(runId, 'half'))).recipients).toBe(0);
      expect((await remindedNow()).n).toBe(0); // once per reminder, whatever instance checks again

      await act(late, `survey.answer:${runId}`, answerData());
      clock.set('2026-12-06T23:30:00Z'); // within a day of the close
      const last = await remindedNow();
      expect(last.to).toEqual(new Set([officer, waiting].map(personalConversationId)));
      // Never more than two per run.
      clock.set('2026-12-07T20:00:00Z');
      expect((await remindedNow()).n).toBe(0);
    } finally {
      await h.stop();
    }
  });
});

describe('run ids', () => {
  it('when the id drawn for a new run is already taken that day, then another is drawn and both runs keep their own', async () => {
    const officer = makeUser('Rita Runid');
    const staff = [makeUser('Uwe Eins'), makeUser('Vera Zwei'), makeUser('Wim Drei')];
    const h = await startHarness({
      clock: new ManualClock('2026-11-23T09:00:00Z'),
      questionBank: bankOf(TEST_SURVEY),
      env: { OFFICER_AAD_IDS: officer.aadObjectId, K_MIN: '3' },
    });
    // The id's random part comes from three random bytes: the first two runs draw the same ones.
    const draws = [Buffer.from('aaaaaa', 'hex'), Buffer.from('aaaaaa', 'hex'), Buffer.from('bbbbbb', 'hex')];
    const original = crypto.randomBytes;
    const spy = jest
      .spyOn(crypto, 'randomBytes')
      .mockImplementation(((size: number) =>
        size === 3 && draws.length > 0 ? draws.shift()! : original(size)) as typeof crypto.randomBytes);
    try {
      for (const u of [officer, ...staff]) await h.send(installPersonal(u, h.serviceUrl));
      const first = await h.app.surveys.startRun({ surveyId: TEST_SURVEY.id, closesAt: '2026-12-07' }, 'o');
      const second = await h.app.surveys.startRun({ surveyId: TEST_SURVEY.id, closesAt: '2026-12-07' }, 'o');
      await h.app.background.idle();
      expect(first.ok && second.ok).toBe(true);
      if (!first.ok || !second.ok) return;
      expect(first.run.runId).toBe('testumfrage-2311-qqqq');
      expect(second.run.runId).toBe('testumfrage-2311-u7u7');
      expect(draws).toHaveLength(0);
      // The first run is untouched: same start, its own secret (answers of each land in their own run).
      expect((await h.app.repositories.runs.get(first.run.runId))?.startedAt).toEqual(first.run.startedAt);
      const answerAs = async (runId: string) => h.invoke(staff[0]!, `survey.answer:${runId}`, answerData());
      await answerAs(first.run.runId);
      await answerAs(second.run.runId);
      expect(await h.app.repositories.responses.count(first.run.runId)).toBe(1);
      expect(await h.app.repositories.responses.count(second.run.runId)).toBe(1);
    } finally {
      spy.mockRestore();
      await h.stop();
    }
  });
});
