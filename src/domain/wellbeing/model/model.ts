// The wellbeing crisis model: logistic regression over hashed n-gram features
// (src/domain/text/features.ts), P(crisis) = σ(b + Σ w·x), x binary presence scaled by
// 1/sqrt(number of features). It reads a text the way the rules cannot: by every word in it
// at once, so an indirect farewell no rule anticipated still scores high. Weights come from
// scripts/train-wellbeing-model.ts (weights.json); this file is pure.
import { HASH_BITS, HASH_DIM, compileConcepts, featureIds, featureScale, classTerms, sigmoid } from '../../text/features.js';
import type { CompiledConcepts, ConceptSource } from '../../text/features.js';

export const WELLBEING_WEIGHTS_FORMAT = 'clement-wellbeing-model/1';

/** The JSON written by scripts/train-wellbeing-model.ts. */
export interface WellbeingModelWeights {
  format: string;
  hashBits: number;
  /** Per language: call a text crisis when P(crisis) ≥ its threshold (chosen by cross-validation). */
  thresholds: Record<'zh' | 'en', number>;
  bias: number;
  /**
   * The model calls a crisis only in a text with a term of one of these concept classes (death,
   * method, farewell…): its n-grams alone over-read short everyday messages ("Tonight I will
   * make the payment" scored 0.97), so a word of the subject itself must be there.
   */
  evidence: string[];
  /** Concept classes (features.ts); the same lists the model was trained with. */
  concepts: ConceptSource;
  /** Sorted feature slots that carry a weight, and their weights. */
  slots: number[];
  weights: number[];
  /** Free-form facts about the training run; not used at inference. */
  training?: unknown;
}

export class WellbeingModel {
  readonly thresholds: Readonly<Record<'zh' | 'en', number>>;
  private readonly row: Int32Array; // slot → index + 1 (0: no weight)
  private readonly w: Float32Array;
  private readonly bias: number;
  private readonly concepts: CompiledConcepts;
  private readonly evidence: ReadonlySet<string>;

  constructor(weights: WellbeingModelWeights) {
    if (weights.format !== WELLBEING_WEIGHTS_FORMAT) throw new Error(`wellbeing model: unknown weights format ${weights.format}`);
    if (weights.hashBits !== HASH_BITS) throw new Error(`wellbeing model: weights use ${weights.hashBits} hash bits, features ${HASH_BITS}`);
    if (weights.weights.length !== weights.slots.length) throw new Error('wellbeing model: weights and slots disagree');
    this.thresholds = { ...weights.thresholds };
    this.row = new Int32Array(HASH_DIM);
    weights.slots.forEach((slot, k) => {
      this.row[slot] = k + 1;
    });
    this.w = Float32Array.from(weights.weights);
    this.bias = weights.bias;
    this.concepts = compileConcepts(weights.concepts);
    this.evidence = new Set(weights.evidence);
  }

  /**
   * Whether normalized text has a term of an evidence class, not negated and not inside a span in
   * `read` (one a rule has already read, e.g. 妈走了 as bereavement).
   */
  hasEvidence(norm: string, read: ReadonlyArray<readonly [number, number]> = []): boolean {
    for (const t of classTerms(norm, this.concepts)) {
      if (!t.classes.some((c) => this.evidence.has(c))) continue;
      if (read.some(([s, e]) => s <= t.start && t.end <= e)) continue;
      return true;
    }
    return false;
  }

  /** P(crisis) of a set of feature slots (featureIds). */
  scoreIds(ids: Int32Array): number {
    let sum = 0;
    for (let i = 0; i < ids.length; i++) {
      const r = this.row[ids[i]];
      if (r !== 0) sum += this.w[r - 1];
    }
    return sigmoid(this.bias + sum * featureScale(ids.length));
  }

  /** P(crisis) of normalized text `norm[from, to)`. */
  score(norm: string, from = 0, to = norm.length): number {
    return this.scoreIds(featureIds(norm, from, to, this.concepts));
  }
}
