// Reading figures back from what a surface shows: cards carry each figure in a TextBlock with an id
// (cards/format.ts `figureIds`), so tests compare surfaces figure by figure.

/** A figure by its card id: the number shown, or 'hidden' where the surface shows none. */
export type Figures = Map<string, number | 'hidden'>;

/** The first number of a figure's text, after its label ("Mittelwert (1–5): 3,8" → 3.8). */
function numberOf(text: string): number | 'hidden' {
  const tail = text.includes(': ') ? text.slice(text.lastIndexOf(': ') + 2) : text;
  const m = /[-+−]?\d+(?:[.,]\d+)?/.exec(tail.replace(/\u2212/g, '-'));
  return m ? Number(m[0].replace(',', '.').replace('+', '')) : 'hidden';
}

/** Every figure of a card, by its element id without `prefix` (the digest's run prefix); names and shares left out. */
export function cardFigures(card: unknown, prefix = ''): Figures {
  const out: Figures = new Map();
  JSON.stringify(card, (_key, value: unknown) => {
    const v = value as { id?: unknown; text?: unknown } | null;
    if (
      v &&
      typeof v === 'object' &&
      typeof v.id === 'string' &&
      typeof v.text === 'string' &&
      v.id.startsWith(prefix)
    ) {
      const id = v.id.slice(prefix.length);
      if (!id.endsWith('.name') && !/\.s\./.test(id)) out.set(id, numberOf(v.text));
    }
    return value;
  });
  return out;
}

/** Two figures agree when they are equal at the coarser of the two precisions shown. */
export function agree(a: number | 'hidden', b: number | 'hidden'): boolean {
  if (a === 'hidden' || b === 'hidden') return a === b;
  const decimals = (x: number) => (String(x).split('.')[1] ?? '').length;
  const d = Math.min(decimals(a), decimals(b));
  return Math.abs(a - b) <= 0.5 * 10 ** -d + 1e-9;
}
