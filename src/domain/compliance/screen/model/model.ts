// The content model: two small linear models over hashed n-gram features (features.ts).
//   - abusive vs lawful: logistic regression, P(abusive) = σ(b + Σ w·x);
//   - main category of an abusive text: multinomial logistic regression (softmax) over the
//     six content categories.
// x is binary presence scaled by 1/sqrt(number of features), so a clause and a whole text are
// on the same scale. Weights come from scripts/train-content-model.ts (weights.json); this file
// is pure: it builds a model from an already parsed weights object.
import { HASH_BITS, HASH_DIM, compileConcepts, featureIds, featureScale, sigmoid } from '../../../text/features.js';
import type { CompiledConcepts, ConceptSource } from '../../../text/features.js';

import { CONTENT_CATEGORIES as MODEL_CATEGORIES, type ContentCategory as ModelCategory } from '../categories.js';
export { MODEL_CATEGORIES, type ModelCategory };

export const WEIGHTS_FORMAT = 'clement-content-model/2';

export type ModelLang = 'zh' | 'en';

/** The JSON written by scripts/train-content-model.ts. */
export interface ModelWeights {
  format: string;
  hashBits: number;
  /**
   * Per language: flag a text when P(abusive) ≥ its threshold (chosen by cross-validation; above
   * 1 the model never flags in that language).
   */
  thresholds: Record<ModelLang, number>;
  /**
   * Per language: rule findings on a text the model scores below this P(abusive) are dropped.
   * Phrase rules fire on the trigger words of lawful denials and scam warnings ("我们不收上门费",
   * "不是法院传票"); the model, reading the whole text, is sure these are lawful. Chosen by
   * cross-validation so that almost no abusive text loses its findings; 0 turns it off.
   */
  veto: Record<ModelLang, number>;
  categories: string[];
  /** [abusive, …one per category]. */
  bias: number[];
  /** Concept classes (features.ts); the same lists the model was trained with. */
  concepts: ConceptSource;
  /** Sorted feature slots that carry a weight. */
  slots: number[];
  /** Row-major: for slot k, weights[k*(1+C) … k*(1+C)+C] = [abusive, …categories]. */
  weights: number[];
  /** Free-form facts about the training run (texts, folds, figures); not used at inference. */
  training?: unknown;
}

export interface ModelScore {
  /** P(abusive). */
  abusive: number;
  /**
   * What the text's own features add to the abusive logit, without the bias. The learned bias is
   * positive (lawful texts share formulaic words that pull down), so a short text with no telling
   * word ("您好") scores high on the bias alone; the model flags only when this is positive.
   */
  evidence: number;
  /** Softmax over MODEL_CATEGORIES: which category an abusive text most likely belongs to. */
  categories: Float64Array;
  /** Index of the most likely category. */
  top: number;
}

const COLS = 1 + MODEL_CATEGORIES.length;

export class ContentModel {
  readonly thresholds: Readonly<Record<ModelLang, number>>;
  readonly veto: Readonly<Record<ModelLang, number>>;
  private readonly row: Int32Array; // slot → row + 1 (0: no weight)
  private readonly w: Float32Array;
  private readonly bias: Float64Array;
  private readonly concepts: CompiledConcepts;

  constructor(weights: ModelWeights) {
    if (weights.format !== WEIGHTS_FORMAT) throw new Error(`content model: unknown weights format ${weights.format}`);
    if (weights.hashBits !== HASH_BITS) throw new Error(`content model: weights use ${weights.hashBits} hash bits, features ${HASH_BITS}`);
    if (weights.categories.join() !== MODEL_CATEGORIES.join()) throw new Error('content model: category list differs');
    if (weights.weights.length !== weights.slots.length * COLS) throw new Error('content model: weights and slots disagree');
    this.thresholds = { ...weights.thresholds };
    this.veto = { ...weights.veto };
    this.row = new Int32Array(HASH_DIM);
    weights.slots.forEach((slot, k) => {
      this.row[slot] = k + 1;
    });
    this.w = Float32Array.from(weights.weights);
    this.bias = Float64Array.from(weights.bias);
    this.concepts = compileConcepts(weights.concepts);
  }

  /** Scores a set of feature slots (featureIds). */
  scoreIds(ids: Int32Array): ModelScore {
    const sums = new Float64Array(COLS);
    const w = this.w;
    for (let i = 0; i < ids.length; i++) {
      const r = this.row[ids[i]];
      if (r === 0) continue;
      const base = (r - 1) * COLS;
      for (let c = 0; c < COLS; c++) sums[c] += w[base + c];
    }
    const scale = featureScale(ids.length);
    const evidence = sums[0] * scale;
    const abusive = sigmoid(this.bias[0] + evidence);
    const categories = new Float64Array(COLS - 1);
    let max = -Infinity;
    for (let c = 1; c < COLS; c++) {
      categories[c - 1] = this.bias[c] + sums[c] * scale;
      if (categories[c - 1] > max) max = categories[c - 1];
    }
    let total = 0;
    let top = 0;
    for (let c = 0; c < categories.length; c++) {
      categories[c] = Math.exp(categories[c] - max);
      total += categories[c];
      if (categories[c] > categories[top]) top = c;
    }
    for (let c = 0; c < categories.length; c++) categories[c] /= total;
    return { abusive, evidence, categories, top };
  }

  /** Scores normalized text `norm[from, to)`. */
  score(norm: string, from = 0, to = norm.length): ModelScore {
    return this.scoreIds(featureIds(norm, from, to, this.concepts));
  }
}
