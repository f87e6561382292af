// Ideas: the pipeline as a board by status, filters (field of action, district, support), and an
// idea's detail with its history, the review (status + feedback) and merging a duplicate.
import {
  Button,
  Card,
  CardHeader,
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
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api';
import { Load } from '../components/status';
import { useLoad, useTab } from '../context';
import { format } from '../i18n';
import { DISTRICT_IDS, FIELD_IDS } from '../vocabulary';
import type {
  IdeaBoardView,
  IdeaCardView,
  IdeaDetailView,
  IdeaStatusView,
  MergeIdeaResult,
  ReviewIdeaResult,
} from '../../src/tab/view-types';

const useStyles = makeStyles({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalL,
    alignItems: 'end',
    border: 'none',
    padding: 0,
    margin: `0 0 ${tokens.spacingVerticalL} 0`,
  },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0, marginBottom: tokens.spacingVerticalS },
  board: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(14rem, 1fr))',
    gap: tokens.spacingHorizontalM,
    alignItems: 'start',
  },
  column: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalS,
    backgroundColor: tokens.colorNeutralBackground2,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  columnHeading: { margin: 0, fontSize: tokens.fontSizeBase400 },
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
  meta: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  history: { paddingLeft: tokens.spacingHorizontalL },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

export function IdeasView() {
  const styles = useStyles();
  const { texts } = useTab();
  const { t } = texts;
  const [field, setField] = useState('');
  const [district, setDistrict] = useState('');
  const [minSupport, setMinSupport] = useState('');
  const [openId, setOpenId] = useState<string>();
  const query = new URLSearchParams();
  if (field) query.set('field', field);
  if (district) query.set('district', district);
  if (/^\d+$/.test(minSupport)) query.set('minSupport', minSupport);
  const [board, reload] = useLoad<IdeaBoardView>(`ideas?${query.toString()}`);

  return (
    <>
      <h2 id="view-heading">{t.ideas.heading}</h2>
      <fieldset className={styles.filters}>
        <legend className={styles.legend}>{t.ideas.filters}</legend>
        <Field label={t.ideas.field}>
          <Select value={field} onChange={(_, d) => setField(d.value)}>
            <option value="">{t.ideas.all}</option>
            {FIELD_IDS.map((f) => (
              <option key={f} value={f}>
                {texts.ideas.fields[f]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t.ideas.district}>
          <Select value={district} onChange={(_, d) => setDistrict(d.value)}>
            <option value="">{t.ideas.all}</option>
            {DISTRICT_IDS.map((d) => (
              <option key={d} value={d}>
                {texts.bot.districts[d]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t.ideas.minSupport}>
          <Input type="number" min={0} value={minSupport} onChange={(_, d) => setMinSupport(d.value)} />
        </Field>
      </fieldset>
      <Load loaded={board} retry={reload}>
        {(data) => (
          <div className={styles.board}>
            {data.columns.map((column) => (
              <section key={column.status} className={styles.column} aria-labelledby={`col-${column.status}`}>
                <h3 id={`col-${column.status}`} className={styles.columnHeading}>
                  {texts.ideas.statuses[column.status]}{' '}
                  <Text size={200} className={styles.meta}>
                    (
                    {column.ideas.length === 1
                      ? t.ideas.countOne
                      : format(t.ideas.count, { n: column.ideas.length })}
                    )
                  </Text>
                </h3>
                {column.ideas.length === 0 ? (
                  <Text className={styles.meta}>{t.ideas.empty}</Text>
                ) : (
                  <ul className={styles.list}>
                    {column.ideas.map((idea) => (
                      <li key={idea.ideaId}>
                        <IdeaCard idea={idea} onOpen={() => setOpenId(idea.ideaId)} />
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            ))}
          </div>
        )}
      </Load>
      {openId && (
        <IdeaDialog
          ideaId={openId}
          onClose={(changed) => {
            setOpenId(undefined);
            if (changed) reload();
          }}
        />
      )}
    </>
  );
}

function IdeaCard({ idea, onOpen }: { idea: IdeaCardView; onOpen: () => void }) {
  const styles = useStyles();
  const { texts } = useTab();
  const { t } = texts;
  return (
    <Card size="small">
      <CardHeader
        header={
          <Text weight="semibold" as="h4" style={{ margin: 0, fontSize: tokens.fontSizeBase300 }}>
            {idea.title}
          </Text>
        }
        description={
          <Text className={styles.meta}>
            {texts.ideas.fields[idea.field]} · {format(t.ideas.supports, { n: idea.supportCount })}
          </Text>
        }
      />
      <div>
        <Button size="small" onClick={onOpen} aria-label={`${t.ideas.open}: ${idea.title}`}>
          {t.ideas.open}
        </Button>
      </div>
    </Card>
  );
}

function IdeaDialog({ ideaId, onClose }: { ideaId: string; onClose: (changed: boolean) => void }) {
  const styles = useStyles();
  const { api, texts } = useTab();
  const { t } = texts;
  const [detail, reload] = useLoad<IdeaDetailView>(`ideas/${encodeURIComponent(ideaId)}`);
  const [to, setTo] = useState<IdeaStatusView | ''>('');
  const [feedback, setFeedback] = useState('');
  const [message, setMessage] = useState<{ intent: 'success' | 'error' | 'warning'; text: string }>();
  const [changed, setChanged] = useState(false);
  const messageRef = useRef<HTMLDivElement>(null);
  // After a save the form resets (its button is disabled again): keep the keyboard focus in the
  // dialog, on the outcome, so that it is read out and Escape still closes the dialog.
  useEffect(() => {
    if (message) messageRef.current?.focus();
  }, [message]);

  const save = async (idea: IdeaCardView) => {
    if (!to) return;
    try {
      const result = await api.send<ReviewIdeaResult>('POST', `ideas/${encodeURIComponent(ideaId)}/review`, {
        from: idea.status,
        to,
        feedback,
      });
      if (result.kind === 'saved') {
        setMessage({ intent: 'success', text: result.notified ? t.ideas.saved : t.ideas.savedNotNotified });
        setChanged(true);
        setTo('');
        setFeedback('');
        reload();
      } else if (result.kind === 'stale') {
        setMessage({ intent: 'warning', text: t.ideas.stale });
        reload();
      } else if (result.kind === 'invalid') {
        setMessage({ intent: 'error', text: t.ideas.problem[result.problem] });
      } else setMessage({ intent: 'error', text: t.errors.not_found });
    } catch (err) {
      setMessage({
        intent: 'error',
        text: err instanceof ApiError ? (t.errors[err.body.error] ?? t.errors.internal) : t.errors.internal,
      });
    }
  };

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose(changed)}>
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>
            {detail.state === 'ready' ? detail.data.idea.title : t.ideas.detailHeading}
          </DialogTitle>
          <DialogContent>
            <Load loaded={detail} retry={reload}>
              {({ idea, history }) => (
                <div className={styles.form}>
                  <p>{idea.description}</p>
                  <p className={styles.meta}>
                    {texts.ideas.fields[idea.field]}
                    {idea.district ? ` · ${texts.bot.districts[idea.district]}` : ''} ·{' '}
                    {idea.submitterName ?? t.ideas.anonymous} ·{' '}
                    {format(t.ideas.supports, { n: idea.supportCount })}
                  </p>
                  <h3>{t.ideas.history}</h3>
                  <ol className={styles.history}>
                    {history.map((h, i) => (
                      <li key={i}>
                        {texts.date(h.at)}: {texts.ideas.statuses[h.to]}
                        {h.byName ? ` (${format(t.ideas.by, { name: h.byName })})` : ''}
                        {h.feedback ? ` – „${h.feedback}“` : ''}
                      </li>
                    ))}
                  </ol>
                  {message && (
                    <MessageBar intent={message.intent} role="status" ref={messageRef} tabIndex={-1}>
                      <MessageBarBody>{message.text}</MessageBarBody>
                    </MessageBar>
                  )}
                  <h3>{t.ideas.review}</h3>
                  {idea.next.length === 0 ? (
                    <p>{t.ideas.final}</p>
                  ) : (
                    <>
                      <Field label={t.ideas.newStatus}>
                        <Select value={to} onChange={(_, d) => setTo(d.value as IdeaStatusView | '')}>
                          <option value="">–</option>
                          {idea.next.map((s) => (
                            <option key={s} value={s}>
                              {texts.ideas.statuses[s]}
                            </option>
                          ))}
                        </Select>
                      </Field>
                      <Field label={t.ideas.feedback} hint={t.ideas.feedbackHint}>
                        <Textarea
                          value={feedback}
                          onChange={(_, d) => setFeedback(d.value)}
                          maxLength={1000}
                          resize="vertical"
                        />
                      </Field>
                      <div>
                        <Button appearance="primary" disabled={!to} onClick={() => void save(idea)}>
                          {t.ideas.save}
                        </Button>
                      </div>
                    </>
                  )}
                  {idea.mergedInto && <p>{format(t.ideas.mergedInto, { title: idea.mergedInto.title })}</p>}
                  <MergeSection
                    idea={idea}
                    onMerged={(outcome) => {
                      setMessage(outcome);
                      setChanged(true);
                      reload();
                    }}
                    onProblem={setMessage}
                  />
                </div>
              )}
            </Load>
          </DialogContent>
          <DialogActions>
            <Button onClick={() => onClose(changed)}>{t.ideas.close}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

/**
 * Merging a duplicate: a picker of the other open ideas, then a confirmation in place (the
 * outcome is read out and keeps the focus in the dialog).
 */
type Outcome = { intent: 'success' | 'error' | 'warning'; text: string };

function MergeSection({
  idea,
  onMerged,
  onProblem,
}: {
  idea: IdeaCardView;
  /** The dialog shows the outcome: this section is drawn anew when the idea is loaded again. */
  onMerged: (outcome: Outcome) => void;
  onProblem: (outcome: Outcome) => void;
}) {
  const styles = useStyles();
  const { api, texts } = useTab();
  const { t } = texts;
  const [board] = useLoad<IdeaBoardView>('ideas');
  const [target, setTarget] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const open = idea.next.length > 0;
  const candidates =
    board.state === 'ready'
      ? board.data.columns
          .filter((c) => !['implemented', 'rejected', 'merged'].includes(c.status))
          .flatMap((c) => c.ideas)
          .filter((i) => i.ideaId !== idea.ideaId)
      : [];
  const chosen = candidates.find((i) => i.ideaId === target);

  const merge = async () => {
    if (!chosen) return;
    setBusy(true);
    try {
      const result = await api.send<MergeIdeaResult>(
        'POST',
        `ideas/${encodeURIComponent(idea.ideaId)}/merge`,
        {
          into: chosen.ideaId,
        },
      );
      if (result.kind === 'merged') {
        const parts = [
          result.again
            ? t.ideas.mergedAgain
            : format(t.ideas.merged, {
                target: result.into.title,
                carried: result.supportsCarried,
                already: result.supportsAlready,
              }),
          result.supportsUnmatched > 0
            ? format(t.ideas.mergedUnmatched, { n: result.supportsUnmatched })
            : '',
          result.again ? '' : result.submitterNotified ? t.ideas.mergedNotified : t.ideas.mergedNotNotified,
        ];
        onMerged({ intent: 'success', text: parts.filter(Boolean).join(' ') });
      } else if (result.kind === 'invalid') {
        onProblem({ intent: 'error', text: t.ideas.mergeProblem[result.problem] });
      } else if (result.kind === 'stale') {
        onProblem({ intent: 'warning', text: t.ideas.mergeStale });
      } else if (result.kind === 'not_available') {
        onProblem({ intent: 'warning', text: t.errors.unavailable });
      } else onProblem({ intent: 'error', text: t.errors.not_found });
    } catch (err) {
      onProblem({
        intent: 'error',
        text: err instanceof ApiError ? (t.errors[err.body.error] ?? t.errors.internal) : t.errors.internal,
      });
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <section aria-labelledby="merge-heading" className={styles.form}>
      <h3 id="merge-heading">{t.ideas.merge}</h3>
      {!open ? (
        <p>{t.ideas.final}</p>
      ) : (
        <Load loaded={board} retry={() => undefined}>
          {() =>
            candidates.length === 0 ? (
              <p>{t.ideas.mergeNoTargets}</p>
            ) : (
              <>
                <Text className={styles.meta}>{t.ideas.mergeHint}</Text>
                <Field label={t.ideas.mergeInto}>
                  <Select
                    value={target}
                    disabled={confirming || busy}
                    onChange={(_, d) => {
                      setTarget(d.value);
                    }}
                  >
                    <option value="">{t.ideas.mergeChoose}</option>
                    {candidates.map((c) => (
                      <option key={c.ideaId} value={c.ideaId}>
                        {c.title} ({texts.ideas.statuses[c.status]},{' '}
                        {format(t.ideas.supports, { n: c.supportCount })})
                      </option>
                    ))}
                  </Select>
                </Field>
                {!confirming ? (
                  <div>
                    <Button disabled={!chosen} onClick={() => setConfirming(true)}>
                      {t.ideas.mergeButton}
                    </Button>
                  </div>
                ) : (
                  <MessageBar intent="warning">
                    <MessageBarBody>
                      <p>
                        {format(t.ideas.mergeConfirm, { title: idea.title, target: chosen?.title ?? '' })}
                      </p>
                      <div style={{ display: 'flex', gap: tokens.spacingHorizontalS }}>
                        <Button
                          appearance="primary"
                          ref={confirmRef}
                          disabled={busy}
                          onClick={() => void merge()}
                        >
                          {t.ideas.mergeConfirmButton}
                        </Button>
                        <Button disabled={busy} onClick={() => setConfirming(false)}>
                          {t.ideas.mergeCancel}
                        </Button>
                      </div>
                    </MessageBarBody>
                  </MessageBar>
                )}
              </>
            )
          }
        </Load>
      )}
    </section>
  );
}
