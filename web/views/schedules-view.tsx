// Recurring pulses: a schedule per survey and audience. Create, edit, pause/resume and delete; each
// schedule shows its next start (Hamburg time) and what became of its latest dates.
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
import { FeatureUnavailableBar, Load } from '../components/status';
import { useLoad, useTab } from '../context';
import { format, pick, type Texts } from '../i18n';
import { DistrictPicker } from '../components/district-picker';
import { audienceText } from './runs-view';
import type {
  District,
  SaveScheduleResult,
  ScheduleInput,
  ScheduleListView,
  ScheduleView,
  SurveyOptionView,
} from '../../src/tab/view-types';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '72rem' },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '32rem' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  tableWrap: { overflowX: 'auto' },
  history: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

type Preset = 'weekly' | 'weeks' | 'monthly' | 'quarterly';
type Notice = { intent: 'success' | 'error' | 'info'; text: string };

function presetOf(c: ScheduleView['cadence']): Preset {
  if (c.unit === 'weeks') return c.every === 1 ? 'weekly' : 'weeks';
  return c.every === 3 ? 'quarterly' : 'monthly';
}

function cadenceOf(preset: Preset, everyWeeks: number): ScheduleInput['cadence'] {
  if (preset === 'weekly') return { unit: 'weeks', every: 1 };
  if (preset === 'weeks') return { unit: 'weeks', every: everyWeeks };
  return { unit: 'months', every: preset === 'quarterly' ? 3 : 1 };
}

function inputOf(s: ScheduleView): ScheduleInput {
  return {
    surveyId: s.surveyId,
    districts: s.audience.kind === 'districts' ? [...s.audience.districts] : [],
    groupIds: [...s.groupIds],
    cadence: { ...s.cadence },
    firstDate: s.firstDate,
    time: s.time,
    openDays: s.openDays,
    active: s.active,
    etag: s.etag,
  };
}

/** "07.12.2026, 09:00 Uhr" in Hamburg time. */
function startText(iso: string, texts: Texts): string {
  const time = new Intl.DateTimeFormat(texts.locale === 'en' ? 'en-GB' : 'de-DE', {
    timeZone: 'Europe/Berlin',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
  return format(texts.t.schedules.at, { date: texts.date(iso), time });
}

function cadenceText(c: ScheduleView['cadence'], texts: Texts): string {
  const t = texts.t.schedules;
  const preset = presetOf(c);
  if (preset === 'weeks') return format(t.everyWeeksText, { n: c.every });
  if (preset === 'monthly' && c.every !== 1) return format(t.everyMonthsText, { n: c.every });
  return t.cadences[preset];
}

function titleOf(s: ScheduleView, texts: Texts): string {
  return s.surveyTitle
    ? pick(s.surveyTitle, texts.locale)
    : format(texts.t.schedules.unknownSurvey, { id: s.surveyId });
}

export function SchedulesView() {
  const styles = useStyles();
  const { api, texts } = useTab();
  const { t } = texts;
  const [list, reload] = useLoad<ScheduleListView>('schedules');
  const [notice, setNotice] = useState<Notice>();
  const [editing, setEditing] = useState<ScheduleView>();
  const [deleting, setDeleting] = useState<ScheduleView>();
  /** A new form (emptied) after each save. */
  const [formKey, setFormKey] = useState(0);

  const fail = (err: unknown) =>
    setNotice({
      intent: 'error',
      text: err instanceof ApiError ? (t.errors[err.body.error] ?? t.errors.internal) : t.errors.internal,
    });

  const toggle = async (s: ScheduleView) => {
    try {
      const result = await api.send<SaveScheduleResult>(
        'PUT',
        `schedules/${encodeURIComponent(s.scheduleId)}`,
        { ...inputOf(s), active: !s.active },
      );
      if (result.kind === 'saved')
        setNotice({
          intent: 'success',
          text: result.schedule.active ? t.schedules.resumed : t.schedules.paused,
        });
      else if (result.kind === 'stale') setNotice({ intent: 'info', text: t.schedules.stale });
      else setNotice({ intent: 'error', text: t.errors.invalid });
    } catch (err) {
      fail(err);
    }
    reload();
  };

  const remove = async (s: ScheduleView) => {
    setDeleting(undefined);
    try {
      await api.send('DELETE', `schedules/${encodeURIComponent(s.scheduleId)}`);
      setNotice({ intent: 'success', text: t.schedules.deleted });
      if (editing?.scheduleId === s.scheduleId) setEditing(undefined);
    } catch (err) {
      fail(err);
    }
    reload();
  };

  return (
    <>
      <h2 id="view-heading">{t.schedules.heading}</h2>
      <p>{t.schedules.intro}</p>
      {notice && (
        <MessageBar intent={notice.intent} role="status">
          <MessageBarBody>{notice.text}</MessageBarBody>
        </MessageBar>
      )}
      <Load loaded={list} retry={reload}>
        {(data) =>
          !data.available ? (
            <FeatureUnavailableBar />
          ) : (
            <>
              <section className={styles.section} aria-labelledby="schedule-form-heading">
                <h3 id="schedule-form-heading">
                  {editing ? t.schedules.editSchedule : t.schedules.newSchedule}
                </h3>
                <ScheduleForm
                  key={editing ? `${editing.scheduleId}:${editing.etag}` : `new-${formKey}`}
                  editing={editing}
                  onCancel={() => setEditing(undefined)}
                  onDone={(n, saved) => {
                    setNotice(n);
                    if (saved) {
                      setEditing(undefined);
                      setFormKey((k) => k + 1);
                    }
                    reload();
                  }}
                />
              </section>
              <section className={styles.section} aria-labelledby="schedules-heading">
                <h3 id="schedules-heading">{t.schedules.listHeading}</h3>
                {data.schedules.length === 0 ? (
                  <p>{t.schedules.none}</p>
                ) : (
                  <div className={styles.tableWrap}>
                    <Table aria-labelledby="schedules-heading">
                      <TableHeader>
                        <TableRow>
                          <TableHeaderCell scope="col">{t.schedules.columns.survey}</TableHeaderCell>
                          <TableHeaderCell scope="col">{t.schedules.columns.audience}</TableHeaderCell>
                          <TableHeaderCell scope="col">{t.schedules.columns.every}</TableHeaderCell>
                          <TableHeaderCell scope="col">{t.schedules.columns.open}</TableHeaderCell>
                          <TableHeaderCell scope="col">{t.schedules.columns.next}</TableHeaderCell>
                          <TableHeaderCell scope="col">{t.schedules.columns.state}</TableHeaderCell>
                          <TableHeaderCell scope="col">{t.schedules.columns.history}</TableHeaderCell>
                          <TableHeaderCell scope="col">{t.schedules.columns.actions}</TableHeaderCell>
                        </TableRow>
                      </TableHeader>
                      <TableBody>
                        {data.schedules.map((s) => {
                          const title = titleOf(s, texts);
                          return (
                            <TableRow key={s.scheduleId}>
                              <TableCell>{title}</TableCell>
                              <TableCell>
                                {s.groupIds.length === 0
                                  ? audienceText(s, texts)
                                  : [
                                      ...(s.audience.kind === 'districts' ? [audienceText(s, texts)] : []),
                                      format(t.schedules.groups, { n: s.groupIds.length }),
                                    ].join(', ')}
                              </TableCell>
                              <TableCell>{cadenceText(s.cadence, texts)}</TableCell>
                              <TableCell>{format(t.schedules.days, { n: s.openDays })}</TableCell>
                              <TableCell>{s.nextStart ? startText(s.nextStart, texts) : '–'}</TableCell>
                              <TableCell>
                                {s.active ? t.schedules.activeState : t.schedules.pausedState}
                              </TableCell>
                              <TableCell>
                                {s.history.length === 0 ? (
                                  t.schedules.noHistory
                                ) : (
                                  <ul className={styles.history}>
                                    {s.history.map((h) => (
                                      <li key={h.date}>
                                        {format(t.schedules.status[h.status], {
                                          date: texts.date(`${h.date}T12:00:00Z`),
                                          runId: h.runId ?? '',
                                          reason: format(
                                            t.schedules.reasons[h.error ?? 'error'] ??
                                              t.schedules.reasons.error!,
                                            { n: h.recipients ?? 0 },
                                          ),
                                        })}
                                      </li>
                                    ))}
                                  </ul>
                                )}
                              </TableCell>
                              <TableCell>
                                <div className={styles.actions}>
                                  <Button
                                    size="small"
                                    aria-label={`${t.schedules.edit}: ${title}`}
                                    onClick={() => setEditing(s)}
                                  >
                                    {t.schedules.edit}
                                  </Button>
                                  <Button
                                    size="small"
                                    aria-label={`${s.active ? t.schedules.pause : t.schedules.resume}: ${title}`}
                                    onClick={() => void toggle(s)}
                                  >
                                    {s.active ? t.schedules.pause : t.schedules.resume}
                                  </Button>
                                  <Button
                                    size="small"
                                    aria-label={`${t.schedules.delete}: ${title}`}
                                    onClick={() => setDeleting(s)}
                                  >
                                    {t.schedules.delete}
                                  </Button>
                                </div>
                              </TableCell>
                            </TableRow>
                          );
                        })}
                      </TableBody>
                    </Table>
                  </div>
                )}
              </section>
            </>
          )
        }
      </Load>
      <Dialog open={deleting !== undefined} onOpenChange={(_, d) => !d.open && setDeleting(undefined)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{t.schedules.deleteTitle}</DialogTitle>
            <DialogContent>
              {deleting && format(t.schedules.deleteText, { title: titleOf(deleting, texts) })}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => deleting && void remove(deleting)}>
                {t.schedules.delete}
              </Button>
              <Button onClick={() => setDeleting(undefined)}>{t.schedules.cancel}</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  );
}

function ScheduleForm({
  editing,
  onCancel,
  onDone,
}: {
  editing: ScheduleView | undefined;
  onCancel: () => void;
  onDone: (notice: Notice, saved: boolean) => void;
}) {
  const styles = useStyles();
  const { api, texts } = useTab();
  const { t } = texts;
  const [surveys] = useLoad<SurveyOptionView[]>('surveys');
  const initial = editing ? inputOf(editing) : undefined;
  const [surveyId, setSurveyId] = useState(initial?.surveyId ?? '');
  const [districts, setDistricts] = useState<District[]>(initial?.districts ?? []);
  const [preset, setPreset] = useState<Preset>(editing ? presetOf(editing.cadence) : 'quarterly');
  const [everyWeeks, setEveryWeeks] = useState(
    editing?.cadence.unit === 'weeks' ? String(editing.cadence.every) : '2',
  );
  const [firstDate, setFirstDate] = useState(initial?.firstDate ?? '');
  const [time, setTime] = useState(initial?.time ?? '09:00');
  const [openDays, setOpenDays] = useState(String(initial?.openDays ?? 14));
  const [active, setActive] = useState(initial?.active ?? true);
  const [busy, setBusy] = useState(false);
  const [issues, setIssues] = useState<string[]>([]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setIssues([]);
    const body: ScheduleInput = {
      surveyId,
      districts,
      groupIds: initial?.groupIds ?? [],
      cadence: cadenceOf(preset, Number(everyWeeks)),
      firstDate,
      time,
      openDays: Number(openDays),
      active,
      ...(editing ? { etag: editing.etag } : {}),
    };
    try {
      const result = editing
        ? await api.send<SaveScheduleResult>(
            'PUT',
            `schedules/${encodeURIComponent(editing.scheduleId)}`,
            body,
          )
        : await api.send<SaveScheduleResult>('POST', 'schedules', body);
      if (result.kind === 'saved') {
        const next = result.schedule.nextStart;
        onDone(
          {
            intent: 'success',
            text: editing
              ? t.schedules.saved
              : format(t.schedules.created, { next: next ? startText(next, texts) : '–' }),
          },
          true,
        );
      } else if (result.kind === 'invalid') {
        const paths = [...new Set(result.issues.map((i) => i.path))];
        setIssues(paths);
        onDone(
          {
            intent: 'error',
            text: format(t.schedules.invalid, {
              fields: paths.map((p) => t.schedules.fields[p] ?? p).join(', '),
            }),
          },
          false,
        );
      } else if (result.kind === 'stale') onDone({ intent: 'info', text: t.schedules.stale }, true);
      else if (result.kind === 'not_found') onDone({ intent: 'error', text: t.errors.not_found }, true);
      else onDone({ intent: 'info', text: t.errors.unavailable }, false);
    } catch (err) {
      onDone(
        {
          intent: 'error',
          text: err instanceof ApiError ? (t.errors[err.body.error] ?? t.errors.internal) : t.errors.internal,
        },
        false,
      );
    } finally {
      setBusy(false);
    }
  };

  const bad = (path: string) => (issues.includes(path) ? ('error' as const) : ('none' as const));
  const options = surveys.state === 'ready' ? surveys.data : [];
  return (
    <form className={styles.form} onSubmit={(e) => void submit(e)} aria-labelledby="schedule-form-heading">
      <Field label={t.schedules.survey} required validationState={bad('surveyId')}>
        <Select value={surveyId} onChange={(_, d) => setSurveyId(d.value)}>
          <option value="">–</option>
          {options.map((s) => (
            <option key={s.surveyId} value={s.surveyId}>
              {pick(s.title, texts.locale)}
            </option>
          ))}
        </Select>
      </Field>
      <DistrictPicker
        legend={t.schedules.districts}
        hint={t.schedules.districtsHint}
        hintId="schedule-districts-hint"
        chosen={districts}
        onChange={setDistricts}
      />
      <Field label={t.schedules.cadence} required validationState={bad('cadence.every')}>
        <Select value={preset} onChange={(_, d) => setPreset(d.value as Preset)}>
          {(['weekly', 'weeks', 'monthly', 'quarterly'] as const).map((p) => (
            <option key={p} value={p}>
              {t.schedules.cadences[p]}
            </option>
          ))}
        </Select>
      </Field>
      {preset === 'weeks' && (
        <Field label={t.schedules.everyWeeks} required validationState={bad('cadence.every')}>
          <Input
            type="number"
            min={1}
            max={52}
            value={everyWeeks}
            onChange={(_, d) => setEveryWeeks(d.value)}
          />
        </Field>
      )}
      <Field label={t.schedules.firstDate} required validationState={bad('firstDate')}>
        <Input type="date" value={firstDate} onChange={(_, d) => setFirstDate(d.value)} />
      </Field>
      <Field label={t.schedules.time} required validationState={bad('time')}>
        <Input type="time" value={time} onChange={(_, d) => setTime(d.value)} />
      </Field>
      <Field label={t.schedules.openDays} required validationState={bad('openDays')}>
        <Input type="number" min={1} max={90} value={openDays} onChange={(_, d) => setOpenDays(d.value)} />
      </Field>
      <Checkbox
        label={t.schedules.active}
        checked={active}
        onChange={(_, d) => setActive(d.checked === true)}
      />
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={busy}>
          {editing ? t.schedules.save : t.schedules.create}
        </Button>
        {editing && <Button onClick={onCancel}>{t.schedules.cancel}</Button>}
      </div>
    </form>
  );
}
