// The directory's pieces in the bot, without storage or Graph: the installing messenger (installs only
// where there is no conversation, sends into the chat Graph opened, maps unreachable people and Graph
// failures onto what the delivery engine records or retries), and the cards that show the directory
// (start card with groups and reach, settings with the district from the directory, privacy with the
// attributes read) — valid Adaptive Cards in German and English.
import type { Activity, ConversationReference } from 'botbuilder';
import { renderPrivacy, renderSettings } from '../../cards';
import { audienceText, reachText, renderRunStart } from '../../cards/surveys';
import { classifySendError } from '../../src/delivery/rate-limiter';
import { GraphError } from '../../src/directory/graph-client';
import type { ChatReference, InstallOutcome } from '../../src/directory/installer';
import {
  installReference,
  InstallingMessenger,
  UnreachableError,
} from '../../src/directory/installing-messenger';
import type { Locale } from '../../src/i18n';
import type { Run } from '../../src/surveys/model';
import { validateCard } from '../support/adaptive-cards';
import { cardText } from '../support/connector';
import { TEST_SURVEY } from '../support/fixtures';

const USER = '0f8b2c1e-1111-4222-8333-444455556666';
const GROUP = '9a8b7c6d-1111-4222-8333-444455556666';

function chatOf(userId: string): ChatReference {
  return {
    serviceUrl: 'https://smba.example/teams/',
    channelId: 'msteams',
    conversation: {
      id: `19:chat-${userId}`,
      conversationType: 'personal',
      isGroup: false,
      tenantId: 't',
      name: '',
    },
    bot: { id: '28:app', name: 'Puls' },
    user: { id: userId, aadObjectId: userId, name: '' },
  };
}

function setup(outcome: () => Promise<InstallOutcome>) {
  const sent: { reference: Partial<ConversationReference>; activity: Partial<Activity> }[] = [];
  const installs: string[] = [];
  const stored: string[] = [];
  const messenger = new InstallingMessenger({
    inner: {
      send: (reference, activity) => {
        sent.push({ reference, activity });
        return Promise.resolve(`msg-${sent.length}`);
      },
    },
    installer: {
      install: (userId) => {
        installs.push(userId);
        return outcome();
      },
    },
    onReached: (userId) => {
      stored.push(userId);
      return Promise.resolve();
    },
  });
  return { messenger, sent, installs, stored };
}

describe('installing messenger', () => {
  it('when the recipient has a conversation, then it sends there and installs nothing', async () => {
    const { messenger, sent, installs } = setup(() => Promise.reject(new Error('not called')));
    const reference = chatOf(USER);
    await messenger.send(reference, { text: 'hi' });
    expect(installs).toEqual([]);
    expect(sent.map((s) => s.reference)).toEqual([reference]);
  });

  it('when the recipient has none, then it installs once, stores the chat and sends into it (again without installing)', async () => {
    const { messenger, sent, installs, stored } = setup(() =>
      Promise.resolve({ kind: 'reachable', reference: chatOf(USER), installedNow: true }),
    );
    await messenger.send(installReference(USER.toUpperCase()), { text: 'card' });
    await messenger.send(installReference(USER), { text: 'reminder' });
    expect(installs).toEqual([USER]);
    expect(stored).toEqual([USER]);
    expect(sent.map((s) => s.reference.conversation?.id)).toEqual([`19:chat-${USER}`, `19:chat-${USER}`]);
  });

  it('when the person has no Teams licence, then the send fails for good with the reason', async () => {
    const { messenger, sent } = setup(() =>
      Promise.resolve({ kind: 'unreachable', reason: 'no_teams_licence', detail: '403 Forbidden' }),
    );
    const err = await messenger.send(installReference(USER), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toBe('unreachable: no_teams_licence');
    expect(classifySendError(err).kind).toBe('permanent');
    expect(sent).toEqual([]);
  });

  it('when Graph stays throttled, then the engine retries the row; when the permission is missing, it fails for good', async () => {
    const throttled = setup(() => Promise.reject(new GraphError(429, 'TooManyRequests', 'slow down', true)));
    const transient = await throttled.messenger.send(installReference(USER), {}).catch((e: unknown) => e);
    expect(classifySendError(transient).kind).toBe('retry');
    const denied = setup(() =>
      Promise.reject(new GraphError(403, 'Authorization_RequestDenied', 'no permission', false)),
    );
    const final = await denied.messenger.send(installReference(USER), {}).catch((e: unknown) => e);
    expect(classifySendError(final).kind).toBe('permanent');
    expect((final as Error).message).toContain('no permission');
  });
});

describe('directory cards', () => {
  const locales: Locale[] = ['de', 'en'];

  it.each(locales)(
    'when groups were found and the reach is known (%s), then the start card offers them and says the reach',
    (locale) => {
      const card = renderRunStart(locale, {
        surveys: [TEST_SURVEY],
        minDate: '2026-11-24',
        maxDate: '2027-02-20',
        closesAt: '2026-12-07',
        districts: ['altona'],
        directory: true,
        groupSearch: 'Digital',
        groupChoices: [{ id: GROUP, name: 'Digitalisierungsbeauftragte' }],
        groupIds: [GROUP],
        reach: reachText(locale, {
          kind: 'directory',
          reach: { installed: 1200, installing: 340, unreachable: 12 },
        }),
      });
      expect(validateCard(card)).toEqual([]);
      const json = JSON.stringify(card);
      expect(json).toContain(`"value":"${GROUP}"`);
      expect(json).not.toContain('${');
      // The names travel with the buttons.
      const start = (card.actions as { data: { groupNames: string } }[])[0]!;
      expect(JSON.parse(start.data.groupNames)).toEqual({ [GROUP]: 'Digitalisierungsbeauftragte' });
      expect(cardText(card)).toContain(
        locale === 'de'
          ? 'erreicht: 1.200 installiert, 340 werden installiert, 12 nicht erreichbar'
          : 'reaches: 1,200 installed, 340 to be installed, 12 unreachable',
      );
    },
  );

  it('when there is no directory, then the start card has no group search and says only the installed are reached', () => {
    const card = renderRunStart('de', {
      surveys: [TEST_SURVEY],
      minDate: '2026-11-24',
      maxDate: '2027-02-20',
      closesAt: '2026-12-07',
      reach: reachText('de', { kind: 'installed', installed: 12 }),
    });
    expect(validateCard(card)).toEqual([]);
    expect(JSON.stringify(card)).not.toContain('groupSearch');
    expect(cardText(card)).toContain('erreicht: 12 Personen, die Puls installiert haben');
  });

  it('when the directory has a district, then the settings card shows it and offers no choice', () => {
    const settings = { language: undefined, district: undefined, reminders: true };
    const fixed = renderSettings('de', { settings, kMin: 5, directoryDistrict: 'wandsbek' });
    expect(validateCard(fixed)).toEqual([]);
    expect(cardText(fixed)).toContain('Bereich (aus dem Verzeichnis)');
    expect(cardText(fixed)).toContain('Wandsbek');
    expect(JSON.stringify(fixed)).not.toContain('"id":"district"');
    const free = renderSettings('de', { settings, kMin: 5 });
    expect(JSON.stringify(free)).toContain('"id":"district"');
  });

  it('when the directory is used, then the privacy card names the attributes read', () => {
    const notice = { controller: 'x', dpoContact: 'x', legalBasis: 'x', contact: 'x' };
    const card = renderPrivacy('de', {
      kMin: 5,
      kText: 10,
      retentionMonths: 24,
      notice,
      directoryAttribute: 'department',
    });
    expect(validateCard(card)).toEqual([]);
    const text = cardText(card);
    expect(text).toContain('Verzeichnis (Entra ID)');
    expect(text).toContain('„Abteilung“ (department)');
    expect(text).toContain('ob es aktiv ist');
    expect(cardText(renderPrivacy('de', { kMin: 5, kText: 10, retentionMonths: 24, notice }))).not.toContain(
      'Entra ID',
    );
  });

  it('when a run was for districts and a group, then its audience names both', () => {
    const run: Run = {
      runId: 'r',
      survey: TEST_SURVEY,
      audience: {
        kind: 'directory',
        everyone: false,
        districts: ['altona'],
        groups: [{ id: GROUP, name: 'Projektgruppe E-Akte' }],
      },
      startedAt: new Date(),
      closesAt: new Date(),
      closedAt: undefined,
      startedBy: 'o',
    };
    expect(audienceText(run, 'de')).toBe('Bezirksamt Altona, Gruppen: Projektgruppe E-Akte');
  });
});
