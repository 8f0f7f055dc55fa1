// What the two training scripts (train-content-model.ts, train-wellbeing-model.ts) share:
// reading labelled JSONL, seeded stratified folds, and rounding weights for the JSON file. The
// screens' anchor tests and the screens bench read the training corpora with readJsonl too.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mulberry32, shuffled } from '../src/domain/random.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Rows of JSONL files given relative to the repository; a holdout is refused. */
export function readJsonl<T>(files: readonly string[], who: string): T[] {
  return files.flatMap((f) => {
    if (f.includes('holdout')) throw new Error(`${who} reads training data only, not ${f}`);
    return readFileSync(new URL(f, pathToFileURL(ROOT)), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as T);
  });
}

/** Fold number per row: rows grouped by `key`, each group shuffled (seeded) and dealt round-robin. */
export function stratifiedFolds<T>(rows: readonly T[], key: (row: T) => string, folds: number, seed: number): number[] {
  const rand = mulberry32(seed);
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const k = key(r);
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  const fold = new Array<number>(rows.length).fill(0);
  let next = 0;
  for (const k of [...groups.keys()].sort()) {
    for (const i of shuffled(groups.get(k)!, rand)) {
      fold[i] = next;
      next = (next + 1) % folds;
    }
  }
  return fold;
}

/** A weight rounded to 4 decimals, never -0 (the files stay small and diffable). */
export function round(x: number): number {
  const r = Math.round(x * 1e4) / 1e4;
  return r === 0 ? 0 : r;
}
