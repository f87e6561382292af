// Survey authoring: the template library (the surveys/*.json files), the officers' drafts and the
// published surveys, all in Table Storage and validated by the same schema as the files. A draft is
// edited question by question in a form (with a preview of each question as staff see it in Teams) or,
// for the advanced, as raw JSON; publishing makes it startable as the next version of its survey.
import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Select,
  Switch,
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
import { useState, type ReactNode } from 'react';
import { ApiError } from '../api';
import { FeatureUnavailableBar, Load } from '../components/status';
import { useLoad, useTab } from '../context';
import { format, pick, type Texts } from '../i18n';
import { FIELD_IDS } from '../vocabulary';
import type { Question, Survey } from '../../src/surveys/definition';
import type {
  LocalisedTextView,
  SaveDraftResult,
  SurveyDraftView,
  SurveyIssueView,
  SurveyLibraryView,
} from '../../src/tab/view-types';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '60rem' },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end', flexWrap: 'wrap' },
  pair: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(16rem, 1fr))',
    gap: tokens.spacingHorizontalM,
  },
  editor: { fontFamily: tokens.fontFamilyMonospace, minHeight: '24rem' },
  question: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingHorizontalM,
    margin: 0,
  },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: `0 ${tokens.spacingHorizontalXS}` },
  preview: {
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground2,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
  },
  tiles: { display: 'grid', gap: tokens.spacingHorizontalXS },
  tile: {
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusSmall,
    padding: tokens.spacingHorizontalXS,
    textAlign: 'center',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  grow: { flexGrow: 1 },
  subtle: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, margin: 0 },
  error: { color: tokens.colorPaletteRedForeground1, margin: 0 },
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

/** A schema problem in the officer's language. */
function issueText(t: Texts['t'], issue: SurveyIssueView): string {
  const text = t.surveys.issues[issue.code ?? 'other'];
  return format(text, { limit: issue.limit ?? '' });
}

export function SurveysView() {
  const styles = useStyles();
  const { texts, api } = useTab();
  const { t } = texts;
  const [library, reload] = useLoad<SurveyLibraryView>('surveys/library');
  const [templateId, setTemplateId] = useState('');
  const [notice, setNotice] = useState<Notice>();
  const [editing, setEditing] = useState<SurveyDraftView>();
  const [issues, setIssues] = useState<SurveyIssueView[]>([]);
  // The editor's mode stays as the officer chose it when a save draws the editor anew.
  const [advanced, setAdvanced] = useState(false);

  const report = (result: SaveDraftResult) => {
    setIssues(result.kind === 'invalid' ? result.issues : []);
    if (result.kind === 'saved') {
      setNotice({ intent: 'success', text: t.surveys.saved });
      setEditing(result.draft);
      reload();
    } else if (result.kind === 'published') {
      setNotice({
        intent: 'success',
        text: format(t.surveys.publishedDone, {
          title: titleOf(result.draft.definition, texts.locale),
          version: result.version,
        }),
      });
      setEditing(result.draft);
      reload();
    } else if (result.kind === 'invalid') {
      setNotice({ intent: 'error', text: t.surveys.invalid });
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
      report(await api.send<SaveDraftResult>('POST', 'drafts', templateId ? { templateId } : {}));
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
            <section className={styles.section} aria-labelledby="published-heading">
              <h3 id="published-heading">{t.surveys.publishedHeading}</h3>
              {data.published.length === 0 ? (
                <p>{t.surveys.noPublished}</p>
              ) : (
                <Table aria-labelledby="published-heading">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell scope="col">{t.surveys.publishedColumns.title}</TableHeaderCell>
                      <TableHeaderCell scope="col">{t.surveys.publishedColumns.id}</TableHeaderCell>
                      <TableHeaderCell scope="col">{t.surveys.publishedColumns.version}</TableHeaderCell>
                      <TableHeaderCell scope="col">{t.surveys.publishedColumns.versions}</TableHeaderCell>
                      <TableHeaderCell scope="col">{t.surveys.publishedColumns.when}</TableHeaderCell>
                      <TableHeaderCell scope="col">{t.surveys.publishedColumns.by}</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {data.published.map((s) => (
                      <TableRow key={s.surveyId}>
                        <TableCell>{pick(s.title, texts.locale)}</TableCell>
                        <TableCell>
                          <code>{s.surveyId}</code>
                        </TableCell>
                        <TableCell>{s.version}</TableCell>
                        <TableCell>{s.versions.length}</TableCell>
                        <TableCell>{texts.date(s.publishedAt)}</TableCell>
                        <TableCell>{s.publishedBy}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </section>
            <section className={styles.section} aria-labelledby="drafts-heading">
              <h3 id="drafts-heading">{t.surveys.drafts}</h3>
              {data.authoringAvailable && (
                <div className={styles.row}>
                  <Field label={t.surveys.template}>
                    <Select value={templateId} onChange={(_, d) => setTemplateId(d.value)}>
                      <option value="">{t.surveys.templateBlank}</option>
                      {data.templates.map((s) => (
                        <option key={s.surveyId} value={s.surveyId}>
                          {pick(s.title, texts.locale)}
                        </option>
                      ))}
                    </Select>
                  </Field>
                  <Button appearance="primary" onClick={() => void create()}>
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
                      <TableHeaderCell scope="col">{t.surveys.draftColumns.published}</TableHeaderCell>
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
                            {d.publishedVersions.length === 0
                              ? '–'
                              : d.publishedVersions
                                  .map((version) => format(t.surveys.versionShort, { version }))
                                  .join(', ')}
                          </TableCell>
                          <TableCell>
                            <div className={styles.row}>
                              <Button
                                size="small"
                                aria-label={`${t.surveys.edit}: ${title}`}
                                onClick={() => {
                                  setIssues([]);
                                  setEditing(d);
                                }}
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
                issues={issues}
                canPublish={data.publishingAvailable}
                advanced={advanced}
                setAdvanced={setAdvanced}
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

/** The definition being edited: a survey's shape, possibly not (yet) valid. */
type Draft = Survey;
type QuestionType = Question['type'];
const QUESTION_TYPES: QuestionType[] = ['likert5', 'single', 'multi', 'text', 'nps'];

/** The definition as the form can show it; undefined when the JSON is not a survey's shape at all. */
function formOf(definition: unknown): Draft | undefined {
  const d = definition as Partial<Draft> | null;
  if (!d || typeof d !== 'object' || !Array.isArray(d.questions)) return undefined;
  const text = (v: unknown): LocalisedTextView => {
    const o = (v ?? {}) as { de?: unknown; en?: unknown };
    return { de: typeof o.de === 'string' ? o.de : '', en: typeof o.en === 'string' ? o.en : '' };
  };
  if (!d.questions.every((q) => q && typeof q === 'object' && QUESTION_TYPES.includes(q.type)))
    return undefined;
  return {
    id: typeof d.id === 'string' ? d.id : '',
    version: typeof d.version === 'number' ? d.version : 1,
    title: text(d.title),
    intro: text(d.intro),
    minutes: typeof d.minutes === 'number' ? d.minutes : 2,
    questions: d.questions.map((q) => structuredClone(q)),
  };
}

/** NPS scale ends are optional: four empty inputs mean none. */
function withoutEmptyLabels(form: Draft): Draft {
  return {
    ...form,
    questions: form.questions.map((q) => {
      if (q.type !== 'nps' || !q.labels) return q;
      const { low, high } = q.labels;
      if ([low.de, low.en, high.de, high.en].some((v) => v.trim() !== '')) return q;
      const { labels: _labels, ...rest } = q;
      return rest;
    }),
  };
}

function freeId(prefix: string, taken: readonly string[]): string {
  for (let n = taken.length + 1; ; n++) if (!taken.includes(`${prefix}${n}`)) return `${prefix}${n}`;
}

/** A question of another type that keeps what the types share (id, field, texts, required). */
function withType(q: Question, type: QuestionType, t: Texts['t']): Question {
  const base = { id: q.id, field: q.field, text: q.text, required: q.required };
  const choices =
    q.type === 'single' || q.type === 'multi'
      ? q.choices
      : [1, 2].map((n) => ({
          id: `option_${n}`,
          label: { de: `${t.surveys.newOption.de} ${n}`, en: `${t.surveys.newOption.en} ${n}` },
        }));
  switch (type) {
    case 'likert5':
      return {
        ...base,
        type,
        labels: q.type === 'likert5' ? q.labels : { low: t.surveys.defaultLow, high: t.surveys.defaultHigh },
        allowNoAnswer: q.type === 'likert5' ? q.allowNoAnswer : false,
      };
    case 'single':
      return { ...base, type, choices };
    case 'multi':
      return { ...base, type, choices, min: 0 };
    case 'text':
      return { ...base, type, required: false, maxLength: 500 };
    case 'nps':
      return { ...base, type };
  }
}

function newQuestion(taken: readonly string[], t: Texts['t']): Question {
  return {
    id: freeId('frage_', taken),
    type: 'likert5',
    field: 'digitales-arbeiten',
    text: { ...t.surveys.newQuestion },
    required: true,
    labels: { low: { ...t.surveys.defaultLow }, high: { ...t.surveys.defaultHigh } },
    allowNoAnswer: false,
  };
}

function DraftEditor({
  draft,
  issues,
  canPublish,
  advanced: advancedChosen,
  setAdvanced,
  onResult,
  onError,
  onInvalidJson,
}: {
  draft: SurveyDraftView;
  issues: SurveyIssueView[];
  canPublish: boolean;
  advanced: boolean;
  setAdvanced: (on: boolean) => void;
  onResult: (r: SaveDraftResult) => void;
  onError: (err: unknown) => void;
  onInvalidJson: () => void;
}) {
  const styles = useStyles();
  const { texts, api } = useTab();
  const { t } = texts;
  const initial = formOf(draft.definition);
  const [form, setForm] = useState<Draft | undefined>(initial);
  // A definition the form cannot show (not a survey's shape) opens in the JSON editor.
  const advanced = advancedChosen || form === undefined;
  const [text, setText] = useState(() => JSON.stringify(draft.definition, null, 2));
  const [jsonProblem, setJsonProblem] = useState(false);
  const [busy, setBusy] = useState(false);

  /** What is saved: the form, or the JSON when that is what the officer edits. */
  const definition = (): unknown => {
    if (!advanced) return form && withoutEmptyLabels(form);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  };
  const toggleAdvanced = (on: boolean) => {
    if (on) {
      setText(JSON.stringify(form ?? draft.definition, null, 2));
      setAdvanced(true);
      return;
    }
    let parsed: Draft | undefined;
    try {
      parsed = formOf(JSON.parse(text));
    } catch {
      parsed = undefined;
    }
    setJsonProblem(parsed === undefined);
    if (parsed) {
      setForm(parsed);
      setAdvanced(false);
    }
  };

  const save = async (publish: boolean) => {
    const def = definition();
    if (def === undefined) {
      onInvalidJson();
      return;
    }
    setBusy(true);
    try {
      const saved = await api.send<SaveDraftResult>('PUT', `drafts/${encodeURIComponent(draft.draftId)}`, {
        definition: def,
        etag: draft.etag,
      });
      if (!publish || saved.kind !== 'saved') onResult(saved);
      else
        onResult(
          await api.send<SaveDraftResult>('POST', `drafts/${encodeURIComponent(draft.draftId)}/publish`),
        );
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };

  /** The problems of exactly this path, worded for the officer (shown next to its field). */
  const problem = (path: string): string | undefined => {
    const found = issues.filter((i) => i.path === path);
    return found.length === 0 ? undefined : found.map((i) => issueText(t, i)).join(' ');
  };
  // Problems no field of the form shows (or all of them, in the JSON editor) are listed below it.
  const fields = form && !advanced ? formPaths(form) : new Set<string>();
  const rest = issues.filter((i) => !fields.has(i.path));

  return (
    <section className={styles.section} aria-labelledby="editor-heading">
      <h3 id="editor-heading">{`${t.surveys.editorHeading}: ${titleOf(draft.definition, texts.locale)}`}</h3>
      <Switch checked={advanced} label={t.surveys.advanced} onChange={(_, d) => toggleAdvanced(d.checked)} />
      {jsonProblem && advanced && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{t.surveys.jsonNotApplied}</MessageBarBody>
        </MessageBar>
      )}
      {advanced ? (
        <Field label={t.surveys.definition} hint={t.surveys.definitionHint}>
          <Textarea
            className={styles.editor}
            value={text}
            onChange={(_, d) => setText(d.value)}
            resize="vertical"
            spellCheck={false}
          />
        </Field>
      ) : (
        form && <SurveyForm form={form} setForm={setForm} problem={problem} />
      )}
      {rest.length > 0 && (
        <div role="alert">
          <p className={styles.error}>{t.surveys.otherProblems}</p>
          <ul>
            {rest.map((i, n) => (
              <li key={`${i.path}-${n}`} className={styles.error}>
                {`${i.path || '/'}: ${issueText(t, i)}`}
              </li>
            ))}
          </ul>
        </div>
      )}
      <p>{canPublish ? t.surveys.publishHint : t.surveys.publishLater}</p>
      <div className={styles.row}>
        <Button disabled={busy} onClick={() => void save(false)}>
          {t.surveys.save}
        </Button>
        {canPublish && (
          <Button appearance="primary" disabled={busy} onClick={() => void save(true)}>
            {t.surveys.publish}
          </Button>
        )}
      </div>
    </section>
  );
}

type Problem = (path: string) => string | undefined;

/** Every path the form shows problems for, next to a field. */
function formPaths(form: Draft): Set<string> {
  const paths = ['id', 'title.de', 'title.en', 'intro.de', 'intro.en', 'minutes', 'questions'];
  form.questions.forEach((q, i) => {
    const p = `questions.${i}`;
    paths.push(`${p}.type`, `${p}.field`, `${p}.id`, `${p}.text.de`, `${p}.text.en`);
    if (q.type === 'likert5' || q.type === 'nps')
      for (const end of ['low', 'high']) paths.push(`${p}.labels.${end}.de`, `${p}.labels.${end}.en`);
    if (q.type === 'single' || q.type === 'multi') {
      paths.push(`${p}.choices`);
      q.choices.forEach((_, c) => paths.push(`${p}.choices.${c}.label.de`, `${p}.choices.${c}.label.en`));
    }
  });
  return new Set(paths);
}

/** A Field with the schema's problem for `path` next to it. */
function PathField({
  label,
  path,
  problem,
  hint,
  children,
}: {
  label: string;
  path: string;
  problem: Problem;
  hint?: string;
  children: ReactNode;
}) {
  const message = problem(path);
  return (
    <Field label={label} hint={hint} validationState={message ? 'error' : 'none'} validationMessage={message}>
      {children}
    </Field>
  );
}

/** Two inputs, German and English, for one localised text. */
function TextPair({
  labels,
  value,
  path,
  problem,
  onChange,
  multiline,
}: {
  labels: [string, string];
  value: LocalisedTextView;
  path: string;
  problem: Problem;
  onChange: (v: LocalisedTextView) => void;
  multiline?: boolean;
}) {
  const styles = useStyles();
  return (
    <div className={styles.pair}>
      {(['de', 'en'] as const).map((lang, i) => (
        <PathField key={lang} label={labels[i]!} path={`${path}.${lang}`} problem={problem}>
          {multiline ? (
            <Textarea
              value={value[lang]}
              onChange={(_, d) => onChange({ ...value, [lang]: d.value })}
              resize="vertical"
            />
          ) : (
            <Input value={value[lang]} onChange={(_, d) => onChange({ ...value, [lang]: d.value })} />
          )}
        </PathField>
      ))}
    </div>
  );
}

function SurveyForm({
  form,
  setForm,
  problem,
}: {
  form: Draft;
  setForm: (f: Draft) => void;
  problem: Problem;
}) {
  const styles = useStyles();
  const { texts } = useTab();
  const { t } = texts;
  const setQuestions = (questions: Question[]) => setForm({ ...form, questions });
  const setQuestion = (i: number, q: Question) =>
    setQuestions(form.questions.map((x, j) => (j === i ? q : x)));
  const move = (i: number, by: number) => {
    const qs = [...form.questions];
    const [q] = qs.splice(i, 1);
    qs.splice(i + by, 0, q!);
    setQuestions(qs);
  };
  const questionsProblem = problem('questions');
  return (
    <>
      <fieldset className={styles.question}>
        <legend className={styles.legend}>{t.surveys.general}</legend>
        <PathField label={t.surveys.surveyId} hint={t.surveys.surveyIdHint} path="id" problem={problem}>
          <Input value={form.id} onChange={(_, d) => setForm({ ...form, id: d.value.trim() })} />
        </PathField>
        <TextPair
          labels={[t.surveys.titleDe, t.surveys.titleEn]}
          value={form.title}
          path="title"
          problem={problem}
          onChange={(title) => setForm({ ...form, title })}
        />
        <TextPair
          labels={[t.surveys.introDe, t.surveys.introEn]}
          value={form.intro}
          path="intro"
          problem={problem}
          multiline
          onChange={(intro) => setForm({ ...form, intro })}
        />
        <PathField label={t.surveys.minutes} path="minutes" problem={problem}>
          <Input
            type="number"
            min={1}
            max={10}
            value={String(form.minutes)}
            onChange={(_, d) => setForm({ ...form, minutes: Number(d.value) })}
          />
        </PathField>
      </fieldset>
      <h4 id="questions-heading">{t.surveys.questions}</h4>
      {questionsProblem && (
        <p className={styles.error} role="alert">
          {questionsProblem}
        </p>
      )}
      {form.questions.map((q, i) => (
        <QuestionEditor
          key={i}
          index={i}
          count={form.questions.length}
          question={q}
          survey={form}
          problem={problem}
          onChange={(next) => setQuestion(i, next)}
          onMove={(by) => move(i, by)}
          onRemove={() => setQuestions(form.questions.filter((_, j) => j !== i))}
        />
      ))}
      <div>
        <Button
          onClick={() =>
            setQuestions([
              ...form.questions,
              newQuestion(
                form.questions.map((q) => q.id),
                t,
              ),
            ])
          }
        >
          {t.surveys.addQuestion}
        </Button>
      </div>
    </>
  );
}

function QuestionEditor({
  index,
  count,
  question: q,
  survey,
  problem,
  onChange,
  onMove,
  onRemove,
}: {
  index: number;
  count: number;
  question: Question;
  survey: Draft;
  problem: Problem;
  onChange: (q: Question) => void;
  onMove: (by: number) => void;
  onRemove: () => void;
}) {
  const styles = useStyles();
  const { texts } = useTab();
  const { t } = texts;
  const n = index + 1;
  const path = `questions.${index}`;
  const name = format(t.surveys.question, { n });
  const choicesProblem = problem(`${path}.choices`);
  return (
    <fieldset className={styles.question} aria-label={name}>
      <legend className={styles.legend}>{name}</legend>
      <div className={styles.pair}>
        <PathField label={t.surveys.type} path={`${path}.type`} problem={problem}>
          <Select value={q.type} onChange={(_, d) => onChange(withType(q, d.value as QuestionType, t))}>
            {QUESTION_TYPES.map((type) => (
              <option key={type} value={type}>
                {t.surveys.types[type]}
              </option>
            ))}
          </Select>
        </PathField>
        <PathField label={t.surveys.field} path={`${path}.field`} problem={problem}>
          <Select
            value={q.field}
            onChange={(_, d) => onChange({ ...q, field: d.value as Question['field'] })}
          >
            {FIELD_IDS.map((f) => (
              <option key={f} value={f}>
                {texts.ideas.fields[f]}
              </option>
            ))}
          </Select>
        </PathField>
        <PathField label={t.surveys.questionId} path={`${path}.id`} problem={problem}>
          <Input value={q.id} onChange={(_, d) => onChange({ ...q, id: d.value.trim() })} />
        </PathField>
      </div>
      <TextPair
        labels={[t.surveys.textDe, t.surveys.textEn]}
        value={q.text}
        path={`${path}.text`}
        problem={problem}
        multiline
        onChange={(text) => onChange({ ...q, text })}
      />
      <Checkbox
        checked={q.required}
        label={t.surveys.required}
        onChange={(_, d) => onChange({ ...q, required: d.checked === true })}
      />
      {(q.type === 'likert5' || q.type === 'nps') && (
        <>
          <TextPair
            labels={[t.surveys.lowDe, t.surveys.lowEn]}
            value={q.labels?.low ?? { de: '', en: '' }}
            path={`${path}.labels.low`}
            problem={problem}
            onChange={(low) =>
              onChange({ ...q, labels: { low, high: q.labels?.high ?? { de: '', en: '' } } } as Question)
            }
          />
          <TextPair
            labels={[t.surveys.highDe, t.surveys.highEn]}
            value={q.labels?.high ?? { de: '', en: '' }}
            path={`${path}.labels.high`}
            problem={problem}
            onChange={(high) =>
              onChange({ ...q, labels: { low: q.labels?.low ?? { de: '', en: '' }, high } } as Question)
            }
          />
        </>
      )}
      {q.type === 'likert5' && (
        <Checkbox
          checked={q.allowNoAnswer}
          label={t.surveys.allowNoAnswer}
          onChange={(_, d) => onChange({ ...q, allowNoAnswer: d.checked === true })}
        />
      )}
      {(q.type === 'single' || q.type === 'multi') && (
        <div role="group" aria-label={`${t.surveys.options} – ${name}`}>
          <p className={styles.subtle}>{t.surveys.options}</p>
          {choicesProblem && (
            <p className={styles.error} role="alert">
              {choicesProblem}
            </p>
          )}
          {q.choices.map((c, ci) => (
            <div key={ci} className={styles.row}>
              <div className={styles.grow}>
                <TextPair
                  labels={[
                    format(t.surveys.optionDe, { n: ci + 1 }),
                    format(t.surveys.optionEn, { n: ci + 1 }),
                  ]}
                  value={c.label}
                  path={`${path}.choices.${ci}.label`}
                  problem={problem}
                  onChange={(label) =>
                    onChange({ ...q, choices: q.choices.map((x, j) => (j === ci ? { ...x, label } : x)) })
                  }
                />
              </div>
              <Button
                size="small"
                disabled={q.choices.length <= 2}
                onClick={() => onChange({ ...q, choices: q.choices.filter((_, j) => j !== ci) })}
              >
                {format(t.surveys.removeOption, { n: ci + 1 })}
              </Button>
            </div>
          ))}
          <Button
            size="small"
            disabled={q.choices.length >= 12}
            onClick={() =>
              onChange({
                ...q,
                choices: [
                  ...q.choices,
                  {
                    id: freeId(
                      'option_',
                      q.choices.map((c) => c.id),
                    ),
                    label: {
                      de: `${t.surveys.newOption.de} ${q.choices.length + 1}`,
                      en: `${t.surveys.newOption.en} ${q.choices.length + 1}`,
                    },
                  },
                ],
              })
            }
          >
            {t.surveys.addOption}
          </Button>
        </div>
      )}
      <QuestionPreview survey={survey} index={index} />
      <div className={styles.row}>
        <Button size="small" disabled={index === 0} onClick={() => onMove(-1)}>
          {format(t.surveys.moveUp, { n })}
        </Button>
        <Button size="small" disabled={index === count - 1} onClick={() => onMove(1)}>
          {format(t.surveys.moveDown, { n })}
        </Button>
        <Button size="small" disabled={count <= 1} onClick={onRemove}>
          {format(t.surveys.removeQuestion, { n })}
        </Button>
      </div>
    </fieldset>
  );
}

/**
 * The question as the survey card shows it in Teams, in the tab's language: "Frage n von N", the text,
 * its answers as the card's tiles (likert 1–5, NPS 0–10, single choice), check boxes (multiple choice)
 * or a text box, with the card's legend for the scale ends. Nothing here can be pressed.
 */
function QuestionPreview({ survey, index }: { survey: Draft; index: number }) {
  const styles = useStyles();
  const { texts } = useTab();
  const { t, locale } = texts;
  const s = texts.bot.survey;
  const q = survey.questions[index]!;
  const headingId = `preview-${index}`;
  const scale = (values: number[], ends: Record<number, string>, max: number) => (
    <div
      className={styles.tiles}
      style={{ gridTemplateColumns: `repeat(${Math.min(values.length, 6)}, 1fr)` }}
    >
      {values.map((v) => (
        <span
          key={v}
          className={styles.tile}
          title={format(ends[v] ? s.tileEnd : s.tile, { value: v, max, label: ends[v] ?? '' })}
        >
          {v}
        </span>
      ))}
    </div>
  );
  let answers: ReactNode = null;
  let legend: string[] = [];
  switch (q.type) {
    case 'likert5': {
      const ends = { 1: pick(q.labels.low, locale), 5: pick(q.labels.high, locale) };
      answers = (
        <>
          {scale([1, 2, 3, 4, 5], ends, 5)}
          {q.allowNoAnswer && <span className={styles.tile}>{s.likertNoAnswer}</span>}
        </>
      );
      legend = [
        format(s.scaleEnd, { value: 1, label: ends[1] }),
        format(s.scaleEnd, { value: 5, label: ends[5] }),
      ];
      break;
    }
    case 'nps': {
      const ends: Record<number, string> = q.labels
        ? { 0: pick(q.labels.low, locale), 10: pick(q.labels.high, locale) }
        : {};
      answers = scale([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], ends, 10);
      if (q.labels)
        legend = [
          format(s.scaleEnd, { value: 0, label: ends[0]! }),
          format(s.scaleEnd, { value: 10, label: ends[10]! }),
        ];
      break;
    }
    case 'single':
      answers = (
        <div className={styles.tiles}>
          {q.choices.map((c) => (
            <span key={c.id} className={styles.tile} style={{ textAlign: 'left' }}>
              {pick(c.label, locale)}
            </span>
          ))}
        </div>
      );
      break;
    case 'multi':
      answers = (
        <ul>
          {q.choices.map((c) => (
            <li key={c.id}>{`☐ ${pick(c.label, locale)}`}</li>
          ))}
        </ul>
      );
      break;
    case 'text':
      answers = <div className={styles.tile} style={{ minHeight: '3rem' }} aria-hidden="true" />;
      break;
  }
  return (
    <section className={styles.preview} aria-labelledby={headingId}>
      <h5 id={headingId} className={styles.subtle}>
        {format(t.surveys.preview, { n: index + 1 })}
      </h5>
      <strong>{pick(survey.title, locale)}</strong>
      <p className={styles.subtle}>{format(s.progress, { n: index + 1, total: survey.questions.length })}</p>
      <p style={{ margin: 0 }}>{pick(q.text, locale)}</p>
      {answers}
      {legend.map((l) => (
        <p key={l} className={styles.subtle}>
          {l}
        </p>
      ))}
      {(q.type === 'multi' || q.type === 'text' || !q.required) && (
        <div>
          <span className={styles.tile}>{s.next}</span>
        </div>
      )}
    </section>
  );
}
