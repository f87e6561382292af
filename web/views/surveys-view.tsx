// Survey authoring: the template library (the surveys/*.json files) and the officers' drafts.
import {
  Button,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { FeatureUnavailableBar, Load } from '../components/status';
import { useLoad, useTab } from '../context';
import { pick } from '../i18n';
import type { SurveyLibraryView } from '../../src/tab/view-types';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '60rem' },
});

export function SurveysView() {
  const styles = useStyles();
  const { texts } = useTab();
  const { t } = texts;
  const [library, reload] = useLoad<SurveyLibraryView>('surveys/library');
  return (
    <>
      <h2 id="view-heading">{t.surveys.heading}</h2>
      <Load loaded={library} retry={reload}>
        {(data) => (
          <>
            {!data.authoringAvailable && <FeatureUnavailableBar />}
            <section className={styles.section} aria-labelledby="templates-heading">
              <h3 id="templates-heading">{t.surveys.templates}</h3>
              <Table aria-labelledby="templates-heading">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell scope="col">{t.surveys.columns.title}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.surveys.columns.id}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.surveys.columns.version}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.surveys.columns.questions}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.surveys.columns.minutes}</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {data.templates.map((s) => (
                    <TableRow key={s.surveyId}>
                      <TableCell>{pick(s.title, texts.locale)}</TableCell>
                      <TableCell>
                        <code>{s.surveyId}</code>
                      </TableCell>
                      <TableCell>{s.version}</TableCell>
                      <TableCell>{s.questionCount}</TableCell>
                      <TableCell>{s.minutes}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </section>
            <section className={styles.section} aria-labelledby="drafts-heading">
              <h3 id="drafts-heading">{t.surveys.drafts}</h3>
              {data.drafts.length === 0 && <p>{t.surveys.noDrafts}</p>}
              {data.authoringAvailable && (
                <div>
                  <Button appearance="primary">{t.surveys.newDraft}</Button>
                </div>
              )}
            </section>
          </>
        )}
      </Load>
    </>
  );
}
