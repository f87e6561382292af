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
import { FeatureUnavailableBar, Load } from '../components/status';
import { useLoad, useTab } from '../context';
import { format } from '../i18n';
import { DISTRICT_IDS, FIELD_IDS } from '../vocabulary';
import type {
  IdeaBoardView,
  IdeaCardView,
  IdeaDetailView,
  IdeaStatusView,
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
                  <h3>{t.ideas.merge}</h3>
                  <FeatureUnavailableBar />
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
