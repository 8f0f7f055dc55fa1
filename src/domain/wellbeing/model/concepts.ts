// The wellbeing model's concept classes (concepts.yaml), parsed and checked. The training script
// reads them from the YAML; inference reads the copy kept in weights.json.
import { load } from 'js-yaml';
import { normalizeForMatching } from '../../text/normalize.js';
import type { ConceptSource } from '../../text/features.js';
import { isRecord } from '../lexicon.js';

export type ConceptKind = 'evidence' | 'weak' | 'context';

export interface ConceptFile {
  /** What features.ts compiles: every class with its zh and en terms together. */
  source: ConceptSource;
  /** Classes of kind `evidence`, in file order: the model may call a crisis only on one of these. */
  evidence: string[];
}

export class ConceptError extends Error {
  override readonly name = 'ConceptError';
}

const KINDS: readonly ConceptKind[] = ['evidence', 'weak', 'context'];
const EN_TERM = /^[a-z0-9]+(?: [a-z0-9]+)*$/;
const NAME = /^[a-z][a-z0-9_]*$/;

function terms(v: unknown, where: string, lang: 'zh' | 'en'): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ConceptError(`${where}: must be a list of terms`);
  return v.map((t, i) => {
    if (typeof t !== 'string' || t === '') throw new ConceptError(`${where}[${i}]: must be a non-empty string`);
    // A term not in normalized form would never match: refuse it rather than let it sit idle.
    if (lang === 'en' ? !EN_TERM.test(t) : normalizeForMatching(t).text !== t) {
      throw new ConceptError(`${where}[${i}]: "${t}" is not in normalized form (${lang === 'en' ? 'lower-case words, one space apart' : 'simplified, no punctuation or spaces'})`);
    }
    return t;
  });
}

/** Parses concepts.yaml; throws ConceptError naming the class and term at fault. */
export function parseConcepts(text: string): ConceptFile {
  const doc = load(text);
  if (!isRecord(doc)) throw new ConceptError('concepts: must be a mapping');
  const neg = doc.negation;
  if (!isRecord(neg)) throw new ConceptError('concepts.negation: must map zh and en to cue lists');
  if (!isRecord(doc.classes)) throw new ConceptError('concepts.classes: must be a mapping');
  const classes: Record<string, string[]> = {};
  const evidence: string[] = [];
  for (const [name, raw] of Object.entries(doc.classes)) {
    const where = `concepts.classes.${name}`;
    if (!NAME.test(name)) throw new ConceptError(`${where}: a class name is snake_case`);
    if (!isRecord(raw)) throw new ConceptError(`${where}: must be a mapping with kind, zh and en`);
    const unknown = Object.keys(raw).filter((k) => !['kind', 'zh', 'en'].includes(k));
    if (unknown.length > 0) throw new ConceptError(`${where}: unknown key ${unknown.join(', ')}`);
    if (!KINDS.includes(raw.kind as ConceptKind)) throw new ConceptError(`${where}.kind: must be one of ${KINDS.join(', ')}`);
    classes[name] = [...terms(raw.zh, `${where}.zh`, 'zh'), ...terms(raw.en, `${where}.en`, 'en')];
    if (classes[name].length === 0) throw new ConceptError(`${where}: has no terms`);
    if (raw.kind === 'evidence') evidence.push(name);
  }
  return {
    source: {
      pairs: doc.pairs === true,
      negation: { zh: terms(neg.zh, 'concepts.negation.zh', 'zh'), en: terms(neg.en, 'concepts.negation.en', 'en') },
      classes,
    },
    evidence,
  };
}
