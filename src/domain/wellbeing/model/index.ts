// The trained wellbeing crisis model, loaded once at import from weights.json beside this file
// (written by `npx tsx scripts/train-wellbeing-model.ts`).
import { readFileSync } from 'node:fs';
import { WellbeingModel } from './model.js';
import type { WellbeingModelWeights } from './model.js';

export { WellbeingModel, WELLBEING_WEIGHTS_FORMAT } from './model.js';
export type { WellbeingModelWeights } from './model.js';

export const wellbeingModel: WellbeingModel = new WellbeingModel(
  JSON.parse(readFileSync(new URL('./weights.json', import.meta.url), 'utf8')) as WellbeingModelWeights,
);
