import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { screenContentWith } from './index.js';
import { contentModel } from './model/index.js';

describe('the screen with anchors', () => {
  it('finds exactly what it finds without them, on the content and newest wellbeing training texts', () => {
    const dir = new URL('../../../../test/corpora/train/', import.meta.url);
    const rows = readdirSync(dir)
      .filter((f) => f.startsWith('content') || f === 'wellbeing-5.jsonl')
      .flatMap((f) => readFileSync(new URL(f, dir), 'utf8').split('\n'))
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { text: string; audience?: 'borrower' | 'guarantor' | 'third_party' });
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
