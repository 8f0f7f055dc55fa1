// Anchors: for a rule's patterns, a few literal strings of which every match must contain one.
// A text that contains none of a rule's anchors cannot match the rule, so a screen skips the
// rule's regex for it with a few `includes` calls. Both screens use it: a rule may try hundreds
// of alternatives at every word start, and most texts hold the anchors of a few rules only.
//
// The reading is conservative: anything it does not understand (a class, an escape, `.`, a
// lookaround, an optional or repeated part) ends a literal run and is never used as an anchor,
// and a pattern where no required literal is found gives no anchors, so its rule always runs.
// Pure; tested in anchors.test.ts and, against each screen without it, on thousands of training
// texts (screen.anchors.test.ts, wellbeing.anchors.test.ts).

/** Shortest anchor worth checking, Latin and CJK: shorter ones are in nearly every text. */
const MIN_LATIN = 3;
const MIN_CJK = 2;
const CJK = /[\u2e80-\u9fff\uf900-\ufaff]/;
/** English words in nearly every message: an anchor made only of these rules out almost nothing. */
const COMMON = new Set(
  'a an and are as at be been but by can could did do don t for from get got had has have he her him his how i if in is it its just let ll me my no not now of on or our out s she so than that the their them then there they this to too up us was we were what when where which who will with would you your yours re ve d m way one all any back'.split(' '),
);
const worthChecking = (t: string) => (CJK.test(t) ? t.length >= MIN_CJK : t.length >= MIN_LATIN && t.split(' ').some((w) => !COMMON.has(w)));

type Item = { kind: 'char'; ch: string } | { kind: 'group'; alts: Item[][] } | { kind: 'wild' } | { kind: 'zero' };

interface Quantified {
  item: Item;
  /** Whether the item must occur (no `?`, `*`, `{0,…}` after it). */
  required: boolean;
  /** Whether it may repeat (`+`, `*`, `{n,m}` with m > 1): a literal run cannot continue past it. */
  repeats: boolean;
}

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly lists: Readonly<Record<string, readonly string[]>>,
    private readonly depth = 0,
  ) {}

  /** Alternatives up to the end or the closing parenthesis of the current group. */
  alternatives(): Quantified[][] {
    const alts: Quantified[][] = [[]];
    while (this.i < this.src.length) {
      const c = this.src[this.i];
      if (c === ')') return alts;
      if (c === '|') {
        this.i++;
        alts.push([]);
        continue;
      }
      const item = this.atom();
      alts[alts.length - 1].push(this.quantifier(item));
    }
    return alts;
  }

  private atom(): Item {
    const s = this.src;
    const c = s[this.i];
    if (c === '\\') {
      this.i += 2;
      // \p{…} and \u{…}: skip the braces too.
      if (s[this.i] === '{' && /[pPu]/.test(s[this.i - 1])) this.i = s.indexOf('}', this.i) + 1 || s.length;
      return { kind: 'wild' };
    }
    if (c === '[') {
      let j = this.i + 1;
      if (s[j] === '^') j++;
      if (s[j] === ']') j++;
      while (j < s.length && s[j] !== ']') j += s[j] === '\\' ? 2 : 1;
      this.i = j + 1;
      return { kind: 'wild' };
    }
    if (c === '(') {
      this.i++;
      let zero = false;
      if (s[this.i] === '?') {
        if (s.startsWith('?:', this.i)) this.i += 2;
        else if (s.startsWith('?=', this.i) || s.startsWith('?!', this.i)) (this.i += 2), (zero = true);
        else if (s.startsWith('?<=', this.i) || s.startsWith('?<!', this.i)) (this.i += 3), (zero = true);
        else if (s.startsWith('?<', this.i)) this.i = s.indexOf('>', this.i) + 1;
        else return this.unknown();
      }
      const alts = this.alternatives();
      if (s[this.i] !== ')') return this.unknown();
      this.i++;
      return zero ? { kind: 'zero' } : { kind: 'group', alts: alts.map((a) => a.map((q) => (q.required && !q.repeats ? q.item : { kind: 'wild' }))) };
    }
    if (c === '{') {
      const m = /^\{([a-z_][a-z0-9_]*)\}/.exec(s.slice(this.i));
      if (m) {
        this.i += m[0].length;
        const items = this.lists[m[1]];
        if (!items || this.depth > 8) return { kind: 'wild' };
        return { kind: 'group', alts: items.map((item) => sequenceItems(item.trim().toLowerCase(), this.lists, this.depth + 1)) };
      }
      this.i++;
      return { kind: 'wild' };
    }
    this.i++;
    if (c === '.' || c === '^' || c === '$') return c === '.' ? { kind: 'wild' } : { kind: 'zero' };
    return { kind: 'char', ch: c };
  }

  /** A construct this reader does not know: the rest of the pattern counts as unknown. */
  private unknown(): Item {
    this.i = this.src.length;
    return { kind: 'wild' };
  }

  private quantifier(item: Item): Quantified {
    const s = this.src;
    const c = s[this.i];
    let required = true;
    let repeats = false;
    if (c === '?' || c === '*' || c === '+') {
      this.i++;
      required = c === '+';
      repeats = c !== '?';
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i));
      if (m) {
        this.i += m[0].length;
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        required = min > 0;
        repeats = max > 1;
      }
    } else {
      return { item, required, repeats };
    }
    if (s[this.i] === '?') this.i++; // lazy
    return { item, required, repeats };
  }
}

/** A pattern as items, optional or repeated ones replaced by a wildcard. */
function sequenceItems(src: string, lists: Readonly<Record<string, readonly string[]>>, depth: number): Item[] {
  const p = new Parser(src, lists, depth);
  const alts = p.alternatives();
  if (alts.length === 1) return alts[0].map((q) => (q.required && !q.repeats ? q.item : { kind: 'wild' }));
  return [{ kind: 'group', alts: alts.map((a) => a.map((q) => (q.required && !q.repeats ? q.item : { kind: 'wild' }))) }];
}

/** The smallest set of literals one of which every match of the sequence contains, or null. */
function bestOf(items: readonly Item[]): string[] | null {
  const candidates: string[][] = [];
  let run = '';
  const close = () => {
    const t = run.trim();
    if (t !== '') candidates.push([t]);
    run = '';
  };
  for (const item of items) {
    if (item.kind === 'char') {
      run += item.ch;
      continue;
    }
    close();
    if (item.kind === 'group') {
      const set = anchorsOfAlternatives(item.alts);
      if (set !== null) candidates.push(set);
    }
  }
  close();
  if (candidates.length === 0) return null;
  // Strings long enough to be rare first, then the fewest to check, then the longest shortest one.
  const shortest = (c: string[]) => Math.min(...c.map((x) => x.length));
  const rare = (c: string[]) => (c.every(worthChecking) ? 0 : 1);
  candidates.sort((a, b) => rare(a) - rare(b) || a.length - b.length || shortest(b) - shortest(a));
  return candidates[0];
}

function anchorsOfAlternatives(alts: readonly (readonly Item[])[]): string[] | null {
  const out = new Set<string>();
  for (const alt of alts) {
    const best = bestOf(alt);
    if (best === null) return null;
    for (const a of best) out.add(a);
  }
  return [...out];
}

/**
 * Anchors of a rule: literals of which every match of any of `patterns` (lexicon source form,
 * `{list}` references resolved through `lists`) contains one; null when some pattern has none.
 */
export function anchorsOf(patterns: readonly string[], lists: Readonly<Record<string, readonly string[]>>): string[] | null {
  const out = new Set<string>();
  for (const p of patterns) {
    const set = anchorsOfAlternatives([sequenceItems(p.trim().toLowerCase(), lists, 0)]);
    if (set === null) return null;
    for (const a of set) out.add(a);
  }
  return [...out];
}

/** Whether `text` (normalized) may match a rule with these anchors: false only when it lacks all of them. */
export function mayMatch(anchors: readonly string[] | null, text: string): boolean {
  return anchors === null || anchors.some((a) => text.includes(a));
}
