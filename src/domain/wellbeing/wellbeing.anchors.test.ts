import { describe, expect, it } from 'vitest';
import { readJsonl } from '../../../scripts/training.js';
import { assessWellbeingWith } from './index.js';
import { wellbeingModel } from './model/index.js';

describe('the wellbeing screen with anchors', () => {
  it('assesses exactly as without them, on the newest training texts', () => {
    const files = ['wellbeing-4.jsonl', 'wellbeing-5.jsonl'].map((f) => `test/corpora/train/${f}`);
    const rows = readJsonl<{ text: string; lang: 'zh' | 'en' }>(files, 'the anchors test');
    expect(rows.length).toBeGreaterThan(2500);
    let differ = 0;
    for (const r of rows) {
      const a = assessWellbeingWith(r.text, { lang: r.lang }, { rules: true, model: wellbeingModel });
      const b = assessWellbeingWith(r.text, { lang: r.lang }, { rules: true, model: wellbeingModel, anchors: false });
      if (JSON.stringify(a) !== JSON.stringify(b)) differ++;
    }
    expect(differ).toBe(0);
  }, 120_000);
});
