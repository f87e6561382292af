// Recurring pulses: a schedule per survey and audience.
import {
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
import { format } from '../i18n';
import { audienceText } from './runs-view';
import type { ScheduleListView } from '../../src/tab/view-types';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '60rem' },
});

export function SchedulesView() {
  const styles = useStyles();
  const { texts } = useTab();
  const { t } = texts;
  const [list, reload] = useLoad<ScheduleListView>('schedules');
  return (
    <>
      <h2 id="view-heading">{t.schedules.heading}</h2>
      <p>{t.schedules.intro}</p>
      <Load loaded={list} retry={reload}>
        {(data) => (
          <section className={styles.section} aria-labelledby="view-heading">
            {!data.available && <FeatureUnavailableBar />}
            {data.schedules.length === 0 ? (
              <p>{t.schedules.none}</p>
            ) : (
              <Table aria-labelledby="view-heading">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell scope="col">{t.schedules.columns.survey}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.schedules.columns.audience}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.schedules.columns.every}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.schedules.columns.open}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.schedules.columns.next}</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {data.schedules.map((s) => (
                    <TableRow key={s.scheduleId}>
                      <TableCell>{s.surveyId}</TableCell>
                      <TableCell>{audienceText(s, texts)}</TableCell>
                      <TableCell>{format(t.schedules.everyMonths, { n: s.everyMonths })}</TableCell>
                      <TableCell>{format(t.schedules.openDays, { n: s.openDays })}</TableCell>
                      <TableCell>{texts.date(s.nextStart)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </section>
        )}
      </Load>
    </>
  );
}
