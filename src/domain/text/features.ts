// Hashed n-gram features for the screens' statistical models (the content model and the
// wellbeing crisis model), computed over NORMALIZED text (src/domain/text/normalize.ts: lower
// case, simplified, letters and digits only, one space between two Latin words). Pure and
// shared by inference and by the training scripts (scripts/train-*-model.ts).
//
// The text is read as a stream of tokens: each Han (or other CJK) character is a token, each
// Latin word is a token, and a run of digits is the token "#". Features:
//   - token 1–3-grams made only of CJK characters (Chinese character 1–3-grams),
//   - token 1–2-grams with at least one word in them (English word 1–2-grams; mixed
//     "你个loser" gives the bigram 个+loser),
//   - character 3–5-grams inside "<word>" for Latin words (catches inflections and spelled
//     evasions: "deadbeats", "scumbg").
//   - concept features: a term of a concept class (weights.json "concepts": jail, family,
//     insult words for content; death, method, farewell words for wellbeing…) gives "C:<class>", or "N:<class>" when a negation cue comes just before it.
//     The model learns one weight per class, so a term seen in few training texts (or none)
//     still counts. Classes are word lists, not rules: the data decides what they weigh.
// Every feature string is hashed (FNV-1a, 32 bit) to one of HASH_DIM slots.

export const HASH_BITS = 18;
export const HASH_DIM = 1 << HASH_BITS;
const HASH_MASK = HASH_DIM - 1;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units, with a seed per feature kind so kinds never share a slot by construction. */
function hashString(s: string, seed: number, h0 = FNV_OFFSET): number {
  let h = (h0 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

const KIND_CJK = 1;
const KIND_WORD = 2;
const KIND_CHAR = 3;
const KIND_CONCEPT = 4;
/**
 * Each concept class sets this many slots, so its feature weighs as much as a few n-grams
 * against the 1/sqrt(n) scaling (chosen by cross-validation: 1 → AUC 0.895, 3 → 0.903).
 */
const CONCEPT_COPIES = 3;

/** Concept classes as written in weights.json: class name → terms (normalized form), plus negation cues. */
export interface ConceptSource {
  negation: { zh: string[]; en: string[] };
  classes: Record<string, string[]>;
  /**
   * Also a feature per pair of classes present together (not negated): a linear model cannot
   * learn on its own that a method and a time mean more together than either alone.
   */
  pairs?: boolean;
}

export interface CompiledConcepts {
  /** Every term, for matchTerms: at each position the longest; a Latin term only as whole words. */
  trie: TermTrie;
  /** Term → [positive slots, negated slots] per class it belongs to. */
  slots: Map<string, Array<[number[], number[]]>>;
  /** Normalized text ending with a negation cue, within a few chars (zh) or words (en). */
  negatedBefore: RegExp;
  /** Term → the classes it belongs to. */
  classesOf: Map<string, string[]>;
  /** Whether pair features are on (ConceptSource.pairs). */
  pairs: boolean;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const LATIN_TERM = /^[a-z0-9 ]+$/;

/**
 * A trie of the terms, walked once from each position as far as the longest term. One
 * alternation regex of thousands of terms made the engine try every alternative at every
 * position: the features of every corpus text under both models' concepts took 431 s with it,
 * 3.8 s with the trie.
 */
interface TermTrie {
  next: Map<number, TermTrie>;
  /** The term that ends here, if any. */
  term: string | null;
  /** Whether that term is Latin: it must then stand as whole words. */
  latin: boolean;
}

function buildTrie(terms: Iterable<string>): TermTrie {
  const root: TermTrie = { next: new Map(), term: null, latin: false };
  for (const t of terms) {
    let node = root;
    for (let k = 0; k < t.length; k++) {
      const c = t.charCodeAt(k);
      let child = node.next.get(c);
      if (child === undefined) {
        child = { next: new Map(), term: null, latin: false };
        node.next.set(c, child);
      }
      node = child;
    }
    node.term = t;
    node.latin = LATIN_TERM.test(t);
  }
  return root;
}

const isAlnumCode = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);

/**
 * The terms in `text`, left to right without overlap: at each position the longest term that
 * starts there (a Latin one only with no letter or digit on either side), then on after it.
 */
function* matchTerms(text: string, trie: TermTrie): Generator<{ term: string; start: number; end: number }> {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const wordStart = i === 0 || !isAlnumCode(text.charCodeAt(i - 1));
    let node: TermTrie | undefined = trie;
    let best: string | null = null;
    let bestEnd = i;
    for (let j = i; j < n; j++) {
      node = node.next.get(text.charCodeAt(j));
      if (node === undefined) break;
      if (node.term !== null && (!node.latin || (wordStart && (j + 1 === n || !isAlnumCode(text.charCodeAt(j + 1)))))) {
        best = node.term;
        bestEnd = j + 1;
      }
    }
    if (best === null) {
      i++;
      continue;
    }
    yield { term: best, start: i, end: bestEnd };
    i = bestEnd;
  }
}

export function compileConcepts(src: ConceptSource): CompiledConcepts {
  const slots = new Map<string, Array<[number[], number[]]>>();
  const classesOf = new Map<string, string[]>();
  for (const name of Object.keys(src.classes).sort()) {
    for (const term of src.classes[name]) classesOf.set(term, [...(classesOf.get(term) ?? []), name]);
    const pos: number[] = [];
    const neg: number[] = [];
    for (let k = 0; k < CONCEPT_COPIES; k++) {
      pos.push(hashString(`C:${name}#${k}`, KIND_CONCEPT) & HASH_MASK);
      neg.push(hashString(`N:${name}#${k}`, KIND_CONCEPT) & HASH_MASK);
    }
    for (const term of src.classes[name]) {
      const list = slots.get(term) ?? [];
      list.push([pos, neg]);
      slots.set(term, list);
    }
  }
  const zhNeg = src.negation.zh.map(escapeRe).join('|');
  const enNeg = src.negation.en.map(escapeRe).join('|');
  return {
    trie: buildTrie(slots.keys()),
    slots,
    // zh: a cue within the last 4 chars ("不会告诉"); en: a cue within the last 3 words.
    negatedBefore: new RegExp(`(?:(?:${zhNeg})[\\p{Script=Han}]{0,3}|(?<![a-z])(?:${enNeg})(?: [a-z0-9]+){0,3} ?)$`, 'u'),
    classesOf,
    pairs: src.pairs === true,
  };
}

function isCjkCode(c: number): boolean {
  // Han (BMP blocks and surrogates for the supplementary planes), kana, hangul, bopomofo.
  return (
    (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xd800 && c <= 0xdbff)
  );
}

function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

interface Token {
  text: string;
  cjk: boolean;
}

/** The token stream of `norm[from, to)`. */
export function tokenize(norm: string, from = 0, to = norm.length): Token[] {
  const out: Token[] = [];
  let i = from;
  while (i < to) {
    const c = norm.charCodeAt(i);
    if (c === 0x20) {
      i++;
      continue;
    }
    if (isCjkCode(c)) {
      const len = c >= 0xd800 && c <= 0xdbff && i + 1 < to ? 2 : 1;
      out.push({ text: norm.slice(i, i + len), cjk: true });
      i += len;
      continue;
    }
    if (isDigitCode(c)) {
      let j = i + 1;
      while (j < to && isDigitCode(norm.charCodeAt(j))) j++;
      out.push({ text: '#', cjk: false });
      i = j;
      continue;
    }
    let j = i + 1;
    while (j < to) {
      const d = norm.charCodeAt(j);
      if (d === 0x20 || isCjkCode(d)) break;
      j++;
    }
    // Digits glued to letters ("3pm", "24h") are folded to one digit class inside the word.
    out.push({ text: norm.slice(i, j).replace(/[0-9]+/g, '0'), cjk: false });
    i = j;
  }
  return out;
}

/**
 * The value of each present feature: 1/sqrt(max(count, FLOOR)). Long and short texts weigh
 * alike, but a short clause with two or three features is not blown up (a few words must not
 * decide on their own).
 */
/** The logistic function, without overflow for large |z|. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export const SCALE_FLOOR = 100; // cross-validated: 1 → recall 61.1% at 4% false alarms, 100 → 64.0%
export function featureScale(count: number): number {
  return count > 0 ? 1 / Math.sqrt(Math.max(count, SCALE_FLOOR)) : 0;
}

/** Every term of a concept class in `norm` that is not negated, with its classes and offsets. */
export function* classTerms(norm: string, concepts: CompiledConcepts): Generator<{ classes: readonly string[]; start: number; end: number }> {
  for (const { term, start, end } of matchTerms(norm, concepts.trie)) {
    if (concepts.negatedBefore.test(norm.slice(Math.max(0, start - 24), start))) continue;
    yield { classes: concepts.classesOf.get(term) ?? [], start, end };
  }
}

/**
 * Sorted, distinct feature slots of `norm[from, to)`. Features are binary; a model scales
 * them by 1/sqrt(count) so long and short texts weigh alike.
 */
export function featureIds(norm: string, from = 0, to = norm.length, concepts?: CompiledConcepts): Int32Array {
  const tokens = tokenize(norm, from, to);
  const seen = new Set<number>();
  if (concepts) {
    const present = new Set<string>();
    const text = from === 0 && to === norm.length ? norm : norm.slice(from, to);
    for (const { term, start } of matchTerms(text, concepts.trie)) {
      const negated = concepts.negatedBefore.test(text.slice(Math.max(0, start - 24), start));
      for (const [pos, neg] of concepts.slots.get(term) ?? []) for (const slot of negated ? neg : pos) seen.add(slot);
      if (!negated && concepts.pairs) for (const c of concepts.classesOf.get(term) ?? []) present.add(c);
    }
    if (present.size > 1) {
      const names = [...present].sort();
      for (let a = 0; a < names.length; a++) {
        for (let b = a + 1; b < names.length; b++) seen.add(hashString(`P:${names[a]}|${names[b]}`, KIND_CONCEPT) & HASH_MASK);
      }
    }
  }
  const n = tokens.length;
  for (let i = 0; i < n; i++) {
    const t = tokens[i];
    if (t.cjk) {
      seen.add(hashString(t.text, KIND_CJK) & HASH_MASK);
      if (i + 1 < n && tokens[i + 1].cjk) {
        const bi = t.text + tokens[i + 1].text;
        seen.add(hashString(bi, KIND_CJK) & HASH_MASK);
        if (i + 2 < n && tokens[i + 2].cjk) seen.add(hashString(bi + tokens[i + 2].text, KIND_CJK) & HASH_MASK);
      }
    } else {
      seen.add(hashString(t.text, KIND_WORD) & HASH_MASK);
      if (t.text.length >= 2 && t.text !== '#') {
        const w = `<${t.text}>`;
        for (let len = 3; len <= 5; len++) {
          for (let k = 0; k + len <= w.length; k++) {
            // The whole "<ab>" 4-gram repeats the word feature; skip grams equal to the bracketed word.
            if (len === w.length) continue;
            seen.add(hashString(w.slice(k, k + len), KIND_CHAR) & HASH_MASK);
          }
        }
      }
    }
    // Bigrams involving a word: word+word, word+CJK, CJK+word.
    if (i + 1 < n && !(t.cjk && tokens[i + 1].cjk)) {
      seen.add(hashString(`${t.text} ${tokens[i + 1].text}`, KIND_WORD) & HASH_MASK);
    }
  }
  const ids = Int32Array.from(seen);
  ids.sort();
  return ids;
}
