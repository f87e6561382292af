// The configurable tab's setup page (configurationUrl): which view the channel tab opens with.
import { Field, Select, makeStyles, tokens } from '@fluentui/react-components';
import { pages } from '@microsoft/teams-js';
import { useEffect, useState } from 'react';
import type { Texts } from './i18n';
import { VIEWS, type ViewId } from './app';

const useStyles = makeStyles({
  page: {
    padding: tokens.spacingHorizontalXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    maxWidth: '36rem',
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    minHeight: '100vh',
    boxSizing: 'border-box',
  },
});

export function ConfigurePage({ texts, inTeams }: { texts: Texts; inTeams: boolean }) {
  const styles = useStyles();
  const { t } = texts;
  const [view, setView] = useState<ViewId>('runs');

  useEffect(() => {
    if (!inTeams) return;
    pages.config.registerOnSaveHandler((event) => {
      const contentUrl = `${window.location.origin}/tab/?view=${view}`;
      pages.config
        .setConfig({
          contentUrl,
          websiteUrl: contentUrl,
          entityId: `puls-${view}`,
          suggestedDisplayName: 'Puls',
        })
        .then(
          () => event.notifySuccess(),
          (err: unknown) => event.notifyFailure(String(err)),
        );
    });
    pages.config.setValidityState(true);
  }, [inTeams, view]);

  return (
    <main className={styles.page} aria-labelledby="configure-heading">
      <h1 id="configure-heading">{t.configure.heading}</h1>
      <p>{t.configure.text}</p>
      <Field label={t.configure.startView}>
        <Select value={view} onChange={(_, d) => setView(d.value as ViewId)}>
          {VIEWS.map((v) => (
            <option key={v} value={v}>
              {t.views[v]}
            </option>
          ))}
        </Select>
      </Field>
      <p>{t.configure.ready}</p>
    </main>
  );
}
