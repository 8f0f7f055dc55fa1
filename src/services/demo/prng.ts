// Seeded randomness for the demo generator. Deterministic by construction; never Math.random.

export type Rng = () => number; // uniform in [0, 1)

export { mulberry32 } from '../../domain/random.js';

/** Mixes two 32-bit values into one (murmur3 finaliser), so each stream gets its own well-spread seed. */
export function mix32(a: number, b: number): number {
  let h = (Math.imul(a >>> 0, 0x9e3779b1) ^ (b >>> 0)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Integer in [min, max], both inclusive. */
export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

export interface Weighted<T> {
  readonly items: readonly T[];
  readonly cumulative: readonly number[];
}

export function weighted<T>(entries: readonly (readonly [T, number])[]): Weighted<T> {
  let total = 0;
  const cumulative: number[] = [];
  for (const [, w] of entries) cumulative.push((total += w));
  return { items: entries.map(([item]) => item), cumulative: cumulative.map((c) => c / total) };
}

export function pickWeighted<T>(rng: Rng, table: Weighted<T>): T {
  const u = rng();
  const c = table.cumulative;
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u < c[mid]) hi = mid;
    else lo = mid + 1;
  }
  return table.items[lo];
}

/**
 * A keyed pseudo-random permutation of [0, size): a balanced Feistel network over the smallest
 * even power of two ≥ size, with cycle walking back into range. Used to hand out identity numbers
 * that look random yet can never collide.
 */
export function feistelPermutation(size: number, key: number): (index: number) => number {
  if (!Number.isSafeInteger(size) || size < 1 || size > 2 ** 52) throw new RangeError('bad permutation size');
  let halfBits = 1;
  while (2 ** (2 * halfBits) < size) halfBits++;
  const half = 2 ** halfBits;
  const round = (r: number, value: number) => {
    // Works on values up to 2^26: split into two 16-bit-or-less pieces to stay in 32-bit hashing.
    const h = mix32(mix32(key, r), mix32(value % 65536, Math.floor(value / 65536)));
    return h % half;
  };
  const encrypt = (x: number) => {
    let left = Math.floor(x / half);
    let right = x % half;
    for (let r = 0; r < 4; r++) {
      const next = (left + round(r, right)) % half;
      left = right;
      right = next;
    }
    return left * half + right;
  };
  return (index: number) => {
    if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError('index out of range');
    let x = encrypt(index);
    while (x >= size) x = encrypt(x);
    return x;
  };
}
