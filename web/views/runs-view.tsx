// Runs: start a run, the list of every run with its state and participation (from the disclosure
// module), close (with confirmation) and remind.
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api';
import { Load } from '../components/status';
import { useLoad, useTab } from '../context';
import { format, pick, type Texts } from '../i18n';
import { DISTRICT_IDS } from '../vocabulary';
import type {
  District,
  RunActionResultView,
  RunListView,
  RunSummaryView,
  StartRunResultView,
  SurveyOptionView,
} from '../../src/tab/view-types';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '60rem' },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '32rem' },
  fieldset: {
    border: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalL,
  },
  legend: { fontWeight: tokens.fontWeightSemibold, marginBottom: tokens.spacingVerticalXS, padding: 0 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  tableWrap: { overflowX: 'auto' },
});

export function RunsView() {
  const styles = useStyles();
  const { texts } = useTab();
  const { t } = texts;
  const [runs, reload] = useLoad<RunListView>('runs');
  const [notice, setNotice] = useState<{ intent: 'success' | 'error' | 'info'; text: string }>();
  return (
    <>
      <h2 id="view-heading">{t.runs.heading}</h2>
      {notice && (
        <MessageBar intent={notice.intent} role="status">
          <MessageBarBody>{notice.text}</MessageBarBody>
        </MessageBar>
      )}
      <section className={styles.section} aria-labelledby="start-heading">
        <h3 id="start-heading">{t.runs.startHeading}</h3>
        <StartRunForm
          onDone={(text, ok) => {
            setNotice({ intent: ok ? 'success' : 'error', text });
            if (ok) reload();
          }}
        />
      </section>
      <section className={styles.section} aria-labelledby="runs-heading">
        <h3 id="runs-heading">{t.runs.listHeading}</h3>
        <Load loaded={runs} retry={reload}>
          {(data) =>
            data.runs.length === 0 ? (
              <p>{t.runs.none}</p>
            ) : (
              <div className={styles.tableWrap}>
                <RunTable
                  runs={data.runs}
                  onAction={(text, intent) => {
                    setNotice({ intent, text });
                    reload();
                  }}
                />
              </div>
            )
          }
        </Load>
      </section>
    </>
  );
}

function StartRunForm({ onDone }: { onDone: (text: string, ok: boolean) => void }) {
  const styles = useStyles();
  const { api, texts, session } = useTab();
  const { t } = texts;
  const [surveys] = useLoad<SurveyOptionView[]>('surveys');
  const [surveyId, setSurveyId] = useState('');
  const [closesOn, setClosesOn] = useState('');
  const [districts, setDistricts] = useState<District[]>([]);
  const [busy, setBusy] = useState(false);
  const [invalid, setInvalid] = useState<Extract<StartRunResultView, { kind: 'invalid' }>['field']>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setInvalid(undefined);
    try {
      const result = await api.send<StartRunResultView>('POST', 'runs', { surveyId, closesOn, districts });
      if (result.kind === 'invalid') {
        setInvalid(result.field);
        onDone(format(t.runs.invalid[result.field], { k: session.kMin }), false);
      } else {
        onDone(
          format(t.runs.started, {
            title: pick(result.run.surveyTitle, texts.locale),
            recipients: result.recipients,
          }),
          true,
        );
      }
    } catch (err) {
      onDone(
        err instanceof ApiError ? (t.errors[err.body.error] ?? t.errors.internal) : t.errors.internal,
        false,
      );
    } finally {
      setBusy(false);
    }
  };

  const options = surveys.state === 'ready' ? surveys.data : [];
  return (
    <form className={styles.form} onSubmit={(e) => void submit(e)} aria-labelledby="start-heading">
      <Field
        label={t.runs.survey}
        required
        validationState={invalid === 'survey' ? 'error' : 'none'}
        validationMessage={invalid === 'survey' ? t.runs.invalid.survey : undefined}
      >
        <Select value={surveyId} onChange={(_, d) => setSurveyId(d.value)}>
          <option value="">–</option>
          {options.map((s) => (
            <option key={s.surveyId} value={s.surveyId}>
              {pick(s.title, texts.locale)}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        label={t.runs.closesOn}
        required
        validationState={invalid === 'closesOn' ? 'error' : 'none'}
        validationMessage={invalid === 'closesOn' ? t.runs.invalid.closesOn : undefined}
      >
        <Input type="date" value={closesOn} onChange={(_, d) => setClosesOn(d.value)} />
      </Field>
      <fieldset className={styles.fieldset} aria-describedby="districts-hint">
        <legend className={styles.legend}>{t.runs.districts}</legend>
        {DISTRICT_IDS.map((d) => (
          <Checkbox
            key={d}
            label={texts.bot.districts[d]}
            checked={districts.includes(d)}
            onChange={(_, data) =>
              setDistricts((current) => (data.checked ? [...current, d] : current.filter((x) => x !== d)))
            }
          />
        ))}
        <p id="districts-hint">{t.runs.districtsHint}</p>
      </fieldset>
      <div>
        <Button appearance="primary" type="submit" disabled={busy}>
          {t.runs.start}
        </Button>
      </div>
    </form>
  );
}

export function audienceText(run: Pick<RunSummaryView, 'audience'>, texts: Texts): string {
  return run.audience.kind === 'all'
    ? texts.t.runs.everyone
    : run.audience.districts.map((d) => texts.bot.districts[d]).join(', ');
}

function RunTable({
  runs,
  onAction,
}: {
  runs: RunSummaryView[];
  onAction: (text: string, intent: 'success' | 'error' | 'info') => void;
}) {
  const styles = useStyles();
  const { api, texts } = useTab();
  const { t } = texts;
  const [confirming, setConfirming] = useState<RunSummaryView>();

  const act = async (run: RunSummaryView, action: 'close' | 'remind') => {
    const title = pick(run.surveyTitle, texts.locale);
    try {
      const result = await api.send<RunActionResultView>(
        'POST',
        `runs/${encodeURIComponent(run.runId)}/${action}`,
      );
      if (result.kind === 'done') {
        onAction(action === 'close' ? format(t.runs.closedDone, { title }) : t.runs.remindDone, 'success');
      } else if (result.kind === 'not_open') onAction(t.runs.notOpen, 'info');
      else if (result.kind === 'not_available') onAction(t.runs.actionUnavailable, 'info');
      else onAction(t.errors.not_found, 'error');
    } catch (err) {
      onAction(
        err instanceof ApiError ? (t.errors[err.body.error] ?? t.errors.internal) : t.errors.internal,
        'error',
      );
    }
  };

  return (
    <>
      <Table aria-labelledby="runs-heading">
        <TableHeader>
          <TableRow>
            <TableHeaderCell scope="col">{t.runs.columns.survey}</TableHeaderCell>
            <TableHeaderCell scope="col">{t.runs.columns.runId}</TableHeaderCell>
            <TableHeaderCell scope="col">{t.runs.columns.audience}</TableHeaderCell>
            <TableHeaderCell scope="col">{t.runs.columns.started}</TableHeaderCell>
            <TableHeaderCell scope="col">{t.runs.columns.closes}</TableHeaderCell>
            <TableHeaderCell scope="col">{t.runs.columns.state}</TableHeaderCell>
            <TableHeaderCell scope="col">{t.runs.columns.participation}</TableHeaderCell>
            <TableHeaderCell scope="col">{t.runs.columns.actions}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {runs.map((run) => {
            const title = pick(run.surveyTitle, texts.locale);
            const p = run.participation;
            return (
              <TableRow key={run.runId}>
                <TableCell>{title}</TableCell>
                <TableCell>
                  <code>{run.runId}</code>
                </TableCell>
                <TableCell>{audienceText(run, texts)}</TableCell>
                <TableCell>{texts.date(run.startedAt)}</TableCell>
                <TableCell>{texts.date(run.closedAt ?? run.closesAt)}</TableCell>
                <TableCell>{run.open ? t.runs.open : t.runs.closed}</TableCell>
                <TableCell>
                  {p.available
                    ? format(t.runs.participation, {
                        answered: p.value.overall.answered,
                        delivered: p.value.overall.delivered,
                        rate: Math.round(p.value.overall.rate * 100),
                      })
                    : t.unavailable.feature}
                </TableCell>
                <TableCell>
                  {run.open && (
                    <div className={styles.actions}>
                      <Button
                        size="small"
                        onClick={() => void act(run, 'remind')}
                        aria-label={`${t.runs.remind}: ${title}`}
                      >
                        {t.runs.remind}
                      </Button>
                      <Button
                        size="small"
                        onClick={() => setConfirming(run)}
                        aria-label={`${t.runs.close}: ${title}`}
                      >
                        {t.runs.close}
                      </Button>
                    </div>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <Dialog
        open={confirming !== undefined}
        onOpenChange={(_, d) => !d.open && setConfirming(undefined)}
        modalType="alert"
      >
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{t.runs.closeTitle}</DialogTitle>
            <DialogContent>
              {confirming && format(t.runs.closeText, { title: pick(confirming.surveyTitle, texts.locale) })}
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setConfirming(undefined)}>{t.runs.cancel}</Button>
              <Button
                appearance="primary"
                onClick={() => {
                  const run = confirming;
                  setConfirming(undefined);
                  if (run) void act(run, 'close');
                }}
              >
                {t.runs.closeConfirm}
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  );
}
