// The wellbeing screen: every text a borrower writes (chat, portal messages, call transcripts)
// is assessed as none · concern · crisis. A crisis pauses collection (the `vulnerable` flag,
// COMPLIANCE.md "Clement floor") and routes the borrower to a specialist, so the rules lean
// towards crisis when in doubt. The rules are data: lexicons/zh.yaml and lexicons/en.yaml.
//
// Beside the rules runs a small statistical crisis model (model/, trained by
// scripts/train-wellbeing-model.ts). Phrase rules find what their authors foresaw; on fresh,
// independently written text they missed about one crisis in three. The model reads every word
// at once and catches indirect farewells no rule anticipated. A text is crisis when a rule
// says so, or when the model's P(crisis) reaches its threshold on a text whose crisis words no
// rule has judged (see collectHits' `ruledOut` and `read`).
import { detectLang, normalizeForMatching, originalSpan, segmentIds, splitSentences, type NormalizedText } from '../text/normalize.js';
import { mayMatch } from '../text/anchors.js';
import { loadLexicon, type CompiledCondition, type CompiledLexicon, type CompiledRule } from './lexicon.js';
import { wellbeingModel, type WellbeingModel } from './model/index.js';

export type WellbeingLevel = 'none' | 'concern' | 'crisis';

export interface WellbeingSignal {
  /** A stable code such as `suicidal_ideation`, `self_harm`, `job_loss`, `illness`, `bereavement`, `panic`, `food_insecurity`. */
  code: string;
  level: 'concern' | 'crisis';
  span: string;
  start: number;
  end: number;
}

export interface WellbeingResult {
  level: WellbeingLevel;
  signals: WellbeingSignal[];
}

// Loaded and compiled once, at import. Both lexicons run on every text whatever `lang` says:
// borrowers mix languages ("I 真的不想活了"), and a missed crisis costs far more than a few
// regex passes. (The English lexicon is skipped only for a text with no Latin letter at all,
// which none of its patterns can match; see collectHits.)
const LEXICONS: readonly CompiledLexicon[] = [loadLexicon('zh'), loadLexicon('en')];

/** How far before a hit a negation cue or a subject is looked for (normalized characters). */
const PREFIX_WINDOW = 24;
/** How far around a hit an `overlap` exclusion is looked for. */
const GUARD_WINDOW = 24;

/** Clause and sentence extents, per normalized character; built only once a text has a hit. */
interface Context {
  readonly clauseStart: Int32Array;
  readonly clauseEnd: Int32Array;
  readonly sentenceStart: Int32Array;
  readonly sentenceEnd: Int32Array;
}

/** A Han, kana or hangul character, or a full-width form: a space next to these is chat punctuation. */
const CJK_CHAR_RE = /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/;
const SPACE_RE = /\s/;

/**
 * Chat writers separate phrases with spaces instead of punctuation ("在吗 我就问一句 人没了").
 * Per original code unit, how many such spaces come before it: a whitespace run between two
 * runs of at least two CJK characters. ("笑 死", "不 想 活 了" are single characters spaced out
 * to dodge a filter, not phrases.) Added to the sentence ids only, so that a guard scoped to
 * "the sentence" does not reach across a whole unpunctuated message; clauses, and with them
 * negation and subject detection, are unchanged. English word spaces are never breaks.
 * (Kept here rather than in the shared segmentIds, which the content screen also uses.)
 */
function chatBreaks(original: string): Uint32Array | null {
  let out: Uint32Array | null = null;
  let count = 0;
  let prev = '';
  let prevRun = 0; // CJK characters in a row just before the current position
  for (let i = 0; i < original.length; i++) {
    const ch = original[i];
    if (SPACE_RE.test(ch)) {
      let j = i;
      while (j < original.length && SPACE_RE.test(original[j])) j++;
      let nextRun = 0;
      while (j + nextRun < original.length && nextRun < 2 && CJK_CHAR_RE.test(original[j + nextRun])) nextRun++;
      if (prev !== '' && CJK_CHAR_RE.test(prev) && prevRun >= 2 && nextRun >= 2) {
        out ??= new Uint32Array(original.length);
        for (let k = i; k < j; k++) out[k] = count;
        count++;
        for (let k = j; k < original.length; k++) out[k] = count;
      }
      i = j - 1;
      prevRun = 0;
      continue;
    }
    prevRun = CJK_CHAR_RE.test(ch) ? prevRun + 1 : 0;
    prev = ch;
  }
  return out;
}

function buildContext(original: string, norm: NormalizedText): Context {
  // Normalized text has no punctuation, so clauses and sentences come from the original.
  const ids = segmentIds(original);
  const extra = chatBreaks(original);
  const n = norm.text.length;
  const clause = new Uint32Array(n);
  const sentence = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const at = norm.map[k];
    const add = extra === null ? 0 : extra[at];
    clause[k] = ids.clause[at];
    sentence[k] = ids.sentence[at] + add;
  }
  const extents = (id: Uint32Array): [Int32Array, Int32Array] => {
    const start = new Int32Array(n);
    const end = new Int32Array(n);
    for (let k = 0; k < n; k++) start[k] = k > 0 && id[k - 1] === id[k] ? start[k - 1] : k;
    for (let k = n - 1; k >= 0; k--) end[k] = k < n - 1 && id[k + 1] === id[k] ? end[k + 1] : k + 1;
    return [start, end];
  };
  const [clauseStart, clauseEnd] = extents(clause);
  const [sentenceStart, sentenceEnd] = extents(sentence);
  return { clauseStart, clauseEnd, sentenceStart, sentenceEnd };
}

/** Every non-empty match of a global regex, from the start. */
function* matchesOf(re: RegExp, s: string): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    if (m[0].length === 0) re.lastIndex++;
    else yield m;
  }
}

function conditionHolds(c: CompiledCondition, text: string, ctx: Context, s: number, e: number): boolean {
  let from: number;
  let to: number;
  if (c.scope === 'overlap') {
    // Normalized text has no punctuation: keep idiom guards inside the hit's sentence(s).
    from = Math.max(ctx.sentenceStart[s], s - GUARD_WINDOW);
    to = Math.min(ctx.sentenceEnd[e - 1], e + GUARD_WINDOW);
  } else if (c.scope === 'clause') {
    from = ctx.clauseStart[s];
    to = ctx.clauseEnd[e - 1];
  } else if (c.scope === 'sentence') {
    from = ctx.sentenceStart[s];
    to = ctx.sentenceEnd[e - 1];
  } else {
    from = 0;
    to = text.length;
  }
  const window = text.slice(from, to);
  c.regex.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = c.regex.exec(window)) !== null) {
    if (m[0].length === 0) {
      c.regex.lastIndex++;
      continue;
    }
    if (c.scope !== 'overlap') return true;
    const ms = from + m.index;
    if (ms < e && ms + m[0].length > s) return true;
    // Try again one character on: a guard that overlaps the hit may start inside this match.
    c.regex.lastIndex = m.index + 1;
  }
  return false;
}

/** Whether the last subject before the hit, in its clause, is someone other than the writer. */
function aboutSomeoneElse(lex: CompiledLexicon, prefix: string, hit: string): boolean {
  if (lex.person === null) return false;
  // A hit that names the writer ("when I'm gone", "逼死我") is the writer's, whoever came before.
  for (const m of matchesOf(lex.person, hit)) if (m.groups?.first !== undefined) return false;
  let third = false;
  let after = 0;
  for (const m of matchesOf(lex.person, prefix)) {
    third = m.groups?.third !== undefined;
    after = m.index + m[0].length;
  }
  // 老婆跑了不想活了: a new predicate after the other person has the writer as its subject.
  if (third && lex.personBreak?.test(prefix.slice(after))) return false;
  return third;
}

interface Hit {
  rule: CompiledRule;
  level: 'concern' | 'crisis';
  start: number;
  end: number;
}

/**
 * A rule's verdict on one match. `hit`: the signal, if any. `ruledOut`: whether the rule read the
 * match as crisis language and judged it otherwise (an exclusion held, or it was negated or
 * about someone else): the crisis model must not overrule that judgement.
 */
interface Verdict {
  hit: Hit | null;
  ruledOut: boolean;
}

const NO_MATCH: Verdict = { hit: null, ruledOut: false };

function judge(lex: CompiledLexicon, rule: CompiledRule, text: string, ctx: Context, s: number, e: number): Verdict | null {
  if (rule.withinClause && ctx.clauseEnd[s] < e) return null;
  const crisisRule = rule.level === 'crisis';
  // A missing requirement is not a judgement that the words are harmless, only that they are not
  // enough; so it is checked first, and an exclusion rules a match out only where it would count.
  if (rule.requires.length > 0 && !rule.requires.some((c) => conditionHolds(c, text, ctx, s, e))) return NO_MATCH;
  // An everyday sense the rule cannot tell apart (a trip, a payment): not a judgement either.
  if (rule.unless.some((c) => conditionHolds(c, text, ctx, s, e))) return NO_MATCH;
  for (const c of rule.exclude) if (conditionHolds(c, text, ctx, s, e)) return { hit: null, ruledOut: crisisRule };
  const prefix = text.slice(Math.max(ctx.clauseStart[s], s - PREFIX_WINDOW), s);
  const outcome = lex.negation?.test(prefix)
    ? rule.negated
    : aboutSomeoneElse(lex, prefix, text.slice(s, e))
      ? rule.thirdPerson
      : 'keep';
  if (outcome === 'drop') return { hit: null, ruledOut: crisisRule };
  const level = outcome === 'concern' ? 'concern' : rule.level;
  // A concern about suicide (someone else's, a negated or past thought) is a judgement too.
  const ruledOut = level === 'concern' && (crisisRule || CRISIS_TOPICS.has(rule.code));
  return { hit: { rule, level, start: s, end: e }, ruledOut };
}

/** Codes of crisis language; a rule of one of these at `concern` level has read the words and judged them. */
const CRISIS_TOPICS: ReadonlySet<string> = new Set(['suicidal_ideation', 'suicide_plan', 'self_harm', 'farewell']);

/** What the rules found in a text. */
interface RulesReading {
  hits: Hit[];
  /** A crisis word the rules judged harmless, someone else's or negated: the model stays silent. */
  ruledOut: boolean;
  /** Normalized [start, end) of every match a rule judged, whatever its verdict. */
  read: Array<[number, number]>;
}

function collectHits(original: string, norm: NormalizedText, useAnchors: boolean): RulesReading {
  const text = norm.text;
  let ctx: Context | null = null;
  const out: RulesReading = { hits: [], ruledOut: false, read: [] };
  // Every English pattern needs a Latin letter: a text without one (most Chinese messages)
  // cannot match, so the costlier English lexicon is skipped for it. Mixed texts run both.
  const hasLatin = LATIN_RE.test(text);
  for (const lex of LEXICONS) {
    if (lex.lang === 'en' && !hasLatin) continue;
    for (const rule of lex.rules) {
      if (useAnchors && !mayMatch(rule.anchors, text)) continue;
      for (const m of matchesOf(rule.regex, text)) {
        ctx ??= buildContext(original, norm);
        const v = judge(lex, rule, text, ctx, m.index, m.index + m[0].length);
        if (v === null || (v.hit === null && !v.ruledOut)) continue;
        out.read.push([m.index, m.index + m[0].length]);
        if (v.ruledOut) out.ruledOut = true;
        if (v.hit !== null) out.hits.push(v.hit);
      }
    }
  }
  return out;
}

const LATIN_RE = /[a-z]/;

const RANK = { concern: 1, crisis: 2 } as const;

/** One signal per code and stretch of text: the higher level, then the longer span, wins. */
function dedupe(hits: Hit[]): Hit[] {
  const sorted = [...hits].sort(
    (a, b) => RANK[b.level] - RANK[a.level] || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Hit[] = [];
  for (const h of sorted) {
    if (!kept.some((k) => k.rule.code === h.rule.code && k.start < h.end && h.start < k.end)) kept.push(h);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Which detectors run; assessWellbeing uses the rules and the shipped model. For evaluation and tests. */
export interface WellbeingEngine {
  rules: boolean;
  model: WellbeingModel | null;
  /** Override the model's own thresholds on P(crisis), per language. */
  thresholds?: Partial<Record<'zh' | 'en', number>>;
  /** false: run every rule's regex, even on a text without its anchors (to test the anchors). */
  anchors?: boolean;
}

const DEFAULT_ENGINE: WellbeingEngine = { rules: true, model: wellbeingModel };

/** The signal code of a crisis the model found and no rule did. */
export const MODEL_CRISIS_CODE = 'crisis_language';

/**
 * Assesses one text. Both lexicons always run (see LEXICONS); `lang` (else detected) picks the
 * model's threshold. Signal offsets are UTF-16 indices into `text`, `end` exclusive.
 */
export function assessWellbeing(text: string, options: { lang?: 'zh' | 'en' } = {}): WellbeingResult {
  return assessWellbeingWith(text, options, DEFAULT_ENGINE);
}

/**
 * Texts longer than this are assessed in pieces of at most CHUNK characters, cut at sentence
 * ends: the rules' context checks cost in proportion to hits × sentence length, so one long run
 * of trigger characters ("死" × 20,000: 4 s) would otherwise hold the process for seconds.
 */
const LONG_TEXT = 4000;
const CHUNK = 2000;

/** [start, end) pieces of `text`, each at most CHUNK long, cut at sentence ends where possible. */
function chunks(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = -1;
  let to = -1;
  for (const seg of splitSentences(text)) {
    if (from >= 0 && seg.end - from > CHUNK) {
      out.push([from, to]);
      from = -1;
    }
    let start = seg.start;
    // A sentence longer than a piece is cut every CHUNK characters, never inside a surrogate pair.
    while (seg.end - start > CHUNK) {
      let cut = start + CHUNK;
      if (/[\ud800-\udbff]/.test(text[cut - 1])) cut--;
      out.push([start, cut]);
      start = cut;
    }
    if (from < 0) from = start;
    to = seg.end;
  }
  if (from >= 0) out.push([from, to]);
  return out;
}

export function assessWellbeingWith(text: string, options: { lang?: 'zh' | 'en' }, engine: WellbeingEngine): WellbeingResult {
  if (text.length === 0) return { level: 'none', signals: [] };
  if (text.length > LONG_TEXT) {
    const signals: WellbeingSignal[] = [];
    for (const [from, to] of chunks(text)) {
      for (const sig of assessWellbeingWith(text.slice(from, to), options, engine).signals) {
        signals.push({ ...sig, start: sig.start + from, end: sig.end + from });
      }
    }
    const level: WellbeingLevel = signals.some((x) => x.level === 'crisis') ? 'crisis' : signals.length > 0 ? 'concern' : 'none';
    return { level, signals };
  }
  const norm = normalizeForMatching(text);
  if (norm.text.length === 0) return { level: 'none', signals: [] };
  const found: RulesReading = engine.rules ? collectHits(text, norm, engine.anchors !== false) : { hits: [], ruledOut: false, read: [] };
  const hits = dedupe(found.hits);
  const signals = hits.map((h): WellbeingSignal => {
    const { start, end } = originalSpan(norm, h.start, h.end);
    return { code: h.rule.code, level: h.level, span: text.slice(start, end), start, end };
  });
  const model = engine.model;
  if (model !== null && !signals.some((s) => s.level === 'crisis')) {
    const lang = options.lang === 'zh' || options.lang === 'en' ? options.lang : detectLang(text);
    const threshold = engine.thresholds?.[lang] ?? model.thresholds[lang];
    // Above 1 the model is switched off (train-wellbeing-model.ts --off): do not pay for scoring.
    // The model fills what the rules did not read; it never overrules what they judged: not
    // when a rule ruled crisis words out ("想死你了", "我把绳子买好了，周末搬家"), and not on
    // evidence words a rule already read as something else ("我妈走了" is bereavement).
    if (threshold <= 1 && !found.ruledOut && model.score(norm.text) >= threshold && model.hasEvidence(norm.text, found.read)) {
      const [from, to] = bestSentence(model, text, norm);
      const { start, end } = originalSpan(norm, from, to);
      signals.push({ code: MODEL_CRISIS_CODE, level: 'crisis', span: text.slice(start, end), start, end });
      signals.sort((a, b) => a.start - b.start || a.end - b.end);
    }
  }
  const level: WellbeingLevel = signals.some((s) => s.level === 'crisis')
    ? 'crisis'
    : signals.length > 0
      ? 'concern'
      : 'none';
  return { level, signals };
}

/** The sentence the model scores highest, as normalized offsets: what a specialist reads first. */
function bestSentence(model: WellbeingModel, original: string, norm: NormalizedText): [number, number] {
  const ids = segmentIds(original).sentence;
  let best: [number, number] = [0, norm.text.length];
  let bestScore = -1;
  let from = 0;
  for (let k = 1; k <= norm.text.length; k++) {
    if (k < norm.text.length && ids[norm.map[k]] === ids[norm.map[k - 1]]) continue;
    if (norm.text.slice(from, k).trim() !== '') {
      const p = model.score(norm.text, from, k);
      if (p > bestScore) {
        bestScore = p;
        best = [from, k];
      }
    }
    from = k;
  }
  return best;
}
