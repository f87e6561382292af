// The tab's shell: title, the local-mode notice, navigation between the views and the view itself.
import {
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Tab,
  TabList,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useTab } from './context';
import { format } from './i18n';
import { IdeasView } from './views/ideas-view';
import { ResultsView } from './views/results-view';
import { RunsView } from './views/runs-view';
import { SchedulesView } from './views/schedules-view';
import { SurveysView } from './views/surveys-view';

export const VIEWS = ['runs', 'results', 'ideas', 'surveys', 'schedules'] as const;
export type ViewId = (typeof VIEWS)[number];

export function isView(value: string | null | undefined): value is ViewId {
  return (VIEWS as readonly string[]).includes(value ?? '');
}

const useStyles = makeStyles({
  page: {
    minHeight: '100vh',
    boxSizing: 'border-box',
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
  },
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  title: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  user: { color: tokens.colorNeutralForeground2 },
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

const VIEW_COMPONENTS: Record<ViewId, () => React.JSX.Element> = {
  runs: RunsView,
  results: ResultsView,
  ideas: IdeasView,
  surveys: SurveysView,
  schedules: SchedulesView,
};

export function App({ initialView }: { initialView: ViewId }) {
  const styles = useStyles();
  const { texts, session } = useTab();
  const { t } = texts;
  const [view, setView] = useState<ViewId>(initialView);

  useEffect(() => {
    const url = new URL(window.location.href);
    url.searchParams.set('view', view);
    window.history.replaceState(null, '', url);
    document.title = `${t.views[view]} – Puls`;
  }, [view, t]);

  const View = VIEW_COMPONENTS[view];
  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <h1 className={styles.title}>{t.appTitle}</h1>
        {session.mode === 'local' ? (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>{t.localMode}</MessageBarTitle>
              {t.localModeDetail}
            </MessageBarBody>
          </MessageBar>
        ) : (
          <Text className={styles.user}>{format(t.signedInAs, { name: session.user.name })}</Text>
        )}
      </header>
      <nav aria-label={t.navLabel}>
        <TabList selectedValue={view} onTabSelect={(_, d) => setView(d.value as ViewId)}>
          {VIEWS.map((v) => (
            <Tab key={v} value={v} id={`tab-${v}`} aria-controls="view-panel">
              {t.views[v]}
            </Tab>
          ))}
        </TabList>
      </nav>
      <main id="view-panel" role="tabpanel" aria-labelledby={`tab-${view}`} className={styles.panel}>
        <View key={view} />
      </main>
    </div>
  );
}
