// Reading and saving a user's settings (language, district, reminders), with validation.
import { z } from 'zod';
import { localeFrom, type Locale } from '../i18n';
import type { UserRecord, UserRepository, UserSettings } from '../storage/user-repository';
import { DISTRICTS } from '../domain/vocabulary';

export const DEFAULT_SETTINGS: UserSettings = { language: undefined, district: undefined, reminders: true };

const settingsInput = z
  .object({
    language: z.enum(['de', 'en']),
    district: z.enum(DISTRICTS),
    reminders: z.enum(['true', 'false']).or(z.boolean()),
  })
  .strip();

export type SaveSettingsResult =
  | { ok: true; settings: UserSettings }
  | { ok: false; field: 'language' | 'district' | 'reminders' | 'user'; settings: UserSettings };

export class SettingsService {
  constructor(private readonly users: UserRepository) {}

  async get(userId: string): Promise<UserSettings> {
    return (await this.users.get(userId))?.settings ?? DEFAULT_SETTINGS;
  }

  /** Validates the card's inputs; stores nothing unless every field is valid. */
  /** `current`: the settings already loaded for this turn (saves a read). */
  /** `districtFromDirectory`: the directory gives the district; the stored choice is kept as it is. */
  async save(
    userId: string,
    input: Record<string, unknown>,
    current?: UserSettings,
    options: { districtFromDirectory?: boolean } = {},
  ): Promise<SaveSettingsResult> {
    current ??= await this.get(userId);
    const parsed = (
      options.districtFromDirectory ? settingsInput.partial({ district: true }) : settingsInput
    ).safeParse(options.districtFromDirectory ? { ...input, district: current.district } : input);
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? 'district') as 'language' | 'district';
      return { ok: false, field, settings: current };
    }
    const settings: UserSettings = {
      language: parsed.data.language,
      district: parsed.data.district ?? undefined,
      reminders: parsed.data.reminders === true || parsed.data.reminders === 'true',
    };
    const saved = await this.users.saveSettings(userId, settings);
    return saved ? { ok: true, settings } : { ok: false, field: 'user', settings: current };
  }
}

/** The user's chosen language, else the Teams locale (German unless English). */
export function resolveLocale(
  user: Pick<UserRecord, 'settings'> | undefined,
  teamsLocale: string | undefined,
  fallback: Locale = 'de',
): Locale {
  return user?.settings.language ?? localeFrom(teamsLocale, fallback);
}
