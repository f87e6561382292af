// Validates a card with the official adaptivecards library (its UMD bundle works in Node without a DOM).
/* eslint-disable @typescript-eslint/no-require-imports */
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

export const MAX_CARD_BYTES = 28 * 1024;

/** Returns the parse and validation problems of a card; an empty list means it is valid. */
export function validateCard(card: unknown): string[] {
  const problems: string[] = [];
  const json = card as { type?: unknown; version?: unknown };
  if (json.type !== 'AdaptiveCard') problems.push('type is not AdaptiveCard');
  const version = Number(json.version);
  if (!(version >= 1.0 && version <= 1.5))
    problems.push(`version ${String(json.version)} is not ≤ 1.5 (Teams)`);

  const context = new AC.SerializationContext(AC.Version.parse('1.5', new AC.SerializationContext()));
  const parsed = new AC.AdaptiveCard();
  parsed.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    problems.push(`parse: ${e.message}`);
  }
  for (const e of parsed.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  const text = JSON.stringify(card);
  if (text.includes('${')) problems.push('unexpanded ${…} binding left in the card');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CARD_BYTES) problems.push(`card is ${bytes} bytes, over ${MAX_CARD_BYTES}`);
  return problems;
}
