import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalizeForMatching } from '../../text/normalize.js';
import { assessWellbeing, assessWellbeingWith, MODEL_CRISIS_CODE } from '../index.js';
import { wellbeingModel } from './index.js';

const on = { rules: false, model: wellbeingModel, thresholds: { zh: 0, en: 0 } } as const;

describe('wellbeing crisis model', () => {
  it('is shipped switched on, and an everyday message stays none', () => {
    expect(wellbeingModel.thresholds.zh).toBeLessThan(1);
    expect(wellbeingModel.thresholds.en).toBeLessThan(1);
    expect(assessWellbeing('Tonight I will make the payment').level).toBe('none');
  });

  // With the thresholds at 0 the model would call crisis on any text with evidence; these show
  // where the screen does not let it.
  const eager = { rules: true, model: wellbeingModel, thresholds: { zh: 0, en: 0 } } as const;

  it('does not overrule a rule that read crisis words and judged them harmless, negated or someone else\'s', () => {
    for (const t of ['想死你了', '我把绳子买好了，周末搬家', '我不会想不开的', 'My friend tried to end her life last year']) {
      expect(assessWellbeingWith(t, {}, eager).level, t).not.toBe('crisis');
    }
  });

  it('does not take as evidence a word a rule already read as something else', () => {
    // 走了 is a death word, but here the bereavement rule has read it: the mother died.
    expect(assessWellbeingWith('我妈走了以后我一个人还贷', {}, eager).level).toBe('concern');
  });

  it('does not call a crisis on weak evidence alone (sorry, thanks, insurance)', () => {
    for (const t of ["I'm sorry mum said I have to call you", "What's the point of life insurance if it doesn't cover this?", '谢谢，最后一期我明天还']) {
      expect(assessWellbeingWith(t, {}, eager).level, t).toBe('none');
    }
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
    // If this fails after editing test/corpora/train/ or concepts.yaml: npx tsx scripts/train-wellbeing-model.ts
    expect(readFileSync(new URL('./weights.json', import.meta.url), 'utf8')).toBe(a);
  }, 120_000);
});
