// Idempotency-Key: a write that creates money or contacts, retried with the same key, gets the
// first answer instead of running again.
import { createHash } from 'node:crypto';
import { idempotencyRepository, type StoredAnswer } from '../../db/repositories/idempotency.repository.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../errors.js';

const repo = idempotencyRepository();

export type Claim = { kind: 'new' } | { kind: 'replay'; status: number; body: string };

export function requestHash(method: string, url: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${url}\n${JSON.stringify(body ?? null)}`).digest('hex');
}

export async function claimIdempotencyKey(deps: Deps, scope: string, key: string, hash: string): Promise<Claim> {
  if (key.length === 0 || key.length > 200) {
    throw new AppError('validation', 'IDEMPOTENCY.INVALID_KEY', 'Idempotency-Key: must be 1 to 200 characters', [
      { field: 'Idempotency-Key', message: 'must be 1 to 200 characters' },
    ]);
  }
  const stored: StoredAnswer | null = await repo.claim(deps.db, scope, key, hash);
  if (stored === null) return { kind: 'new' };
  if (stored.request_hash !== hash) {
    throw new AppError('conflict', 'IDEMPOTENCY.KEY_REUSED', 'Idempotency-Key: this key was used for a different request', [
      { field: 'Idempotency-Key', message: 'used for a different request' },
    ]);
  }
  if (stored.status === null || stored.response === null) {
    throw new AppError('conflict', 'IDEMPOTENCY.IN_PROGRESS', 'Idempotency-Key: the first request with this key is still running; retry shortly', [
      { field: 'Idempotency-Key', message: 'still running' },
    ]);
  }
  return { kind: 'replay', status: stored.status, body: stored.response };
}

/** Keeps the answer for retries; a server error frees the key so a retry runs again. */
export async function settleIdempotencyKey(deps: Deps, scope: string, key: string, status: number, body: string): Promise<void> {
  if (status >= 500) await repo.release(deps.db, scope, key);
  else await repo.complete(deps.db, scope, key, status, body);
}
