import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chineseIdCheckDigit, validateChineseIdNumber } from './chinese-id.js';

describe('chineseIdCheckDigit', () => {
  it.each([
    // The two examples printed in GB 11643-1999 itself.
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
    ['11010119900307001', '1'],
  ])('%s → %s', (first17, check) => {
    expect(chineseIdCheckDigit(first17)).toBe(check);
  });

  it.each(['', '1101051949123100', '110105194912310021', '1101051949123100X'])('throws for %j', (bad) => {
    expect(() => chineseIdCheckDigit(bad)).toThrow(TypeError);
  });
});

describe('validateChineseIdNumber', () => {
  it.each(['11010519491231002X', '11010519491231002x', '440524188001010014', '110101199003070011', '810000199408230021'])(
    'accepts %s',
    (id) => {
      expect(validateChineseIdNumber(id)).toEqual({ ok: true });
    },
  );

  it.each([
    ['', 'must be 18 characters, got 0'],
    ['11010519491231002', 'must be 18 characters, got 17'],
    ['11010519491231002X1', 'must be 18 characters, got 19'],
    ['110105194912310 2X', 'characters 1-17 must be digits'],
    ['1101051949123100AX', 'characters 1-17 must be digits'],
    ['11010519491231002Y', 'character 18 must be a digit or X'],
    ['010105194912310028', 'address code (characters 1-6) cannot start with 0'],
    ['110105199002300010', 'the birth date (characters 7-14) is not a real date'],
    ['110105190002290010', 'the birth date (characters 7-14) is not a real date'],
    ['110105199013010010', 'the birth date (characters 7-14) is not a real date'],
    ['110105199001000010', 'the birth date (characters 7-14) is not a real date'],
    ['110105179912310010', 'the birth year is before 1800'],
    ['110105194912310021', 'check digit should be X'],
    ['440524188001010017', 'check digit should be 4'],
  ])('rejects %j: %s', (id, reason) => {
    expect(validateChineseIdNumber(id)).toEqual({ ok: false, reason });
  });

  it('accepts 29 February only in leap years', () => {
    const id = (date: string) => {
      const first17 = `110105${date}001`;
      return first17 + chineseIdCheckDigit(first17);
    };
    expect(validateChineseIdNumber(id('20000229')).ok).toBe(true);
    expect(validateChineseIdNumber(id('19960229')).ok).toBe(true);
    expect(validateChineseIdNumber(id('19970229')).ok).toBe(false);
  });

  const first17 = fc
    .tuple(
      fc.integer({ min: 100000, max: 999999 }),
      fc.date({ min: new Date('1800-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
      fc.integer({ min: 0, max: 999 }),
    )
    .map(([area, birth, seq]) => `${area}${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(seq).padStart(3, '0')}`);

  it('accepts every number completed with chineseIdCheckDigit', () => {
    fc.assert(
      fc.property(first17, (f) => {
        expect(validateChineseIdNumber(f + chineseIdCheckDigit(f))).toEqual({ ok: true });
      }),
    );
  });

  it('rejects every number with one character changed', () => {
    fc.assert(
      fc.property(first17, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 10 }), (f, position, shift) => {
        const valid = f + chineseIdCheckDigit(f);
        const alphabet = position === 17 ? '0123456789X' : '0123456789';
        const from = alphabet.indexOf(valid[position]);
        const replacement = alphabet[(from + (shift % alphabet.length || 1)) % alphabet.length];
        const changed = valid.slice(0, position) + replacement + valid.slice(position + 1);
        expect(changed).not.toBe(valid);
        expect(validateChineseIdNumber(changed).ok).toBe(false);
      }),
    );
  });
});
