import type { Database } from '../client.js';

export interface StoredAnswer {
  request_hash: string;
  status: number | null;
  response: string | null;
}

export function idempotencyRepository() {
  return {
    /** Claims the key for this request; null when it was claimed, else what is stored for it. */
    async claim(db: Database, scope: string, key: string, requestHash: string): Promise<StoredAnswer | null> {
      const r = await db.query(
        `INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [scope, key, requestHash],
      );
      if (r.rowCount === 1) return null;
      const stored = await db.query<StoredAnswer>('SELECT request_hash, status, response FROM idempotency_keys WHERE scope = $1 AND key = $2', [
        scope,
        key,
      ]);
      return stored.rows[0] ?? { request_hash: requestHash, status: null, response: null };
    },
    async complete(db: Database, scope: string, key: string, status: number, response: string): Promise<void> {
      await db.query('UPDATE idempotency_keys SET status = $3, response = $4 WHERE scope = $1 AND key = $2', [scope, key, status, response]);
    },
    async release(db: Database, scope: string, key: string): Promise<void> {
      await db.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status IS NULL', [scope, key]);
    },
  };
}
