// The injected clock everywhere (#15.4): the caches and refresh intervals that decide when this
// instance sees another instance's change follow the app's clock, not the wall clock, so that a test
// (or the sealer's "two minutes after close", which is the app's clock too) can rely on them. Each
// case changes storage behind the service's back, as another instance would, moves a ManualClock
// past the interval and expects the change to be seen: on the wall clock nothing would have passed.
// Plain fakes, milliseconds.
import { ManualClock } from '../../src/clock';
import { IdeaService, type IdeaServiceOptions } from '../../src/ideas/idea-service';
import type { Idea } from '../../src/ideas/model';
import { PrivacyKeys } from '../../src/privacy/keys';
import { Pseudonyms } from '../../src/privacy/pseudonyms';
import type { SecretKind, SecretRepository } from '../../src/storage/secret-repository';
import type { UserProfile, UserRepository } from '../../src/storage/user-repository';
import { SurveyService, type SurveyServiceOptions } from '../../src/surveys/survey-service';
import type { Run } from '../../src/surveys/model';
import { UserDirectory } from '../../src/users/user-directory';
import type { Logger } from '../../src/logger';

const START = '2026-11-23T09:00:00Z';
const silent = { info() {}, warn() {}, error() {}, debug() {} } as unknown as Logger;

describe('the injected clock', () => {
  it('when another instance destroyed a secret, then this instance stops using it a minute later by the app clock', async () => {
    const clock = new ManualClock(START);
    const stored = new Map<string, string>();
    const secrets = {
      createOrGet: async (kind: SecretKind, id: string, sealed: string) => {
        if (!stored.has(`${kind}:${id}`)) stored.set(`${kind}:${id}`, sealed);
        return stored.get(`${kind}:${id}`)!;
      },
      get: async (kind: SecretKind, id: string) => stored.get(`${kind}:${id}`),
      destroy: async (kind: SecretKind, id: string) => void stored.delete(`${kind}:${id}`),
    } as unknown as SecretRepository;
    const pseudonyms = new Pseudonyms(new PrivacyKeys('k'.repeat(40)), secrets, clock);
    await pseudonyms.create('run', 'r1');
    expect(await pseudonyms.of('run', 'r1', 'u1')).toMatch(/^[0-9a-f]{64}$/);

    stored.delete('run:r1'); // the sealer of another instance
    clock.advance(30_000);
    expect(await pseudonyms.of('run', 'r1', 'u1')).toBeDefined(); // still cached, as documented
    clock.advance(31_000);
    expect(await pseudonyms.of('run', 'r1', 'u1')).toBeUndefined();
  });

  it('when another instance closed a run, then getRun sees it once the run cache has run out by the app clock', async () => {
    const clock = new ManualClock(START);
    const open: Run = {
      runId: 'r1',
      survey: {} as Run['survey'],
      audience: { kind: 'all' },
      startedAt: new Date(START),
      closesAt: new Date('2026-12-07T09:00:00Z'),
      closedAt: undefined,
      startedBy: 'officer',
    };
    let stored: Run = open;
    const surveys = new SurveyService({
      runs: { get: async () => stored },
      clock,
    } as unknown as SurveyServiceOptions);
    expect((await surveys.getRun('r1'))?.closedAt).toBeUndefined();

    stored = { ...open, closedAt: new Date(START) }; // "umfrage beenden" on another instance
    clock.advance(6_000);
    expect((await surveys.getRun('r1'))?.closedAt).toEqual(new Date(START));
  });

  it("when another instance stored an idea, then the similarity check finds it after the index's interval by the app clock", async () => {
    const clock = new ManualClock(START);
    const ideas: Idea[] = [];
    const idea = (ideaId: string, title: string): Idea => ({
      ideaId,
      title,
      description: `${title}: eine ausführliche Beschreibung.`,
      field: 'sonstiges',
      district: undefined,
      anonymous: true,
      submitterName: undefined,
      submitterGone: false,
      status: 'submitted',
      supportCount: 0,
      createdAt: new Date(START),
      updatedAt: new Date(START),
    });
    const repository = {
      list: async function* () {
        yield* ideas;
      },
      get: async (id: string) => ideas.find((i) => i.ideaId === id),
    };
    const service = new IdeaService({
      ideas: repository,
      clock,
      logger: silent,
    } as unknown as IdeaServiceOptions);
    ideas.push(idea('a', 'Kantine mit Vorbestellung'));
    expect((await service.findSimilar('Kantine Vorbestellung')).map((i) => i.ideaId)).toEqual(['a']);

    ideas.push(idea('b', 'Elektronische Zeiterfassung im Bezirksamt'));
    clock.advance(2_500);
    expect((await service.findSimilar('Elektronische Zeiterfassung')).map((i) => i.ideaId)).toEqual(['b']);
  });

  it('when a user was deleted elsewhere, then the directory forgets them at the full reload due by the app clock', async () => {
    const clock = new ManualClock(START);
    const profile = (userId: string): UserProfile => ({
      userId,
      teamsLocale: 'de-DE',
      settings: { language: 'de', district: 'altona', reminders: true },
    });
    const rows = new Map([
      ['u1', profile('u1')],
      ['u2', profile('u2')],
    ]);
    const users = {
      onChange: () => undefined,
      get: async (userId: string) => rows.get(userId),
      // A delta (changedSince) finds no deletions: only the full read does.
      profiles: async function* (changedSince?: Date) {
        if (!changedSince) yield* rows.values();
      },
    } as unknown as UserRepository;
    const directory = new UserDirectory({ users, logger: silent, clock });
    await directory.refresh();
    expect(directory.size).toBe(2);

    rows.delete('u2'); // removed the app, seen by another instance
    clock.advance(60_000);
    await directory.refresh();
    expect(directory.size).toBe(2); // a delta refresh cannot see a deletion
    clock.advance(10 * 60_000);
    await directory.refresh();
    expect(directory.size).toBe(1);
  });
});
