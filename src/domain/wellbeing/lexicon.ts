// Wellbeing lexicons: the YAML rule files a specialist reads and extends, validated and compiled
// once into regular expressions over normalized text (see lexicons/README in zh.yaml's header).
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { anchorsOf } from '../text/anchors.js';

export type LexiconLang = 'zh' | 'en';
export type SignalLevel = 'concern' | 'crisis';
/** What a hit becomes when negated ("我不会想不开") or about someone else ("我朋友想不开"). */
export type Downgrade = 'keep' | 'concern' | 'drop';
/** Where an exclusion or a requirement is looked for: overlapping the hit, or anywhere in its clause, sentence or the whole text. */
export type Scope = 'overlap' | 'clause' | 'sentence' | 'text';

export interface CompiledCondition {
  readonly regex: RegExp;
  readonly scope: Scope;
}

export interface CompiledRule {
  readonly id: string;
  readonly code: string;
  readonly level: SignalLevel;
  /** Global regex: every alternative of `patterns` in one pass. */
  readonly regex: RegExp;
  /** Literals of which every match of `regex` contains one (text/anchors.ts); null: always run. */
  readonly anchors: readonly string[] | null;
  readonly exclude: readonly CompiledCondition[];
  readonly requires: readonly CompiledCondition[];
  /** "This rule cannot tell": a match is skipped, as without its requirement, and the model still reads it. */
  readonly unless: readonly CompiledCondition[];
  readonly negated: Downgrade;
  readonly thirdPerson: Downgrade;
  /** The hit must not cross a clause break of the original text ("逼死，我不信" is not 逼死我). */
  readonly withinClause: boolean;
}

export interface CompiledLexicon {
  readonly lang: LexiconLang;
  readonly rules: readonly CompiledRule[];
  /** Anchored at the end of the text before a hit: a negation cue right before it. */
  readonly negation: RegExp | null;
  /** Global regex with groups `third` and `first`; the last one before a hit says whose words they are. */
  readonly person: RegExp | null;
  /** Between that other person and the hit, a sign of a new predicate whose subject is the writer. */
  readonly personBreak: RegExp | null;
}

export class LexiconError extends Error {
  override readonly name = 'LexiconError';
}

const CODE_RE = /^[a-z][a-z0-9_]*$/;
const LEVELS: readonly SignalLevel[] = ['concern', 'crisis'];
const DOWNGRADES: readonly Downgrade[] = ['keep', 'concern', 'drop'];
const SCOPES: readonly Scope[] = ['overlap', 'clause', 'sentence', 'text'];
const RULE_KEYS: ReadonlySet<string> = new Set(['id', 'code', 'level', 'patterns', 'exclude', 'requires', 'unless', 'negated', 'thirdPerson', 'wholeWords', 'withinClause']);
const MACRO_RE = /\{([a-z][a-z0-9_]*)(?::(\d{1,2}))?\}/g;

// A group that is itself quantified and contains a quantifier, e.g. (a+)+ or (a|b*)*, can backtrack
// exponentially. Rules never need one, so the loader refuses them rather than trusting review.
const NESTED_QUANTIFIER_RE = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\})/;

function fail(where: string, message: string): never {
  throw new LexiconError(`${where}: ${message}`);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown, where: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s.length === 0)) {
    fail(where, 'must be a list of non-empty strings');
  }
  return v as string[];
}

/** Expands macros; `whole` (English) makes the result match whole words only. */
interface Expander {
  (source: string, where: string, whole?: boolean): string;
}

function makeExpander(lang: LexiconLang, macros: Record<string, string>): Expander {
  const builtin = (name: string, arg: string | undefined): string | undefined => {
    if (name === 'gap') {
      // Up to N characters of any kind (normalized text holds no punctuation).
      return `.{0,${arg === undefined ? 4 : Number(arg)}}`;
    }
    if (name === 'w') {
      // Up to N whole words (English), e.g. "chase {w:2}me".
      return `(?:[a-z0-9]+ ){0,${arg === undefined ? 2 : Number(arg)}}`;
    }
    return undefined;
  };
  // 1. the lexicon's own macros; a macro may use other macros ({you} inside a guard), never itself.
  const own = (source: string, where: string, using: readonly string[]): string =>
    source.replace(MACRO_RE, (m, name: string) => {
      if (builtin(name, '0') !== undefined) return m;
      const body = macros[name];
      if (body === undefined) fail(where, `unknown macro {${name}}`);
      if (using.includes(name)) fail(where, `macro {${name}} uses itself (${[...using, name].join(' → ')})`);
      return `(?:${own(body, where, [...using, name])})`;
    });
  return (source, where, whole = true) => {
    let out = own(source, where, []);
    if (lang === 'en') {
      // 2. Normalized text keeps letters, digits and one space between words: "can't" arrives
      // as "can t", "kill-my-self" as "kill my self". So an apostrophe or a space in a pattern
      // is an optional space, which also catches "cant" and "killmyself" (hashtags).
      out = out.replace(/['’]/g, ' ').replace(/ +/g, ' ?');
    }
    // 3. built-ins last, so steps 1-2 never rewrite their insides.
    out = out.replace(MACRO_RE, (_m, name: string, arg: string | undefined) => builtin(name, arg) ?? fail(where, `unknown macro {${name}}`));
    // English words match whole: "kill myself" never inside "skill myself".
    return lang === 'en' && whole ? `(?<![a-z0-9])(?:${out})(?![a-z0-9])` : out;
  };
}

function compileRegex(source: string, flags: string, where: string): RegExp {
  if (NESTED_QUANTIFIER_RE.test(source)) fail(where, `nested quantifier, risk of catastrophic backtracking: ${source}`);
  try {
    return new RegExp(source, flags);
  } catch (e) {
    return fail(where, `invalid pattern ${source}: ${(e as Error).message}`);
  }
}

function compileConditions(v: unknown, expand: Expander, where: string, defaultScope: Scope): CompiledCondition[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(where, 'must be a list');
  return v.map((item, i) => {
    const w = `${where}[${i}]`;
    const entry = typeof item === 'string' ? { pattern: item } : item;
    if (!isRecord(entry) || typeof entry.pattern !== 'string' || entry.pattern === '') fail(w, 'needs a pattern');
    const scope = (entry.scope ?? defaultScope) as Scope;
    if (!SCOPES.includes(scope)) fail(w, `scope must be one of ${SCOPES.join(', ')}`);
    const regex = compileRegex(expand(entry.pattern, w), 'g', w);
    // The engine skips empty matches (a lookahead, "x?"), so such a condition would silently never hold.
    if (regex.test('')) fail(w, `pattern matches the empty text, so it would never count: ${entry.pattern}`);
    regex.lastIndex = 0;
    return { regex, scope };
  });
}

/** Validates a parsed lexicon document and compiles it. Throws `LexiconError` naming the bad entry. */
export function compileLexicon(doc: unknown, lang: LexiconLang): CompiledLexicon {
  const where = `lexicon ${lang}`;
  if (!isRecord(doc)) fail(where, 'must be a mapping');
  if (doc.lang !== lang) fail(where, `lang must be ${lang}`);
  const macrosRaw = doc.macros ?? {};
  if (!isRecord(macrosRaw) || Object.values(macrosRaw).some((m) => typeof m !== 'string')) {
    fail(`${where}.macros`, 'must map names to pattern strings');
  }
  const macros = macrosRaw as Record<string, string>;
  const expand = makeExpander(lang, macros);

  let negation: RegExp | null = null;
  if (doc.negation !== undefined) {
    const n = doc.negation;
    if (!isRecord(n)) fail(`${where}.negation`, 'must be a mapping');
    const cues = stringList(n.cues, `${where}.negation.cues`);
    const filler = typeof n.filler === 'string' ? n.filler : '';
    if (cues.length > 0) {
      const src = `(?:${cues.map((c) => expand(c, `${where}.negation`)).join('|')})${expand(filler, `${where}.negation.filler`, false)}$`;
      negation = compileRegex(src, '', `${where}.negation`);
    }
  }

  let person: RegExp | null = null;
  let personBreak: RegExp | null = null;
  if (doc.person !== undefined) {
    const p = doc.person;
    if (!isRecord(p)) fail(`${where}.person`, 'must be a mapping');
    const third = stringList(p.third, `${where}.person.third`).map((s) => expand(s, `${where}.person.third`));
    const first = stringList(p.first, `${where}.person.first`).map((s) => expand(s, `${where}.person.first`));
    if (third.length > 0 && first.length > 0) {
      person = compileRegex(`(?<third>${third.join('|')})|(?<first>${first.join('|')})`, 'g', `${where}.person`);
    }
    const breaks = stringList(p.breaks, `${where}.person.breaks`).map((s) => expand(s, `${where}.person.breaks`));
    if (breaks.length > 0) personBreak = compileRegex(breaks.join('|'), '', `${where}.person.breaks`);
  }

  if (!Array.isArray(doc.rules) || doc.rules.length === 0) fail(`${where}.rules`, 'must be a non-empty list');
  const ids = new Set<string>();
  const rules = doc.rules.map((raw, i): CompiledRule => {
    const w = `${where}.rules[${i}]`;
    if (!isRecord(raw)) fail(w, 'must be a mapping');
    // A misspelt key ("unles") would silently loosen or tighten a rule: refuse it.
    const unknown = Object.keys(raw).filter((k) => !RULE_KEYS.has(k));
    if (unknown.length > 0) fail(w, `unknown key ${unknown.join(', ')}; a rule has ${[...RULE_KEYS].join(', ')}`);
    const code = raw.code;
    if (typeof code !== 'string' || !CODE_RE.test(code)) fail(w, 'code must be snake_case');
    const level = raw.level as SignalLevel;
    if (!LEVELS.includes(level)) fail(w, `level must be concern or crisis`);
    const id = typeof raw.id === 'string' ? raw.id : `${code}#${i}`;
    if (ids.has(id)) fail(w, `duplicate id ${id}`);
    ids.add(id);
    const patterns = stringList(raw.patterns, `${w}.patterns`);
    if (patterns.length === 0) fail(w, 'needs at least one pattern');
    if (raw.wholeWords !== undefined && typeof raw.wholeWords !== 'boolean') fail(w, 'wholeWords must be true or false');
    if (raw.withinClause !== undefined && typeof raw.withinClause !== 'boolean') fail(w, 'withinClause must be true or false');
    const wholeWords = raw.wholeWords !== false;
    const alternatives = patterns.map((p, j) => {
      const src = expand(p, `${w}.patterns[${j}]`, wholeWords);
      compileRegex(src, '', `${w}.patterns[${j}]`); // each alone, so an error names its line
      return `(?:${src})`;
    });
    const negated = (raw.negated ?? (level === 'crisis' ? 'concern' : 'drop')) as Downgrade;
    const thirdPerson = (raw.thirdPerson ?? (level === 'crisis' ? 'concern' : 'keep')) as Downgrade;
    if (!DOWNGRADES.includes(negated)) fail(w, 'negated must be keep, concern or drop');
    if (!DOWNGRADES.includes(thirdPerson)) fail(w, 'thirdPerson must be keep, concern or drop');
    return {
      id,
      code,
      level,
      regex: compileRegex(alternatives.join('|'), 'g', w),
      anchors: anchorsOf(alternatives, {}),
      exclude: compileConditions(raw.exclude, expand, `${w}.exclude`, 'overlap'),
      requires: compileConditions(raw.requires, expand, `${w}.requires`, 'sentence'),
      unless: compileConditions(raw.unless, expand, `${w}.unless`, 'sentence'),
      negated,
      thirdPerson,
      withinClause: raw.withinClause === true,
    };
  });

  return { lang, rules, negation, person, personBreak };
}

// Static URLs so bundlers and packagers see the module's own assets.
const LEXICON_URLS: Record<LexiconLang, URL> = {
  zh: new URL('./lexicons/zh.yaml', import.meta.url),
  en: new URL('./lexicons/en.yaml', import.meta.url),
};

/** Reads one of this module's own rule files and compiles it. */
export function loadLexicon(lang: LexiconLang): CompiledLexicon {
  return compileLexicon(load(readFileSync(LEXICON_URLS[lang], 'utf8')), lang);
}
