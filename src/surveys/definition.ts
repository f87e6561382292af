// The question bank's schema: one JSON file per survey in surveys/, validated at start-up.
import { z } from 'zod';
import { FIELDS_OF_ACTION } from '../domain/vocabulary';

const text = (max: number) =>
  z.object({ de: z.string().trim().min(1).max(max), en: z.string().trim().min(1).max(max) }).strict();

/** Ids become input ids and storage property names: short, lower-case, no separators but "_". */
const id = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,29}$/, 'lower-case letters, digits and _, starting with a letter');

const base = {
  id,
  field: z.enum(FIELDS_OF_ACTION),
  text: text(300),
  required: z.boolean().default(true),
};

const choice = z.object({ id, label: text(120) }).strict();

export const questionSchema = z.discriminatedUnion('type', [
  z
    .object({
      ...base,
      type: z.literal('likert5'),
      labels: z.object({ low: text(60), high: text(60) }).strict(),
      /** Offers "keine Angabe" (stored as 0, counted but left out of means). */
      allowNoAnswer: z.boolean().default(false),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('single'),
      choices: z.array(choice).min(2).max(12),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('multi'),
      choices: z.array(choice).min(2).max(12),
      min: z.number().int().min(0).default(0),
      max: z.number().int().min(1).optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('text'),
      required: z.boolean().default(false),
      maxLength: z.number().int().min(1).max(2000).default(500),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('nps'),
      labels: z
        .object({ low: text(60), high: text(60) })
        .strict()
        .optional(),
    })
    .strict(),
]);

export const surveySchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'lower-case letters, digits and -'),
    version: z.number().int().min(1),
    title: text(100),
    intro: text(400),
    /** Rough time to answer, shown on the card. */
    minutes: z.number().int().min(1).max(10),
    questions: z.array(questionSchema).min(1).max(20),
  })
  .strict()
  .superRefine((survey, ctx) => {
    const seen = new Set<string>();
    survey.questions.forEach((q, i) => {
      if (seen.has(q.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['questions', i, 'id'],
          message: `duplicate question id "${q.id}"`,
        });
      }
      seen.add(q.id);
      if (q.type === 'single' || q.type === 'multi') {
        const ids = new Set(q.choices.map((c) => c.id));
        if (ids.size !== q.choices.length) {
          ctx.addIssue({ code: 'custom', path: ['questions', i, 'choices'], message: 'duplicate choice id' });
        }
      }
      if (q.type === 'multi') {
        const max = q.max ?? q.choices.length;
        if (max > q.choices.length || q.min > max) {
          ctx.addIssue({
            code: 'custom',
            path: ['questions', i, 'max'],
            message: 'min ≤ max ≤ number of choices is required',
          });
        }
      }
    });
  });

export type Question = z.infer<typeof questionSchema>;
export type Survey = z.infer<typeof surveySchema>;
export type LocalisedText = { de: string; en: string };
