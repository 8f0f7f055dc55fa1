import { describe, expect, it } from 'vitest';
import { readJsonl } from '../../../../scripts/training.js';
import { screenContentWith } from './index.js';
import { contentModel } from './model/index.js';

describe('the screen with anchors', () => {
  it('finds exactly what it finds without them, on the content and newest wellbeing training texts', () => {
    const files = ['content.jsonl', 'content-2.jsonl', 'content-3.jsonl', 'wellbeing-5.jsonl'].map((f) => `test/corpora/train/${f}`);
    const rows = readJsonl<{ text: string; audience?: 'borrower' | 'guarantor' | 'third_party' }>(files, 'the anchors test');
    expect(rows.length).toBeGreaterThan(3000);
    let differ = 0;
    for (const r of rows) {
      const options = { audience: r.audience ?? 'borrower' };
      const a = screenContentWith(r.text, options, { rules: true, model: contentModel });
      const b = screenContentWith(r.text, options, { rules: true, model: contentModel, anchors: false });
      if (JSON.stringify(a) !== JSON.stringify(b)) differ++;
    }
    expect(differ).toBe(0);
  }, 120_000);
});
