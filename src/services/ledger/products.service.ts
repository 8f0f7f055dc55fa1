import type { Deps } from '../../deps.js';
import { DEFAULT_BUCKETS, validateBuckets, type BucketRange } from '../../domain/delinquency/product.js';
import { AppError } from '../errors.js';

export interface ProductInput {
  externalId: string;
  name: string;
  graceDays: number;
  buckets?: readonly BucketRange[];
}

/** Creates a product with its bucket ranges unless one with that id exists. */
export async function ensureProduct(deps: Deps, p: ProductInput): Promise<void> {
  const buckets = p.buckets ?? DEFAULT_BUCKETS;
  const problem = validateBuckets(buckets);
  if (problem) throw new AppError('validation', 'PRODUCT.INVALID_BUCKETS', `buckets: ${problem}`, [{ field: 'buckets', message: problem }]);
  if (!Number.isInteger(p.graceDays) || p.graceDays < 0) {
    throw new AppError('validation', 'PRODUCT.INVALID', 'graceDays: must be a whole number of days, 0 or more', [
      { field: 'graceDays', message: 'must be 0 or more' },
    ]);
  }
  await deps.db.transaction(async (tx) => {
    const r = await tx.query<{ id: number }>(
      `INSERT INTO products (external_id, name, grace_days) VALUES ($1, $2, $3) ON CONFLICT (external_id) DO NOTHING RETURNING id`,
      [p.externalId, p.name, p.graceDays],
    );
    const id = r.rows[0]?.id;
    if (id === undefined) return;
    await tx.query(
      `INSERT INTO product_buckets (product_id, code, min_dpd, max_dpd) SELECT $1, * FROM unnest($2::text[], $3::int[], $4::int[])`,
      [id, buckets.map((b) => b.code), buckets.map((b) => b.minDpd), buckets.map((b) => b.maxDpd)],
    );
  });
}
