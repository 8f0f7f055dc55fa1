// Product rules that aging depends on. Later issues add penalty interest and late fees here.

export interface BucketRange {
  code: string;
  minDpd: number;
  /** null: no upper bound (the last bucket). */
  maxDpd: number | null;
}

export interface ProductRules {
  graceDays: number;
  buckets: readonly BucketRange[];
}

export const DEFAULT_BUCKETS: readonly BucketRange[] = [
  { code: 'M0', minDpd: 0, maxDpd: 0 },
  { code: 'M1', minDpd: 1, maxDpd: 30 },
  { code: 'M2', minDpd: 31, maxDpd: 60 },
  { code: 'M3', minDpd: 61, maxDpd: 90 },
  { code: 'M4', minDpd: 91, maxDpd: 120 },
  { code: 'M5', minDpd: 121, maxDpd: 150 },
  { code: 'M6', minDpd: 151, maxDpd: 180 },
  { code: 'M6+', minDpd: 181, maxDpd: null },
];

export const BUCKET_CODES = DEFAULT_BUCKETS.map((b) => b.code);

export const DEFAULT_PRODUCT: ProductRules = { graceDays: 0, buckets: DEFAULT_BUCKETS };

export function bucketFor(dpd: number, buckets: readonly BucketRange[]): BucketRange {
  for (const b of buckets) {
    if (dpd >= b.minDpd && (b.maxDpd === null || dpd <= b.maxDpd)) return b;
  }
  throw new Error(`no bucket covers dpd ${dpd}`);
}

/** Buckets must start at 0, be contiguous and end open, so every dpd has exactly one bucket. */
export function validateBuckets(buckets: readonly BucketRange[]): string | null {
  if (buckets.length === 0) return 'at least one bucket is required';
  let expected = 0;
  for (const [i, b] of buckets.entries()) {
    if (b.minDpd !== expected) return `bucket ${b.code} must start at dpd ${expected}`;
    const last = i === buckets.length - 1;
    if (last !== (b.maxDpd === null)) return last ? `the last bucket ${b.code} must be open-ended` : `bucket ${b.code} needs an upper bound`;
    if (b.maxDpd !== null) {
      if (b.maxDpd < b.minDpd) return `bucket ${b.code} ends before it starts`;
      expected = b.maxDpd + 1;
    }
  }
  return null;
}
