import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { normalizeForMatching } from '../text/normalize.js';
import { compileLexicon, LexiconError, loadLexicon, type LexiconLang } from './lexicon.js';

function raw(lang: LexiconLang): Record<string, unknown> {
  return load(readFileSync(new URL(`./lexicons/${lang}.yaml`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** Every pattern string in a lexicon document: macros, negation, person, rules. */
function allPatternStrings(doc: Record<string, unknown>): string[] {
  const out: string[] = [];
  const visit = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) if (!['id', 'code', 'level', 'negated', 'thirdPerson', 'scope', 'lang'].includes(k)) visit(x);
    }
  };
  visit(doc.macros);
  visit(doc.negation);
  visit(doc.person);
  visit(doc.rules);
  return out;
}

const minimal = (rule: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  lang: 'zh',
  rules: [{ code: 'suicidal_ideation', level: 'crisis', patterns: ['不想活'], ...rule }],
  ...extra,
});

describe('shipped lexicons', () => {
  it.each(['zh', 'en'] as const)('%s compiles, with stable snake_case codes', (lang) => {
    const lex = loadLexicon(lang);
    expect(lex.rules.length).toBeGreaterThan(10);
    const codes = new Set(lex.rules.map((r) => r.code));
    for (const code of ['suicidal_ideation', 'self_harm', 'suicide_plan', 'farewell', 'job_loss', 'illness', 'bereavement', 'panic', 'food_insecurity', 'housing', 'abuse', 'mental_health', 'caring', 'disability']) {
      expect(codes, code).toContain(code);
    }
  });

  it('zh patterns are written in normalized form (simplified, half-width, no punctuation)', () => {
    // A traditional or full-width character in a pattern would never match normalized text.
    for (const p of allPatternStrings(raw('zh'))) {
      // Runs of characters, not single ones: conversion is phrase-aware (a lone 么 becomes 幺).
      for (const run of p.match(/\p{Script=Han}+/gu) ?? []) {
        if (run === '么') continue; // listed beside 幺, the form the normalizer gives a lone 么
        expect(normalizeForMatching(run).text, `${run} in ${p}`).toBe(run);
      }
      expect(p, p).not.toMatch(/[，。！？；：、“”（）]/u);
    }
  });

  it('en patterns are lower case', () => {
    for (const p of allPatternStrings(raw('en'))) {
      // upper-case letters only in escapes such as \S or \W
      expect(p.replace(/\\[A-Z]/g, ''), p).not.toMatch(/[A-Z]/);
    }
  });

  it('every rule names its level and every crisis rule says what a denial becomes', () => {
    for (const lang of ['zh', 'en'] as const) {
      for (const r of loadLexicon(lang).rules) {
        expect(['concern', 'crisis']).toContain(r.level);
        if (r.level === 'crisis') expect(['concern', 'keep', 'drop']).toContain(r.negated);
      }
    }
  });
});

describe('compileLexicon refuses bad rules, naming them', () => {
  const cases: [string, unknown, RegExp][] = [
    ['not a mapping', [], /must be a mapping/],
    ['wrong lang', { lang: 'en', rules: [] }, /lang must be zh/],
    ['no rules', { lang: 'zh', rules: [] }, /non-empty list/],
    ['bad code', minimal({ code: 'Suicide' }), /snake_case/],
    ['bad level', minimal({ level: 'high' }), /level must be/],
    ['no patterns', minimal({ patterns: [] }), /at least one pattern/],
    ['invalid regex', minimal({ patterns: ['不想活('] }), /rules\[0\]\.patterns\[0\].*invalid pattern/],
    ['nested quantifier', minimal({ patterns: ['(a+)+b'] }), /catastrophic/],
    ['unknown macro', minimal({ patterns: ['{nope}死'] }), /unknown macro \{nope\}/],
    ['bad downgrade', minimal({ negated: 'maybe' }), /negated must be/],
    ['bad withinClause', minimal({ withinClause: 'yes' }), /withinClause must be true or false/],
    ['bad scope', minimal({ exclude: [{ pattern: '笑死', scope: 'page' }] }), /scope must be/],
    ['empty-matching condition', minimal({ requires: ['(?:今晚)?'] }), /rules\[0\]\.requires\[0\].*matches the empty text/],
    ['misspelt key', minimal({ unles: ['出差'] }), /rules\[0\]: unknown key unles/],
    ['empty-matching unless', minimal({ unless: ['(?:出差)?'] }), /rules\[0\]\.unless\[0\].*matches the empty text/],
    ['a macro that uses itself', minimal({ patterns: ['{a}'] }, { macros: { a: '死|{b}', b: '{a}' } }), /macro \{a\} uses itself \(a → b → a\)/],
    ['duplicate id', { lang: 'zh', rules: [{ id: 'x', code: 'a', level: 'crisis', patterns: ['a'] }, { id: 'x', code: 'b', level: 'crisis', patterns: ['b'] }] }, /duplicate id x/],
  ];
  it.each(cases)('%s', (_name, doc, message) => {
    expect(() => compileLexicon(doc, 'zh')).toThrow(LexiconError);
    expect(() => compileLexicon(doc, 'zh')).toThrow(message);
  });

  it('accepts bounded repetition such as {w:2}', () => {
    const lex = compileLexicon({ lang: 'en', rules: [{ code: 'x', level: 'crisis', patterns: ['chase {w:2}me'] }] }, 'en');
    expect(lex.rules[0].regex.test('chase after me')).toBe(true);
  });

  it('English patterns match whole words and optional spaces', () => {
    const lex = compileLexicon({ lang: 'en', rules: [{ code: 'x', level: 'crisis', patterns: ["can't go on"] }] }, 'en');
    const re = lex.rules[0].regex;
    for (const s of ['i can t go on', 'i cant go on', 'cantgoon']) {
      re.lastIndex = 0;
      expect(re.test(s), s).toBe(true);
    }
    re.lastIndex = 0;
    expect(re.test('i can t go online')).toBe(false);
  });

  it('withinClause defaults to false and is read when given', () => {
    expect(compileLexicon(minimal({}), 'zh').rules[0].withinClause).toBe(false);
    expect(compileLexicon(minimal({ withinClause: true }), 'zh').rules[0].withinClause).toBe(true);
  });

  it('unless conditions compile, in the sentence by default like requirements', () => {
    const rule = compileLexicon(minimal({ unless: ['出差', { pattern: '哈哈', scope: 'text' }] }), 'zh').rules[0];
    expect(rule.unless.map((c) => c.scope)).toEqual(['sentence', 'text']);
    expect(compileLexicon(minimal({}), 'zh').rules[0].unless).toEqual([]);
  });

  it('macros expand, also inside other macros', () => {
    const lex = compileLexicon(minimal({ patterns: ['{you}去死'] }, { macros: { you: '你们|您' } }), 'zh');
    expect(lex.rules[0].regex.source).toContain('你们|您');
    const nested = compileLexicon(minimal({ patterns: ['{quoted}'] }, { macros: { you: '你们|您', quoted: '(?:{you}|客服)说{gap:6}死' } }), 'zh');
    expect(nested.rules[0].regex.test('客服说还不上就去死')).toBe(true);
    nested.rules[0].regex.lastIndex = 0;
    expect(nested.rules[0].regex.test('您说去死')).toBe(true);
  });
});
