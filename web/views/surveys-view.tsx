// Survey authoring: the template library (the surveys/*.json files) and the officers' drafts, stored
// in Table Storage and validated by the same schema as the files. Publishing is not available yet.
import {
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { ApiError } from '../api';
import { FeatureUnavailableBar, Load } from '../components/status';
import { useLoad, useTab } from '../context';
import { pick } from '../i18n';
import type { SaveDraftResult, SurveyDraftView, SurveyLibraryView } from '../../src/tab/view-types';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '60rem' },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end', flexWrap: 'wrap' },
  editor: { fontFamily: tokens.fontFamilyMonospace, minHeight: '24rem' },
});

type Notice = { intent: 'success' | 'error' | 'info'; text: string; issues?: string[] };

function titleOf(definition: unknown, locale: 'de' | 'en'): string {
  const title = (definition as { title?: { de?: unknown; en?: unknown } } | null)?.title;
  const text = title?.[locale] ?? title?.de;
  return typeof text === 'string' ? text : '–';
}

function idOf(definition: unknown): string {
  const id = (definition as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : '–';
}

export function SurveysView() {
  const styles = useStyles();
  const { texts, api } = useTab();
  const { t } = texts;
  const [library, reload] = useLoad<SurveyLibraryView>('surveys/library');
  const [templateId, setTemplateId] = useState('');
  const [notice, setNotice] = useState<Notice>();
  const [editing, setEditing] = useState<SurveyDraftView>();

  const report = (result: SaveDraftResult) => {
    if (result.kind === 'saved') {
      setNotice({ intent: 'success', text: t.surveys.saved });
      setEditing(result.draft);
      reload();
    } else if (result.kind === 'invalid') {
      setNotice({
        intent: 'error',
        text: t.surveys.invalid,
        issues: result.issues.map((i) => `${i.path || '/'}: ${i.message}`),
      });
    } else if (result.kind === 'stale') setNotice({ intent: 'error', text: t.surveys.stale });
    else if (result.kind === 'not_found') setNotice({ intent: 'error', text: t.errors.not_found });
    else setNotice({ intent: 'info', text: t.unavailable.feature });
  };
  const failed = (err: unknown) =>
    setNotice({
      intent: 'error',
      text: err instanceof ApiError ? (t.errors[err.body.error] ?? t.errors.internal) : t.errors.internal,
    });

  const create = async () => {
    try {
      report(await api.send<SaveDraftResult>('POST', 'drafts', { templateId }));
    } catch (err) {
      failed(err);
    }
  };
  const remove = async (draft: SurveyDraftView) => {
    try {
      await api.send('DELETE', `drafts/${encodeURIComponent(draft.draftId)}`);
      setNotice({ intent: 'success', text: t.surveys.deleted });
      if (editing?.draftId === draft.draftId) setEditing(undefined);
      reload();
    } catch (err) {
      failed(err);
    }
  };

  return (
    <>
      <h2 id="view-heading">{t.surveys.heading}</h2>
      {notice && (
        <MessageBar intent={notice.intent} role="status" layout="multiline">
          <MessageBarBody>
            {notice.text}
            {notice.issues && (
              <ul>
                {notice.issues.map((i) => (
                  <li key={i}>{i}</li>
                ))}
              </ul>
            )}
          </MessageBarBody>
        </MessageBar>
      )}
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
              {data.authoringAvailable && (
                <div className={styles.row}>
                  <Field label={t.surveys.template}>
                    <Select value={templateId} onChange={(_, d) => setTemplateId(d.value)}>
                      <option value="">–</option>
                      {data.templates.map((s) => (
                        <option key={s.surveyId} value={s.surveyId}>
                          {pick(s.title, texts.locale)}
                        </option>
                      ))}
                    </Select>
                  </Field>
                  <Button appearance="primary" disabled={!templateId} onClick={() => void create()}>
                    {t.surveys.create}
                  </Button>
                </div>
              )}
              {data.drafts.length === 0 ? (
                <p>{t.surveys.noDrafts}</p>
              ) : (
                <Table aria-labelledby="drafts-heading">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell scope="col">{t.surveys.draftColumns.title}</TableHeaderCell>
                      <TableHeaderCell scope="col">{t.surveys.draftColumns.id}</TableHeaderCell>
                      <TableHeaderCell scope="col">{t.surveys.draftColumns.updated}</TableHeaderCell>
                      <TableHeaderCell scope="col">{t.surveys.draftColumns.by}</TableHeaderCell>
                      <TableHeaderCell scope="col">{t.surveys.draftColumns.actions}</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {data.drafts.map((d) => {
                      const title = titleOf(d.definition, texts.locale);
                      return (
                        <TableRow key={d.draftId}>
                          <TableCell>{title}</TableCell>
                          <TableCell>
                            <code>{idOf(d.definition)}</code>
                          </TableCell>
                          <TableCell>{texts.date(d.updatedAt)}</TableCell>
                          <TableCell>{d.updatedBy}</TableCell>
                          <TableCell>
                            <div className={styles.row}>
                              <Button
                                size="small"
                                aria-label={`${t.surveys.edit}: ${title}`}
                                onClick={() => setEditing(d)}
                              >
                                {t.surveys.edit}
                              </Button>
                              <Button
                                size="small"
                                aria-label={`${t.surveys.delete}: ${title}`}
                                onClick={() => void remove(d)}
                              >
                                {t.surveys.delete}
                              </Button>
                            </div>
                          </TableCell>
                        </TableRow>
                      );
                    })}
                  </TableBody>
                </Table>
              )}
            </section>
            {editing && (
              <DraftEditor
                key={`${editing.draftId}-${editing.etag}`}
                draft={editing}
                onResult={report}
                onError={failed}
                onInvalidJson={() => setNotice({ intent: 'error', text: t.surveys.invalidJson })}
              />
            )}
          </>
        )}
      </Load>
    </>
  );
}

function DraftEditor({
  draft,
  onResult,
  onError,
  onInvalidJson,
}: {
  draft: SurveyDraftView;
  onResult: (r: SaveDraftResult) => void;
  onError: (err: unknown) => void;
  onInvalidJson: () => void;
}) {
  const styles = useStyles();
  const { texts, api } = useTab();
  const { t } = texts;
  const [text, setText] = useState(() => JSON.stringify(draft.definition, null, 2));
  const [busy, setBusy] = useState(false);
  const save = async () => {
    let definition: unknown;
    try {
      definition = JSON.parse(text);
    } catch {
      onInvalidJson();
      return;
    }
    setBusy(true);
    try {
      onResult(
        await api.send<SaveDraftResult>('PUT', `drafts/${encodeURIComponent(draft.draftId)}`, {
          definition,
          etag: draft.etag,
        }),
      );
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className={styles.section} aria-labelledby="editor-heading">
      <h3 id="editor-heading">{`${t.surveys.editorHeading}: ${titleOf(draft.definition, texts.locale)}`}</h3>
      <Field label={t.surveys.definition} hint={t.surveys.definitionHint}>
        <Textarea
          className={styles.editor}
          value={text}
          onChange={(_, d) => setText(d.value)}
          resize="vertical"
          spellCheck={false}
        />
      </Field>
      <p>{t.surveys.publishLater}</p>
      <div>
        <Button appearance="primary" disabled={busy} onClick={() => void save()}>
          {t.surveys.save}
        </Button>
      </div>
    </section>
  );
}
