// npm run bench -- screens: texts per second of the content screen and the wellbeing screen on
// the training corpora, each against a reference measured in the same run: the same screen with
// every rule's regex run on every text (no anchors, src/domain/text/anchors.ts).
import { readdirSync } from 'node:fs';
import { readJsonl } from '../../scripts/training.js';
import { screenContentWith } from '../../src/domain/compliance/screen/index.js';
import { contentModel } from '../../src/domain/compliance/screen/model/index.js';
import { assessWellbeingWith } from '../../src/domain/wellbeing/index.js';
import { wellbeingModel } from '../../src/domain/wellbeing/model/index.js';

interface Row {
  text: string;
  lang: 'zh' | 'en';
}

function rows(prefix: string): Row[] {
  const names = readdirSync(new URL('../corpora/train/', import.meta.url)).filter((f) => f.startsWith(prefix) && f.endsWith('.jsonl'));
  return readJsonl<Row>(names.map((f) => `test/corpora/train/${f}`), 'the screens bench');
}

/**
 * Texts per second of `screen` and of `reference` over `texts`: the best of `rounds` passes each,
 * the two alternating so that neither gets the quieter moments of the machine.
 */
function rates(texts: Row[], screen: (r: Row) => unknown, reference: (r: Row) => unknown, rounds = 5): [number, number] {
  const best = [0, 0];
  const fns = [screen, reference];
  for (const f of fns) for (const r of texts.slice(0, 200)) f(r);
  for (let k = 0; k < rounds; k++) {
    fns.forEach((f, i) => {
      const t0 = performance.now();
      for (const r of texts) f(r);
      best[i] = Math.max(best[i], texts.length / ((performance.now() - t0) / 1000));
    });
  }
  return [Math.round(best[0]), Math.round(best[1])];
}

export function benchScreens(): void {
  const content = rows('content');
  const wellbeing = rows('wellbeing');
  const [c, cRef] = rates(
    content,
    (r) => screenContentWith(r.text, { lang: r.lang }, { rules: true, model: contentModel }),
    (r) => screenContentWith(r.text, { lang: r.lang }, { rules: true, model: contentModel, anchors: false }),
  );
  const [w, wRef] = rates(
    wellbeing,
    (r) => assessWellbeingWith(r.text, { lang: r.lang }, { rules: true, model: wellbeingModel }),
    (r) => assessWellbeingWith(r.text, { lang: r.lang }, { rules: true, model: wellbeingModel, anchors: false }),
  );
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  console.log(JSON.stringify({ bench: 'screens', content_per_s: c, content_ref_per_s: cRef, content_ratio: ratio(c, cRef), content_texts: content.length, wellbeing_per_s: w, wellbeing_ref_per_s: wRef, wellbeing_ratio: ratio(w, wRef), wellbeing_texts: wellbeing.length }));
}
