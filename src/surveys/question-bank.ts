// The question bank: every survey file in surveys/, read and validated once at start-up. A broken file
// stops the start with one line that names the file, the question and the field, so whoever edited the
// JSON can fix it without reading a stack trace.
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { surveySchema, type Survey } from './definition';

export class QuestionBankError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuestionBankError';
  }
}

export interface QuestionBank {
  /** All surveys, in file-name order. */
  list(): readonly Survey[];
  get(id: string): Survey | undefined;
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
