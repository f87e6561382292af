// The Teams host: context (locale, theme), theme changes and the SSO token. Outside Teams (local
// mode, a browser test) teams-js never answers, so initialisation is bounded and the page runs
// without a host. `?theme=default|dark|contrast`, `?lang=de|en` and `?host=none` force the theme,
// the language and hostless mode (tests, screenshots).
import { app, authentication } from '@microsoft/teams-js';
import { localeFrom } from './i18n';
import type { Locale } from '../src/tab/view-types';

export type ThemeName = 'default' | 'dark' | 'contrast';

export interface HostInfo {
  inTeams: boolean;
  locale: Locale;
  theme: ThemeName;
  /** Page context: content (a tab) or settings (the configurable tab's setup page). */
  frameContext: string | undefined;
}

const INIT_TIMEOUT_MS = 4000;

export function themeName(value: string | null | undefined): ThemeName | undefined {
  if (value === 'default' || value === 'light') return 'default';
  if (value === 'dark') return 'dark';
  if (value === 'contrast' || value === 'high-contrast') return 'contrast';
  return undefined;
}

export async function connectHost(params: URLSearchParams): Promise<HostInfo> {
  const forcedTheme = themeName(params.get('theme'));
  const forcedLocale = params.get('lang');
  const fallback: HostInfo = {
    inTeams: false,
    locale: localeFrom(forcedLocale, 'de'),
    theme: forcedTheme ?? (matchMedia('(forced-colors: active)').matches ? 'contrast' : 'default'),
    frameContext: undefined,
  };
  if (params.get('host') === 'none') return fallback;
  try {
    await withTimeout(app.initialize(), INIT_TIMEOUT_MS);
    const context = await withTimeout(app.getContext(), INIT_TIMEOUT_MS);
    return {
      inTeams: true,
      locale: localeFrom(forcedLocale ?? context.app.locale, 'de'),
      theme: forcedTheme ?? themeName(context.app.theme) ?? 'default',
      frameContext: context.page.frameContext,
    };
  } catch {
    return fallback;
  }
}

/** Calls `handler` whenever the user switches Teams' theme. */
export function onThemeChange(handler: (theme: ThemeName) => void): void {
  app.registerOnThemeChangeHandler((theme) => handler(themeName(theme) ?? 'default'));
}

/** The Entra token for Puls' API (Teams SSO); teams-js caches and renews it. */
export function getToken(): Promise<string> {
  return withTimeout(authentication.getAuthToken(), 15000);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
