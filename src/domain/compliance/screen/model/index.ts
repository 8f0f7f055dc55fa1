// The trained content model, loaded once at import from weights.json beside this file
// (written by `npx tsx scripts/train-content-model.ts`), and the kinder wordings used for the
// model's own findings (suggestions.json, editable by compliance officers without retraining).
import { readFileSync } from 'node:fs';
import { ContentModel } from './model.js';
import type { ModelCategory, ModelWeights } from './model.js';

export { ContentModel, MODEL_CATEGORIES } from './model.js';
export type { ModelCategory, ModelScore, ModelWeights } from './model.js';
export { featureIds } from '../../../text/features.js';

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8')) as T;
}

export const contentModel: ContentModel = new ContentModel(readJson<ModelWeights>('weights.json'));

export type ModelSuggestions = Readonly<Record<'zh' | 'en', Readonly<Record<ModelCategory, string>>>>;
export const modelSuggestions: ModelSuggestions = readJson<ModelSuggestions>('suggestions.json');
