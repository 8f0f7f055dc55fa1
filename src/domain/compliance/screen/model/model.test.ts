import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CONTENT_CATEGORIES, screenContent, screenContentWith } from '../index.js';
import { normalizeForMatching } from '../../../text/normalize.js';
import { contentModel, featureIds, MODEL_CATEGORIES, modelSuggestions } from './index.js';
import { run } from '../../../../../scripts/train-content-model.js';

const modelOnly = { rules: false, model: contentModel, englishModel: true } as const;
const pAbusive = (text: string) => contentModel.score(normalizeForMatching(text).text).abusive;

describe('content model', () => {
  it('uses the screen categories in the same order', () => {
    expect([...MODEL_CATEGORIES]).toEqual([...CONTENT_CATEGORIES]);
    for (const lang of ['zh', 'en'] as const) for (const c of MODEL_CATEGORIES) expect(modelSuggestions[lang][c]).toBeTruthy();
  });

  it('trains deterministically, and the shipped weights are what the train files give', () => {
    const a = run().json;
    const b = run().json;
    expect(a).toBe(b);
    const shipped = readFileSync(new URL('./weights.json', import.meta.url), 'utf8');
    // If this fails after editing test/corpora/train/: npx tsx scripts/train-content-model.ts
    expect(shipped).toBe(a);
    expect(Buffer.byteLength(shipped)).toBeLessThan(2_000_000);
  }, 120_000);

  it('features are deterministic, sorted and distinct', () => {
    const norm = normalizeForMatching('你这个废物, pay up you deadbeat 1200元').text;
    const ids = featureIds(norm);
    expect([...ids]).toEqual([...featureIds(norm)]);
    expect([...ids]).toEqual([...new Set(ids)].sort((x, y) => x - y));
  });

  // Written for this test, not taken from the corpora. Checked with the rules switched off,
  // so a lexicon that later covers them does not change what this test shows.
  const abusive: Array<[string, string]> = [
    ['Officers have been notified and they will pick you up at your workplace.', 'false_legal'],
    ['You are a waste of space and everyone at the bank laughs at you.', 'insult'],
    ['Expect our calls every single hour, all night long, until this is paid.', 'harassment'],
    ['你的案子已经移交公安机关，等着被带走吧。', 'false_legal'],
    ['我们已经联系了你单位的领导，他们很快就会知道你欠钱的事。', 'third_party_disclosure'],
    ['今晚开始我们会一直给你打，打到你接为止，谁也别想睡。', 'harassment'],
  ];
  it.each(abusive)('flags without rules: %s', (text, category) => {
    const findings = screenContentWith(text, {}, modelOnly);
    expect(findings).toHaveLength(1);
    expect(findings[0].category).toBe(category);
    expect(findings[0].span).toBe(text.slice(findings[0].start, findings[0].end));
    expect(findings[0].span.length).toBeGreaterThan(0);
    expect(findings[0].suggestion).toBe(modelSuggestions[/[\u4e00-\u9fff]/.test(text) ? 'zh' : 'en'][findings[0].category]);
  });

  it('scores English too, but screenContent leaves English to the rules until the model is good enough there', () => {
    const text = 'Our lines are open every day from 8am to 8pm.';
    expect(screenContent(text)).toEqual([]);
    expect(pAbusive('Officers have been notified and they will pick you up at your workplace.')).toBeGreaterThanOrEqual(contentModel.threshold);
  });

  const lawful = [
    '您好，您本月账单应还860元，还款日为15号，可在APP内还款。',
    '如果您暂时有困难，可以申请延期还款，我们不会收取额外费用。',
    '我们不会联系您的家人和同事，请放心。',
    'Your payment of $120 is due on the 5th. Reply HELP for options.',
    'We will never discuss your account with your family or employer.',
    'If you are struggling, we can set up an affordable payment plan.',
  ];
  it.each(lawful)('does not flag: %s', (text) => {
    expect(pAbusive(text)).toBeLessThan(contentModel.threshold);
    expect(screenContent(text)).toEqual([]);
  });

  it('points at the offending clause, not the whole text', () => {
    const text = '您好，本月账单已出。你这种人活着就是浪费粮食，赶紧把钱还了。';
    const [f] = screenContentWith(text, {}, modelOnly);
    expect(f.span).toBe(text.slice(f.start, f.end));
    expect(text.indexOf('您好')).toBeLessThan(f.start);
  });

  it('a model finding addressed to a third party is a disclosure', () => {
    const findings = screenContentWith('你的案子已经移交公安机关，等着被带走吧。', { audience: 'third_party' }, modelOnly);
    expect(findings.map((f) => f.category)).toEqual(['third_party_disclosure']);
  });

  it('spans are exact on any text', () => {
    const piece = fc.constantFrom('你', '老赖', '警察', '，', '。', ' ', 'Ｌ', 'o', 'jail', '!', '😀', '欠款', '\n', 'deadbeat', '3');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        for (const engine of [modelOnly, { rules: true, model: contentModel, threshold: 0 }]) {
          for (const f of screenContentWith(text, {}, engine)) {
            expect(f.span).toBe(text.slice(f.start, f.end));
            expect(f.start).toBeLessThanOrEqual(f.end);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
