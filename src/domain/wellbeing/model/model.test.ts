import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalizeForMatching } from '../../text/normalize.js';
import { assessWellbeing, assessWellbeingWith, MODEL_CRISIS_CODE } from '../index.js';
import { wellbeingModel } from './index.js';

const on = { rules: false, model: wellbeingModel, thresholds: { zh: 0, en: 0 } } as const;

describe('wellbeing crisis model', () => {
  it('is shipped switched off: thresholds above 1 (see scripts/train-wellbeing-model.ts, HYPER.enabled)', () => {
    expect(wellbeingModel.thresholds.zh).toBeGreaterThan(1);
    expect(wellbeingModel.thresholds.en).toBeGreaterThan(1);
    expect(assessWellbeing('Tonight I will make the payment').level).toBe('none');
  });

  it('scores a probability', () => {
    for (const t of ['你好', '今晚就走 别找我', 'I have the pills ready, goodbye']) {
      const p = wellbeingModel.score(normalizeForMatching(t).text);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  });

  it('asks for a word of the subject itself before it calls a crisis', () => {
    expect(wellbeingModel.hasEvidence(normalizeForMatching('安眠药攒够了').text)).toBe(true);
    expect(wellbeingModel.hasEvidence(normalizeForMatching('明天上午十点还款').text)).toBe(false);
  });

  it('switched on, it adds one signal pointing at the sentence it scores highest, with an exact span', () => {
    const text = '账单收到了。安眠药攒够了，谢谢你们。';
    const r = assessWellbeingWith(text, {}, on);
    expect(r.level).toBe('crisis');
    const s = r.signals.find((x) => x.code === MODEL_CRISIS_CODE);
    expect(s).toBeDefined();
    expect(s!.span).toBe(text.slice(s!.start, s!.end));
  });

  it('spans are exact on any text', () => {
    const piece = fc.constantFrom('我', '不想活', '，', '。', ' ', 'Ｌ', 'pills', '!', '😀', '今晚', '\n', 'bye', '3');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        for (const s of assessWellbeingWith(text, {}, on).signals) expect(s.span).toBe(text.slice(s.start, s.end));
      }),
      { numRuns: 200 },
    );
  });
});

describe('wellbeing model training', () => {
  it('is deterministic, and the shipped weights are what the train files give', async () => {
    const { run } = await import('../../../../scripts/train-wellbeing-model.js');
    const a = run().json;
    expect(run().json).toBe(a);
    // If this fails after editing test/corpora/train/: npx tsx scripts/train-wellbeing-model.ts
    expect(readFileSync(new URL('./weights.json', import.meta.url), 'utf8')).toBe(a);
  }, 120_000);
});
