import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CONTENT_CATEGORIES, screenContent, screenContentWith } from '../index.js';
import { normalizeForMatching } from '../../../text/normalize.js';
import { contentModel, featureIds, MODEL_CATEGORIES, modelSuggestions } from './index.js';
import { run } from '../../../../../scripts/train-content-model.js';

const modelOnly = { rules: false, model: contentModel } as const;
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

  it('has a threshold and a veto per language, and does not flag on its prior alone', () => {
    for (const lang of ['zh', 'en'] as const) {
      expect(contentModel.thresholds[lang]).toBeGreaterThan(contentModel.veto[lang]);
      expect(contentModel.veto[lang]).toBeGreaterThanOrEqual(0);
    }
    // P(abusive) of a greeting is the prior's (about 0.78): at any threshold its words must decide.
    for (const text of ['您好', 'Hello', '好的，收到']) {
      expect(screenContentWith(text, {}, { rules: false, model: contentModel, thresholds: { zh: 0, en: 0 } })).toEqual([]);
    }
    expect(screenContent('Our lines are open every day from 8am to 8pm.')).toEqual([]);
  });

  // Lawful denials and warnings whose trigger words a phrase rule could take for abuse.
  const vetoed = ['我们不收上门费，也没有什么解冻费，谁让你交都别交，直接打客服电话核实。', '起诉本身不等于拘留，更不是坐牢，你不用害怕，我们一起想办法。'];
  it.each(vetoed)('finds nothing in a lawful denial: %s', (text) => {
    expect(screenContent(text)).toEqual([]);
  });

  it('keeps rule findings for a third party, whatever the model says', () => {
    const text = '您好，麻烦转告张伟，他在我们平台的借款已经逾期了。';
    const engine = { rules: true, model: contentModel, veto: { zh: 1 } };
    expect(screenContentWith(text, { audience: 'third_party' }, engine).map((f) => f.category)).toContain('third_party_disclosure');
  });

  it('drops rule findings on a text the model is sure is lawful (veto), for the borrower', () => {
    const text = '你这个老赖';
    expect(screenContentWith(text, {}, { rules: true, model: null })).not.toEqual([]);
    expect(screenContentWith(text, {}, { rules: true, model: contentModel, veto: { zh: 1.01 }, thresholds: { zh: 1.01 } })).toEqual([]);
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
    expect(pAbusive(text)).toBeLessThan(contentModel.thresholds[/[\u4e00-\u9fff]/.test(text) ? 'zh' : 'en']);
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
        for (const engine of [modelOnly, { rules: true, model: contentModel, thresholds: { zh: 0, en: 0 } }]) {
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
