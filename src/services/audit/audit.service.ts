// The audit trail: appending events to the hash chain, recording a request's or command's scope,
// and walking the chain to verify it.
//
// One event per request or command, never one per row: a write appends its event inside its own
// transaction (auditedTransaction), so a committed change always has its event and a rolled-back
// one leaves none; a read appends after answering (recordScope). Appends take one lock for the
// length of their transaction, so they are kept to the end of a transaction.
import type { Database } from '../../db/client.js';
import { auditRepository, type StoredAuditEvent } from '../../db/repositories/audit.repository.js';
import { GENESIS_HASH, auditEventHash, checkLink, storableText, type AuditEventContent } from '../../domain/audit/chain.js';
import { AuditScope, type NewAuditEvent } from './audit-scope.js';

export { ANONYMOUS, AuditScope, type AuditActor, type NewAuditEvent } from './audit-scope.js';

const repo = auditRepository();
const VERIFY_PAGE = 2000;

export interface AppendedAuditEvent {
  id: number;
  at: string;
  hash: string;
}

function storableJson(v: unknown): unknown {
  if (typeof v === 'string') return storableText(v);
  if (Array.isArray(v)) return v.map(storableJson);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [storableText(k), storableJson(x)]));
  }
  return v;
}

/**
 * Appends one event to the chain. Inside the caller's transaction when given one (the event then
 * commits or rolls back with the caller's change); otherwise in a transaction of its own. Two
 * concurrent appends take turns at an advisory lock, so each links to the one before.
 */
export async function appendAuditEvent(db: Database, event: NewAuditEvent): Promise<AppendedAuditEvent> {
  const append = async (tx: Database): Promise<AppendedAuditEvent> => {
    const head = await repo.lockHead(tx, event.at ?? null);
    const content: AuditEventContent = {
      id: (head.lastId ?? 0) + 1,
      at: head.at,
      actor: storableText(event.actor),
      actorUserId: event.actorUserId,
      action: storableText(event.action),
      outcome: storableText(event.outcome),
      // The form jsonb gives back (no undefined, no NUL, no lone surrogates): what is hashed is what is stored.
      records: storableJson(JSON.parse(JSON.stringify(event.records))) as AuditEventContent['records'],
      source: storableText(event.source),
      reason: event.reason == null ? null : storableText(event.reason),
      requestId: event.requestId == null ? null : storableText(event.requestId),
      prevHash: head.lastHash ?? GENESIS_HASH,
    };
    const hash = auditEventHash(content);
    await repo.insert(tx, {
      id: content.id,
      at: content.at,
      actor: content.actor,
      actor_user_id: content.actorUserId,
      action: content.action,
      outcome: content.outcome,
      records: content.records,
      source: content.source,
      reason: content.reason,
      request_id: content.requestId,
      prev_hash: content.prevHash,
      hash,
    });
    return { id: content.id, at: content.at, hash };
  };
  // The advisory lock is a transaction's: outside one it would be released before the insert.
  return db.inTransaction ? append(db) : db.transaction(append);
}

/**
 * Runs a write in one transaction and, when a scope is given, appends the scope's event at its
 * end, in the same transaction (outcome `ok`: committed with the change). Call it with the
 * outer database handle, so the scope is marked recorded only once the transaction committed.
 */
export async function auditedTransaction<T>(db: Database, audit: AuditScope | undefined, fn: (tx: Database) => Promise<T>): Promise<T> {
  if (!audit) return db.transaction(fn);
  const result = await db.transaction(async (tx) => {
    const r = await fn(tx);
    await appendAuditEvent(tx, audit.event('ok'));
    return r;
  });
  if (!db.inTransaction) audit.markRecorded();
  return result;
}

/** Records a scope that no write transaction recorded (a read, a refusal, a failure), once. */
export async function recordScope(db: Database, audit: AuditScope, outcome: string): Promise<void> {
  if (audit.recorded) return;
  await appendAuditEvent(db, audit.event(outcome));
  audit.markRecorded();
}

/**
 * Records the reveal of one personal field before the value is given out: if the event cannot
 * be written, the caller must not answer with the value. The request's event becomes the reveal's
 * (action `pii.reveal`, the borrower's id, the field's name, the reason), never the value.
 */
export async function recordReveal(
  db: Database,
  audit: AuditScope,
  reveal: { borrowerId: string; field: string; reason: string },
): Promise<void> {
  audit.action = 'pii.reveal';
  audit.reason = reveal.reason;
  audit.touch('borrowers', [reveal.borrowerId]).note('field', reveal.field);
  await recordScope(db, audit, 'ok');
}

export type AuditChainResult =
  | { ok: true; events: number; head: string | null }
  | { ok: false; brokenAt: number; problem: 'sequence' | 'prev_hash' | 'hash'; reason: string; events: number };

function contentOf(e: StoredAuditEvent): AuditEventContent & { hash: string } {
  return {
    id: e.id,
    at: e.at,
    actor: e.actor,
    actorUserId: e.actor_user_id,
    action: e.action,
    outcome: e.outcome,
    records: e.records as AuditEventContent['records'],
    source: e.source,
    reason: e.reason,
    requestId: e.request_id,
    prevHash: e.prev_hash,
    hash: e.hash,
  };
}

/**
 * Walks the whole chain in id order, a page at a time, recomputing each hash and its link to the
 * event before. Stops at the first broken event; `events` counts the whole ones before it.
 */
export async function verifyAuditChain(db: Database, options: { pageSize?: number } = {}): Promise<AuditChainResult> {
  const pageSize = options.pageSize ?? VERIFY_PAGE;
  let previous: { id: number; hash: string } | null = null;
  let events = 0;
  for (;;) {
    const page = await repo.page(db, previous?.id ?? null, pageSize);
    for (const row of page) {
      const stored = contentOf(row);
      const broken = checkLink(previous, stored);
      if (broken) return { ok: false, brokenAt: stored.id, ...broken, events };
      previous = { id: stored.id, hash: stored.hash };
      events++;
    }
    if (page.length < pageSize) return { ok: true, events, head: previous?.hash ?? null };
  }
}
