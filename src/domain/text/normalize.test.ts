import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectLang, normalizeForMatching, originalSpan, segmentIds, splitSentences } from './normalize.js';

/** Finds `needle` in the normalized text and returns the original slice behind it. */
function backToOriginal(original: string, needle: string): string | null {
  const n = normalizeForMatching(original);
  const at = n.text.indexOf(needle);
  if (at < 0) return null;
  const span = originalSpan(n, at, at + needle.length);
  return original.slice(span.start, span.end);
}

describe('normalizeForMatching', () => {
  it.each([
    ['老 赖', '老赖'],
    ['老*赖', '老赖'],
    ['老_赖', '老赖'],
    ['坐-牢', '坐牢'],
    ['坐\u200b牢', '坐牢'],
    ['坐牢', '坐牢'],
    ['ｐｏｌｉｃｅ', 'police'],
    ['ＰＯＬＩＣＥ', 'police'],
    ['監獄', '监狱'],
    ['坐牢', '坐牢'],
    ['家人', '家人'],
    ['你這個老賴', '你这个老赖'],
    ['妳的家人', '你的家人'],
    ['老😀赖', '老赖'],
    ['老❤️赖', '老赖'],
    ['老👨‍👩‍👧赖', '老赖'],
    ['１２３４５', '12345'],
    ['I know where you live!', 'i know where you live'],
    ['l o s e r', 'loser'],
    ['d.e.a.d.b.e.a.t', 'deadbeat'],
    ['l0ser', 'loser'],
    ['lo$er', 'loser'],
    ["I'm a loser", 'i m a loser'],
    ['告诉你的boss', '告诉你的boss'],
    ['你个 loser', '你个loser'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeForMatching(input).text).toBe(expected);
  });

  it('keeps digits and money amounts as they are', () => {
    expect(normalizeForMatching('$500 due').text).toBe('500 due');
    expect(normalizeForMatching('3.5%').text).toBe('3 5');
  });

  it('maps normalized offsets back to the original text', () => {
    expect(backToOriginal('请注意：老 * 赖！', '老赖')).toBe('老 * 赖');
    expect(backToOriginal('你這個老賴啊', '老赖')).toBe('老賴');
    expect(backToOriginal('😀😀坐-牢😀', '坐牢')).toBe('坐-牢');
    expect(backToOriginal('𠮷𠮷 你是ｌｏｓｅｒ', 'loser')).toBe('ｌｏｓｅｒ');
    expect(backToOriginal('Hey, I KNOW where you live.', 'i know where you live')).toBe('I KNOW where you live');
    expect(backToOriginal('监\u200b狱', '监狱')).toBe('监\u200b狱');
  });

  it('maps surrogate pairs to whole code points', () => {
    const original = 'a𠮷b';
    const n = normalizeForMatching(original);
    expect(n.text).toBe('a𠮷b');
    const at = n.text.indexOf('𠮷');
    const span = originalSpan(n, at, at + 2);
    expect(original.slice(span.start, span.end)).toBe('𠮷');
  });

  it('every normalized char maps into the original, in order', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        const n = normalizeForMatching(s);
        expect(n.map.length).toBe(n.text.length);
        expect(n.ends.length).toBe(n.text.length);
        for (let i = 0; i < n.map.length; i++) {
          expect(n.map[i]).toBeGreaterThanOrEqual(0);
          expect(n.ends[i]).toBeLessThanOrEqual(s.length);
          expect(n.map[i]).toBeLessThan(n.ends[i]);
          if (i > 0) expect(n.map[i]).toBeGreaterThanOrEqual(n.map[i - 1]);
        }
        if (n.text.length > 0) {
          const span = originalSpan(n, 0, n.text.length);
          expect(span.start).toBeGreaterThanOrEqual(0);
          expect(span.end).toBeLessThanOrEqual(s.length);
        }
      }),
    );
  });
});

describe('detectLang', () => {
  it.each([
    ['请尽快还款，谢谢', 'zh'],
    ['你个loser', 'zh'],
    ['告诉你的boss', 'zh'],
    ['Please pay by Friday.', 'en'],
    ['Dear 王伟, your payment of 500 is due on Friday, thank you.', 'en'],
    ['', 'en'],
  ] as const)('%s → %s', (text, lang) => {
    expect(detectLang(text)).toBe(lang);
  });
});

describe('sentences and clauses', () => {
  it('splits on Chinese and English sentence ends, not inside numbers', () => {
    expect(splitSentences('你好。请还款！ok. 3.5 yes').map((s) => s.text)).toEqual(['你好。', '请还款！', 'ok.', ' 3.5 yes']);
  });
  it('gives clause ids that change at commas', () => {
    const { sentence, clause } = segmentIds('我们不会上门，但会通知。好');
    expect(clause[0]).toBe(clause[4]);
    expect(clause[7]).not.toBe(clause[0]);
    expect(sentence[7]).toBe(sentence[0]);
    expect(sentence[12]).not.toBe(sentence[0]);
  });
});
