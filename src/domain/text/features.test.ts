import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classTerms, compileConcepts, featureIds, type ConceptSource } from './features.js';

const source = (classes: Record<string, string[]>): ConceptSource => ({ negation: { zh: ['不'], en: ['not', 'don t'] }, classes, pairs: true });
const terms = (text: string, classes: Record<string, string[]>) =>
  [...classTerms(text, compileConcepts(source(classes)))].map(({ start, end, classes: c }) => [text.slice(start, end), c.join('+')]);

describe('concept terms', () => {
  it('take the longest term at a position, then go on after it', () => {
    expect(terms('我想死了', { die: ['死', '想死'], other: ['死了'] })).toEqual([['想死', 'die']]);
    expect(terms('安眠药攒够了', { method: ['安眠药', '药'] })).toEqual([['安眠药', 'method']]);
  });

  it('match Latin terms as whole words only, Chinese ones anywhere', () => {
    expect(terms('skill myself kill myself', { die: ['kill myself'] })).toEqual([['kill myself', 'die']]);
    expect(terms('cut cutting', { method: ['cut'] })).toEqual([['cut', 'method']]);
    expect(terms('想si了', { die: ['想si'] })).toEqual([['想si', 'die']]);
    expect(terms('我想死了', { die: ['死'] })).toEqual([['死', 'die']]);
  });

  it('count for every class a term is in, and not when negated', () => {
    expect(terms('i have pills', { method: ['pills'], means: ['pills'] })).toEqual([['pills', 'means+method']]);
    expect(terms('i don t want to die', { die: ['die', 'want to die'] })).toEqual([]);
    expect(terms('我不想死', { die: ['想死'] })).toEqual([]);
  });

  // The matcher replaced one alternation regex of every term, longest first, Latin terms
  // wrapped in word-boundary look-arounds: it must find exactly what that regex found.
  it('find what one longest-first alternation regex finds', () => {
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const term = fc.oneof(fc.stringMatching(/^[ab死亡]{1,3}$/), fc.stringMatching(/^[ab]{1,2}( [ab]{1,2})?$/));
    fc.assert(
      fc.property(fc.uniqueArray(term, { minLength: 1, maxLength: 8 }), fc.stringMatching(/^[ab死亡 1]{0,24}$/), (list, text) => {
        const sorted = [...list].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
        const alt = sorted.map((t) => (/^[a-z0-9 ]+$/.test(t) ? `(?<![a-z0-9])${esc(t)}(?![a-z0-9])` : esc(t))).join('|');
        const expected = [...text.matchAll(new RegExp(alt, 'g'))].map((m) => [m[0], m.index]);
        const compiled = compileConcepts({ negation: { zh: ['不'], en: ['not'] }, classes: { c: list } });
        const got = [...classTerms(text, compiled)].map(({ start, end }) => [text.slice(start, end), start]);
        expect(got).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('give a text the same features whatever the order of the lists', () => {
    const a = compileConcepts(source({ die: ['死', '想死'], time: ['今晚'] }));
    const b = compileConcepts(source({ time: ['今晚'], die: ['想死', '死'] }));
    expect(featureIds('今晚想死', 0, 4, a)).toEqual(featureIds('今晚想死', 0, 4, b));
  });
});
