// Money is integer minor units (fen for CNY, cents for USD). Never a float.
export type Fen = number;

const AMOUNT = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Parses a yuan amount such as "1234.5" or "0.01" exactly, without going through a float. */
export function parseYuan(text: string): ParseResult<Fen> {
  const t = text.trim();
  if (t.startsWith('-')) return { ok: false, reason: 'must not be negative' };
  const m = AMOUNT.exec(t);
  if (!m) return { ok: false, reason: `"${text}" is not an amount in yuan with at most two decimals` };
  const whole = Number(m[1]);
  const frac = Number((m[2] ?? '').padEnd(2, '0'));
  const value = whole * 100 + frac;
  if (!Number.isSafeInteger(value)) return { ok: false, reason: 'amount is too large' };
  return { ok: true, value };
}

/** Formats fen as yuan with two decimals: 106000 → "1060.00". */
export function formatYuan(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  return `${sign}${whole}.${frac.toString().padStart(2, '0')}`;
}

export function sum(values: readonly Fen[]): Fen {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
