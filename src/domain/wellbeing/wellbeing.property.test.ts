import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessWellbeing } from './index.js';

const RANK = { none: 0, concern: 1, crisis: 2 } as const;

const CRISIS_SENTENCES = [
  '我不想活了',
  '遗书都写好了',
  '我已经买好安眠药了',
  '下辈子再还吧',
  'I want to end it all',
  "I can't go on",
  'I have been thinking about how to kill myself',
];

const BENIGN = ['好的', '明天还款', '这利率要我命啊', '笑死', 'Please call me later', 'I will pay on Friday', '您好', '谢谢'];

// Mostly texts that look like borrowers' messages, plus any unicode at all.
const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.array(fc.constantFrom(...CRISIS_SENTENCES, ...BENIGN, '，', '。', ' ', '!', '不会'), { maxLength: 8 }).map((xs) => xs.join('')),
);

describe('assessWellbeing invariants', () => {
  it('signals point into the original text and the level is the highest signal', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const r = assessWellbeing(text);
        let highest = 0;
        let prevStart = -1;
        for (const s of r.signals) {
          expect(s.start).toBeGreaterThanOrEqual(0);
          expect(s.end).toBeGreaterThan(s.start);
          expect(s.end).toBeLessThanOrEqual(text.length);
          expect(s.span).toBe(text.slice(s.start, s.end));
          expect(s.start).toBeGreaterThanOrEqual(prevStart);
          prevStart = s.start;
          highest = Math.max(highest, RANK[s.level]);
        }
        expect(RANK[r.level]).toBe(highest);
      }),
      { numRuns: 500 },
    );
  });

  it('a crisis sentence stays a crisis whatever sentences come before or after it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...BENIGN), { maxLength: 4 }),
        fc.constantFrom(...CRISIS_SENTENCES),
        fc.array(fc.constantFrom(...BENIGN), { maxLength: 4 }),
        (before, crisis, after) => {
          const text = [...before, crisis, ...after].join('。');
          expect(assessWellbeing(text).level).toBe('crisis');
        },
      ),
    );
  });

  it('separators inserted between the characters of a crisis sentence do not hide it', () => {
    fc.assert(
      fc.property(fc.constantFrom('我不想活了', '遗书都写好了', '活着没意思'), fc.constantFrom(' ', '*', '-', '.', '　', '_'), (s, sep) => {
        expect(assessWellbeing([...s].join(sep)).level).toBe('crisis');
      }),
    );
  });

  it('is the same whatever lang is given', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom('zh', 'en', undefined), (text, lang) => {
        expect(assessWellbeing(text, { lang })).toEqual(assessWellbeing(text));
      }),
      { numRuns: 200 },
    );
  });

  it('stays fast on long and adversarial input (no catastrophic backtracking)', () => {
    const inputs = [
      'a'.repeat(20_000),
      '不会'.repeat(5_000) + '想不开',
      'not '.repeat(5_000) + 'kill myself',
      '了'.repeat(20_000),
      'i m '.repeat(5_000) + 'a burden',
      '我'.repeat(20_000),
    ];
    for (const text of inputs) {
      const t0 = performance.now();
      assessWellbeing(text);
      expect(performance.now() - t0, text.slice(0, 12)).toBeLessThan(500);
    }
  });
});
