// An accessibility check for Adaptive Cards (BITV 2.0 / WCAG 2.1 AA, as far as a card's JSON can
// tell): what a screen reader needs (labels, alt texts, action names, a heading first, tables with a
// header row), what must not carry information alone (colour, block-character bars), what must not be
// cut off (long texts without wrap), and the contrast of any custom colour. It reads a rendered card;
// it cannot judge wording, and it cannot see how a client lays the card out.

/** One finding: a rule, where in the card (a JSON path), and what is wrong. */
export interface A11yProblem {
  rule: A11yRule;
  path: string;
  message: string;
}

export type A11yRule =
  | 'input-label'
  | 'choice-title'
  | 'alt-text'
  | 'action-title'
  | 'colour-only'
  | 'heading'
  | 'contrast'
  | 'block-bar'
  | 'cut-off'
  | 'table-header';

/** Teams' light-theme card background; custom colours are checked against it. */
export const CARD_BACKGROUND = '#FFFFFF';
/** WCAG 2.1 AA for normal text (1.4.3); asked of every custom colour, text or not. */
export const MIN_CONTRAST = 4.5;
/** A card with more texts than this needs a heading (TextBlock style "heading") as its first text. */
export const HEADING_AFTER_TEXTS = 3;
/** A TextBlock longer than this without `wrap` is cut off with "…" on one line. */
export const NO_WRAP_MAX_CHARS = 24;

interface Node {
  type?: unknown;
  [key: string]: unknown;
}

const INPUTS = new Set(['Input.Text', 'Input.Number', 'Input.Date', 'Input.Time', 'Input.ChoiceSet']);
/** Teams' named colours adapt to the theme; anything else is a custom colour. */
const NAMED_COLOURS = new Set(['default', 'dark', 'light', 'accent', 'good', 'warning', 'attention']);
const SIGNAL_STYLES = new Set(['good', 'warning', 'attention']);
/** Block elements and the usual square/bar glyphs that text-only bar charts are drawn with. */
const BAR = /[\u2580-\u259F\u25A0-\u25AB\u25AC\u25AE\u2B1B\u2B1C]{2,}/u;
const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks one rendered card; an empty list means no rule found anything. */
export function checkCardAccessibility(card: unknown): A11yProblem[] {
  const problems: A11yProblem[] = [];
  const add = (rule: A11yRule, path: string, message: string) => problems.push({ rule, path, message });
  /** Texts in reading order: the first must be the heading of a long card. */
  const texts: { path: string; heading: boolean }[] = [];

  const walkAction = (action: unknown, path: string) => {
    if (!isNode(action)) return;
    if (!str(action.title).trim()) add('action-title', path, `${str(action.type)} has no title to announce`);
    if (isNode(action.card)) walkElement(action.card, `${path}.card`);
  };

  const walkText = (node: Node, text: string, path: string, heading = false) => {
    texts.push({ path, heading });
    const colour = str(node.color);
    if (colour && colour.toLowerCase() !== 'default' && !/\p{L}/u.test(text))
      add('colour-only', path, `"${text}" in colour ${colour} has no words: colour carries its meaning`);
    if (BAR.test(text) && !/\d/.test(text))
      add('block-bar', path, `"${text}" is a block-character bar with no figure beside it`);
  };

  const walkElement = (node: Node, path: string): void => {
    const type = str(node.type);
    switch (true) {
      case type === 'TextBlock': {
        const text = str(node.text);
        walkText(node, text, path, node.style === 'heading');
        if (node.wrap !== true && text.length > NO_WRAP_MAX_CHARS)
          add('cut-off', path, `"${text.slice(0, 40)}…" has no wrap and is cut off on one line`);
        if (typeof node.maxLines === 'number')
          add('cut-off', path, `maxLines ${node.maxLines} cuts the text off`);
        break;
      }
      case type === 'RichTextBlock':
        (Array.isArray(node.inlines) ? node.inlines : []).forEach((inline, i) => {
          if (typeof inline === 'string') walkText({}, inline, `${path}.inlines[${i}]`);
          else if (isNode(inline)) walkText(inline, str(inline.text), `${path}.inlines[${i}]`);
        });
        break;
      case type === 'FactSet':
        (Array.isArray(node.facts) ? node.facts : []).forEach((f, i) => {
          if (isNode(f)) walkText({}, `${str(f.title)} ${str(f.value)}`, `${path}.facts[${i}]`);
        });
        break;
      case INPUTS.has(type):
        if (!str(node.label).trim()) add('input-label', path, `${type} "${str(node.id)}" has no label`);
        if (type === 'Input.ChoiceSet')
          (Array.isArray(node.choices) ? node.choices : []).forEach((c, i) => {
            if (!isNode(c) || !str(c.title).trim())
              add('choice-title', `${path}.choices[${i}]`, 'a choice has no title');
          });
        break;
      case type === 'Input.Toggle':
        if (!str(node.label).trim() && !str(node.title).trim())
          add('input-label', path, `Input.Toggle "${str(node.id)}" has neither label nor title`);
        break;
      case type === 'Image' || type === 'Media':
        if (!str(node.altText).trim()) add('alt-text', path, `${type} has no altText`);
        break;
      case type.startsWith('Chart.'): {
        const alt = str(node.altText);
        if (!alt.trim()) add('alt-text', path, `${type} has no altText`);
        else if (!/\d/.test(alt)) add('alt-text', path, `${type} altText "${alt}" does not state the data`);
        (Array.isArray(node.data) ? node.data : []).forEach((d, i) => {
          if (isNode(d) && d.color !== undefined && !str(d.x ?? d.legend).trim())
            add('colour-only', `${path}.data[${i}]`, 'a coloured data point has no label');
        });
        break;
      }
      case type === 'Table':
        // A two-column table is a list of label and value (each row names itself); wider ones need
        // a header row so that a screen reader can name the column of each cell.
        if (node.firstRowAsHeader === false && Array.isArray(node.columns) && node.columns.length > 2)
          add('table-header', path, 'the first row is not a header: columns have no names to announce');
        break;
    }
    if ((type === 'Container' || type === 'Column') && SIGNAL_STYLES.has(str(node.style).toLowerCase())) {
      const inside = JSON.stringify(node.items ?? []);
      if (!/"text":"[^"]*\p{L}/u.test(inside))
        add(
          'colour-only',
          path,
          `style ${str(node.style)} signals something, but the container has no words`,
        );
    }
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string' && HEX.test(value)) {
        const ratio = contrast(value, CARD_BACKGROUND);
        if (ratio < MIN_CONTRAST)
          add(
            'contrast',
            `${path}.${key}`,
            `${value} on ${CARD_BACKGROUND}: ${ratio.toFixed(2)}:1 < ${MIN_CONTRAST}:1`,
          );
      } else if (
        key === 'color' &&
        typeof value === 'string' &&
        value &&
        !NAMED_COLOURS.has(value.toLowerCase())
      ) {
        if (!HEX.test(value) && !/^(categorical|sequential|diverging)/i.test(value))
          add('contrast', `${path}.${key}`, `${value} is neither a named colour nor a hex colour to check`);
      }
    }
    if (isNode(node.selectAction)) walkAction(node.selectAction, `${path}.selectAction`);
    for (const key of ['body', 'items', 'columns', 'rows', 'cells'] as const) {
      const children = node[key];
      if (Array.isArray(children))
        children.forEach((c, i) => {
          if (isNode(c)) walkElement(c, `${path}.${key}[${i}]`);
        });
    }
    if (Array.isArray(node.actions)) node.actions.forEach((a, i) => walkAction(a, `${path}.actions[${i}]`));
    if (isNode(node.fallback)) walkElement(node.fallback, `${path}.fallback`);
  };

  if (!isNode(card)) return [{ rule: 'heading', path: '$', message: 'not a card' }];
  walkElement(card, '$');
  const shown = texts.filter((t) => !t.path.includes('.fallback'));
  if (shown.length > HEADING_AFTER_TEXTS && !shown[0]?.heading) {
    const heading = shown.find((t) => t.heading);
    add(
      'heading',
      shown[0]?.path ?? '$',
      heading
        ? `the first text is not the heading (${heading.path} is)`
        : `${shown.length} texts and no heading (TextBlock style "heading")`,
    );
  }
  return problems;
}

/** WCAG 2.1 contrast ratio of two #RGB / #RRGGBB / #AARRGGBB colours. */
export function contrast(a: string, b: string): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

function luminance(hex: string): number {
  let h = hex.slice(1);
  if (h.length === 3) h = [...h].map((c) => c + c).join('');
  if (h.length === 8) h = h.slice(2); // Adaptive Cards write #AARRGGBB
  const channel = (i: number) => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}
