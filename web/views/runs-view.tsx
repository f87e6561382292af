// Runs: start a run, the list of every run with its state and participation (from the disclosure
// module), close (with confirmation) and remind.
import {
  Button,
  Combobox,
  Option,
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
import { Fragment, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api';
import { DistrictPicker } from '../components/district-picker';
import { Load } from '../components/status';
import { useLoad, useTab } from '../context';
import { format, pick, type Texts } from '../i18n';
import type {
  ClosePreviewView,
  District,
  GroupOptionView,
  GroupSearchView,
  ParticipationView,
  ReachPreviewView,
  RunActionResultView,
  RunListView,
  RunSummaryView,
  StartRunResultView,
  SurveyOptionView,
} from '../../src/tab/view-types';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '72rem' },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '32rem' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  tableWrap: { overflowX: 'auto' },
  note: { color: tokens.colorNeutralForeground2, margin: 0 },
  chosen: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
  },
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
  const [groups, setGroups] = useState<GroupOptionView[]>([]);
  const [busy, setBusy] = useState(false);
  const [invalid, setInvalid] = useState<Extract<StartRunResultView, { kind: 'invalid' }>['field']>();
  const groupIds = groups.map((g) => g.id);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setInvalid(undefined);
    try {
      const result = await api.send<StartRunResultView>('POST', 'runs', {
        surveyId,
        closesOn,
        districts,
        ...(groups.length > 0
          ? { groupIds, groupNames: Object.fromEntries(groups.map((g) => [g.id, g.name])) }
          : {}),
      });
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
              {`${pick(s.title, texts.locale)} (v${s.version})`}
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
      <DistrictPicker
        legend={t.runs.districts}
        hint={t.runs.districtsHint}
        hintId="districts-hint"
        chosen={districts}
        onChange={setDistricts}
      />
      <GroupPicker chosen={groups} onChange={setGroups} invalid={invalid === 'groups'} />
      <ReachPreview districts={districts} groupIds={groupIds} />
      <div>
        <Button appearance="primary" type="submit" disabled={busy}>
          {t.runs.start}
        </Button>
      </div>
    </form>
  );
}

/** The least a group search needs, and the most it shows (as the server bounds it). */
const GROUP_SEARCH_MIN = 2;
const GROUP_SEARCH_MAX = 10;
/** How long typing may pause before the directory is asked. */
const TYPING_PAUSE_MS = 300;

/**
 * Entra groups for the audience: a search in the directory (officers only, at least two characters,
 * at most ten matches) and the chosen groups, each removable. Hidden with a note without a directory.
 */
function GroupPicker({
  chosen,
  onChange,
  invalid,
}: {
  chosen: GroupOptionView[];
  onChange: (groups: GroupOptionView[]) => void;
  invalid: boolean;
}) {
  const styles = useStyles();
  const { api, texts } = useTab();
  const { t } = texts;
  const [available, setAvailable] = useState<boolean>();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<GroupSearchView>();
  const asked = useRef(0);

  useEffect(() => {
    let live = true;
    api
      .get<GroupSearchView>('directory/groups?q=')
      .then((r) => live && setAvailable(r.available))
      .catch(() => live && setAvailable(false));
    return () => {
      live = false;
    };
  }, [api]);

  useEffect(() => {
    const q = query.trim();
    if (!available || q.length < GROUP_SEARCH_MIN) {
      setFound(undefined);
      return;
    }
    const mine = ++asked.current;
    const timer = setTimeout(() => {
      api
        .get<GroupSearchView>(`directory/groups?q=${encodeURIComponent(q)}`)
        // Only the answer to the latest search counts (an earlier one may come back later).
        .then((r) => mine === asked.current && setFound(r))
        .catch(() => mine === asked.current && setFound({ available: true, groups: [], slow: true }));
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [api, available, query]);

  if (available === undefined) return null;
  if (!available) return <p className={styles.note}>{t.runs.groupsUnavailable}</p>;
  const options = found?.available ? found.groups.filter((g) => !chosen.some((c) => c.id === g.id)) : [];
  const note = !found?.available
    ? format(t.runs.groupsHint, { n: GROUP_SEARCH_MIN, max: GROUP_SEARCH_MAX })
    : found.slow
      ? t.runs.groupsSlow
      : found.groups.length === 0
        ? t.runs.groupsNone
        : format(t.runs.groupsHint, { n: GROUP_SEARCH_MIN, max: GROUP_SEARCH_MAX });
  return (
    <div className={styles.form}>
      <Field
        label={t.runs.groups}
        hint={note}
        validationState={invalid ? 'error' : 'none'}
        validationMessage={invalid ? t.runs.invalid.groups : undefined}
      >
        <Combobox
          freeform
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onOptionSelect={(_, d) => {
            const group = options.find((g) => g.id === d.optionValue);
            if (group) onChange([...chosen, group]);
            setQuery('');
          }}
        >
          {options.map((g) => (
            <Option key={g.id} value={g.id} text={g.name}>
              {g.name}
            </Option>
          ))}
        </Combobox>
      </Field>
      {chosen.length > 0 && (
        <ul className={styles.chosen} aria-label={t.runs.groups}>
          {chosen.map((g) => (
            <li key={g.id}>
              <Button
                size="small"
                aria-label={format(t.runs.groupRemove, { name: g.name })}
                onClick={() => onChange(chosen.filter((c) => c.id !== g.id))}
              >
                {g.name} ✕
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** "erreicht: n installiert, m werden installiert, k nicht erreichbar", asked again on each change. */
function ReachPreview({ districts, groupIds }: { districts: District[]; groupIds: string[] }) {
  const { api, texts } = useTab();
  const { t } = texts;
  const [reach, setReach] = useState<ReachPreviewView>();
  const asked = useRef(0);
  const key = `${districts.join(',')}|${groupIds.join(',')}`;
  useEffect(() => {
    const mine = ++asked.current;
    const timer = setTimeout(() => {
      api
        .send<ReachPreviewView>('POST', 'directory/reach', { districts, groupIds })
        .then((r) => mine === asked.current && setReach(r))
        .catch(() => mine === asked.current && setReach(undefined));
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
    // The key stands for both lists (a new array each render would ask again every time).
  }, [api, key]);
  if (!reach) return null;
  return (
    <p role="status" data-testid="reach-preview">
      {reach.kind === 'directory'
        ? format(t.runs.reachPreview, {
            installed: reach.installed,
            installing: reach.installing,
            unreachable: reach.unreachable,
          })
        : reach.kind === 'installed'
          ? format(t.runs.reachPreviewInstalled, { installed: reach.installed })
          : t.runs.reachPending}
    </p>
  );
}

export function audienceText(run: Pick<RunSummaryView, 'audience' | 'groups'>, texts: Texts): string {
  return run.audience.kind === 'all'
    ? texts.t.runs.everyone
    : [...run.audience.districts.map((d) => texts.bot.districts[d]), ...(run.groups ?? [])].join(', ');
}

function RunTable({
  runs,
  onAction,
}: {
  runs: RunSummaryView[];
  onAction: (text: string, intent: 'success' | 'error' | 'info') => void;
}) {
  const styles = useStyles();
  const { api, texts, session } = useTab();
  const { t } = texts;
  const [confirming, setConfirming] = useState<RunSummaryView>();

  const [preview, setPreview] = useState<ClosePreviewView>();

  const act = async (run: RunSummaryView, action: 'close' | 'remind') => {
    const title = pick(run.surveyTitle, texts.locale);
    try {
      const result = await api.send<RunActionResultView>(
        'POST',
        `runs/${encodeURIComponent(run.runId)}/${action}`,
      );
      if (result.kind === 'done') {
        onAction(
          result.respondents === null || result.respondents === undefined
            ? format(t.runs.closedDone, { title })
            : format(t.runs.closedAnswers, { title, n: result.respondents }),
          'success',
        );
      } else if (result.kind === 'reminding') onAction(t.runs.remindStarted, 'success');
      else if (result.kind === 'already_reminded') onAction(t.runs.remindAlready, 'info');
      else if (result.kind === 'not_open') onAction(t.runs.notOpen, 'info');
      else if (result.kind === 'not_available') onAction(t.runs.actionUnavailable, 'info');
      else onAction(t.errors.not_found, 'error');
    } catch (err) {
      onAction(
        err instanceof ApiError ? (t.errors[err.body.error] ?? t.errors.internal) : t.errors.internal,
        'error',
      );
    }
  };

  /** Opens "close now?" with how many answers become final (as the chat's card says it). */
  const askClose = async (run: RunSummaryView) => {
    setPreview(undefined);
    setConfirming(run);
    try {
      setPreview(await api.get<ClosePreviewView>(`runs/${encodeURIComponent(run.runId)}/close-preview`));
    } catch {
      // The dialog still asks; only the count is missing.
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
              <Fragment key={run.runId}>
                <TableRow>
                  <TableCell>{title}</TableCell>
                  <TableCell>
                    <code>{run.runId}</code>
                  </TableCell>
                  <TableCell>{audienceText(run, texts)}</TableCell>
                  <TableCell>{texts.date(run.startedAt)}</TableCell>
                  <TableCell>{texts.date(run.closedAt ?? run.closesAt)}</TableCell>
                  <TableCell>{run.open ? t.runs.open : t.runs.closed}</TableCell>
                  <TableCell>
                    {p.available ? (
                      <ParticipationCell p={p.value} texts={texts} />
                    ) : (
                      format(t.unavailable[p.reason], { k: session.kMin })
                    )}
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
                          onClick={() => void askClose(run)}
                          aria-label={`${t.runs.close}: ${title}`}
                        >
                          {t.runs.close}
                        </Button>
                      </div>
                    )}
                  </TableCell>
                </TableRow>
                {p.available && p.value.byDistrict.length > 0 && (
                  <TableRow>
                    <TableCell colSpan={8}>
                      <small>
                        {`${t.runs.byDistrict} (${title}): `}
                        {p.value.byDistrict
                          .map(
                            (d) =>
                              `${texts.bot.districts[d.district]} ${d.answered === null ? t.runs.hiddenGroup : d.answered}`,
                          )
                          .join(' · ')}
                      </small>
                    </TableCell>
                  </TableRow>
                )}
              </Fragment>
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
              <p>
                {confirming &&
                  format(t.runs.closeText, { title: pick(confirming.surveyTitle, texts.locale) })}
              </p>
              <p role="status">
                {preview === undefined || preview.runId !== confirming?.runId
                  ? t.loading
                  : preview.respondents === null
                    ? format(t.runs.closeAnswersHidden, { k: session.kMin })
                    : preview.respondents === 1
                      ? t.runs.closeAnswersOne
                      : format(t.runs.closeAnswers, { n: preview.respondents })}
              </p>
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

/** Respondents and rate, reach, and (open runs) respondents by district as far as they are shown. */
function ParticipationCell({ p, texts }: { p: ParticipationView; texts: Texts }) {
  const { t } = texts;
  const rate = p.overall.rate === null ? '–' : Math.round(p.overall.rate * 100);
  return (
    <div>
      <div>
        {format(t.runs.participation, {
          answered: p.overall.answered,
          delivered: p.reach.delivered,
          rate,
        })}
      </div>
      <div>
        <small>
          {p.reach.audience === undefined
            ? format(t.runs.reach, { installed: p.reach.installed, delivered: p.reach.delivered })
            : format(t.runs.reachAudience, {
                installed: p.reach.installed,
                audience: p.reach.audience,
                delivered: p.reach.delivered,
              })}
        </small>
      </div>
    </div>
  );
}
