// npm run bench -- screens: texts per second of the content screen and the wellbeing screen on
// the training corpora, each against a reference measured in the same run: the same screen with
// every rule's regex run on every text (no anchors, src/domain/text/anchors.ts).
import { readFileSync, readdirSync } from 'node:fs';
import { screenContentWith } from '../../src/domain/compliance/screen/index.js';
import { contentModel } from '../../src/domain/compliance/screen/model/index.js';
import { assessWellbeingWith } from '../../src/domain/wellbeing/index.js';
import { wellbeingModel } from '../../src/domain/wellbeing/model/index.js';

interface Row {
  text: string;
  lang: 'zh' | 'en';
}

function rows(prefix: string): Row[] {
  const dir = new URL('../corpora/train/', import.meta.url);
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(new URL(f, dir), 'utf8').split('\n'))
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Row);
}

/** Texts per second of `screen` over `texts`, the best of `rounds` passes (after one warm-up). */
function rate(texts: Row[], screen: (r: Row) => unknown, rounds = 3): number {
  for (const r of texts.slice(0, 200)) screen(r);
  let best = 0;
  for (let k = 0; k < rounds; k++) {
    const t0 = performance.now();
    for (const r of texts) screen(r);
    best = Math.max(best, texts.length / ((performance.now() - t0) / 1000));
  }
  return Math.round(best);
}

export function benchScreens(): void {
  const content = rows('content');
  const wellbeing = rows('wellbeing');
  const c = rate(content, (r) => screenContentWith(r.text, { lang: r.lang }, { rules: true, model: contentModel }));
  const cRef = rate(content, (r) => screenContentWith(r.text, { lang: r.lang }, { rules: true, model: contentModel, anchors: false }));
  const w = rate(wellbeing, (r) => assessWellbeingWith(r.text, { lang: r.lang }, { rules: true, model: wellbeingModel }));
  const wRef = rate(wellbeing, (r) => assessWellbeingWith(r.text, { lang: r.lang }, { rules: true, model: wellbeingModel, anchors: false }));
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  console.log(JSON.stringify({ bench: 'screens', content_per_s: c, content_ref_per_s: cRef, content_ratio: ratio(c, cRef), content_texts: content.length, wellbeing_per_s: w, wellbeing_ref_per_s: wRef, wellbeing_ratio: ratio(w, wRef), wellbeing_texts: wellbeing.length }));
}
