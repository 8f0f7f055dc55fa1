import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConceptError, parseConcepts } from './concepts.js';

const shipped = readFileSync(new URL('./concepts.yaml', import.meta.url), 'utf8');
const doc = (classes: string) => `negation:\n  zh: [不]\n  en: [not]\nclasses:\n${classes}`;

describe('wellbeing concept classes', () => {
  it('the shipped file parses, with evidence classes for death, method and farewell', () => {
    const c = parseConcepts(shipped);
    expect(c.evidence).toEqual(expect.arrayContaining(['die', 'method', 'farewell', 'passive', 'selfharm', 'attempt']));
    expect(c.evidence).not.toContain('parting');
    expect(c.source.classes.die).toEqual(expect.arrayContaining(['自杀', 'kill myself']));
  });

  it.each([
    ['a traditional character', doc('  die: {kind: evidence, zh: [遺書]}'), /classes\.die\.zh\[0\]: "遺書" is not in normalized form/],
    ['punctuation', doc('  die: {kind: evidence, en: ["can\'t go on"]}'), /classes\.die\.en\[0\].*not in normalized form/],
    ['upper case', doc('  die: {kind: evidence, en: [Die]}'), /classes\.die\.en\[0\]/],
    ['an unknown kind', doc('  die: {kind: strong, zh: [死]}'), /classes\.die\.kind: must be one of evidence, weak, context/],
    ['an unknown key', doc('  die: {kind: evidence, zh: [死], fr: [mourir]}'), /classes\.die: unknown key fr/],
    ['an empty class', doc('  die: {kind: evidence}'), /classes\.die: has no terms/],
  ])('refuses %s, naming the class and term', (_name, text, message) => {
    expect(() => parseConcepts(text)).toThrow(ConceptError);
    expect(() => parseConcepts(text)).toThrow(message);
  });
});
