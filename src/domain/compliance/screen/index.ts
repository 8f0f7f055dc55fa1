// The content screen: finds threatening, insulting, deceptive, falsely legal, harassing or
// disclosing language in templates, scripts, messages and call transcripts, in Chinese and
// English (COMPLIANCE.md, "Content screen"; GB/T 45251-2025; FDCPA 1692c(b), 1692d, 1692e).
//
// The rules are data (lexicons/zh.yaml, lexicons/en.yaml), compiled once at import. Matching
// runs over normalized text (src/domain/text/normalize.ts) so evasions such as "老 赖", "監獄",
// "ｄｅａｄｂｅａｔ" match; findings point back into the original text.
//
// Beside the rules runs a small statistical model (model/, trained by
// scripts/train-content-model.ts) that catches abusive wording no rule anticipated. A text is
// flagged when a rule finds something OR the model's P(abusive) reaches its threshold and the
// text's own words, not the model's prior alone, point to abuse (ModelScore.evidence); a model
// finding points at the clause the model scores highest and carries the model's category.
// The model also arbitrates: when it is sure a text is lawful (P under its veto), rule findings
// on it are dropped, for phrase rules fire on the trigger words of lawful denials and warnings.
import { readFileSync } from 'node:fs';
import { detectLang, normalizeForMatching, originalSpan, segmentIds } from '../../text/normalize.js';
import type { NormalizedText } from '../../text/normalize.js';
import { mayMatch } from '../../text/anchors.js';
import { compileLexicon } from './lexicon.js';
import type { CompiledLexicon, CompiledRule } from './lexicon.js';
import { contentModel, modelSuggestions } from './model/index.js';
import type { ContentModel } from './model/index.js';

import { CONTENT_CATEGORIES, type ContentCategory } from './categories.js';
export { CONTENT_CATEGORIES, type ContentCategory };
export type Lang = 'zh' | 'en';

export interface Finding {
  category: ContentCategory;
  /** The matched text, exactly `text.slice(start, end)`. */
  span: string;
  /** UTF-16 code unit offsets into the original text; `end` exclusive. */
  start: number;
  end: number;
  /** A kinder, lawful wording for the agent or template author. */
  suggestion: string;
}

export interface ScreenOptions {
  /** Anything else, or none, means detect. */
  lang?: Lang;
  /** To a third party any mention of the debt is a disclosure. Default borrower. */
  audience?: 'borrower' | 'guarantor' | 'third_party';
}

function loadLexicon(name: string): CompiledLexicon {
  const url = new URL(`./lexicons/${name}.yaml`, import.meta.url);
  return compileLexicon(`lexicons/${name}.yaml`, readFileSync(url, 'utf8'));
}

const LEXICONS: Readonly<Record<Lang, CompiledLexicon>> = { zh: loadLexicon('zh'), en: loadLexicon('en') };

/** Rule ids per lexicon, for tests and tooling. */
export function lexiconRuleIds(): string[] {
  return [...LEXICONS.zh.rules, ...LEXICONS.en.rules].map((r) => r.id);
}

interface Hit {
  rule: CompiledRule;
  start: number;
  end: number;
}

/** Where each normalized char sits: its sentence and the start of its clause, in normalized offsets. */
interface Layout {
  norm: NormalizedText;
  sentenceOf: Uint32Array;
  sentenceStart: number[];
  sentenceEnd: number[];
  clauseStart: Uint32Array;
}

function layout(original: string, norm: NormalizedText): Layout {
  const seg = segmentIds(original);
  const len = norm.text.length;
  const sentenceOf = new Uint32Array(len);
  const clauseStart = new Uint32Array(len);
  const sentenceStart: number[] = [];
  const sentenceEnd: number[] = [];
  let lastSentence = -1;
  let sentenceIdx = -1;
  let lastClause = -1;
  let clauseAt = 0;
  for (let i = 0; i < len; i++) {
    const o = norm.map[i];
    const s = seg.sentence[o];
    const c = seg.clause[o];
    if (s !== lastSentence) {
      sentenceIdx++;
      sentenceStart.push(i);
      sentenceEnd.push(i + 1);
      lastSentence = s;
    } else {
      sentenceEnd[sentenceIdx] = i + 1;
    }
    if (c !== lastClause) {
      clauseAt = i;
      lastClause = c;
    }
    sentenceOf[i] = sentenceIdx;
    clauseStart[i] = clauseAt;
  }
  return { norm, sentenceOf, sentenceStart, sentenceEnd, clauseStart };
}

function sentenceText(l: Layout, at: number): string {
  const idx = l.sentenceOf[at];
  return l.norm.text.slice(l.sentenceStart[idx], l.sentenceEnd[idx]);
}

function accept(lex: CompiledLexicon, rule: CompiledRule, l: Layout, m: RegExpExecArray, metaCache: Map<number, boolean>): boolean {
  const start = m.index;
  const end = start + m[0].length;
  const text = l.norm.text;
  const crossesSentence = l.sentenceOf[start] !== l.sentenceOf[end - 1];
  // Gaps: a gap never spans two sentences, and a negation inside it cancels the hit ("家人不会知道").
  for (let g = 1; g < m.length; g++) {
    const gap = m[g];
    if (!gap) continue;
    if (crossesSentence) return false;
    if (rule.negatable === true && lex.negationCue.test(gap)) return false;
  }
  // Sentences about the rules or reassuring the borrower ("网上说会坐牢, 那是假的") are not
  // collection talk; a rule written for a given audience still applies to them.
  if (lex.metaSentence && !rule.audiences) {
    const idx = l.sentenceOf[start];
    let meta = metaCache.get(idx);
    if (meta === undefined) {
      meta = lex.metaSentence.test(sentenceText(l, start));
      metaCache.set(idx, meta);
    }
    if (meta) return false;
  }
  if (rule.negatable) {
    const from = Math.max(l.clauseStart[start], start - lex.negationWindow);
    if (from < start) {
      const before = text.slice(from, start);
      if (rule.negatable === true ? lex.negatedBefore.test(before) : lex.identityNegatedBefore.test(before)) return false;
    }
    // A firm negation earlier in the same clause ("我们绝不会把您的欠款告诉…", "we will never …").
    if (rule.negatable === true && lex.scopeNegation) {
      const scopeFrom = Math.max(l.clauseStart[start], start - lex.scopeWindow);
      if (scopeFrom < start && lex.scopeNegation.test(text.slice(scopeFrom, start))) return false;
    }
  }
  if (rule.requires || rule.unless || rule.requiresAll.length > 0) {
    const scope = rule.scope === 'text' ? text : sentenceText(l, start);
    if (rule.requires && !rule.requires.test(scope)) return false;
    for (const all of rule.requiresAll) if (!all.test(scope)) return false;
    if (rule.unless && rule.unless.test(scope)) return false;
  }
  return true;
}

function collectHits(lex: CompiledLexicon, l: Layout, audience: string, hits: Hit[], useAnchors: boolean): void {
  const text = l.norm.text;
  const metaCache = new Map<number, boolean>();
  for (const rule of lex.rules) {
    if (rule.audiences && !rule.audiences.includes(audience as never)) continue;
    if (useAnchors && !mayMatch(rule.anchors, text)) continue;
    const re = rule.pattern;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const start = m.index;
      const end = start + m[0].length;
      if (end === start) {
        re.lastIndex = start + 1;
        continue;
      }
      if (accept(lex, rule, l, m, metaCache)) {
        hits.push({ rule, start, end });
        re.lastIndex = end;
      } else {
        // A rejected hit (negated, lawful framing) may hide a later one that starts inside it.
        re.lastIndex = start + 1;
      }
    }
  }
}

const overlaps = (a: Hit, b: Hit) => a.start < b.end && b.start < a.end;
const contains = (a: Hit, b: Hit) => a.start <= b.start && b.end <= a.end;
const length = (h: Hit) => h.end - h.start;

/**
 * One hit per offending phrase: overlapping hits of one category keep the longest; a hit whose
 * words lie wholly inside a hit of another category yields to the one with the higher priority.
 */
function dedupe(hits: Hit[]): Hit[] {
  const sorted = [...hits].sort((a, b) => length(b) - length(a) || b.rule.priority - a.rule.priority || a.start - b.start);
  const kept: Hit[] = [];
  for (const h of sorted) {
    let drop = false;
    for (let i = 0; i < kept.length && !drop; i++) {
      const k = kept[i];
      if (!overlaps(h, k)) continue;
      if (k.rule.category === h.rule.category) drop = true;
      else if (contains(k, h) && k.rule.priority >= h.rule.priority) drop = true;
      else if (contains(h, k) && h.rule.priority > k.rule.priority) {
        kept.splice(i, 1);
        i--;
      }
    }
    if (!drop) kept.push(h);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

const HAS_HAN = /[\u3400-\u9fff\uf900-\ufaff]|[\ud840-\ud87f]/;
const HAS_LATIN_WORD = /[a-z]{2}/;

/** Which detectors run; screenContent uses the rules and the shipped model. For evaluation and tests. */
export interface ScreenEngine {
  rules: boolean;
  model: ContentModel | null;
  /** Override the model's own thresholds on P(abusive), per language. */
  thresholds?: Partial<Record<Lang, number>>;
  /** Override the model's veto on rule findings, per language (0: off). */
  veto?: Partial<Record<Lang, number>>;
  /** false: run every rule's regex, even on a text without its anchors (to test the anchors). */
  anchors?: boolean;
}

const DEFAULT_ENGINE: ScreenEngine = { rules: true, model: contentModel };

export function screenContent(text: string, options: ScreenOptions = {}): Finding[] {
  return screenContentWith(text, options, DEFAULT_ENGINE);
}

/** Normalized [start, end) of each clause (split at commas, colons and sentence ends). */
function clauses(l: Layout): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const len = l.norm.text.length;
  let from = 0;
  for (let i = 1; i <= len; i++) {
    if (i === len || l.clauseStart[i] !== l.clauseStart[i - 1] || l.sentenceOf[i] !== l.sentenceOf[i - 1]) {
      out.push([from, i]);
      from = i;
    }
  }
  return out;
}

/** The clause the model finds most abusive, as normalized offsets. */
function bestClause(model: ContentModel, l: Layout): [number, number] {
  let best: [number, number] = [0, l.norm.text.length];
  let bestScore = -1;
  for (const [from, to] of clauses(l)) {
    if (l.norm.text.slice(from, to).trim() === '') continue;
    const p = model.score(l.norm.text, from, to).abusive;
    if (p > bestScore) {
      bestScore = p;
      best = [from, to];
    }
  }
  return best;
}

export function screenContentWith(text: string, options: ScreenOptions, engine: ScreenEngine): Finding[] {
  if (!text) return [];
  const lang: Lang = options.lang === 'zh' || options.lang === 'en' ? options.lang : detectLang(text);
  const audience = options.audience ?? 'borrower';
  const norm = normalizeForMatching(text);
  if (norm.text.length === 0) return [];
  const l = layout(text, norm);
  const hits: Hit[] = [];
  if (engine.rules) {
    const useAnchors = engine.anchors !== false;
    if (HAS_HAN.test(norm.text)) collectHits(LEXICONS.zh, l, audience, hits, useAnchors);
    if (HAS_LATIN_WORD.test(norm.text)) collectHits(LEXICONS.en, l, audience, hits, useAnchors);
  }
  const model = engine.model;
  const score = model ? model.score(norm.text) : null;
  // To a third party, any mention of the debt is a disclosure however lawful it sounds, so the
  // rules there are never vetoed.
  const vetoed =
    model !== null && score !== null && audience !== 'third_party' && score.abusive < (engine.veto?.[lang] ?? model.veto[lang]);
  const findings: Finding[] = (vetoed ? [] : dedupe(hits)).map((h) => {
    const span = originalSpan(norm, h.start, h.end);
    const suggestion =
      h.rule.lang === lang && h.rule.suggestion ? h.rule.suggestion : LEXICONS[lang].defaults[h.rule.category];
    return {
      category: h.rule.category,
      span: text.slice(span.start, span.end),
      start: span.start,
      end: span.end,
      suggestion,
    };
  });
  if (model === null || score === null) return findings;
  if (score.abusive < (engine.thresholds?.[lang] ?? model.thresholds[lang]) || score.evidence <= 0) return findings;
  // To a third party, anything abusive about the debt is first of all a disclosure.
  const category: ContentCategory = audience === 'third_party' ? 'third_party_disclosure' : CONTENT_CATEGORIES[score.top];
  // A rule finding of the same category already says it, and says it more precisely.
  if (findings.some((f) => f.category === category)) return findings;
  const [from, to] = bestClause(model, l);
  const span = originalSpan(norm, from, to);
  findings.push({
    category,
    span: text.slice(span.start, span.end),
    start: span.start,
    end: span.end,
    suggestion: modelSuggestions[lang][category],
  });
  return findings.sort((a, b) => a.start - b.start || a.end - b.end);
}
