// The audit trail's hash chain: each event's hash is SHA-256 over a canonical serialization of
// its content and the previous event's hash, so changing, removing or reordering any stored
// event breaks the chain at that event. Pure: the database layer supplies the stored rows.
import { createHash } from 'node:crypto';

/** The prev_hash of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** Bumped if the serialization ever changes; part of every hashed text. */
const FORMAT = 'clement-audit-v1';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** What the hash covers: every column of audit_events except the hash itself. */
export interface AuditEventContent {
  id: number;
  /** UTC with microseconds, `YYYY-MM-DDTHH:MM:SS.ffffffZ`: the exact stored instant. */
  at: string;
  actor: string;
  actorUserId: number | null;
  action: string;
  outcome: string;
  records: { readonly [kind: string]: JsonValue };
  source: string;
  reason: string | null;
  requestId: string | null;
  prevHash: string;
}

/**
 * JSON with object keys sorted (by UTF-16 code units) at every depth and no whitespace: the same
 * value always gives the same text, whatever order jsonb or a caller put the keys in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`canonicalJson: ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new Error(`canonicalJson: a ${typeof value} has no JSON form`);
  }
}

/** The text that is hashed: the format tag, a newline, then the canonical JSON of the content. */
export function canonicalEvent(e: AuditEventContent): string {
  return `${FORMAT}\n${canonicalJson({
    id: e.id,
    at: e.at,
    actor: e.actor,
    actorUserId: e.actorUserId,
    action: e.action,
    outcome: e.outcome,
    records: e.records,
    source: e.source,
    reason: e.reason,
    requestId: e.requestId,
    prevHash: e.prevHash,
  })}`;
}

export function auditEventHash(e: AuditEventContent): string {
  return createHash('sha256').update(canonicalEvent(e), 'utf8').digest('hex');
}

/** Why a stored event breaks the chain; null when it links to the one before and its hash holds. */
export type ChainBreak =
  | { problem: 'sequence'; reason: string }
  | { problem: 'prev_hash'; reason: string }
  | { problem: 'hash'; reason: string };

/**
 * Checks one stored event against the event before it (null for the first). Ids are gapless
 * (assigned under the append lock), so a missing id is a removed event.
 */
export function checkLink(
  previous: { id: number; hash: string } | null,
  stored: AuditEventContent & { hash: string },
): ChainBreak | null {
  const expectedId = previous ? previous.id + 1 : 1;
  if (stored.id !== expectedId) {
    return stored.id > expectedId
      ? { problem: 'sequence', reason: `missing id in sequence: event ${expectedId}${stored.id - expectedId > 1 ? `–${stored.id - 1}` : ''} is gone (found ${stored.id} after ${expectedId - 1})` }
      : { problem: 'sequence', reason: `id out of sequence: expected ${expectedId}, found ${stored.id}` };
  }
  const expectedPrev = previous ? previous.hash : GENESIS_HASH;
  if (stored.prevHash !== expectedPrev) {
    return {
      problem: 'prev_hash',
      reason: previous
        ? `prev_hash mismatch: it is not the hash of event ${previous.id}`
        : 'prev_hash mismatch: the first event must follow the genesis hash',
    };
  }
  if (auditEventHash(stored) !== stored.hash) {
    return { problem: 'hash', reason: 'hash mismatch: the stored content does not hash to the stored hash' };
  }
  return null;
}

/** A string as PostgreSQL text will store it: no NUL, no lone surrogates (which UTF-8 cannot carry). */
export function storableText(s: string): string {
  return Buffer.from(s.replaceAll('\u0000', '\uFFFD'), 'utf8').toString('utf8');
}
