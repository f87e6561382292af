// The counts of one run's responses, overall and per district: a streaming aggregation (responses
// are added one at a time and only counts are kept, plus the free texts overall — never with a
// district). What of it may be shown is decided by src/privacy/disclosure.ts alone. Pure.
import type { Question, Survey } from '../surveys/definition';
import { NO_ANSWER, type AnswerValue, type Answers } from '../surveys/model';
import { DISTRICTS, type District, type FieldOfAction } from '../domain/vocabulary';

/** The counts of one question within one group (all respondents, or one district). */
export type Tally =
  /** counts[v]: how often v was given (likert: index 0 is "keine Angabe"; nps: 0–10). */
  | { kind: 'scale'; counts: number[] }
  /** counts[i]: how often choice i was picked; answered: respondents who picked at least one. */
  | { kind: 'choice'; counts: number[]; answered: number }
  /** Non-empty texts: only their number. */
  | { kind: 'text'; answered: number };

export interface Group {
  respondents: number;
  tallies: Tally[];
  /** Per field of action: respondents who gave at least one likert answer 1–5 in it. */
  fieldRespondents: Map<FieldOfAction, number>;
}

/** Counts one run's responses, overall and per district. Holds counts only. */
export class RunAggregator {
  private readonly all: Group;
  private readonly districts = new Map<District, Group>();
  private readonly choiceIndex: (Map<string, number> | undefined)[];
  /** Per question index: the free texts (overall only, never per district). */
  private readonly texts = new Map<number, string[]>();

  constructor(readonly survey: Survey) {
    this.all = this.newGroup();
    this.choiceIndex = survey.questions.map((q) =>
      q.type === 'single' || q.type === 'multi' ? new Map(q.choices.map((c, i) => [c.id, i])) : undefined,
    );
  }

  /** Respondents added so far. */
  get respondents(): number {
    return this.all.respondents;
  }

  /**
   * Adds one stored response. Values the frozen definition does not allow are ignored rather than
   * counted; a response without a district counts overall only.
   */
  add(r: { district: District | undefined; answers: Answers }): void {
    const groups = [this.all];
    if (r.district !== undefined && (DISTRICTS as readonly string[]).includes(r.district)) {
      let group = this.districts.get(r.district);
      if (!group) {
        group = this.newGroup();
        this.districts.set(r.district, group);
      }
      groups.push(group);
    }
    const fieldsAnswered = new Set<FieldOfAction>();
    const normalised = this.survey.questions.map((q, i) => {
      const value = normalise(q, r.answers[q.id], this.choiceIndex[i]);
      if (q.type === 'likert5' && typeof value === 'number' && value !== NO_ANSWER)
        fieldsAnswered.add(q.field);
      return value;
    });
    for (const group of groups) {
      group.respondents++;
      for (const field of fieldsAnswered) {
        group.fieldRespondents.set(field, (group.fieldRespondents.get(field) ?? 0) + 1);
      }
      normalised.forEach((value, i) => {
        if (value === undefined) return;
        if (group === this.all && value === true) {
          const list = this.texts.get(i) ?? [];
          list.push(String(r.answers[this.survey.questions[i]!.id]).trim());
          this.texts.set(i, list);
        }
        const t = group.tallies[i]!;
        if (t.kind === 'scale' && typeof value === 'number') t.counts[value]!++;
        else if (t.kind === 'choice' && Array.isArray(value)) {
          t.answered++;
          for (const c of value) t.counts[c]!++;
        } else if (t.kind === 'text') t.answered++;
      });
    }
  }

  /** All respondents. */
  overall(): Readonly<Group> {
    return this.all;
  }

  /** The free texts of question `index` (overall only). */
  textsOf(index: number): readonly string[] {
    return this.texts.get(index) ?? [];
  }

  /** The districts seen, in the configured order. */
  byDistrict(): [District, Readonly<Group>][] {
    return DISTRICTS.filter((d) => this.districts.has(d)).map((d) => [d, this.districts.get(d)!]);
  }

  private newGroup(): Group {
    return {
      respondents: 0,
      fieldRespondents: new Map(),
      tallies: this.survey.questions.map((q): Tally => {
        switch (q.type) {
          case 'likert5':
            return { kind: 'scale', counts: new Array<number>(6).fill(0) };
          case 'nps':
            return { kind: 'scale', counts: new Array<number>(11).fill(0) };
          case 'single':
          case 'multi':
            return { kind: 'choice', counts: new Array<number>(q.choices.length).fill(0), answered: 0 };
          case 'text':
            return { kind: 'text', answered: 0 };
        }
      }),
    };
  }
}

/** A scale value as a number, choices as indexes (at least one), a text as true; else undefined. */
function normalise(
  q: Question,
  value: AnswerValue | undefined,
  choices: Map<string, number> | undefined,
): number | number[] | true | undefined {
  if (value === undefined) return undefined;
  switch (q.type) {
    case 'likert5':
    case 'nps': {
      const max = q.type === 'likert5' ? 5 : 10;
      const min = q.type === 'likert5' ? NO_ANSWER : 0;
      return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
        ? value
        : undefined;
    }
    case 'single':
    case 'multi': {
      const ids = q.type === 'multi' ? (Array.isArray(value) ? value : []) : [value];
      const picked = [...new Set(ids)]
        .map((id) => (typeof id === 'string' ? choices!.get(id) : undefined))
        .filter((i): i is number => i !== undefined);
      return picked.length > 0 ? picked : undefined;
    }
    case 'text':
      return typeof value === 'string' && value.trim() !== '' ? true : undefined;
  }
}
