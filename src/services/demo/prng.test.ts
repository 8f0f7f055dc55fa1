import { describe, expect, it } from 'vitest';
import { feistelPermutation, mulberry32 } from './prng.js';

describe('mulberry32', () => {
  it('repeats for a seed and stays in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const values = Array.from({ length: 1000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBe(1000);
  });
});

describe('feistelPermutation', () => {
  it.each([1, 2, 17, 1000, 4096, 5003])('is a bijection on [0, %d)', (size) => {
    const permute = feistelPermutation(size, 99);
    const images = Array.from({ length: size }, (_, i) => permute(i));
    expect(images.every((x) => x >= 0 && x < size)).toBe(true);
    expect(new Set(images).size).toBe(size);
  });

  it('depends on the key', () => {
    const a = feistelPermutation(10_000, 1);
    const b = feistelPermutation(10_000, 2);
    expect(Array.from({ length: 20 }, (_, i) => a(i))).not.toEqual(Array.from({ length: 20 }, (_, i) => b(i)));
  });
});
