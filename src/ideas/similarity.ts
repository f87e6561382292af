// Similar ideas: German-aware tokenization and an in-process TF-IDF index with cosine similarity.
//
// Tokenization (see tokenize): NFKC, split on anything but letters/digits, lower-case, ä→ae ö→oe
// ü→ue ß→ss, other accents dropped (NFKD without combining marks); German and English stop words
// (also in their folded spellings, "fuer", "ueber") and a few stems every idea here contains
// (Idee, Kolleg…, Mitarbeit…, Bezirksamt); words under 3 characters dropped, except tokens with
// digits of 2+ characters ("365", "M365") and upper-case two-letter acronyms ("KI", "IT"); then a
// light German/English suffix stemmer (see stem). German compounds get extra terms:
// - a compound split at an unambiguous joint (-ungs-, -heits-, -keits-, -ions-, -täts-, -schafts-)
//   also yields its stemmed parts, as if written as words of their own ("Digitalisierungsstrategie"
//   → digitalisierungsstrategi, digital, strategi), so it meets "Digitalisierung" and "Strategie";
// - any other stem of 10+ characters also yields its first and its last 5 characters at weight 1/4
//   ("Dienstreiseantrag" → diens, ntrag), a cheap stand-in for a compound dictionary.
//
// Index (see SimilarityIndex): an inverted index term → postings (doc slot, quantised term weight).
// Term weights are sublinear (1 + ln tf above 1) and the idf, ln((N + 1) / (df + 1)) + 1, reflects
// the current document frequencies at every search, so scores are exact cosines however the index
// has changed. A search touches only the postings of the query's terms and computes each
// candidate's norm in O(1) from three per-document sums kept up to date on add and remove.

/** Scores below this are not "similar": tuned so unrelated ideas that merely share a word stay out. */
export const DEFAULT_MIN_SCORE = 0.2;
export const DEFAULT_LIMIT = 3;

/**
 * The weights of the extra terms of a compound word, relative to a whole word's 1. Parts split at a
 * joint are real words (half weight left "Digitalisierungsstrategie" ~0.2 from "Digitalisierung der
 * Verfahren"); prefixes and suffixes are mere guesses.
 */
const PART_WEIGHT = 1;
const AFFIX_WEIGHT = 0.25;
const AFFIX_MIN_STEM = 10;
const AFFIX_LENGTH = 5;
const MAX_WORD = 40;

// prettier-ignore
const GERMAN_STOP_WORDS = [
  'aber', 'alle', 'allem', 'allen', 'aller', 'alles', 'als', 'also', 'am', 'an', 'ander', 'andere', 'anderem',
  'anderen', 'anderer', 'anderes', 'anders', 'auch', 'auf', 'aus', 'bei', 'beide', 'beiden', 'beim', 'bereits',
  'besonders', 'bin', 'bis', 'bisher', 'bist', 'bitte', 'bzw', 'da', 'dabei', 'dadurch', 'dafür', 'dagegen',
  'daher', 'damit', 'dann', 'daran', 'darauf', 'daraus', 'darf', 'darin', 'darüber', 'darum', 'das', 'dass',
  'daß', 'davon', 'dazu', 'dein', 'deine', 'deinem', 'deinen', 'deiner', 'dem', 'den', 'denen', 'denn',
  'dennoch', 'der', 'deren', 'derzeit', 'des', 'deshalb', 'dessen', 'dich', 'die', 'dies', 'diese', 'diesem',
  'diesen', 'dieser', 'dieses', 'dir', 'doch', 'dort', 'du', 'durch', 'eben', 'ebenfalls', 'ebenso', 'eher',
  'ein', 'eine', 'einem', 'einen', 'einer', 'eines', 'einfach', 'einige', 'einigen', 'einiger', 'einiges',
  'einmal', 'entweder', 'er', 'es', 'etc', 'etwa', 'etwas', 'euch', 'euer', 'eure', 'eurem', 'euren', 'eurer',
  'evtl', 'für', 'ganz', 'gar', 'gegen', 'gerade', 'gern', 'gerne', 'ggf', 'gibt', 'gleich', 'habe', 'haben',
  'hast', 'hat', 'hatte', 'hatten', 'hätte', 'hätten', 'hier', 'hin', 'hinter', 'ich', 'ihm', 'ihn', 'ihnen',
  'ihr', 'ihre', 'ihrem', 'ihren', 'ihrer', 'ihres', 'im', 'immer', 'in', 'indem', 'innen', 'ins', 'ist', 'ja',
  'je', 'jede', 'jedem', 'jeden', 'jeder', 'jedes', 'jedoch', 'jemand', 'jetzt', 'kann', 'kannst', 'kaum',
  'kein', 'keine', 'keinem', 'keinen', 'keiner', 'keines', 'können', 'könnt', 'könnte', 'könnten', 'lassen',
  'man', 'manche', 'manchen', 'mancher', 'manches', 'mehr', 'mein', 'meine', 'meinem', 'meinen', 'meiner',
  'meines', 'meist', 'mich', 'mir', 'mit', 'möchte', 'möchten', 'muss', 'müssen', 'musste', 'müsste',
  'müssten', 'nach', 'nachdem', 'neben', 'nein', 'nicht', 'nichts', 'noch', 'nun', 'nur', 'ob', 'oder', 'ohne',
  'per', 'schon', 'sehr', 'sei', 'seid', 'sein', 'seine', 'seinem', 'seinen', 'seiner', 'seines', 'seit',
  'selbst', 'sich', 'sie', 'sind', 'so', 'sodass', 'solche', 'solchem', 'solchen', 'solcher', 'solches', 'soll',
  'sollen', 'sollte', 'sollten', 'sondern', 'sonst', 'sowie', 'sowohl', 'statt', 'über', 'um', 'und', 'uns',
  'unser', 'unsere', 'unserem', 'unseren', 'unserer', 'unseres', 'unter', 'usw', 'viel', 'viele', 'vielen',
  'vieles', 'vom', 'von', 'vor', 'während', 'war', 'wäre', 'wären', 'waren', 'warum', 'was', 'weil', 'weiter',
  'weitere', 'weiteren', 'welche', 'welchem', 'welchen', 'welcher', 'welches', 'wenn', 'wer', 'werde',
  'werden', 'wie', 'wieder', 'will', 'wir', 'wird', 'wirklich', 'wo', 'wodurch', 'wollen', 'wollte', 'würde',
  'würden', 'wurde', 'wurden', 'zu', 'zum', 'zur', 'zwar', 'zwischen',
];

// prettier-ignore
const ENGLISH_STOP_WORDS = [
  'about', 'above', 'after', 'again', 'against', 'all', 'also', 'am', 'an', 'and', 'any', 'are', 'as', 'at',
  'be', 'because', 'been', 'before', 'being', 'below', 'between', 'both', 'but', 'by', 'can', 'could', 'did',
  'do', 'does', 'doing', 'down', 'during', 'each', 'even', 'every', 'few', 'for', 'from', 'further', 'get',
  'had', 'has', 'have', 'having', 'he', 'her', 'here', 'hers', 'him', 'his', 'how', 'however', 'http', 'https',
  'if', 'in', 'into', 'is', 'it', 'its', 'just', 'let', 'like', 'me', 'more', 'most', 'much', 'my', 'no', 'nor',
  'not', 'now', 'of', 'off', 'on', 'once', 'only', 'or', 'other', 'our', 'ours', 'out', 'over', 'own', 'please',
  'same', 'she', 'should', 'so', 'some', 'such', 'than', 'that', 'the', 'their', 'them', 'then', 'there',
  'these', 'they', 'this', 'those', 'through', 'to', 'too', 'under', 'until', 'up', 'us', 'very', 'was', 'we',
  'were', 'what', 'when', 'where', 'which', 'while', 'who', 'whom', 'why', 'will', 'with', 'would', 'www',
  'you', 'your', 'yours',
];

/** Two-letter words that stay stop words even in capitals ("ES", "IN"); other capital pairs are acronyms. */
// prettier-ignore
const TWO_LETTER_STOP_WORDS = new Set([
  'ab', 'am', 'an', 'as', 'at', 'be', 'by', 'da', 'do', 'du', 'er', 'es', 'go', 'he', 'if', 'im', 'in', 'is',
  'ja', 'me', 'my', 'no', 'ob', 'of', 'oh', 'ok', 'on', 'or', 'so', 'to', 'um', 'up', 'us', 'we', 'wo', 'zu',
]);

const NON_ASCII = /[^ -~]/; // anything but printable ASCII (words have no spaces or controls)
const UMLAUTS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

/** Lower-case text without umlauts, ß or accents: "Führungskräfte" → "fuehrungskraefte". */
function fold(lower: string): string {
  if (!NON_ASCII.test(lower)) return lower;
  return lower
    .replace(/[äöüß]/g, (c) => UMLAUTS[c]!)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '');
}

const STOP_WORDS: ReadonlySet<string> = new Set(
  [...GERMAN_STOP_WORDS, ...ENGLISH_STOP_WORDS].flatMap((w) => [w, fold(w)]),
);

/**
 * Stems that nearly every idea of staff in a district office contains ("Idee für alle Kolleginnen und
 * Kollegen im Bezirksamt"): while the index is small their idf would make them look informative.
 */
const DOMAIN_STOP_STEMS: ReadonlySet<string> = new Set([
  'ide', // Idee, Ideen
  'vorschlag',
  'kolleg',
  'mitarbeit',
  'beschaftigt',
  'bezirksamt',
  'hamburg',
]);

/** Inflectional endings, longest first; at most one is removed, leaving at least `min` characters. */
const INFLECTIONS: readonly { suffix: string; min: number; unless?: RegExp }[] = [
  { suffix: 'ern', min: 4 },
  { suffix: 'en', min: 3 },
  { suffix: 'er', min: 3, unless: /ier$/ }, // Papier, Papiere; "-ier" is a derivation (see below)
  { suffix: 'es', min: 3 },
  { suffix: 'ed', min: 3 },
  { suffix: 'e', min: 3 },
  { suffix: 'n', min: 3, unless: /[^l]n$/ }, // only "-eln" plurals: Regeln, Mitteln
  { suffix: 's', min: 3, unless: /ss$/ }, // Teams, Büros; not Prozess
];

/** Derivational endings, checked in this order, up to twice, leaving at least 4 characters. */
const DERIVATIONS = ['isiert', 'isier', 'iert', 'ier', 'ung', 'heit', 'keit', 'lich', 'isch', 'end', 'ing'];
const DERIVATION_MIN = 4;

/**
 * A light suffix stemmer for folded German (and some English) words: feminine "-innen"/"-erin",
 * one inflectional ending, up to two derivational endings, then umlauts undone so that plurals such
 * as Antrag/Anträge or Amt/Ämter meet. Schulungen → schul, digitalen → digital, Teams → team.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length >= 9 && w.endsWith('innen')) w = w.slice(0, -5);
  else if (w.length >= 7 && w.endsWith('erin')) w = w.slice(0, -2);
  for (const { suffix, min, unless } of INFLECTIONS) {
    if (w.endsWith(suffix) && w.length - suffix.length >= min && !unless?.test(w)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  for (let round = 0; round < 2; round++) {
    const suffix = DERIVATIONS.find((s) => w.endsWith(s) && w.length - s.length >= DERIVATION_MIN);
    if (suffix === undefined) break;
    w = w.slice(0, -suffix.length);
  }
  return w.replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/ue/g, 'u');
}

/** Joints after which a German compound continues: Digitalisierung|s|strategie, Sicherheit|s|konzept. */
const COMPOUND_JOINT = /(?:ung|heit|keit|ion|taet|schaft)s(?=[a-z]{4})/g;
const MIN_PART = 4;

/** The parts of a folded compound at its unambiguous joints (without the linking s), or [] if none. */
function compoundParts(word: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const m of word.matchAll(COMPOUND_JOINT)) {
    const end = m.index + m[0].length - 1;
    if (end - start < MIN_PART) continue;
    parts.push(word.slice(start, end));
    start = end + 1;
  }
  if (parts.length === 0) return [];
  parts.push(word.slice(start));
  return parts;
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const DIGIT = /\p{N}/u;

/** The terms of one word (as written) with their weights, flattened: term, weight, term, weight… */
function wordTerms(raw: string): (string | number)[] {
  const lower = raw.toLowerCase();
  const word = fold(lower);
  if (DIGIT.test(word)) return word.length >= 2 && word.length <= MAX_WORD ? [word, 1] : [];
  if (word.length < 3) {
    const acronym = word.length === 2 && raw !== lower && raw === raw.toUpperCase();
    return acronym && !TWO_LETTER_STOP_WORDS.has(word) ? [word, 1] : [];
  }
  if (word.length > MAX_WORD || STOP_WORDS.has(word)) return [];
  const whole = stem(word);
  if (DOMAIN_STOP_STEMS.has(whole)) return [];
  const terms: (string | number)[] = [whole, 1];
  const parts = compoundParts(word);
  for (const part of parts) {
    const partStem = stem(part);
    if (!STOP_WORDS.has(part) && !DOMAIN_STOP_STEMS.has(partStem)) terms.push(partStem, PART_WEIGHT);
  }
  if (parts.length === 0 && whole.length >= AFFIX_MIN_STEM) {
    terms.push(whole.slice(0, AFFIX_LENGTH), AFFIX_WEIGHT, whole.slice(-AFFIX_LENGTH), AFFIX_WEIGHT);
  }
  return terms;
}

/** Words recur a lot: their terms are cached (and the cache dropped when it grows too big). */
const wordCache = new Map<string, readonly (string | number)[]>();
const WORD_CACHE_MAX = 50_000;

/** Calls `emit` for each term of the text with its weight (1 for words, less for compound hints). */
function forEachTerm(text: string, emit: (term: string, weight: number) => void): void {
  for (const [raw] of text.normalize('NFKC').matchAll(WORD)) {
    let terms = wordCache.get(raw);
    if (terms === undefined) {
      terms = wordTerms(raw);
      if (wordCache.size >= WORD_CACHE_MAX) wordCache.clear();
      wordCache.set(raw, terms);
    }
    for (let i = 0; i < terms.length; i += 2) emit(terms[i] as string, terms[i + 1] as number);
  }
}

/**
 * The index terms of a text, in order: for each word its stem, then any compound terms (its parts,
 * or else a 5-character prefix and suffix, which weigh 1/4 in the index; see the file comment).
 * "Fortbildungen für Führungskräfte" → fortbild, fuhrungskraft, fuhr, kraft.
 */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  forEachTerm(text, (term) => terms.push(term));
  return terms;
}

/** Term → summed weight (raw term frequency, compound hints counting fractionally). */
export function termFrequencies(text: string): Map<string, number> {
  const tf = new Map<string, number>();
  forEachTerm(text, (term, weight) => tf.set(term, (tf.get(term) ?? 0) + weight));
  return tf;
}

// Term frequencies are stored in quarters (1..255) next to the slot in one small integer per posting.
const TF_UNITS = 4;
const TF_MAX = 255;
const TF_BITS = 256;
/** The most documents a slot number can address within the packed postings (2^31 / 256). */
const MAX_SLOTS = 0x800000;
/** Sublinear tf by quantised tf: as is up to 1, then 1 + ln tf. */
const LTF = Float64Array.from({ length: TF_MAX + 1 }, (_, q) => {
  const tf = q / TF_UNITS;
  return tf <= 1 ? tf : 1 + Math.log(tf);
});
const LTF2 = LTF.map((w) => w * w);

const quantise = (tf: number) => Math.max(1, Math.min(TF_MAX, Math.round(tf * TF_UNITS)));

function grow<T extends Float64Array | Int32Array>(array: T, needed: number, make: (n: number) => T): T {
  if (needed <= array.length) return array;
  const next = make(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

export interface SimilaritySearchOptions {
  /** At most this many hits (default 3). */
  limit?: number;
  /** Only hits with at least this cosine similarity, 0..1 (default DEFAULT_MIN_SCORE). */
  minScore?: number;
  /** Leaves out ids for which this returns true (asked only for hits that would be returned). */
  exclude?: (id: string) => boolean;
}

export interface SimilarityHit {
  id: string;
  /** Cosine similarity of the TF-IDF vectors, 0..1. */
  score: number;
}

/**
 * An in-memory TF-IDF index of texts by id; search returns the most similar, best first.
 *
 * Norms stay exact without touching every document on each change: with A = ln(N + 1) + 1 and
 * l = ln(df + 1), a term's idf is A - l, so a document's squared norm, the sum of ltf² (A - l)², is
 * A² S0 - 2A S1 + S2 with S0 = sum ltf², S1 = sum ltf² l, S2 = sum ltf² l². N changing costs
 * nothing; a term's df changing updates S1 and S2 of the documents in its postings. Bulk changes
 * with no search in between (loading at start-up) skip those updates and recompute all sums once, at
 * the next search, which is cheaper then.
 */
export class SimilarityIndex {
  private readonly slotOf = new Map<string, number>();
  /** By slot: the id, and the document's terms as termId * 256 + quantised tf. */
  private readonly ids: (string | undefined)[] = [];
  private readonly docTerms: (Int32Array | undefined)[] = [];
  private readonly freeSlots: number[] = [];

  private readonly termIdOf = new Map<string, number>();
  private readonly termText: string[] = [];
  /** By term id: its postings as slot * 256 + quantised tf; the length is the document frequency. */
  private readonly postings: number[][] = [];
  private readonly freeTerms: number[] = [];
  /** By term id: ln(df + 1). */
  private lnDf = new Float64Array(64);

  /** By slot: the norm sums S0, S1, S2 (see above). */
  private s0 = new Float64Array(64);
  private s1 = new Float64Array(64);
  private s2 = new Float64Array(64);
  /** S1 and S2 are stale until recomputeSums; true until the first search. */
  private stale = true;
  /** Postings updated for S1/S2 since the last search, and all postings: beyond those, go stale. */
  private updatesSinceSearch = 0;
  private totalPostings = 0;

  /** Search scratch: dot products by slot (all zero between searches) and the slots touched. */
  private acc = new Float64Array(64);
  private touched = new Int32Array(64);

  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Indexes the text under id, replacing what was indexed under it before. */
  add(id: string, text: string): void {
    this.remove(id);
    const slot = this.freeSlots.pop() ?? this.ids.length;
    if (slot >= MAX_SLOTS) throw new RangeError('SimilarityIndex is full');
    this.ensureSlots(slot + 1);
    const tf = termFrequencies(text);
    const terms = new Int32Array(tf.size);
    let i = 0;
    for (const [term, f] of tf) {
      const q = quantise(f);
      const termId = this.termIdFor(term);
      const list = this.postings[termId]!;
      this.dfChanged(termId, list, list.length + 1);
      list.push(slot * TF_BITS + q);
      terms[i++] = termId * TF_BITS + q;
    }
    this.totalPostings += terms.length;
    this.ids[slot] = id;
    this.docTerms[slot] = terms;
    this.slotOf.set(id, slot);
    this.computeSums(slot);
  }

  remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    const terms = this.docTerms[slot]!;
    for (const packed of terms) {
      const termId = (packed / TF_BITS) | 0;
      const list = this.postings[termId]!;
      const at = list.findIndex((p) => ((p / TF_BITS) | 0) === slot);
      list[at] = list[list.length - 1]!;
      list.pop();
      if (list.length === 0) {
        this.termIdOf.delete(this.termText[termId]!);
        this.termText[termId] = '';
        this.freeTerms.push(termId);
        this.lnDf[termId] = 0;
      } else {
        this.dfChanged(termId, list, list.length);
      }
    }
    this.totalPostings -= terms.length;
    this.slotOf.delete(id);
    this.ids[slot] = undefined;
    this.docTerms[slot] = undefined;
    this.s0[slot] = this.s1[slot] = this.s2[slot] = 0;
    this.freeSlots.push(slot);
  }

  /** The indexed texts most similar to `text`, best first (ties by id), at most `limit`. */
  search(text: string, options: SimilaritySearchOptions = {}): SimilarityHit[] {
    const limit = options.limit ?? DEFAULT_LIMIT;
    const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
    const docs = this.slotOf.size;
    if (limit <= 0 || docs === 0) return [];
    if (this.stale) this.recomputeSums();
    this.updatesSinceSearch = 0;

    // The query's weights; terms that no document has still count towards its norm.
    const a = Math.log(docs + 1) + 1;
    const queryTerms: number[] = [];
    const factors: number[] = [];
    let queryNorm2 = 0;
    for (const [term, f] of termFrequencies(text)) {
      const termId = this.termIdOf.get(term);
      const idf = termId === undefined ? a : a - this.lnDf[termId]!;
      const w = LTF[quantise(f)]! * idf;
      queryNorm2 += w * w;
      if (termId !== undefined) {
        queryTerms.push(termId);
        factors.push(w * idf); // times the document's ltf gives the term's share of the dot product
      }
    }
    if (queryTerms.length === 0) return [];

    const acc = this.acc;
    const touched = this.touched;
    let count = 0;
    for (let t = 0; t < queryTerms.length; t++) {
      const list = this.postings[queryTerms[t]!]!;
      const factor = factors[t]!;
      for (let i = 0; i < list.length; i++) {
        const p = list[i]!;
        const slot = (p / TF_BITS) | 0;
        if (acc[slot] === 0) touched[count++] = slot;
        acc[slot] += factor * LTF[p & (TF_BITS - 1)]!;
      }
    }

    const queryNorm = Math.sqrt(queryNorm2);
    const { s0, s1, s2 } = this;
    const hits: { slot: number; score: number }[] = [];
    for (let i = 0; i < count; i++) {
      const slot = touched[i]!;
      const dot = acc[slot]!;
      acc[slot] = 0;
      const norm2 = a * a * s0[slot]! - 2 * a * s1[slot]! + s2[slot]!;
      const score = dot / (queryNorm * Math.sqrt(norm2));
      if (score >= minScore) hits.push({ slot, score: Math.min(1, score) });
    }
    hits.sort((x, y) => y.score - x.score || (this.ids[x.slot]! < this.ids[y.slot]! ? -1 : 1));

    const result: SimilarityHit[] = [];
    for (const { slot, score } of hits) {
      const id = this.ids[slot]!;
      if (options.exclude?.(id)) continue;
      result.push({ id, score });
      if (result.length >= limit) break;
    }
    return result;
  }

  private termIdFor(term: string): number {
    let termId = this.termIdOf.get(term);
    if (termId === undefined) {
      termId = this.freeTerms.pop() ?? this.termText.length;
      this.termIdOf.set(term, termId);
      this.termText[termId] = term;
      this.postings[termId] = [];
      this.lnDf = grow(this.lnDf, termId + 1, (n) => new Float64Array(n));
      this.lnDf[termId] = 0;
    }
    return termId;
  }

  private ensureSlots(n: number): void {
    if (n <= this.acc.length) return;
    const float = (k: number) => new Float64Array(k);
    this.s0 = grow(this.s0, n, float);
    this.s1 = grow(this.s1, n, float);
    this.s2 = grow(this.s2, n, float);
    this.acc = grow(this.acc, n, float);
    this.touched = grow(this.touched, n, (k) => new Int32Array(k));
  }

  /** Term `termId` now has `df` documents; `list` holds the postings of those it had and still has. */
  private dfChanged(termId: number, list: readonly number[], df: number): void {
    const before = this.lnDf[termId]!;
    const after = Math.log(df + 1);
    this.lnDf[termId] = after;
    if (this.stale) return;
    this.updatesSinceSearch += list.length;
    if (this.updatesSinceSearch > this.totalPostings) {
      this.stale = true; // recomputing everything once will be cheaper
      return;
    }
    const d1 = after - before;
    const d2 = after * after - before * before;
    const { s1, s2 } = this;
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      const slot = (p / TF_BITS) | 0;
      const w2 = LTF2[p & (TF_BITS - 1)]!;
      s1[slot] += w2 * d1;
      s2[slot] += w2 * d2;
    }
  }

  private computeSums(slot: number): void {
    let sum0 = 0;
    let sum1 = 0;
    let sum2 = 0;
    for (const packed of this.docTerms[slot]!) {
      const w2 = LTF2[packed & (TF_BITS - 1)]!;
      const l = this.lnDf[(packed / TF_BITS) | 0]!;
      sum0 += w2;
      sum1 += w2 * l;
      sum2 += w2 * l * l;
    }
    this.s0[slot] = sum0;
    this.s1[slot] = sum1;
    this.s2[slot] = sum2;
  }

  private recomputeSums(): void {
    for (const slot of this.slotOf.values()) this.computeSums(slot);
    this.stale = false;
  }
}
