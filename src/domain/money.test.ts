import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatYuan, parseYuan } from './money.js';

describe('parseYuan', () => {
  it.each([
    ['1234.5', 123450],
    ['0.01', 1],
    ['0', 0],
    ['1060', 106000],
    ['1060.00', 106000],
    [' 12.3 ', 1230],
  ])('%s → %d fen', (text, fen) => {
    expect(parseYuan(text)).toEqual({ ok: true, value: fen });
  });

  it.each(['-1', '1.234', 'abc', '', '1,000', '1e3', '.5', '1.'])('rejects %s', (text) => {
    expect(parseYuan(text).ok).toBe(false);
  });

  it('round-trips through formatYuan', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (fen) => {
        expect(parseYuan(formatYuan(fen))).toEqual({ ok: true, value: fen });
      }),
    );
  });
});
