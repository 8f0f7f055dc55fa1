import { describe, expect, it } from 'vitest';
import { addMonthsClamped, civil, dayNumber, formatIsoDate, parseIsoDate } from './civil-date.js';

const add = (date: string, months: number) => formatIsoDate(addMonthsClamped(parseIsoDate(date)!, months));

describe('addMonthsClamped', () => {
  it.each([
    ['2024-01-31', 1, '2024-02-29'],
    ['2025-01-31', 1, '2025-02-28'],
    ['2025-01-31', 2, '2025-03-31'],
    ['2025-03-31', 1, '2025-04-30'],
    ['2025-12-15', 1, '2026-01-15'],
    ['2025-03-31', -1, '2025-02-28'],
    ['2025-01-10', -13, '2023-12-10'],
  ])('%s %+d months → %s', (date, months, expected) => {
    expect(add(date, months)).toBe(expected);
  });
});

describe('parseIsoDate', () => {
  it.each(['2025-02-29', '2025-13-01', '2025-1-01', '20250101', '2025-04-31'])('refuses %s', (text) => {
    expect(parseIsoDate(text)).toBeUndefined();
  });

  it('round-trips through formatIsoDate', () => {
    expect(formatIsoDate(parseIsoDate('2024-02-29')!)).toBe('2024-02-29');
  });
});

describe('day numbers', () => {
  it('agree with Date.UTC from 1900 to 2100', () => {
    const wrong: string[] = [];
    for (let ms = Date.UTC(1900, 0, 1); ms <= Date.UTC(2100, 11, 31); ms += 86_400_000) {
      const d = new Date(ms);
      const [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
      const n = dayNumber(year, month, day);
      const back = civil(n);
      if (n !== ms / 86_400_000 || back.year !== year || back.month !== month || back.day !== day) {
        wrong.push(d.toISOString());
      }
    }
    expect(wrong).toEqual([]);
  });
});
