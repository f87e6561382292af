// The question bank: every survey file in surveys/, read and validated once at start-up, and the
// surveys officers published in the tab (table surveyversions). A broken file stops the start with one
// line that names the file, the question and the field, so whoever edited the JSON can fix it without
// reading a stack trace. Published surveys are read from storage again before each list or start
// (LiveQuestionBank.refresh), so that every instance offers what any instance published.
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { Logger } from '../logger';
import type { PublishedSurvey, PublishedSurveyInfo } from '../storage/published-survey-repository';
import { surveySchema, type Survey } from './definition';

export class QuestionBankError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuestionBankError';
  }
}

export interface QuestionBank {
  /** All surveys: the files in file-name order, then published surveys (latest versions) by id. */
  list(): readonly Survey[];
  get(id: string): Survey | undefined;
  /**
   * Reads what was published since the last call, bounded in time (on a timeout or a storage error the
   * surveys known so far stay); absent for a bank of files only.
   */
  refresh?(): Promise<void>;
}

/** Where published surveys come from (PublishedSurveyRepository). */
export interface PublishedSurveySource {
  list(): Promise<PublishedSurveyInfo[]>;
  get(surveyId: string, version: number): Promise<PublishedSurvey | undefined>;
}

/** A published survey's latest version with what the tab shows about it. */
export interface PublishedEntry {
  survey: Survey;
  /** Every published version, oldest first. */
  versions: PublishedSurveyInfo[];
}

export interface LiveQuestionBankOptions {
  /** The surveys/*.json files (loadQuestionBank): they win over a published survey of the same id. */
  builtIn: QuestionBank;
  published: PublishedSurveySource;
  logger?: Logger;
  /** How long list/start wait for storage before going on with what is known (default 3 s). */
  timeoutMs?: number;
}

/** A list or start waits at most this long for published surveys; storage calls give up after 5 s. */
export const REFRESH_TIMEOUT_MS = 3_000;

/**
 * The built-in surveys plus the latest published version of every published survey. `list` and `get`
 * answer from memory; `refresh` lists the version rows (keys only) and reads just the definitions it has
 * not read yet: version rows never change, so what was read once stays true. Concurrent refreshes share
 * one read.
 */
export class LiveQuestionBank implements QuestionBank {
  private published = new Map<string, PublishedEntry>();
  private all: readonly Survey[];
  private readonly read = new Map<string, Survey>();
  private inFlight: Promise<void> | undefined;

  constructor(private readonly o: LiveQuestionBankOptions) {
    this.all = o.builtIn.list();
  }

  list(): readonly Survey[] {
    return this.all;
  }

  get(id: string): Survey | undefined {
    return this.o.builtIn.get(id) ?? this.published.get(id)?.survey;
  }

  /** The surveys/*.json files: the template library. */
  builtIns(): readonly Survey[] {
    return this.o.builtIn.list();
  }

  isBuiltIn(id: string): boolean {
    return this.o.builtIn.get(id) !== undefined;
  }

  /** Published surveys with their versions, by id (as of the last refresh). */
  publishedEntries(): PublishedEntry[] {
    return [...this.published.values()];
  }

  async refresh(): Promise<void> {
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = undefined;
    });
    const work = this.inFlight.catch((err: unknown) => {
      this.o.logger?.warn({ err }, 'published surveys could not be read; the known ones stay');
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.o.timeoutMs ?? REFRESH_TIMEOUT_MS);
      timer.unref();
    });
    try {
      await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async load(): Promise<void> {
    const infos = await this.o.published.list();
    const bySurvey = new Map<string, PublishedSurveyInfo[]>();
    for (const info of infos) {
      if (this.isBuiltIn(info.surveyId)) continue; // never stands in for a file (publishing refuses it)
      bySurvey.set(info.surveyId, [...(bySurvey.get(info.surveyId) ?? []), info]);
    }
    const next = new Map<string, PublishedEntry>();
    await Promise.all(
      [...bySurvey].map(async ([surveyId, versions]) => {
        versions.sort((a, b) => a.version - b.version);
        // The newest version that reads as a valid survey (a broken row is skipped and logged).
        for (let i = versions.length - 1; i >= 0; i--) {
          const survey = await this.definition(versions[i]!);
          if (survey) {
            next.set(surveyId, { survey, versions });
            return;
          }
        }
      }),
    );
    const published = [...next.values()].sort((a, b) => a.survey.id.localeCompare(b.survey.id));
    this.published = new Map(published.map((e) => [e.survey.id, e]));
    this.all = Object.freeze([...this.o.builtIn.list(), ...published.map((e) => e.survey)]);
  }

  private async definition(info: PublishedSurveyInfo): Promise<Survey | undefined> {
    const key = `${info.surveyId}@${info.version}`;
    const known = this.read.get(key);
    if (known) return known;
    const row = await this.o.published.get(info.surveyId, info.version);
    const parsed = row && surveySchema.safeParse(row.definition);
    if (!parsed?.success || parsed.data.id !== info.surveyId || parsed.data.version !== info.version) {
      this.o.logger?.warn({ surveyId: info.surveyId, version: info.version }, 'published survey is invalid');
      return undefined;
    }
    const survey = deepFreeze(parsed.data);
    this.read.set(key, survey);
    return survey;
  }
}

/** The repository's surveys/ folder. */
export function defaultSurveysDir(): string {
  return path.join(__dirname, '..', '..', 'surveys');
}

const SUFFIX = '.json';

/**
 * Reads every `*.json` in `dir` (sorted by name; hidden files are skipped), validates each against the
 * survey schema, and checks that survey ids are unique and match their file names. The surveys handed out
 * are frozen. Throws a QuestionBankError with a one-line message on the first broken file.
 */
export function loadQuestionBank(dir: string): QuestionBank {
  const surveys: Survey[] = [];
  const fileById = new Map<string, string>();
  for (const name of surveyFileNames(dir)) {
    const file = path.join(dir, name);
    const survey = readSurvey(file);
    const other = fileById.get(survey.id);
    if (other !== undefined) {
      fail(file, `field id: survey id "${survey.id}" is already used by ${shown(other)}`);
    }
    const expected = name.slice(0, -SUFFIX.length);
    if (survey.id !== expected) {
      fail(file, `field id: survey id "${survey.id}" differs from the file name (expected "${expected}")`);
    }
    fileById.set(survey.id, file);
    surveys.push(deepFreeze(survey));
  }
  const list: readonly Survey[] = Object.freeze(surveys);
  const byId = new Map(list.map((s) => [s.id, s]));
  return {
    list: () => list,
    get: (id) => byId.get(id),
  };
}

function surveyFileNames(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    fail(dir, `cannot read the surveys folder: ${reason(error)}`);
  }
  const files = names
    .filter((n) => n.endsWith(SUFFIX) && !n.startsWith('.'))
    .filter((n) => fs.statSync(path.join(dir, n)).isFile()) // follows symlinks (e.g. mounted config maps)
    .sort();
  if (files.length === 0) fail(dir, `no survey files (*${SUFFIX}) found`);
  return files;
}

function readSurvey(file: string): Survey {
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (error) {
    fail(file, `cannot read: ${reason(error)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(source.replace(/^\uFEFF/, ''));
  } catch (error) {
    fail(file, `invalid JSON: ${jsonProblem(error, source)}`);
  }
  const result = surveySchema.safeParse(raw);
  if (!result.success) {
    const [first, ...rest] = result.error.issues;
    const more = rest.length === 0 ? '' : ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})`;
    fail(file, `${describeIssue(first, raw)}${more}`);
  }
  return result.data;
}

type Issue = z.core.$ZodIssue;

/** `question 3 ("tools_confident"), field text.en: <problem>`; the question number counts from 1. */
function describeIssue(issue: Issue, raw: unknown): string {
  const where: string[] = [];
  let fieldPath = issue.path;
  const [first, index] = issue.path;
  if (first === 'questions' && typeof index === 'number') {
    const id = valueAt(raw, ['questions', index, 'id']);
    where.push(`question ${index + 1}${typeof id === 'string' ? ` (${JSON.stringify(id)})` : ''}`);
    fieldPath = issue.path.slice(2);
  }
  const fields =
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => formatPath([...fieldPath, key]))
      : fieldPath.length > 0
        ? [formatPath(fieldPath)]
        : [];
  if (fields.length > 0) where.push(`field ${fields.join(', ')}`);

  let problem = issue.message;
  if (issue.code === 'invalid_union' && issue.discriminator !== undefined) {
    const value = valueAt(raw, issue.path);
    problem += value === undefined ? ' (missing)' : ` (got ${preview(value)})`;
  }
  return where.length > 0 ? `${where.join(', ')}: ${problem}` : problem;
}

/** `choices[1].label.en` */
function formatPath(keys: readonly PropertyKey[]): string {
  return keys
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

function valueAt(raw: unknown, keys: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of keys) {
    if (typeof value !== 'object' || value === null || typeof key === 'symbol') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

function preview(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** JSON.parse's message, plus line and column when it only gives a position. */
function jsonProblem(error: unknown, source: string): string {
  const message = reason(error);
  const at = /at position (\d+)/.exec(message);
  if (at === null || /line \d+/.test(message)) return message;
  const before = source
    .replace(/^\uFEFF/, '')
    .slice(0, Number(at[1]))
    .split('\n');
  return `${message} (line ${before.length}, column ${before[before.length - 1].length + 1})`;
}

/** An error's message; duck-typed, since errors from Node's own modules may come from another realm. */
function reason(error: unknown): string {
  const message: unknown =
    typeof error === 'object' && error !== null ? Reflect.get(error, 'message') : undefined;
  return typeof message === 'string' ? message : String(error);
}

/** Paths are shown relative to the working directory when they lie below it. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  const outside = relative === '' || relative.split(path.sep)[0] === '..' || path.isAbsolute(relative);
  return outside ? file : relative;
}

function fail(file: string, problem: string): never {
  throw new QuestionBankError(`${shown(file)}: ${problem}`.replace(/\s*[\r\n]+\s*/g, ' '));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
