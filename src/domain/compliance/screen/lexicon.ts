// Lexicon files (lexicons/*.yaml) → compiled matchers.
//
// A lexicon is data a compliance officer can read and extend; see the header of
// lexicons/zh.yaml for the format. Patterns are regular expressions over the NORMALIZED text
// (src/domain/text/normalize.ts: lower case, simplified, letters and digits only, one space
// between Latin words) with two additions:
//   {name}  one of the terms of the list `name`
//   ...     a short gap: up to `gap` characters (zh) or `gap` words (en)
// Groups written by the author never capture; the gaps do, so a negation inside a gap
// ("家人不会知道") can be seen.
import { load } from 'js-yaml';
import { anchorsOf } from '../../text/anchors.js';

import { CONTENT_CATEGORIES as CATEGORIES, type ContentCategory as Category } from './categories.js';
export { CATEGORIES, type Category };
export type LexiconLang = 'zh' | 'en';
export type Audience = 'borrower' | 'guarantor' | 'third_party';

export interface CompiledRule {
  readonly id: string;
  readonly category: Category;
  readonly lang: LexiconLang;
  readonly pattern: RegExp;
  /** Literals of which every match of `pattern` contains one (anchors.ts); null: always run. */
  readonly anchors: readonly string[] | null;
  readonly requires: RegExp | null;
  /** Every one of these must be present too (same scope). */
  readonly requiresAll: readonly RegExp[];
  readonly unless: RegExp | null;
  readonly scope: 'sentence' | 'text';
  /** true: any negation cancels; 'identity': only "不是…" / "not a …" cancels; false: never. */
  readonly negatable: boolean | 'identity';
  readonly audiences: readonly Audience[] | null;
  readonly suggestion: string | null;
  /** Higher wins when hits of different categories cover the same words. */
  readonly priority: number;
}

export interface CompiledLexicon {
  readonly lang: LexiconLang;
  readonly rules: readonly CompiledRule[];
  /** Matches text that ends with a negation cue (plus fillers): "我们不会", "we will never". */
  readonly negatedBefore: RegExp;
  /** Matches a negation cue anywhere (used on the gaps inside a match). */
  readonly negationCue: RegExp;
  /** How far back (normalized chars) a negation cue is looked for. */
  readonly negationWindow: number;
  /**
   * Matches a firm negation anywhere in a text ("我们绝不会", "we will never"): used on the same
   * clause before a hit, so "绝不会把您的借款信息告诉您的亲戚" is negated even with words between.
   * Null when the lexicon lists no `negation.scope` cues.
   */
  readonly scopeNegation: RegExp | null;
  /** How far back (normalized chars) within the clause a firm negation is looked for. */
  readonly scopeWindow: number;
  /** Matches text ending with a denial of identity: "你不是", "you're not a". */
  readonly identityNegatedBefore: RegExp;
  /** A sentence matching this is about the rules, not collection talk ("严禁使用侮辱性语言"). */
  readonly metaSentence: RegExp | null;
  readonly defaults: Readonly<Record<Category, string>>;
}

interface RawRule {
  id?: unknown;
  category?: unknown;
  patterns?: unknown;
  requires?: unknown;
  requires_all?: unknown;
  unless?: unknown;
  scope?: unknown;
  negatable?: unknown;
  audience?: unknown;
  suggestion?: unknown;
  priority?: unknown;
}

const DEFAULT_NEGATABLE: Record<Category, boolean | 'identity'> = {
  threat: true,
  insult: 'identity',
  false_legal: true,
  third_party_disclosure: true,
  harassment: true,
  deception: true,
};

const DEFAULT_PRIORITY: Record<Category, number> = {
  false_legal: 6,
  third_party_disclosure: 5,
  threat: 4,
  deception: 3,
  harassment: 2,
  insult: 1,
};

class LexiconError extends Error {}

function fail(file: string, message: string): never {
  throw new LexiconError(`${file}: ${message}`);
}

function stringList(file: string, where: string, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v, i) => {
    if (typeof v !== 'string' && typeof v !== 'number') fail(file, `${where}[${i}] must be a string`);
    return String(v);
  });
}

/**
 * Patterns match normalized (lower-case) text, so they are lower-cased too, but not an escape:
 * `\S`, `\D`, `\W` mean the opposite of `\s`, `\d`, `\w`, and `\p{Script=Han}` is case-sensitive.
 */
function lowerOutsideEscapes(src: string): string {
  return src.replace(/\\[pP]\{[^}]*\}|\\.|[^\\]+/g, (t) => (t.startsWith('\\') ? t : t.toLowerCase()));
}

/** Author groups never capture: "(a|b)" → "(?:a|b)"; escaped parens and (?…) are left alone. */
function nonCapturing(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\\') {
      out += ch + (src[i + 1] ?? '');
      i++;
    } else if (ch === '(' && src[i + 1] !== '?') {
      out += '(?:';
    } else {
      out += ch;
    }
  }
  return out;
}

function alternation(items: string[]): string {
  const sorted = [...new Set(items)].sort((a, b) => b.length - a.length);
  return `(?:${sorted.join('|')})`;
}

class Compiler {
  private readonly expanded = new Map<string, string>();

  constructor(
    private readonly file: string,
    private readonly lang: LexiconLang,
    private readonly lists: Record<string, string[]>,
    private readonly gap: number,
  ) {}

  list(name: string, stack: string[] = []): string {
    const done = this.expanded.get(name);
    if (done !== undefined) return done;
    const items = this.lists[name];
    if (!items) fail(this.file, `unknown list {${name}}`);
    if (stack.includes(name)) fail(this.file, `list {${name}} refers to itself`);
    const body = alternation(items.map((item) => this.fragment(item, [...stack, name], false)));
    this.expanded.set(name, body);
    return body;
  }

  /** One pattern → regex source. Gaps capture only when `captureGaps`. */
  fragment(src: string, stack: string[] = [], captureGaps = true): string {
    let s = nonCapturing(lowerOutsideEscapes(src.trim()));
    s = s.replace(/\{([a-z_][a-z0-9_]*)\}/g, (_m, name: string) => this.list(name, stack));
    if (this.lang === 'en') {
      const gap = `(?:[^ ]+ ){0,${this.gap}}`;
      s = s.replace(/ ?\.\.\. ?/g, ` ${captureGaps ? `(${gap})` : gap}`);
    } else {
      const gap = `[\\s\\S]{0,${this.gap}}?`;
      s = s.replace(/\.\.\./g, captureGaps ? `(${gap})` : gap);
    }
    return s;
  }

  pattern(sources: string[], where: string, captureGaps: boolean, flags: string): RegExp {
    const parts = sources.map((p) => {
      const body = this.fragment(p, [], captureGaps);
      return this.lang === 'en' ? `(?:${body})(?![a-z0-9])` : `(?:${body})`;
    });
    // English: whole words only. The word-start check comes once, before the alternation, so that
    // inside a word the engine fails at once instead of trying every pattern.
    const source = this.lang === 'en' ? `(?<![a-z0-9])(?:${parts.join('|')})` : parts.join('|');
    try {
      return new RegExp(source, flags);
    } catch (e) {
      fail(this.file, `${where}: ${(e as Error).message}`);
    }
  }
}

export function compileLexicon(file: string, yamlText: string): CompiledLexicon {
  const doc = load(yamlText) as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object') fail(file, 'not a YAML mapping');
  const lang = doc.lang;
  if (lang !== 'zh' && lang !== 'en') fail(file, 'lang must be zh or en');
  const gap = typeof doc.gap === 'number' ? doc.gap : lang === 'zh' ? 8 : 4;

  const lists: Record<string, string[]> = {};
  const rawLists = (doc.lists ?? {}) as Record<string, unknown>;
  for (const [name, items] of Object.entries(rawLists)) lists[name] = stringList(file, `lists.${name}`, items);
  const c = new Compiler(file, lang, lists, gap);

  const neg = (doc.negation ?? {}) as Record<string, unknown>;
  const cues = stringList(file, 'negation.cues', neg.cues).map((x) => c.fragment(x, [], false));
  const fillers = stringList(file, 'negation.fillers', neg.fillers).map((x) => c.fragment(x, [], false));
  const cueAlt = alternation(cues.length ? cues : ['(?!)']);
  const fillerAlt = alternation(fillers.length ? fillers : ['(?!)']);
  const negatedBefore =
    lang === 'en'
      ? new RegExp(`(?:^| )${cueAlt}(?: ${fillerAlt}){0,3} ?$`)
      : new RegExp(`${cueAlt}${fillerAlt}{0,3}$`);
  const negationCue = lang === 'en' ? new RegExp(`(?:^| )${cueAlt}(?: |$)`) : new RegExp(cueAlt);
  const negationWindow = typeof neg.window === 'number' ? neg.window : lang === 'zh' ? 10 : 40;
  const scopeCues = stringList(file, 'negation.scope', neg.scope).map((x) => c.fragment(x, [], false));
  const scopeNegation = scopeCues.length
    ? new RegExp(lang === 'en' ? `(?:^| )${alternation(scopeCues)}(?: |$)` : alternation(scopeCues))
    : null;
  const scopeWindow = typeof neg.scope_window === 'number' ? neg.scope_window : lang === 'zh' ? 16 : 60;
  const identityCues = stringList(file, 'negation.identity', neg.identity).map((x) => c.fragment(x, [], false));
  const identityAlt = alternation(identityCues.length ? identityCues : ['(?!)']);
  const identityNegatedBefore = lang === 'en' ? new RegExp(`(?:^| )${identityAlt} ?$`) : new RegExp(`${identityAlt}$`);

  const metaSources = stringList(file, 'meta', doc.meta);
  const metaSentence = metaSources.length ? c.pattern(metaSources, 'meta', false, 'u') : null;

  const defaultsRaw = (doc.defaults ?? {}) as Record<string, unknown>;
  const defaults = {} as Record<Category, string>;
  for (const cat of CATEGORIES) {
    const d = defaultsRaw[cat];
    if (typeof d !== 'string') fail(file, `defaults.${cat} must be a string`);
    defaults[cat] = d.trim();
  }

  if (!Array.isArray(doc.rules)) fail(file, 'rules must be a list');
  const ids = new Set<string>();
  const rules: CompiledRule[] = (doc.rules as RawRule[]).map((r, i) => {
    const id = typeof r.id === 'string' ? r.id : fail(file, `rules[${i}].id missing`);
    if (ids.has(id)) fail(file, `duplicate rule id ${id}`);
    ids.add(id);
    const category = r.category as Category;
    if (!CATEGORIES.includes(category)) fail(file, `${id}: unknown category ${String(r.category)}`);
    const patterns = stringList(file, `${id}.patterns`, r.patterns);
    if (patterns.length === 0) fail(file, `${id}: no patterns`);
    const requires = stringList(file, `${id}.requires`, r.requires);
    const unless = stringList(file, `${id}.unless`, r.unless);
    const requiresAll = stringList(file, `${id}.requires_all`, r.requires_all);
    const audiences = stringList(file, `${id}.audience`, r.audience) as Audience[];
    const scope = r.scope === 'text' ? 'text' : 'sentence';
    return {
      id,
      category,
      lang,
      pattern: c.pattern(patterns, `${id}.patterns`, true, 'gu'),
      anchors: anchorsOf(patterns, lists),
      requires: requires.length ? c.pattern(requires, `${id}.requires`, false, 'u') : null,
      requiresAll: requiresAll.map((p, k) => c.pattern([p], `${id}.requires_all[${k}]`, false, 'u')),
      unless: unless.length ? c.pattern(unless, `${id}.unless`, false, 'u') : null,
      scope,
      negatable:
        typeof r.negatable === 'boolean' || r.negatable === 'identity' ? r.negatable : DEFAULT_NEGATABLE[category],
      audiences: audiences.length ? audiences : null,
      suggestion: typeof r.suggestion === 'string' ? r.suggestion.trim() : null,
      priority: typeof r.priority === 'number' ? r.priority : DEFAULT_PRIORITY[category],
    };
  });
  return { lang, rules, negatedBefore, negationCue, negationWindow, scopeNegation, scopeWindow, identityNegatedBefore, metaSentence, defaults };
}
