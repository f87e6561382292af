// Entry of the tab bundle: connect to the Teams host (or run without one), learn who is signed in,
// then render the shell (or the configurable tab's setup page) in Teams' theme and language.
import {
  FluentProvider,
  MessageBar,
  MessageBarBody,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  type Theme,
} from '@fluentui/react-components';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError, createApi } from './api';
import { App, isView } from './app';
import { ConfigurePage } from './configure';
import { TabContext, type TabContextValue } from './context';
import { connectHost, getToken, onThemeChange, type HostInfo, type ThemeName } from './host';
import { textsFor } from './i18n';
import type { SessionView } from '../src/tab/view-types';

const THEMES: Record<ThemeName, Theme> = {
  default: teamsLightTheme,
  dark: teamsDarkTheme,
  contrast: teamsHighContrastTheme,
};

function Root({ host, params }: { host: HostInfo; params: URLSearchParams }) {
  const [theme, setTheme] = useState<ThemeName>(host.theme);
  const [context, setContext] = useState<TabContextValue>();
  const [failure, setFailure] = useState<string>();
  const texts = textsFor(host.locale);
  const configuring = window.location.pathname.endsWith('/configure') || host.frameContext === 'settings';

  useEffect(() => {
    if (host.inTeams && !params.get('theme')) onThemeChange(setTheme);
  }, [host.inTeams, params]);

  useEffect(() => {
    document.documentElement.lang = host.locale;
    document.documentElement.dataset.theme = theme;
  }, [host.locale, theme]);

  useEffect(() => {
    if (configuring) return;
    const api = createApi(host.inTeams ? getToken : undefined);
    api.get<SessionView>('session').then(
      (session) => setContext({ api, texts, session }),
      (err: unknown) => {
        const kind = err instanceof ApiError ? err.body.error : 'internal';
        setFailure(
          kind === 'unauthenticated' && !host.inTeams ? texts.t.errors.notInTeams : texts.t.errors[kind],
        );
      },
    );
    // The texts object is rebuilt on every render; the locale is what matters (not a dependency).
  }, [host.inTeams, host.locale, configuring]);

  const view = params.get('view');
  return (
    <FluentProvider theme={THEMES[theme]} lang={host.locale}>
      {configuring ? (
        <ConfigurePage texts={texts} inTeams={host.inTeams} />
      ) : failure ? (
        <main style={{ padding: 24 }}>
          <h1>{texts.t.appTitle}</h1>
          <MessageBar intent="error" role="alert">
            <MessageBarBody>{failure}</MessageBarBody>
          </MessageBar>
        </main>
      ) : context ? (
        <TabContext.Provider value={context}>
          <App initialView={isView(view) ? view : 'runs'} />
        </TabContext.Provider>
      ) : (
        <main aria-busy="true" style={{ padding: 24 }}>
          <h1>{texts.t.appTitle}</h1>
          <p role="status">{texts.t.loading}</p>
        </main>
      )}
    </FluentProvider>
  );
}

async function start(): Promise<void> {
  const params = new URLSearchParams(window.location.search);
  const host = await connectHost(params);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Root host={host} params={params} />
    </StrictMode>,
  );
}

void start();
